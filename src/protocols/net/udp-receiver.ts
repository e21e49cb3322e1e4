/**
 * A UDP receiver for datagram inputs (udp, syslog, gelf): binds a socket and keeps the datagrams
 * it receives in a bounded queue that consumers drain with `take()`.
 *
 * Contract (the loss model): UDP has no flow control, so when the consumers fall behind and the
 * queue holds `queueSize` datagrams, a new datagram is dropped — counted in `dropped` and logged
 * at most once per 10 s with the count — never buffered without bound. The kernel's receive
 * buffer (`receiveBufferBytes`, SO_RCVBUF) absorbs bursts before that; what it drops is not
 * visible to us (netstat -su "receive buffer errors"). A datagram longer than `maxDatagramBytes`
 * is cut to that length and counted in `truncated`.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import type { Logger } from '../../core/logger.js';
import { LogRateLimiter } from '../../core/rate-limit.js';

export interface Datagram {
  data: Buffer;
  address: string;
  port: number;
}

export interface UdpReceiverOptions {
  host: string;
  port: number;
  /** Most datagrams held for the consumers; one more is dropped and counted. */
  queueSize: number;
  /** Longer datagrams are cut to this many bytes (Logstash's buffer_size). */
  maxDatagramBytes: number;
  /** SO_RCVBUF; undefined = DEFAULT_RECEIVE_BUFFER_BYTES, or as much of it as the system grants. */
  receiveBufferBytes?: number;
  label: string;
  logger: Logger;
}

/**
 * The receive buffer asked for when none is configured. The system default (Linux: 208 KiB,
 * net.core.rmem_default) holds ~300 datagrams of a few hundred bytes — 3 ms at 100k/s, less than
 * one garbage collection or one batch hand-over on the main thread, so bursts were lost in the
 * kernel. 4 MiB holds ~5000 (Linux counts ~770 bytes of overhead per small datagram). Linux caps
 * it at net.core.rmem_max (often 208 KiB: then nothing changes, and an info line says so).
 */
export const DEFAULT_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface UdpFigures {
  received: number;
  dropped: number;
  truncated: number;
}

export class UdpReceiver {
  private socket: Socket | undefined;
  /** Held datagrams are queue[head..]. */
  private queue: Datagram[] = [];
  private head = 0;
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly limiter = new LogRateLimiter();
  readonly figures: UdpFigures = { received: 0, dropped: 0, truncated: 0 };

  constructor(private readonly options: UdpReceiverOptions) {}

  async bind(): Promise<AddressInfo> {
    const { host, port, logger, label } = this.options;
    const wanted = this.options.receiveBufferBytes ?? DEFAULT_RECEIVE_BUFFER_BYTES;
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: wanted });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address, rinfo.port));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (err) => logger.error(`${label}: socket error: ${err.message}`));
    const got = socket.getRecvBufferSize();
    // Linux doubles what it grants and caps it at net.core.rmem_max. A configured size not granted
    // is a warning; the default not granted, an information (the system's own limit stands).
    if (got < wanted) {
      if (this.options.receiveBufferBytes !== undefined) logger.warn(`${label}: receive_buffer_bytes ${wanted} asked, the system granted ${got} (raise net.core.rmem_max)`);
      else logger.info(`${label}: socket receive buffer ${got} bytes (the system caps it below the default ${wanted}; raise net.core.rmem_max for bursts)`);
    }
    return socket.address();
  }

  /** The socket receive buffer the system granted (Linux: twice what was asked, up to rmem_max); 0 before bind(). */
  get receiveBufferBytes(): number {
    return this.socket?.getRecvBufferSize() ?? 0;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  /**
   * Waits until a datagram is held (or the receiver closed); then, when fewer than `max` are
   * held, waits `gatherMs` more for others to arrive (so a steady flow becomes payloads of many
   * datagrams, not one payload each), and takes up to `max`. Resolves with [] once closed and empty.
   */
  async take(max: number, gatherMs = 0): Promise<Datagram[]> {
    while (this.queued === 0) {
      if (this.closed) return [];
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (gatherMs > 0 && this.queued < max && !this.closed) await new Promise((resolve) => setTimeout(resolve, gatherMs));
    if (this.queued === 0) return this.closed ? [] : this.take(max, gatherMs);
    const n = Math.min(max, this.queued);
    const out = this.queue.slice(this.head, this.head + n);
    this.head += n;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Stops receiving; consumers still take what is held, then get []. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeAll();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onMessage(msg: Buffer, address: string, port: number): void {
    if (this.closed) return;
    const f = this.figures;
    f.received++;
    if (this.queued >= this.options.queueSize) {
      f.dropped++;
      const suppressed = this.limiter.allow('dropped');
      if (suppressed !== undefined) {
        this.options.logger.warn(`${this.options.label}: queue full (queue_size ${this.options.queueSize}): datagrams dropped`, { dropped_total: f.dropped });
      }
      return;
    }
    let data = msg;
    if (data.length > this.options.maxDatagramBytes) {
      data = data.subarray(0, this.options.maxDatagramBytes);
      f.truncated++;
    }
    this.queue.push({ data, address, port });
    if (this.waiters.length > 0) this.waiters.shift()!();
  }

  private wakeAll(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
