/**
 * The main-thread half shared by the syslog and gelf inputs: a UDP socket and/or a TCP listener
 * on one address, whose messages are packed into payloads (NetworkPayload) for the workers.
 *
 * Delivery: neither protocol acknowledges anything to the sender, so a payload counts as
 * delivered once the queue accepted it.
 * * TCP: a connection's bytes are cut into messages (framing.ts). When a payload is full it is
 *   pushed and the connection stops reading until the queue took it: a full queue stops the
 *   sockets and TCP flow control stops the senders. Memory: at most one payload being filled per
 *   connection, plus one message per connection up to `maxMessageBytes`.
 * * UDP cannot be paused: datagrams that arrive while more than `udpQueueMessages` messages wait
 *   for the queue are dropped and counted (logged with the running total, at most every 10 s).
 *
 * This is deliberately small; a shared network layer (TLS, PROXY v2, ...) may replace it.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { Logger } from '../core/logger.js';
import { LogRateLimiter } from '../core/rate-limit.js';
import { MessageFramer, type Framing } from '../protocols/framing.js';
import { PAYLOAD_TARGET_BYTES, type InputSink, type InputSource } from './api.js';
import type { NetworkPayload } from './inputs/syslog/payload.js';

export interface NetworkSourceSettings {
  /** Plugin name, for logs. */
  name: string;
  host: string;
  /** Port of the UDP socket; undefined: no UDP. 0: the TCP port (or any free one). */
  udpPort?: number | undefined;
  /** Port of the TCP listener; undefined: no TCP. 0: any free port. */
  tcpPort?: number | undefined;
  framing: Framing;
  maxMessageBytes: number;
  /** TCP connections start with a PROXY protocol v1 line. */
  proxyProtocol: boolean;
  /** Most messages per payload. */
  maxEvents: number;
  /** UDP messages allowed to wait for the queue before datagrams are dropped. */
  udpQueueMessages: number;
  /** Turns a datagram into zero or more messages (GELF chunk reassembly; syslog's trailing newline). */
  datagram(data: Buffer, from: RemoteInfo, emit: (message: Uint8Array) => void): void;
  /** Runs every `intervalMs` while listening, and once at close with `closing` true (GELF chunk expiry). */
  housekeeping?: { intervalMs: number; run(closing: boolean): void } | undefined;
}

/** Messages on their way to the queue, packed into payloads in arrival order. */
class Batcher {
  private messages: Uint8Array[] = [];
  private hosts: string[] = [];
  private truncated: number[] = [];
  private bytes = 0;
  /** Messages packed and pushed but not yet accepted by the queue. */
  private inFlight = 0;
  private tail: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private sink: InputSink | undefined;

  constructor(private readonly maxEvents: number, private readonly logger: Logger) {}

  attach(sink: InputSink): void {
    this.sink = sink;
  }

  /** Messages not yet accepted by the queue. */
  get waiting(): number {
    return this.messages.length + this.inFlight;
  }

  get full(): boolean {
    return this.messages.length >= this.maxEvents || this.bytes >= PAYLOAD_TARGET_BYTES;
  }

  /**
   * Keeps `message` until the payload is packed (a copy is made then). Views of socket chunks are
   * safe to hold: Node hands each 'data' chunk and datagram in a buffer of its own.
   */
  add(message: Uint8Array, host: string, truncated = false): void {
    if (truncated) this.truncated.push(this.messages.length);
    this.messages.push(message);
    this.hosts.push(host);
    this.bytes += message.length;
  }

  /** Flushes soon unless more arrives: a quiet source's last messages do not wait for a full payload. */
  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 10);
  }

  /** Pushes what is pending; resolves once the queue accepted it (and everything before it). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.messages.length === 0 || !this.sink) return this.tail;
    const sink = this.sink;
    const payload = this.pack();
    const count = payload.ends.length;
    this.inFlight += count;
    this.tail = this.tail
      .then(() => sink.push({
        data: payload,
        transfer: [payload.bytes.buffer as ArrayBuffer, payload.ends.buffer as ArrayBuffer],
        events: count,
        bytes: payload.bytes.length,
      }))
      .catch((err: unknown) => this.logger.error('could not hand messages to the queue', { error: String(err) }))
      .finally(() => {
        this.inFlight -= count;
      });
    return this.tail;
  }

  private pack(): NetworkPayload {
    const bytes = new Uint8Array(this.bytes);
    const ends = new Uint32Array(this.messages.length);
    let at = 0;
    for (let i = 0; i < this.messages.length; i++) {
      bytes.set(this.messages[i]!, at);
      at += this.messages[i]!.length;
      ends[i] = at;
    }
    const payload: NetworkPayload = { bytes, ends, hosts: this.hosts, ...(this.truncated.length > 0 ? { truncated: this.truncated } : {}) };
    this.messages = [];
    this.hosts = [];
    this.truncated = [];
    this.bytes = 0;
    return payload;
  }
}

/** The client address a PROXY protocol v1 line gives, or undefined when the line is not one. */
export function proxyV1Source(line: string): string | undefined {
  const parts = line.trim().split(' ');
  if (parts[0] !== 'PROXY') return undefined;
  if (parts[1] === 'UNKNOWN') return '';
  if ((parts[1] !== 'TCP4' && parts[1] !== 'TCP6') || parts.length !== 6) return undefined;
  return parts[2];
}

