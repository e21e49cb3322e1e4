/**
 * The tcp input's main-thread half. Server mode: a TcpListener (protocols/net) whose connections
 * each cut their bytes into line payloads (plugins/net/line-stream.ts); client mode: one
 * connection to host:port read the same way, made again `reconnect_interval` after it ends.
 *
 * What it guarantees: TCP has no application acknowledgement. Bytes the kernel acknowledged to
 * the sender are in our socket buffer, the line chunker, or the pipeline's in-memory queue until
 * the outputs have them; a crash loses those (the window: the queue plus at most one payload and
 * one socket buffer per connection). A full queue stops the reads, and TCP flow control then
 * stops the senders.
 */
import { lookupService } from 'node:dns/promises';
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from '../../../core/logger.js';
import { LogRateLimiter } from '../../../core/rate-limit.js';
import { LruCache } from '../../../core/lru.js';
import { dial } from '../../../protocols/net/dial.js';
import { StreamConnection, type ConnectionInfo } from '../../../protocols/net/tcp-connection.js';
import { TcpListener } from '../../../protocols/net/tcp-listener.js';
import type { ServerTls } from '../../../protocols/net/tls.js';
import type { ByteStreamFramer, InputSink, InputSource } from '../../api.js';
import { LineStreamHandler } from '../../net/line-stream.js';
import { MessageStreamHandler } from '../../net/message-stream.js';
import type { MultilineStreamSettings } from '../../codecs/multiline.js';
import type { TcpPayload, TcpPeer } from './payload.js';
import type { TextCharset } from '../../codecs/charset.js';

export interface TcpSourceSettings {
  mode: 'server' | 'client';
  host: string;
  port: number;
  serverTls: ServerTls | undefined;
  clientTls: ConnectionOptions | undefined;
  keepAlive: boolean;
  reverseLookup: boolean;
  proxyProtocol: boolean;
  maxLines: number;
  maxLineBytes: number;
  reconnectIntervalMs: number;
  /** With the multiline codec: payloads cut between its events, per connection. */
  multiline: MultilineStreamSettings | undefined;
  /** With a binary codec (msgpack): a framer per connection cuts its stream into messages instead of lines. */
  framer?: (() => ByteStreamFramer) | undefined;
  /** The codec's charset when not UTF-8: each connection's bytes become UTF-8 before lines are cut. */
  charset?: TextCharset | undefined;
}

/** Keep-alive probes start after this long idle (Logstash leaves it to the OS; Linux's default is 2 h). */
const KEEPALIVE_IDLE_MS = 60_000;
const REVERSE_LOOKUP_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 10_000;

export function tcpSource(s: TcpSourceSettings, logger: Logger): InputSource {
  let stopped = false;
  let wake: (() => void) | undefined;
  const names = new LruCache<string, string>(1024);
  const limiter = new LogRateLimiter();

  const hostName = async (ip: string, port: number): Promise<string> => {
    if (!s.reverseLookup) return ip;
    const cached = names.get(ip);
    if (cached !== undefined) return cached;
    let name = ip;
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), REVERSE_LOOKUP_TIMEOUT_MS)));
      const found = await Promise.race([lookupService(ip, port).then((r) => r.hostname, () => undefined), timeout]);
      clearTimeout(timer);
      if (found) name = found;
    } catch {
      // The IP address stands.
    }
    names.set(ip, name);
    return name;
  };

  const peerOf = async (info: ConnectionInfo): Promise<TcpPeer> => {
    const p = info.proxied;
    const ip = p ? p.sourceAddress : info.remoteAddress;
    const port = p ? p.sourcePort : info.remotePort;
    return {
      name: await hostName(ip, port), ip, port,
      ...(p ? { proxyIp: info.remoteAddress, proxyPort: info.remotePort } : {}),
      ...(info.certificate ? { subject: info.certificate.subject } : {}),
    };
  };

  const handlerFor = (sink: InputSink) => async (info: ConnectionInfo) => {
    const peer = await peerOf(info);
    if (s.framer) {
      return new MessageStreamHandler({
        sink, framer: s.framer(), maxMessages: s.maxLines,
        push: async (target, { bytes, ends }) => {
          const data: TcpPayload = { bytes, ends, peer };
          await target.push({ data, transfer: [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer], events: ends.length, bytes: bytes.length });
        },
      });
    }
    return new LineStreamHandler({
      sink, maxLines: s.maxLines, maxLineBytes: s.maxLineBytes, logger, label: 'tcp', limiter,
      ...(s.multiline ? { multiline: s.multiline } : {}),
      charset: s.charset,
      push: async (target, chunk) => {
        const data: TcpPayload = { bytes: chunk.bytes, peer, ...(chunk.truncated ? { truncated: chunk.truncated } : {}) };
        await target.push({ data, transfer: [chunk.bytes.buffer as ArrayBuffer], events: chunk.lines, bytes: chunk.bytes.length });
      },
    });
  };

  const sleepUnlessStopped = (ms: number): Promise<void> => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

  const keepAliveMs = s.keepAlive ? KEEPALIVE_IDLE_MS : undefined;

  const runServer = async (sink: InputSink): Promise<void> => {
    const listener = new TcpListener({
      host: s.host, port: s.port, label: 'tcp', logger,
      ...(s.serverTls ? { tls: s.serverTls } : {}),
      ...(keepAliveMs !== undefined ? { keepAliveMs } : {}),
      proxyProtocol: s.proxyProtocol,
      onConnection: handlerFor(sink),
    });
    const address = await listener.listen();
    logger.info(`tcp: listening on ${address.address}:${address.port}${s.serverTls ? ' (TLS)' : ''}`);
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (stopped) resolve();
    });
    // Each connection stops reading and hands over what it received.
    await listener.close();
  };

  const runClient = async (sink: InputSink): Promise<void> => {
    let id = 1;
    while (!stopped && !sink.stopping) {
      let connection: StreamConnection | undefined;
      try {
        const socket = await dial({ host: s.host, port: s.port, timeoutMs: CONNECT_TIMEOUT_MS, ...(s.clientTls ? { tls: s.clientTls } : {}), ...(keepAliveMs !== undefined ? { keepAliveMs } : {}) });
        logger.info(`tcp: connected to ${s.host}:${s.port}${s.clientTls ? ' (TLS)' : ''}`);
        const info: ConnectionInfo = { id: id++, remoteAddress: socket.remoteAddress ?? s.host, remotePort: socket.remotePort ?? s.port, tls: s.clientTls !== undefined };
        connection = new StreamConnection(socket, info, { label: 'tcp', logger, onConnection: handlerFor(sink) });
        const current = connection;
        wake = () => void current.stop();
        if (stopped) void current.stop();
        await current.done;
        if (!stopped) logger.warn(`tcp: connection to ${s.host}:${s.port} ended; connecting again in ${s.reconnectIntervalMs} ms`);
      } catch (err) {
        logger.warn(`tcp: cannot connect to ${s.host}:${s.port}: ${(err as Error).message}; retrying in ${s.reconnectIntervalMs} ms`);
      }
      if (!stopped) await sleepUnlessStopped(s.reconnectIntervalMs);
    }
  };

  return {
    async run(sink) {
      if (stopped) return;
      await (s.mode === 'server' ? runServer(sink) : runClient(sink));
    },
    stop() {
      stopped = true;
      wake?.();
    },
  };
}
