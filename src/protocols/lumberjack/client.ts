/**
 * A Lumberjack v2 client for one server: keeps a connection (reconnecting with backoff after a
 * failure, or after `ttlMs`), sends windows of events pipelined on it, and resends the
 * unacknowledged rest of a window after a reconnect.
 */
import { LogpipeError } from '../../core/errors.js';
import { Sleeps } from '../../core/sleeps.js';
import { encodeWindowFramesAsync, releaseWindowFrames } from './window-encoding.js';
import { LumberjackConnection, WindowFailure, type ConnectOptions } from './client-connection.js';

export { LumberjackConnection, WindowFailure } from './client-connection.js';

/** Events as JSON documents laid end to end: document i is bytes[ends[i-1] .. ends[i]). */
export interface EventDocuments {
  bytes: Uint8Array;
  ends: Uint32Array;
}

export interface ClientOptions extends ConnectOptions {
  /** zlib level of the compressed frame around a window; 0 = plain JSON frames. */
  compressionLevel: number;
  /** Windows in flight on the connection at once (at least 1). */
  pipelining: number;
  /** Reconnect before sending when the connection is older than this (0 = never). */
  ttlMs: number;
  backoffInitMs: number;
  backoffMaxMs: number;
}

/**
 * A window's bytes from event `from`, being encoded since it was handed over — before a
 * connection had room for it — so that its compression overlaps the windows ahead of it.
 */
export interface PreparedWindow {
  from: number;
  frames: Promise<Buffer>;
  /**
   * Gives the frames' buffer back for reuse. Only once nothing may still read it: the window was
   * sent once and acknowledged (a socket that failed may still hold it; such frames are left to the GC).
   */
  release(): void;
}

/** Starts encoding events [from, to) of `docs` as one window (the compression runs on the thread pool). */
export function prepareWindow(docs: EventDocuments, from: number, to: number, compressionLevel: number): PreparedWindow {
  const frames = encodeWindowFramesAsync(docs.bytes, docs.ends, from, to, compressionLevel);
  frames.catch(() => undefined); // seen by whoever sends it; unused when the window is not sent from `from`
  return { from, frames, release: () => void frames.then(releaseWindowFrames, () => undefined) };
}

/** A send gave up; `delivered` events from its start were acknowledged before it did. */
export class SendFailure extends LogpipeError {
  override name = 'SendFailure';
  constructor(message: string, readonly delivered: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class LumberjackClient {
  private connection: LumberjackConnection | undefined;
  private connecting: Promise<LumberjackConnection> | undefined;
  private failures = 0;
  /** No attempt before this time (ms since epoch) after a failure. */
  private retryAt = 0;
  private closed = false;
  private readonly waiters: (() => void)[] = [];
  private readonly sleeps = new Sleeps();
  /** Settles once the last window handed to inTurn() was written (or failed to be). */
  private writeTurn: Promise<void> = Promise.resolve();
  /** Windows handed to send() and not finished. */
  active = 0;
  /** Places in the pipeline taken by reserve() for a send() to come. */
  private reserved = 0;

  constructor(readonly options: ClientOptions) {}

  get address(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  /** Whether the host is not backing off after a failure. */
  get available(): boolean {
    return Date.now() >= this.retryAt;
  }

  /** When the current backoff ends (ms since epoch; past = now). */
  get availableAt(): number {
    return this.retryAt;
  }

  /** Whether one more window may be written now without waiting for the pipeline depth. */
  get hasRoom(): boolean {
    return this.load < Math.max(1, this.options.pipelining);
  }

  /** Windows active or reserved. */
  get load(): number {
    return this.active + this.reserved;
  }

  /**
   * Sends events [from, to) of `docs` as one window and resolves once they are all
   * acknowledged. After a failure it waits the backoff, reconnects and resends the rest, up to
   * `attempts` attempts in all; then it rejects with SendFailure(delivered). `prepared`: the
   * window's bytes from `prepared.from` (prepareWindow with this client's compression level),
   * used while the send starts there.
   */
  async send(docs: EventDocuments, from: number, to: number, attempts = Infinity, prepared?: PreparedWindow): Promise<void> {
    if (this.reserved > 0) this.reserved--;
    this.active++;
    try {
      let start = from;
      let lastError: unknown;
      for (let attempt = 0; attempt < attempts && !this.closed; attempt++) {
        if (attempt > 0) await this.waitBackoff();
        try {
          const connection = await this.ready();
          const frames = prepared?.from === start ? prepared.frames : encodeWindowFramesAsync(docs.bytes, docs.ends, start, to, this.options.compressionLevel);
          await this.inTurn(frames, (bytes) => connection.send(bytes, to - start));
          this.failures = 0;
          this.retryAt = 0;
          return;
        } catch (err) {
          if (err instanceof WindowFailure) start += err.acked;
          lastError = err;
          this.recordFailure();
          if (start >= to) return;
        }
      }
      throw new SendFailure(`${this.address}: ${this.closed ? 'client closed' : (lastError as Error)?.message ?? 'no attempt made'}`, start - from, { cause: lastError });
    } finally {
      this.active--;
      this.waiters.shift()?.();
    }
  }

  /**
   * Windows are compressed in parallel on the thread pool, where a small one can finish first;
   * they are written in the order send() was called, so the server sees events in order. The next
   * window's turn comes as soon as `write` was called; the result settles as `write`'s does (the ACK).
   */
  private async inTurn(frames: Promise<Buffer>, write: (frames: Buffer) => Promise<void>): Promise<void> {
    frames.catch(() => undefined); // a failure is seen below, when it is this window's turn
    const previous = this.writeTurn;
    let done!: () => void;
    this.writeTurn = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
      return write(await frames);
    } finally {
      done();
    }
  }

  /**
   * Waits until the pipeline has room and reserves it for the next send(). Checking and taking
   * in one step matters: windows that waited together would otherwise all see the same free place.
   */
  async reserve(): Promise<void> {
    while (!this.hasRoom) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.reserved++;
  }

  close(): void {
    this.closed = true;
    this.connection?.close();
    this.connection = undefined;
    for (const w of this.waiters.splice(0)) w();
    this.sleeps.interruptAll();
  }

  private async ready(): Promise<LumberjackConnection> {
    const current = this.connection;
    if (current?.alive) {
      const expired = this.options.ttlMs > 0 && Date.now() - current.openedAt >= this.options.ttlMs;
      if (!expired || current.inFlight > 0) return current;
      current.close();
    }
    this.connection = undefined;
    this.connecting ??= LumberjackConnection.connect(this.options).finally(() => {
      this.connecting = undefined;
    });
    const connection = await this.connecting;
    if (this.closed) {
      connection.close();
      throw new Error('client closed');
    }
    this.connection = connection;
    return connection;
  }

  private recordFailure(): void {
    this.failures++;
    const delay = Math.min(this.options.backoffMaxMs, this.options.backoffInitMs * 2 ** (this.failures - 1));
    this.retryAt = Date.now() + delay;
  }

  private async waitBackoff(): Promise<void> {
    const wait = this.retryAt - Date.now();
    if (wait > 0) await this.sleeps.sleep(wait);
  }
}