/** Longest PROXY v1 line (the spec's 107 bytes, CRLF included). */
const PROXY_V1_MAX = 107;

export function networkSource(settings: NetworkSourceSettings, logger: Logger): InputSource {
  const batcher = new Batcher(settings.maxEvents, logger);
  const limiter = new LogRateLimiter();
  const connections = new Set<Socket>();
  let udp: UdpSocket | undefined;
  let tcp: Server | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let dropped = 0;
  let housekeeping: NodeJS.Timeout | undefined;

  const onDatagram = (data: Buffer, from: RemoteInfo): void => {
    settings.datagram(data, from, (message) => {
      if (batcher.waiting >= settings.udpQueueMessages) {
        dropped++;
        if (limiter.allow('drop') !== undefined) {
          logger.warn(`${settings.name}: UDP messages dropped: the pipeline is not keeping up`, { dropped_total: dropped });
        }
        return;
      }
      batcher.add(message, from.address);
    });
    if (batcher.full) void batcher.flush();
    else batcher.schedule();
  };

  const onConnection = (socket: Socket): void => {
    connections.add(socket);
    let host = normalizeAddress(socket.remoteAddress ?? '');
    const framer = new MessageFramer(settings.framing, settings.maxMessageBytes);
    const emit = (message: Uint8Array, truncated: boolean): void => batcher.add(message, host, truncated);
    let header: Buffer | undefined = settings.proxyProtocol ? Buffer.alloc(0) : undefined;

    const feed = (chunk: Buffer): void => {
      if (header !== undefined) {
        header = Buffer.concat([header, chunk]);
        const nl = header.indexOf(10);
        if (nl < 0) {
          if (header.length > PROXY_V1_MAX) reject('no PROXY protocol header');
          return;
        }
        const source = proxyV1Source(header.subarray(0, nl).toString('latin1'));
        if (source === undefined) {
          reject('invalid PROXY protocol header');
          return;
        }
        if (source !== '') host = source;
        const rest = header.subarray(nl + 1);
        header = undefined;
        if (rest.length === 0) return;
        chunk = rest;
      }
      framer.push(chunk, emit);
      if (batcher.full) {
        // Stop reading this connection until the queue accepted what it sent.
        socket.pause();
        void batcher.flush().then(() => {
          if (!socket.destroyed) socket.resume();
        });
      } else {
        batcher.schedule();
      }
    };
    const reject = (why: string): void => {
      logger.error(`${settings.name}: ${why}, closing the connection`, { client: socket.remoteAddress });
      socket.destroy();
    };

    socket.on('data', feed);
    socket.on('end', () => {
      framer.end(emit);
      batcher.schedule();
    });
    socket.on('error', (err) => logger.debug(`${settings.name}: connection error`, { client: socket.remoteAddress, error: err.message }));
    socket.on('close', () => {
      connections.delete(socket);
      if (framer.truncated > 0) logger.warn(`${settings.name}: messages longer than ${settings.maxMessageBytes} bytes were cut`, { client: host, truncated: framer.truncated });
    });
  };

  const listen = async (): Promise<void> => {
    let port = settings.tcpPort;
    if (port !== undefined) {
      const server = createServer({ noDelay: true }, onConnection);
      tcp = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, settings.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      port = (server.address() as { port: number }).port;
      logger.info(`${settings.name}: listening on tcp ${settings.host}:${port}`);
    }
    if (settings.udpPort !== undefined) {
      const udpPort = settings.udpPort === 0 && port !== undefined ? port : settings.udpPort;
      const socket = createSocket({ type: isIPv6(settings.host) ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
      udp = socket;
      socket.on('message', onDatagram);
      socket.on('error', (err) => logger.error(`${settings.name}: UDP socket error`, { error: err.message }));
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(udpPort, settings.host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      logger.info(`${settings.name}: listening on udp ${settings.host}:${socket.address().port}`);
    }
  };

  const close = async (): Promise<void> => {
    if (housekeeping) {
      clearInterval(housekeeping);
      housekeeping = undefined;
      settings.housekeeping?.run(true);
    }
    udp?.close();
    udp = undefined;
    const server = tcp;
    tcp = undefined;
    for (const socket of connections) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await batcher.flush();
    if (dropped > 0) logger.warn(`${settings.name}: UDP messages dropped in all`, { dropped_total: dropped });
  };

  return {
    async run(sink) {
      if (stopped) return;
      batcher.attach(sink);
      try {
        await listen();
        const chores = settings.housekeeping;
        if (chores) housekeeping = setInterval(() => chores.run(false), chores.intervalMs);
      } catch (err) {
        await close();
        throw err;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (stopped) resolve();
      });
      await close();
    },
    stop() {
      stopped = true;
      wake?.();
    },
  };
}

/** "::ffff:127.0.0.1" (an IPv4 client of a dual-stack socket) as "127.0.0.1". */
function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
