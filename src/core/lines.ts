/**
 * Cuts a byte stream into chunks of whole lines without decoding it: the
 * input side of "bytes cross threads, events don't". Each chunk is copied
 * into its own ArrayBuffer so it can be transferred to a worker.
 */

export interface LineChunk {
  bytes: Uint8Array;
  /** Number of lines in the chunk (each ends with "\n", except a final unterminated one at end()). */
  lines: number;
}

const NEWLINE = 10;

export class LineChunker {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(
    /** Most lines per chunk (pipeline.batch.size). */
    private readonly maxLines: number,
    /** A chunk is cut early once it holds this many bytes. */
    private readonly maxBytes: number = 4 * 1024 * 1024,
  ) {}

  /** Bytes held back: an unterminated last line. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(buf: Uint8Array, out: (chunk: LineChunk) => void): void {
    let chunkStart = 0;
    let lines = 0;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, pos);
      if (nl === -1) break;
      lines++;
      pos = nl + 1;
      if (lines >= this.maxLines || this.pendingBytes + pos - chunkStart >= this.maxBytes) {
        out({ bytes: this.take(buf, chunkStart, pos), lines });
        chunkStart = pos;
        lines = 0;
      }
    }
    if (lines > 0) {
      out({ bytes: this.take(buf, chunkStart, pos), lines });
      chunkStart = pos;
    }
    if (chunkStart < buf.length) {
      // Keep a copy: the caller may reuse its buffer.
      this.pending.push(buf.slice(chunkStart));
      this.pendingBytes += buf.length - chunkStart;
    }
  }

  /** Emits the unterminated last line, if any. */
  end(out: (chunk: LineChunk) => void): void {
    if (this.pendingBytes > 0) out({ bytes: this.take(new Uint8Array(0), 0, 0), lines: 1 });
  }

  /** Pending bytes + buf[from, to) as one fresh, transferable array. */
  private take(buf: Uint8Array, from: number, to: number): Uint8Array {
    const out = new Uint8Array(this.pendingBytes + (to - from));
    let offset = 0;
    for (const piece of this.pending) {
      out.set(piece, offset);
      offset += piece.length;
    }
    out.set(buf.subarray(from, to), offset);
    this.pending = [];
    this.pendingBytes = 0;
    return out;
  }
}
