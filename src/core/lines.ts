/**
 * Cuts a byte stream into chunks of whole lines without decoding it: the
 * input side of "bytes cross threads, events don't". Complete lines are
 * gathered until a chunk reaches `targetBytes` (fewer, larger hand-overs cost
 * less per event than one per read), or until the caller flushes (the source
 * went quiet). Each chunk is copied into its own ArrayBuffer so it can be
 * transferred to a worker.
 */

export interface LineChunk {
  bytes: Uint8Array;
  /** Number of lines in the chunk (each ends with "\n", except a final unterminated one at end()). */
  lines: number;
}

const NEWLINE = 10;

export class LineChunker {
  /** Buffers received but not yet handed out, complete lines and partial tail alike. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes of `pending` that form complete lines, and how many lines. */
  private completeBytes = 0;
  private completeLines = 0;

  constructor(private readonly targetBytes: number = 256 * 1024) {}

  /** Bytes held back. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** True when whole lines are waiting for flush(). */
  get hasCompleteLines(): boolean {
    return this.completeLines > 0;
  }

  push(buf: Uint8Array, out: (chunk: LineChunk) => void): void {
    // Keep a copy: the caller may reuse its buffer.
    this.pending.push(Uint8Array.prototype.slice.call(buf));
    let lines = 0;
    let last = -1;
    for (let pos = buf.indexOf(NEWLINE); pos !== -1; pos = buf.indexOf(NEWLINE, pos + 1)) {
      lines++;
      last = pos;
    }
    if (lines > 0) {
      this.completeBytes = this.pendingBytes + last + 1;
      this.completeLines += lines;
    }
    this.pendingBytes += buf.length;
    if (this.completeBytes >= this.targetBytes) this.flush(out);
  }

  /** Hands out every complete line held (the unterminated tail stays). */
  flush(out: (chunk: LineChunk) => void): void {
    if (this.completeLines === 0) return;
    const lines = this.completeLines;
    out({ bytes: this.take(this.completeBytes), lines });
  }

  /** Hands out everything, the unterminated last line included. */
  end(out: (chunk: LineChunk) => void): void {
    this.flush(out);
    if (this.pendingBytes > 0) out({ bytes: this.take(this.pendingBytes), lines: 1 });
  }

  /** The first `n` pending bytes as one fresh array; the rest stays pending. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
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
    this.pendingBytes -= n;
    this.completeBytes = 0;
    this.completeLines = 0;
    return out;
  }
}
