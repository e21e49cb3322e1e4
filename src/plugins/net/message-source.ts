/**
 * The main-thread half shared by the syslog and gelf inputs, on the shared socket layer
 * (protocols/net): a UDP receiver and/or a TCP listener on one address, whose messages are
 * packed into payloads (NetworkPayload) for the workers.
 *
 * Delivery: neither protocol acknowledges anything to the sender, so a payload counts as
 * delivered once the queue accepted it.
 * * TCP: a connection's bytes are cut into messages (framing.ts). When a payload is full it is
 *   pushed and the connection's handler waits until the queue took it; the shared layer pauses
 *   the socket meanwhile, so a full queue stops the reads and TCP flow control stops the sender.
 *   Memory: at most one payload being filled, plus one message per connection up to
 *   `maxMessageBytes`.
 * * UDP cannot be paused: the receiver holds at most `udpQueueSize` datagrams while the queue is
 *   full; one more is dropped and counted (the input's `dropped` figure, logged every 10 s).
 */
import { isIPv6 } from 'node:net';
import { concatBytes } from '../../core/bytes.js';
import type { Logger } from '../../core/logger.js';
import { MessageFramer, type Framing } from '../../protocols/framing.js';
import { TcpListener, UdpReceiver, type ConnectionHandler, type ConnectionInfo } from '../../protocols/net/index.js';
import { PAYLOAD_TARGET_BYTES, type InputSink, type InputSource } from '../api.js';
import type { NetworkPayload } from './message-payload.js';

export interface NetworkSourceSettings {
  /** Plugin name, for logs. */
  name: string;
  host: string;
  /** Port of the UDP socket; undefined: no UDP. 0 with TCP: the TCP listener's port. */
  udpPort?: number | undefined;
  /** Port of the TCP listener; undefined: no TCP. 0: any free port. */
  tcpPort?: number | undefined;
  framing: Framing;
  maxMessageBytes: number;
  /** TCP connections start with a PROXY protocol (v1 or v2) header. */
  proxyProtocol: boolean;
  /** Most messages per payload. */
  maxEvents: number;
  /** Datagrams held while the pipeline is busy before one is dropped and counted. */
  udpQueueSize: number;
  /** Longest datagram read; a longer one is cut (counted in the `truncated` figure). */
  maxDatagramBytes: number;
  /** Turns a datagram into zero or more messages (GELF chunk reassembly). */
  datagram(data: Buffer, emit: (message: Uint8Array) => void): void;
  /** Runs every `intervalMs` while listening, and once at close with `closing` true (GELF chunk expiry). */
  housekeeping?: { intervalMs: number; run(closing: boolean): void } | undefined;
}

/** Messages on their way to the queue, packed into payloads in arrival order. */
class Batcher {
  private messages: Uint8Array[] = [];
  private hosts: string[] = [];
  private truncated: number[] = [];
  private bytes = 0;
  private tail: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sink: InputSink, private readonly maxEvents: number, private readonly logger: Logger) {}

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
    if (this.messages.length === 0) return this.tail;
    const payload = this.pack();
    const sink = this.sink;
    this.tail = this.tail
      .then(() => sink.push({
        data: payload,
        transfer: [payload.bytes.buffer as ArrayBuffer, payload.ends.buffer as ArrayBuffer],
        events: payload.ends.length,
        bytes: payload.bytes.length,
      }))
      .catch((err: unknown) => this.logger.error('could not hand messages to the queue', { error: String(err) }));
    return this.tail;
  }

  private pack(): NetworkPayload {
    const bytes = concatBytes(this.messages, this.bytes);
    const ends = new Uint32Array(this.messages.length);
    let at = 0;
    for (let i = 0; i < this.messages.length; i++) ends[i] = at += this.messages[i]!.length;
    const payload: NetworkPayload = { bytes, ends, hosts: this.hosts, ...(this.truncated.length > 0 ? { truncated: this.truncated } : {}) };
    this.messages = [];
    this.hosts = [];
    this.truncated = [];
    this.bytes = 0;
    return payload;
  }
}

