/**
 * A Lumberjack v2 server: TCP or TLS (TLS directly on the port, client certificates none,
 * optional or required), many concurrent connections, each a ServerConnection.
 */
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from 'node:tls';
import type { Logger } from '../../core/logger.js';
import { ServerConnection, type ConnectionSettings, type PeerInfo, type ReceivedWindow } from './server-connection.js';

export type { PeerInfo, ReceivedWindow } from './server-connection.js';

export type ClientAuthentication = 'none' | 'optional' | 'required';

export interface ServerTls {
  /** Node TLS options: key, cert, ca, passphrase, minVersion, ciphers, handshakeTimeout … */
  options: TlsOptions;
  clientAuthentication: ClientAuthentication;
}

export interface LumberjackServerOptions extends Omit<ConnectionSettings, 'onWindow'> {
  host: string;
  port: number;
  tls?: ServerTls;
  onWindow(window: ReceivedWindow): void | Promise<void>;
}

export class LumberjackServer {
  private server: Server | undefined;
  private readonly connections = new Set<ServerConnection>();
  private nextId = 1;

  constructor(private readonly options: LumberjackServerOptions) {}

  /** Starts listening; resolves with the bound address (port 0 → the chosen port). */
  async listen(): Promise<AddressInfo> {
    const { tls } = this.options;
    const server = tls
      ? createTlsServer({
          ...tls.options,
          requestCert: tls.clientAuthentication !== 'none',
          rejectUnauthorized: tls.clientAuthentication === 'required',
        }, (socket) => this.accept(socket))
      : createTcpServer((socket) => this.accept(socket));
    if (tls) {
      server.on('tlsClientError', (err, socket) => {
        this.options.logger.warn(`beats: TLS handshake with ${socket.remoteAddress}:${socket.remotePort} failed: ${err.message}`);
      });
    }
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.options.logger.error(`beats: server error: ${err.message}`));
    return server.address() as AddressInfo;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops accepting connections and reading. With `force` every connection closes at once;
   * otherwise each closes once its pending windows are acknowledged (so a graceful stop does not
   * make the Beats resend), and whatever is left after `graceMs` is closed then. Draining
   * connections do not keep the process alive. Resolves once the listener is closed.
   */
  async close(force = false, graceMs = 30_000): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const c of this.connections) {
      if (force) c.destroy('server closing');
      else c.drain();
    }
    if (!force && this.connections.size > 0) {
      const timer = setTimeout(() => {
        for (const c of this.connections) c.destroy('still unacknowledged when the server stopped');
      }, graceMs);
      timer.unref();
    }
    // net.Server.close() calls back only once every connection is gone: wait for the listener alone.
    if (server) await new Promise<void>((resolve) => {
      server.close();
      if (server.listening) server.once('close', () => resolve());
      setImmediate(resolve);
    });
  }

  /** Resolves once every connection has closed. */
  async closed(): Promise<void> {
    await Promise.all([...this.connections].map((c) => c.done));
  }

  private accept(socket: Socket): void {
    const peer: PeerInfo = { id: this.nextId++, remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0 };
    const { tls } = this.options;
    if (tls && tls.clientAuthentication !== 'none') {
      const tlsSocket = socket as TLSSocket;
      const cert = tlsSocket.getPeerCertificate();
      if (cert && Object.keys(cert).length > 0) {
        if (!tlsSocket.authorized) {
          // optional: a certificate that is sent must still be valid.
          this.options.logger.warn(`beats: refusing ${peer.remoteAddress}:${peer.remotePort}: client certificate not verified: ${String(tlsSocket.authorizationError)}`);
          socket.destroy();
          return;
        }
        peer.certificate = { subject: formatName(cert.subject), issuer: formatName(cert.issuer), verified: true };
      }
    }
    if (this.server === undefined) {
      socket.destroy();
      return;
    }
    const connection = new ServerConnection(socket, peer, { ...this.options, onWindow: this.options.onWindow });
    this.connections.add(connection);
    this.options.logger.debug('beats: client connected', { peer: `${peer.remoteAddress}:${peer.remotePort}`, connection: peer.id });
    void connection.done.then(() => this.connections.delete(connection));
  }
}

function formatName(name: Partial<Record<string, string | string[]>> | undefined): string {
  if (!name) return '';
  return Object.entries(name).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`).join(',');
}
