/**
 * The client's window encoder: encodeWindowFrames with the compression on libuv's thread pool,
 * so the event loop goes on reading, building documents and writing while a window is deflated
 * (deflate level 3 is the largest single cost of shipping, ~12 CPU s per GiB of input).
 *
 * At most DEFLATE_SLOTS windows are deflated at once, in the order they were handed over: one
 * core is left to the event loop, and one pool thread to the file reads, which share the pool
 * (UV_THREADPOOL_SIZE, 4 by default) — with more deflates than that queued, the tailer's next
 * read waits behind them. The J frames are written into a reusable scratch buffer only once a
 * slot is free, so at most DEFLATE_SLOTS of them exist.
 *
 * Each slot keeps its zlib stream across windows (Deflater): zlib.deflate() per window creates
 * and frees zlib's state on the event loop each time, which cost ~0.1–0.3 ms of event-loop CPU per
 * ~140 KB window (as much as building its documents) against ~0.05 ms for a kept stream
 * (docs/decisions/0026, "Wire side").
 */
import { availableParallelism } from 'node:os';
import { constants, createDeflate, type Deflate } from 'node:zlib';
import { BufferPool } from '../../core/buffer-pool.js';
import { jsonFrameScratch, jsonFramesSize, plainWindowSize, writeCompressedWindow, writeJsonFrames, writePlainWindow } from './frames.js';

const POOL_THREADS = Number(process.env['UV_THREADPOOL_SIZE']) || 4;

export const DEFLATE_SLOTS = Math.max(1, Math.min(availableParallelism() - 1, POOL_THREADS - 1));

/**
 * A zlib stream that compresses one input at a time into a complete zlib stream of its own
 * (header, data, Adler-32: what the receiver inflates per compressed frame): the input is
 * written, finished with Z_FINISH, collected, and the stream reset for the next one.
 */
export class Deflater {
  private readonly stream: Deflate;
  private output: Buffer[] = [];
  private failure: Error | undefined;

  constructor(readonly level: number) {
    // Every write is finished (Z_FINISH): one trip to the pool per window rather than a write and a
    // flush; output chunks of 64 KB so a window's output rarely needs a second trip.
    this.stream = createDeflate({ level, flush: constants.Z_FINISH, chunkSize: 64 * 1024 });
    this.stream.on('error', (err) => (this.failure = err));
    // Pulled as it comes, so a large output never stalls the stream on a full read buffer.
    this.stream.on('readable', () => this.collect());
  }

  get broken(): boolean {
    return this.failure !== undefined || this.stream.destroyed;
  }

  /** The zlib stream of `input`. One call at a time; `input` must stay unchanged until it settles. */
  async deflate(input: Uint8Array): Promise<Buffer> {
    const output = await this.deflateChunks(input);
    return output.length === 1 ? output[0]! : Buffer.concat(output);
  }

  /** The zlib stream of `input`, in the pieces zlib wrote it (deflate() joins them). */
  deflateChunks(input: Uint8Array): Promise<Buffer[]> {
    return new Promise((resolve, reject) => {
      // The write's callback runs once zlib consumed the input and every output chunk was pushed.
      this.stream.write(input, () => {
        this.collect();
        const output = this.output;
        this.output = [];
        if (this.failure || this.stream.destroyed) {
          reject(this.failure ?? new Error('the zlib stream was destroyed'));
          return;
        }
        this.stream.reset();
        resolve(output);
      });
    });
  }

  close(): void {
    this.stream.destroy();
  }

  private collect(): void {
    for (let chunk: Buffer | null; (chunk = this.stream.read() as Buffer | null) !== null; ) this.output.push(chunk);
  }
}

/** FIFO admission to the deflate slots, each with its Deflater per compression level. */
class DeflateSlots {
  private used = 0;
  private readonly queue: (() => void)[] = [];
  private readonly idle = new Map<number, Deflater[]>();

  constructor(readonly limit: number) {}

  /** Windows being deflated now. */
  get busy(): number {
    return this.used;
  }

  async acquire(level: number): Promise<Deflater> {
    if (this.used < this.limit) this.used++;
    else await new Promise<void>((resolve) => this.queue.push(resolve)); // the slot is passed on by release()
    return this.idle.get(level)?.pop() ?? new Deflater(level);
  }

  release(deflater: Deflater): void {
    if (deflater.broken) deflater.close();
    else {
      const idle = this.idle.get(deflater.level) ?? [];
      if (idle.length < this.limit) idle.push(deflater);
      else deflater.close();
      this.idle.set(deflater.level, idle);
    }
    const next = this.queue.shift();
    if (next) next();
    else this.used--;
  }
}

export const deflateSlots = new DeflateSlots(DEFLATE_SLOTS);

/**
 * Windows as written to the socket, garbage once acknowledged — uncompressed, ~5× the file's
 * bytes in the agent, the largest buffer churn it had. The client gives a window back with
 * releaseWindowFrames() once it was acknowledged (and no socket can still be writing it).
 */
const windowBuffers = new BufferPool();

/** W(count) and the J frames of events [from, to), in one compressed frame when `compressionLevel` > 0. */
export async function encodeWindowFramesAsync(bytes: Uint8Array, ends: ArrayLike<number>, from: number, to: number, compressionLevel: number): Promise<Buffer> {
  if (compressionLevel <= 0) return writePlainWindow(windowBuffers.take(plainWindowSize(ends, from, to)), bytes, ends, from, to);
  const deflater = await deflateSlots.acquire(compressionLevel);
  const scratch = jsonFrameScratch.take(jsonFramesSize(ends, from, to));
  try {
    writeJsonFrames(scratch, 0, bytes, ends, from, to);
    const body = await deflater.deflateChunks(scratch);
    return writeCompressedWindow(windowBuffers.take(12 + body.reduce((n, piece) => n + piece.length, 0)), to - from, body);
  } finally {
    jsonFrameScratch.give(scratch);
    deflateSlots.release(deflater);
  }
}

/** Hands a window made by encodeWindowFramesAsync back for reuse; its bytes must not be read or written after. */
export function releaseWindowFrames(frames: Buffer): void {
  windowBuffers.give(frames);
}
