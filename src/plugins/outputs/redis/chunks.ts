/**
 * What the redis output's encoder (worker) hands its sink (main thread): per rendered key, the
 * encoded values back to back in one byte array, where each ends, and the position of each in
 * the write (for per-event results). Byte arrays are transferred, not copied, and the sink sends
 * views of them to Redis without decoding anything.
 */
export interface KeyChunk {
  key: string;
  /** The values, back to back (UTF-8, or a binary codec's bytes). */
  bytes: Uint8Array;
  /** End offset in `bytes` of each value. */
  ends: Uint32Array;
  /** Position of each value among the events of the write (encode order). */
  positions: Uint32Array;
}

const utf8 = new TextEncoder();

/** Gathers the values of one key. */
export class KeyChunkBuilder {
  private bytes = new Uint8Array(4096);
  private length = 0;
  private ends: number[] = [];
  private positions: number[] = [];

  constructor(readonly key: string) {}

  add(value: string, position: number): void {
    // A UTF-8 encoding is at most 3 bytes per UTF-16 unit.
    this.reserve(value.length * 3);
    this.length += utf8.encodeInto(value, this.bytes.subarray(this.length)).written;
    this.ends.push(this.length);
    this.positions.push(position);
  }

  /** A binary codec's value. */
  addBytes(value: Uint8Array, position: number): void {
    this.reserve(value.length);
    this.bytes.set(value, this.length);
    this.length += value.length;
    this.ends.push(this.length);
    this.positions.push(position);
  }

  private reserve(more: number): void {
    const need = this.length + more;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
  }

  build(): KeyChunk {
    // A copy of the used part, so the transfer does not carry the spare capacity.
    return { key: this.key, bytes: this.bytes.slice(0, this.length), ends: Uint32Array.from(this.ends), positions: Uint32Array.from(this.positions) };
  }
}

/** The values of a chunk as Buffers viewing its bytes (no copy). */
export function chunkValues(chunk: KeyChunk): Buffer[] {
  const values: Buffer[] = new Array(chunk.ends.length);
  const { buffer, byteOffset } = chunk.bytes;
  let start = 0;
  for (let i = 0; i < chunk.ends.length; i++) {
    const end = chunk.ends[i]!;
    values[i] = Buffer.from(buffer, byteOffset + start, end - start);
    start = end;
  }
  return values;
}

export const chunkTransfers = (chunks: KeyChunk[]): ArrayBuffer[] =>
  chunks.flatMap((c) => [c.bytes.buffer as ArrayBuffer, c.ends.buffer as ArrayBuffer, c.positions.buffer as ArrayBuffer]);
