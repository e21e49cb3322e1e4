/**
 * TLS on a listening socket, shared by every server we run (Lumberjack, tcp, syslog, gelf, http).
 *
 * Contract: `createStreamServer` returns a plain `net.Server`, or a `tls.Server` with TLS directly
 * on the port, and calls `onSocket` only for a socket that may be read: with client authentication
 * `optional`, a certificate the client did send must still verify (Node would let an unverified
 * one through with `rejectUnauthorized: false`); with `required` Node refuses the handshake itself.
 * Failed handshakes are reported through `onTlsError`, never thrown.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from 'node:tls';

export type ClientAuthentication = 'none' | 'optional' | 'required';

export interface ServerTls {
  /** Node TLS options: key, cert, ca, passphrase, minVersion, ciphers, handshakeTimeout … */
  options: TlsOptions;
  clientAuthentication: ClientAuthentication;
}

/** The verified client certificate of a TLS connection. */
export interface PeerCertificate {
  /** "CN=beat-1,O=…" (attribute=value pairs in the certificate's order). */
  subject: string;
  issuer: string;
}

export interface StreamServerHandlers {
  /** A connection ready to read; `certificate` when the client sent one and it verified. */
  onSocket(socket: Socket, certificate: PeerCertificate | undefined): void;
  /** A handshake failed, or a certificate sent under `optional` did not verify. */
  onTlsError(message: string, remote: string): void;
}

/** Node's server options for `tls`: whether a client certificate is asked for and required. */
export function tlsServerOptions(tls: ServerTls): TlsOptions {
  return { ...tls.options, requestCert: tls.clientAuthentication !== 'none', rejectUnauthorized: tls.clientAuthentication === 'required' };
}

export function createStreamServer(tls: ServerTls | undefined, handlers: StreamServerHandlers): Server {
  if (!tls) return createTcpServer((socket) => handlers.onSocket(socket, undefined));
  const server = createTlsServer(tlsServerOptions(tls), (socket) => {
    const certificate = verifiedCertificate(socket, tls.clientAuthentication);
    if (certificate === 'refused') {
      handlers.onTlsError(`client certificate not verified: ${String(socket.authorizationError)}`, remoteOf(socket));
      socket.destroy();
      return;
    }
    handlers.onSocket(socket, certificate);
  });
  server.on('tlsClientError', (err, socket) => handlers.onTlsError(`TLS handshake failed: ${err.message}`, remoteOf(socket)));
  return server;
}

function verifiedCertificate(socket: TLSSocket, auth: ClientAuthentication): PeerCertificate | undefined | 'refused' {
  if (auth === 'none') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  if (!socket.authorized) return 'refused';
  return { subject: formatName(cert.subject), issuer: formatName(cert.issuer) };
}

export function remoteOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

function formatName(name: Partial<Record<string, string | string[]>> | undefined): string {
  if (!name) return '';
  return Object.entries(name).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`).join(',');
}

/** Resolves once `server` listens on host:port (rejects on a bind error). */
export async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Closes the listener alone: net.Server.close() would call back only once every connection is gone. */
export async function closeListener(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close();
    if (server.listening) server.once('close', () => resolve());
    setImmediate(resolve);
  });
}