/** "::ffff:127.0.0.1" (an IPv4 client of a dual-stack socket) as "127.0.0.1". */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function networkSource(settings: NetworkSourceSettings, logger: Logger): InputSource & { figures(): Record<string, number> } {
  let listener: TcpListener | undefined;
  let receiver: UdpReceiver | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let truncatedTcp = 0;

  const handler = (batcher: Batcher) => (info: ConnectionInfo): ConnectionHandler => {
    const host = plainAddress(info.proxied?.sourceAddress ?? info.remoteAddress);
    const framer = new MessageFramer(settings.framing, settings.maxMessageBytes);
    const emit = (message: Uint8Array, truncated: boolean): void => batcher.add(message, host, truncated);
    return {
      data(chunk) {
        framer.push(chunk, emit);
        if (batcher.full) return batcher.flush(); // the socket stays paused until the queue took it
        batcher.schedule();
        return undefined;
      },
      end() {
        framer.end(emit);
        truncatedTcp += framer.truncated;
        return batcher.flush();
      },
    };
  };

  /** Hands the receiver's datagrams over until it is closed and drained. */
  const drainUdp = async (r: UdpReceiver, batcher: Batcher): Promise<void> => {
    for (;;) {
      const datagrams = await r.take(settings.maxEvents);
      if (datagrams.length === 0) return;
      for (const d of datagrams) {
        const host = plainAddress(d.address);
        settings.datagram(d.data, (message) => batcher.add(message, host));
        if (batcher.full) await batcher.flush();
      }
      // Waiting for the queue here is what holds datagrams in the receiver's bounded queue.
      await batcher.flush();
    }
  };

  return {
    async run(sink) {
      if (stopped) return;
      const batcher = new Batcher(sink, settings.maxEvents, logger);
      let tcpPort: number | undefined;
      let chores: NodeJS.Timeout | undefined;
      let draining: Promise<void> = Promise.resolve();
      try {
        if (settings.tcpPort !== undefined) {
          listener = new TcpListener({
            host: settings.host, port: settings.tcpPort, label: settings.name, logger, proxyProtocol: settings.proxyProtocol, onConnection: handler(batcher),
          });
          tcpPort = (await listener.listen()).port;
          logger.info(`${settings.name}: listening on tcp ${settings.host}:${tcpPort}`);
        }
        if (settings.udpPort !== undefined) {
          const r = new UdpReceiver({
            host: settings.host, port: settings.udpPort === 0 && tcpPort !== undefined ? tcpPort : settings.udpPort,
            queueSize: settings.udpQueueSize, maxDatagramBytes: settings.maxDatagramBytes,
            label: settings.name, logger,
          });
          receiver = r;
          const address = await r.bind();
          logger.info(`${settings.name}: listening on udp ${address.address}:${address.port}`);
          draining = drainUdp(r, batcher);
        }
        const housekeeping = settings.housekeeping;
        if (housekeeping) chores = setInterval(() => housekeeping.run(false), housekeeping.intervalMs);
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (stopped) resolve();
        });
      } finally {
        if (chores) clearInterval(chores);
        await listener?.close();
        await receiver?.close();
        await draining;
        settings.housekeeping?.run(true);
        await batcher.flush();
        if (truncatedTcp > 0) logger.warn(`${settings.name}: TCP messages longer than ${settings.maxMessageBytes} bytes were cut`, { truncated: truncatedTcp });
        if (receiver) logger.info(`${settings.name}: stopped`, { ...receiver.figures });
      }
    },
    stop() {
      stopped = true;
      wake?.();
    },
    figures() {
      const f = receiver?.figures;
      return { received: f?.received ?? 0, dropped: f?.dropped ?? 0, truncated: (f?.truncated ?? 0) + truncatedTcp, queued: receiver?.queued ?? 0 };
    },
  };
}
