/**
 * The tcp output's sinks. What a write's success means: the bytes were handed to the kernel
 * (socket.write's callback), not that the peer read them: TCP has no application
 * acknowledgement. When the peer goes away, what was written since its last read may be lost;
 * we notice on the next write (the socket ended or failed), connect again and retry that write.
 *
 * client mode: one connection to host:port, made on the first write and again after a failure
 * (the write is retried every `reconnect_interval`). server mode: listens, and each write goes to
 * every connected client; with no client connected the write waits (retried), so events are
 * held, not dropped.
 */
import type { Server, Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from '../../../core/logger.js';
import { dial } from '../../../protocols/net/dial.js';
import { closeListener, createStreamServer, listen, remoteOf, type ServerTls } from '../../../protocols/net/tls.js';
import { OutputError, type OutputSink, type RetryPolicy } from '../../api.js';

const CONNECT_TIMEOUT_MS = 10_000;

function writeTo(socket: Socket, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/** A socket the peer has not closed: still worth writing to. */
function usable(socket: Socket | undefined): socket is Socket {
  return socket !== undefined && !socket.destroyed && socket.writable && !socket.readableEnded;
}

export function tcpClientSink(o: { host: string; port: number; tls: ConnectionOptions | undefined; retry: RetryPolicy; logger: Logger }): OutputSink {
  let socket: Socket | undefined;
  const connect = async (): Promise<Socket> => {
    const s = await dial({ host: o.host, port: o.port, timeoutMs: CONNECT_TIMEOUT_MS, ...(o.tls ? { tls: o.tls } : {}) });
    o.logger.info(`tcp: connected to ${o.host}:${o.port}${o.tls ? ' (TLS)' : ''}`);
    // Whatever the peer sends is read and discarded, so its end (FIN) is seen.
    s.on('data', () => undefined);
    s.on('error', (err) => o.logger.warn(`tcp: connection to ${o.host}:${o.port} failed: ${err.message}`));
    return s;
  };
  return {
    retry: o.retry,
    concurrency: 1,
    async write(data) {
      if (data === undefined) return;
      try {
        let current = socket;
        if (!usable(current)) {
          socket?.destroy();
          socket = undefined;
          current = socket = await connect();
        }
        await writeTo(current, data as Uint8Array);
      } catch (err) {
        socket?.destroy();
        socket = undefined;
        throw new OutputError(`tcp: cannot write to ${o.host}:${o.port}: ${(err as Error).message}`, 'retryable', { cause: err });
      }
    },
    async close() {
      const s = socket;
      socket = undefined;
      if (s && !s.destroyed) await new Promise<void>((resolve) => s.end(() => resolve()));
      s?.destroy();
    },
  };
}

export function tcpServerSink(o: { host: string; port: number; tls: ServerTls | undefined; retry: RetryPolicy; logger: Logger }): OutputSink & { listening: Promise<number> } {
  const clients = new Set<Socket>();
  const server: Server = createStreamServer(o.tls, {
    onSocket(socket) {
      clients.add(socket);
      o.logger.info(`tcp: client ${remoteOf(socket)} connected`);
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      socket.on('close', () => clients.delete(socket));
    },
    onTlsError: (message, remote) => o.logger.warn(`tcp: refusing ${remote}: ${message}`),
  });
  const listening = listen(server, o.port, o.host).then(() => {
    const port = (server.address() as { port: number }).port;
    o.logger.info(`tcp: listening on ${o.host}:${port} for readers${o.tls ? ' (TLS)' : ''}`);
    return port;
  });
  return {
    listening,
    retry: o.retry,
    concurrency: 1,
    async write(data) {
      if (data === undefined) return;
      await listening;
      const targets = [...clients].filter(usable);
      if (targets.length === 0) throw new OutputError('tcp: no client connected to read the events', 'retryable');
      const results = await Promise.allSettled(targets.map((s) => writeTo(s, data as Uint8Array)));
      if (results.every((r) => r.status === 'rejected')) {
        throw new OutputError(`tcp: writing to every client failed: ${(results[0] as PromiseRejectedResult).reason}`, 'retryable');
      }
    },
    async close() {
      for (const s of clients) s.end();
      await closeListener(server);
      for (const s of clients) s.destroy();
    },
  };
}
