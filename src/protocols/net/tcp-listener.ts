/**
 * A TCP (or TLS) listener for stream inputs: accepts many concurrent connections and reads each
 * through a StreamConnection (tcp-connection.ts: backpressure, PROXY protocol, one end() per
 * connection). It knows nothing of framing or events: the handler `onConnection` returns does.
 *
 * `close()` stops accepting, stops reading every connection and resolves once every handler's
 * end() settled, so what a connection had received is handed over before the input returns.
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import { StreamConnection, type ConnectionInfo, type ConnectionSettings } from './tcp-connection.js';
import { closeListener, createStreamServer, listen, remoteOf, type PeerCertificate, type ServerTls } from './tls.js';

/** Where to listen, and how each connection is read (ConnectionSettings: PROXY header, keep-alive, the handler). */
export interface TcpListenerOptions extends ConnectionSettings {
  host: string;
  port: number;
  tls?: ServerTls;
}

export class TcpListener {
  private server: Server | undefined;
  private readonly connections = new Set<StreamConnection>();
  private nextId = 1;

  constructor(private readonly options: TcpListenerOptions) {}

  /** Starts listening; resolves with the bound address (port 0 → the chosen port). */
  async listen(): Promise<AddressInfo> {
    const { logger, label } = this.options;
    const server = createStreamServer(this.options.tls, {
      onSocket: (socket, certificate) => this.accept(socket, certificate),
      onTlsError: (message, remote) => logger.warn(`${label}: refusing ${remote}: ${message}`),
    });
    this.server = server;
    await listen(server, this.options.port, this.options.host);
    server.on('error', (err) => logger.error(`${label}: server error: ${err.message}`));
    return server.address() as AddressInfo;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting and reading; resolves once every connection's handler has ended. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const ending = [...this.connections].map((c) => c.stop());
    if (server) await closeListener(server);
    await Promise.all(ending);
  }

  private accept(socket: Socket, certificate: PeerCertificate | undefined): void {
    if (this.server === undefined) {
      socket.destroy();
      return;
    }
    const info: ConnectionInfo = {
      id: this.nextId++, remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0,
      tls: this.options.tls !== undefined, ...(certificate ? { certificate } : {}),
    };
    this.options.logger.debug(`${this.options.label}: client connected`, { peer: remoteOf(socket), connection: info.id });
    const { host: _host, port: _port, tls: _tls, ...settings } = this.options;
    const connection = new StreamConnection(socket, info, settings);
    this.connections.add(connection);
    void connection.done.then(() => this.connections.delete(connection));
  }
}
