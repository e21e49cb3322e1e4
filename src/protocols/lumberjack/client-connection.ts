/**
 * One client connection: writes windows (pipelined: several may be in flight) and reads the
 * server's ACKs, which come in window order, cumulative within a window. An ACK at or below what
 * was already acknowledged is a keepalive; every ACK re-arms the read timeout. A timeout, a
 * protocol error or a closed socket fails every window in flight with how many of its events
 * were acknowledged, so the caller resends only the rest.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { LogpipeError } from '../../core/errors.js';
import { FrameParser, LumberjackProtocolError, type Frame } from './frames.js';

/** A window was not fully acknowledged; `acked` of its events were. */
export class WindowFailure extends LogpipeError {
  override name = 'WindowFailure';
  constructor(message: string, readonly acked: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface ConnectOptions {
  host: string;
  port: number;
  /** TLS options (ca, cert, key, servername, checkServerIdentity …); plain TCP when absent. */
  tls?: ConnectionOptions;
  /** Connect and ACK read timeout, in ms. */
  timeoutMs: number;
}

interface InFlight {
  count: number;
  acked: number;
  resolve(): void;
  reject(err: WindowFailure): void;
  onProgress: ((acked: number) => void) | undefined;
}

export class LumberjackConnection {
  private readonly windows: InFlight[] = [];
  private readonly parser = new FrameParser({ maxFrameBytes: 64, accept: 'server-frames' });
  private timer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  readonly openedAt = Date.now();

  private constructor(private readonly socket: Socket, private readonly timeoutMs: number) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.parser.push(chunk, (frame) => this.onFrame(frame));
      } catch (err) {
        this.fail(err as Error);
      }
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  /** Connects (and completes the TLS handshake) within `timeoutMs`. */
  static connect(options: ConnectOptions): Promise<LumberjackConnection> {
    return new Promise((resolve, reject) => {
      const ready = options.tls ? 'secureConnect' : 'connect';
      const socket = options.tls
        ? connectTls({ ...options.tls, host: options.host, port: options.port })
        : connectTcp({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connecting to ${options.host}:${options.port} timed out after ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      const onError = (err: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      socket.once('error', onError);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new LumberjackConnection(socket, options.timeoutMs));
      });
    });
  }

  /** Windows written and not yet fully acknowledged. */
  get inFlight(): number {
    return this.windows.length;
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  /**
   * Writes one window (the bytes of its W frame and data frames, `count` events) and resolves
   * once all of it is acknowledged; rejects with WindowFailure(acked) otherwise. `onProgress`
   * hears each partial ACK.
   */
  send(frames: Uint8Array, count: number, onProgress?: (acked: number) => void): Promise<void> {
    if (this.failure) return Promise.reject(new WindowFailure(`connection failed: ${this.failure.message}`, 0));
    return new Promise((resolve, reject) => {
      this.windows.push({ count, acked: 0, resolve, reject, onProgress });
      if (this.windows.length === 1) this.armTimeout();
      this.socket.write(frames);
    });
  }

  close(): void {
    this.fail(new Error('connection closed by the client'));
  }

  private onFrame(frame: Frame): void {
    if (frame.type !== 'ack') return;
    const head = this.windows[0];
    if (head === undefined) throw new LumberjackProtocolError('bad_frame', `an ACK (${frame.seq}) arrived with no window in flight`);
    this.armTimeout();
    if (frame.seq > head.count) throw new LumberjackProtocolError('bad_frame', `an ACK for event ${frame.seq} of a window of ${head.count}`);
    if (frame.seq <= head.acked) return; // keepalive
    head.acked = frame.seq;
    if (head.acked < head.count) {
      head.onProgress?.(head.acked);
      return;
    }
    this.windows.shift();
    head.resolve();
    if (this.windows.length === 0) clearTimeout(this.timer);
  }

  private armTimeout(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fail(new Error(`no ACK within ${this.timeoutMs} ms`)), this.timeoutMs);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    clearTimeout(this.timer);
    this.socket.destroy();
    for (const w of this.windows.splice(0)) w.reject(new WindowFailure(err.message, w.acked, { cause: err }));
  }
}
