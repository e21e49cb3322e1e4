/**
 * Cuts a byte stream into chunks of whole lines without decoding it: the
 * input side of "bytes cross threads, events don't". Complete lines are
 * gathered until a chunk reaches `targetBytes` or `maxLines` lines, whichever
 * comes first (fewer, larger hand-overs cost less per event than one per
 * read; a bound in lines keeps a chunk near one pipeline batch, so its events
 * are written and acknowledged soon), or until the caller flushes (the source
 * went quiet). Each chunk is copied into its own ArrayBuffer so it can be
 * transferred to a worker. With `borrowInput` (the caller never reuses a buffer it pushed, as
 * socket and file stream reads do not) the bytes are held as views of the caller's buffers
 * until a chunk is cut, so each byte is copied once; otherwise what is held is copied as it
 * arrives (a chunk spanning reads is then copied twice).
 *
 * A line longer than `maxLineBytes` is never held whole: once it passes the
 * limit, its first bytes (cut at a UTF-8 character boundary) become a line of
 * their own, listed in the chunk's `truncated`, and the rest of it up to the
 * next newline is dropped as it arrives, only counted.
 */

export interface LineChunk {
  /** Whole lines, each ending with "\n" (a truncated line gets one), except a final unterminated one at end(). */
  bytes: Uint8Array;
  /** Number of lines in the chunk. */
  lines: number;
  /** Indexes (0-based, ascending) of the lines cut at `maxLineBytes`; absent when none was. */
  truncated?: number[];
}

export interface LineChunkerLimits {
  /** A chunk is handed out as soon as it holds this many complete lines. */
  maxLines?: number;
  /** Longest line kept, in bytes without its newline; the rest of a longer line is discarded. */
  maxLineBytes?: number;
  /**
   * The caller never writes to a buffer once pushed (stream reads hand over a fresh buffer each
   * time): hold views of it instead of copies. Measured on tcp → null: one copy per byte instead
   * of two, and a quarter less garbage on the reading thread.
   */
  borrowInput?: boolean;
}

const NEWLINE = 10;

/** A copy of buf[start, end) in its own ArrayBuffer (Buffer#slice would be a view of the caller's buffer). */
const copyOf = (buf: Uint8Array, start: number, end: number): Uint8Array => Uint8Array.prototype.slice.call(buf, start, end);

/** A UTF-8 continuation byte (10xxxxxx): not the first byte of a character. */
const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80;

export class LineChunker {
  /** Buffers received but not yet handed out, complete lines and partial tail alike. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes of `pending` that form complete lines, and how many lines. */
  private completeBytes = 0;
  private completeLines = 0;
  /** Indexes among the complete lines of those that were truncated. */
  private truncatedIndexes: number[] = [];
  /** Inside a line that passed maxLineBytes: bytes are dropped up to the next newline. */
  private discarding = false;
  private readonly maxLines: number;
  private readonly maxLineBytes: number;
  /** Held pieces are views of the caller's buffers (limits.borrowInput), never handed out as they are. */
  private readonly borrow: boolean;
  private truncatedCount = 0;
  private discardedCount = 0;

  constructor(private readonly targetBytes: number = 256 * 1024, limits: LineChunkerLimits = {}) {
    this.maxLines = limits.maxLines ?? Infinity;
    this.maxLineBytes = limits.maxLineBytes ?? Infinity;
    this.borrow = limits.borrowInput ?? false;
    if (!(this.maxLines >= 1)) throw new RangeError(`maxLines must be at least 1, got ${this.maxLines}`);
    if (!(this.maxLineBytes >= 1)) throw new RangeError(`maxLineBytes must be at least 1, got ${this.maxLineBytes}`);
  }

  /** Bytes held back. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** True when whole lines are waiting for flush(). */
  get hasCompleteLines(): boolean {
    return this.completeLines > 0;
  }

  /** Lines cut at maxLineBytes so far. */
  get truncatedLines(): number {
    return this.truncatedCount;
  }

  /** Bytes of over-long lines dropped so far (their newlines not counted). */
  get discardedBytes(): number {
    return this.discardedCount;
  }

  push(buf: Uint8Array, out: (chunk: LineChunk) => void): void {
    const n = buf.length;
    let i = 0;
    if (this.discarding) {
      const nl = buf.indexOf(NEWLINE);
      if (nl === -1) {
        this.discardedCount += n;
        return;
      }
      this.discardedCount += nl;
      this.discarding = false;
      i = nl + 1;
    }
    // buf[runStart, i) holds complete lines not yet copied into `pending`:
    // copying waits until a chunk is cut or the read ends, so a read of many
    // short lines is copied once, not once per line.
    let runStart = i;
    // Bytes of the current line that arrived in earlier reads (only the first line of this read has any).
    let carried = this.pendingBytes - this.completeBytes;
    while (i < n) {
      const nl = buf.indexOf(NEWLINE, i);
      const end = nl === -1 ? n : nl;
      if (carried + (end - i) > this.maxLineBytes) {
        this.truncate(buf, runStart, i, end, carried);
        this.discarding = nl === -1;
        i = runStart = nl === -1 ? n : nl + 1;
        carried = 0;
        if (this.completeLines >= this.maxLines || this.completeBytes >= this.targetBytes) out(this.takeComplete());
        continue;
      }
      if (nl === -1) break;
      i = nl + 1;
      carried = 0;
      this.completeLines++;
      this.completeBytes = this.pendingBytes + (i - runStart);
      if (this.completeLines >= this.maxLines || this.completeBytes >= this.targetBytes) {
        this.append(this.hold(buf, runStart, i));
        runStart = i;
        out(this.takeComplete());
      }
    }
    // Keep a copy unless borrowing: the caller may reuse its buffer.
    if (runStart < n) this.append(this.hold(buf, runStart, n));
  }

