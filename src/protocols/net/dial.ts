/**
 * Connecting out over TCP or TLS (the tcp input's client mode, the tcp output): resolves with a
 * connected socket once the TLS handshake is done, rejects on a refusal, a handshake failure or
 * after `timeoutMs`.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';

export interface DialOptions {
  host: string;
  port: number;
  /** TLS client options (tls-options.ts clientTlsOf); undefined = plain TCP. */
  tls?: ConnectionOptions;
  timeoutMs: number;
  /** TCP keep-alive probes after this long idle; undefined = off. */
  keepAliveMs?: number;
}

export async function dial(o: DialOptions): Promise<Socket> {
  return await new Promise<Socket>((resolve, reject) => {
    const socket: Socket = o.tls
      ? connectTls({ ...o.tls, host: o.host, port: o.port })
      : connectTcp({ host: o.host, port: o.port });
    const fail = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`connecting to ${o.host}:${o.port} timed out after ${o.timeoutMs} ms`)), o.timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    socket.once(o.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      if (o.keepAliveMs !== undefined) socket.setKeepAlive(true, o.keepAliveMs);
      resolve(socket);
    });
  });
}
