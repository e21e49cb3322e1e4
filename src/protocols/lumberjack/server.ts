/**
 * A Lumberjack v2 server: TCP or TLS (TLS directly on the port, client certificates none,
 * optional or required), many concurrent connections, each a ServerConnection.
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import type { Logger } from '../../core/logger.js';
import { closeListener, createStreamServer, listen, type PeerCertificate, type ServerTls } from '../net/tls.js';
import { ServerConnection, type ConnectionSettings, type PeerInfo, type ReceivedWindow } from './server-connection.js';

export type { PeerInfo, ReceivedWindow } from './server-connection.js';
export type { ClientAuthentication, ServerTls } from '../net/tls.js';

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
    const { logger } = this.options;
    const server = createStreamServer(this.options.tls, {
      onSocket: (socket, certificate) => this.accept(socket, certificate),
      onTlsError: (message, remote) => logger.warn(`beats: refusing ${remote}: ${message}`),
    });
    this.server = server;
    await listen(server, this.options.port, this.options.host);
    server.on('error', (err) => logger.error(`beats: server error: ${err.message}`));
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
    if (server) await closeListener(server);
  }

  /** Resolves once every connection has closed. */
  async closed(): Promise<void> {
    await Promise.all([...this.connections].map((c) => c.done));
  }

  private accept(socket: Socket, certificate: PeerCertificate | undefined): void {
    const peer: PeerInfo = { id: this.nextId++, remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0 };
    if (certificate) peer.certificate = { ...certificate, verified: true };
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