  /** What of buf[start, end) is held until a chunk is cut: a view when borrowing, else a copy. */
  private hold(buf: Uint8Array, start: number, end: number): Uint8Array {
    return this.borrow ? buf.subarray(start, end) : copyOf(buf, start, end);
  }

  /** Hands out every complete line held (the unterminated tail stays). */
  flush(out: (chunk: LineChunk) => void): void {
    if (this.completeLines > 0) out(this.takeComplete());
  }

  /** Hands out everything, the unterminated last line included. */
  end(out: (chunk: LineChunk) => void): void {
    this.flush(out);
    if (this.pendingBytes > 0) out({ bytes: this.take(this.pendingBytes), lines: 1 });
    this.discarding = false;
  }

  /**
   * The line that started `carried` bytes before buf[i] and runs to buf[end]
   * passed maxLineBytes: keep its first maxLineBytes bytes, backed off to a
   * character boundary, as a complete line, and count the rest as discarded.
   */
  private truncate(buf: Uint8Array, runStart: number, i: number, end: number, carried: number): void {
    // Where the cut falls in buf; the first dropped byte, buf[cut], exists since the line is longer.
    const cut = i + (this.maxLineBytes - carried);
    // A continuation byte there means the cut splits a character: keep none of it.
    // Its first byte is at most 3 back; it may be in an earlier read (for the first line, runStart === i).
    const byteAt = (p: number): number => (p >= i ? buf[p]! : this.pendingByteFromEnd(i - p));
    const lineStart = i - carried;
    let keepEnd = cut;
    while (keepEnd > lineStart && keepEnd > cut - 3 && isContinuation(byteAt(keepEnd))) keepEnd--;
    if (isContinuation(byteAt(keepEnd))) keepEnd = cut; // not UTF-8 there anyway: cut at the limit
    if (keepEnd >= i) {
      this.append(this.hold(buf, runStart, keepEnd));
    } else {
      this.dropPendingEnd(i - keepEnd);
      this.discardedCount += i - keepEnd;
    }
    this.append(new Uint8Array([NEWLINE]));
    this.discardedCount += end - Math.max(keepEnd, i);
    this.truncatedIndexes.push(this.completeLines);
    this.completeLines++;
    this.completeBytes = this.pendingBytes;
    this.truncatedCount++;
  }

  private append(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.pending.push(piece);
    this.pendingBytes += piece.length;
  }

  /** The byte `back` positions before the end of `pending` (1 = the last). */
  private pendingByteFromEnd(back: number): number {
    for (let k = this.pending.length - 1; k >= 0; k--) {
      const piece = this.pending[k]!;
      if (back <= piece.length) return piece[piece.length - back]!;
      back -= piece.length;
    }
    return 0;
  }

  private dropPendingEnd(count: number): void {
    this.pendingBytes -= count;
    while (count > 0) {
      const last = this.pending[this.pending.length - 1]!;
      if (last.length <= count) {
        this.pending.pop();
        count -= last.length;
      } else {
        this.pending[this.pending.length - 1] = last.subarray(0, last.length - count);
        count = 0;
      }
    }
  }

  private takeComplete(): LineChunk {
    const lines = this.completeLines;
    const truncated = this.truncatedIndexes;
    const chunk: LineChunk = { bytes: this.take(this.completeBytes), lines };
    if (truncated.length > 0) chunk.truncated = truncated;
    return chunk;
  }

  /** The first `n` pending bytes as one fresh array; the rest stays pending. */
  private take(n: number): Uint8Array {
    let out: Uint8Array;
    const first = this.pending[0];
    if (!this.borrow && this.pending.length === 1 && first!.length === n && first!.byteOffset === 0 && first!.buffer.byteLength === n) {
      // Already a copy of exactly this chunk in its own buffer (cut inside one read): no second copy.
      out = first!;
      this.pending = [];
    } else {
      // Every byte is written below: no zero-filling (allocUnsafeSlow: its own ArrayBuffer, never the pool).
      out = Buffer.allocUnsafeSlow(n);
      let offset = 0;
      const rest: Uint8Array[] = [];
      for (const piece of this.pending) {
        const room = n - offset;
        if (room >= piece.length) {
          out.set(piece, offset);
          offset += piece.length;
        } else {
          if (room > 0) out.set(piece.subarray(0, room), offset);
          rest.push(piece.subarray(room));
          offset = n;
        }
      }
      this.pending = rest;
    }
    this.pendingBytes -= n;
    this.completeBytes = 0;
    this.completeLines = 0;
    if (this.truncatedIndexes.length > 0) this.truncatedIndexes = [];
    return out;
  }
}
