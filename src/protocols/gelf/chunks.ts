/**
 * GELF chunked-UDP reassembly. A chunk is `0x1e 0x0f`, an 8-byte message id, a sequence number
 * and a sequence count (≤ 128), then a slice of the (possibly compressed) message. A message is
 * complete when every sequence number of it arrived, in any order. Bounded: a message not
 * complete within `timeoutMs` of its first chunk is dropped (counted `expired`); when more than
 * `maxMessages` messages or `maxBytes` bytes are pending, the oldest is dropped (counted
 * `evicted`). Malformed chunks (bad count or sequence number, a count that changes) are counted
 * `invalid`; a repeated chunk is ignored.
 */

import { concatBytes } from '../../core/bytes.js';

export const CHUNK_MAGIC_0 = 0x1e;
export const CHUNK_MAGIC_1 = 0x0f;
export const CHUNK_HEADER_BYTES = 12;
/** GELF's limit on chunks per message. */
export const MAX_CHUNKS = 128;

export interface ChunkAssemblerLimits {
  /** Most messages being reassembled at once. */
  maxMessages: number;
  /** Most bytes held in incomplete messages. */
  maxBytes: number;
  /** A message whose chunks did not all arrive within this many ms of the first is dropped. */
  timeoutMs: number;
}

export interface ChunkCounters {
  expired: number;
  evicted: number;
  invalid: number;
  completed: number;
}

interface Pending {
  firstAt: number;
  chunks: (Uint8Array | undefined)[];
  received: number;
  bytes: number;
}

/** Whether a datagram is a GELF chunk (by its magic bytes). */
export function isChunk(datagram: Uint8Array): boolean {
  return datagram.length >= 2 && datagram[0] === CHUNK_MAGIC_0 && datagram[1] === CHUNK_MAGIC_1;
}

export class ChunkAssembler {
  /** In insertion order, so the first entry is the oldest. */
  private readonly pending = new Map<string, Pending>();
  private heldBytes = 0;
  readonly counters: ChunkCounters = { expired: 0, evicted: 0, invalid: 0, completed: 0 };

  constructor(private readonly limits: ChunkAssemblerLimits) {}

  /** Messages being reassembled. */
  get size(): number {
    return this.pending.size;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * Takes one chunk; returns the whole message when this chunk completed it, else undefined.
   * `chunk` must start with the magic bytes (isChunk).
   */
  accept(chunk: Uint8Array, now: number): Uint8Array | undefined {
    if (chunk.length < CHUNK_HEADER_BYTES) {
      this.counters.invalid++;
      return undefined;
    }
    const seq = chunk[10]!;
    const count = chunk[11]!;
    if (count === 0 || count > MAX_CHUNKS || seq >= count) {
      this.counters.invalid++;
      return undefined;
    }
    const data = chunk.subarray(CHUNK_HEADER_BYTES);
    if (count === 1) {
      this.counters.completed++;
      return data;
    }
    const id = Buffer.from(chunk.buffer, chunk.byteOffset + 2, 8).toString('hex');
    let message = this.pending.get(id);
    if (message && now - message.firstAt > this.limits.timeoutMs) {
      this.drop(id, message);
      this.counters.expired++;
      message = undefined;
    }
    if (!message) {
      message = { firstAt: now, chunks: new Array<Uint8Array | undefined>(count), received: 0, bytes: 0 };
      this.pending.set(id, message);
    } else if (message.chunks.length !== count) {
      this.counters.invalid++;
      return undefined;
    }
    if (message.chunks[seq] !== undefined) return undefined; // a repeat
    // Copied: the datagram's buffer is not ours to keep a view of for seconds.
    message.chunks[seq] = Uint8Array.prototype.slice.call(data);
    message.received++;
    message.bytes += data.length;
    this.heldBytes += data.length;
    if (message.received === count) {
      this.drop(id, message);
      this.counters.completed++;
      return concatBytes(message.chunks as Uint8Array[], message.bytes);
    }
    this.enforceBounds();
    return undefined;
  }

  /** Drops messages older than the timeout; returns how many. Call it periodically. */
  expire(now: number): number {
    let n = 0;
    for (const [id, message] of this.pending) {
      if (now - message.firstAt <= this.limits.timeoutMs) break; // insertion order: the rest are younger
      this.drop(id, message);
      n++;
    }
    this.counters.expired += n;
    return n;
  }

  /** Forgets every pending message (shutdown); returns how many. */
  clear(): number {
    const n = this.pending.size;
    this.pending.clear();
    this.heldBytes = 0;
    return n;
  }

  private enforceBounds(): void {
    while (this.pending.size > this.limits.maxMessages || this.heldBytes > this.limits.maxBytes) {
      const [id, oldest] = this.pending.entries().next().value as [string, Pending];
      this.drop(id, oldest);
      this.counters.evicted++;
    }
  }

  private drop(id: string, message: Pending): void {
    this.pending.delete(id);
    this.heldBytes -= message.bytes;
  }
}
