/**
 * The connection options the rabbitmq input and output share, named as Logstash's rabbitmq
 * integration names them, and how they become amqplib's connect arguments.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Options } from 'amqplib';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import type { Password } from '../../config/schema.js';

export const AMQP_CONNECTION_OPTIONS = {
  host: {
    type: 'string_list',
    required: true,
    description: 'RabbitMQ host, or a list of hosts tried in turn (failover); `host:port` overrides `port` for that host.',
  },
  port: { type: 'number', default: 5672, description: 'Port of every host that names none.' },
  user: { type: 'string', default: 'guest', description: 'User name.' },
  password: { type: 'password', description: 'Password (default "guest").' },
  vhost: { type: 'string', default: '/', description: 'Virtual host.' },
  ssl: { type: 'boolean', default: false, description: 'Connect with TLS (amqps). The server certificate is verified against the system CAs, or ssl_certificate_authorities.' },
  ssl_certificate_authorities: { type: 'string_list', description: 'PEM files of the CAs that sign the broker\'s certificate (default: the system CAs).' },
  ssl_verification_mode: { type: 'string', default: 'full', values: ['full', 'none'], description: 'full: check the certificate chain and the host name; none: check nothing (testing only).' },
  ssl_certificate_path: { type: 'path', description: 'Client certificate and key, as a PKCS#12 (.p12) file.' },
  ssl_certificate_password: { type: 'password', description: 'Password of the PKCS#12 file.' },
  ssl_version: { type: 'string', default: 'TLSv1.2', values: ['TLSv1.2', 'TLSv1.3'], description: 'Lowest TLS version accepted.' },
  heartbeat: { type: 'number', description: 'Heartbeat interval in seconds (0 disables heartbeats); default: what the server proposes (60 s on RabbitMQ).' },
  connection_timeout: { type: 'number', description: 'Milliseconds to wait for a connection to open; default: the operating system\'s TCP timeout.' },
  connect_retry_interval: { type: 'number', default: 1, description: 'Seconds before the first reconnection attempt; the delay then doubles up to 30 s.' },
  automatic_recovery: { type: 'boolean', default: true, ignored: 'logpipe always reconnects', description: 'Accepted for compatibility.' },
  passive: { type: 'boolean', default: false, description: 'Check that the queue (input) or exchange (output) exists instead of declaring it.' },
} as const;

/** The connection options as a plugin receives them (a structural subset of its options). */
export interface AmqpConnectionSettings {
  host: string[];
  port: number;
  user: string;
  password?: Password | undefined;
  vhost: string;
  ssl: boolean;
  ssl_certificate_authorities?: string[] | undefined;
  ssl_verification_mode: string;
  ssl_certificate_path?: string | undefined;
  ssl_certificate_password?: Password | undefined;
  ssl_version: string;
  heartbeat?: number | undefined;
  connection_timeout?: number | undefined;
  connect_retry_interval: number;
}

/** One broker to try: amqplib's two connect arguments and a label for logs (never the password). */
export interface AmqpTarget {
  label: string;
  connect: Options.Connect;
  socket: TlsOptions & { timeout?: number; noDelay?: boolean; clientProperties?: Record<string, string> };
}

/** Most attempts are 1 s, 2 s, 4 s… apart; this is the ceiling of that doubling. */
export const MAX_RECONNECT_DELAY_MS = 30_000;

/** The brokers to try, in order; throws ConfigError on options that can never work. */
export function amqpTargets(settings: AmqpConnectionSettings, connectionName: string, location?: SourceLocation): AmqpTarget[] {
  if (settings.host.length === 0) throw new ConfigError('rabbitmq: host must name at least one host', location);
  if (!(settings.connect_retry_interval > 0)) throw new ConfigError(`rabbitmq: connect_retry_interval must be positive, got ${settings.connect_retry_interval}`, location);
  // The certificate is read once at startup: a missing file is a configuration error, not a
  // connection failure to retry forever.
  let pfx: Buffer | undefined;
  if (settings.ssl_certificate_path !== undefined) {
    try {
      pfx = readFileSync(settings.ssl_certificate_path);
    } catch (err) {
      throw new ConfigError(`rabbitmq: cannot read ssl_certificate_path: ${(err as Error).message}`, location);
    }
  }
  let ca: Buffer[] | undefined;
  if (settings.ssl_certificate_authorities !== undefined && settings.ssl_certificate_authorities.length > 0) {
    ca = settings.ssl_certificate_authorities.map((path) => {
      try {
        return readFileSync(path);
      } catch (err) {
        throw new ConfigError(`rabbitmq: cannot read ssl_certificate_authorities: ${(err as Error).message}`, location);
      }
    });
  }
  return settings.host.map((entry) => {
    const m = /^([^:\s]+):(\d+)$/.exec(entry);
    const hostname = m ? m[1]! : entry;
    const port = m ? Number(m[2]) : settings.port;
    const socket: AmqpTarget['socket'] = { noDelay: true, clientProperties: { connection_name: connectionName } };
    if (settings.connection_timeout !== undefined) socket.timeout = settings.connection_timeout;
    if (settings.ssl) {
      // SNI carries host names only (RFC 6066); Node warns when given an address.
      if (isIP(hostname) === 0) socket.servername = hostname;
      socket.minVersion = settings.ssl_version as 'TLSv1.2' | 'TLSv1.3';
      if (pfx) socket.pfx = pfx;
      if (ca) socket.ca = ca;
      if (settings.ssl_verification_mode === 'none') socket.rejectUnauthorized = false;
      if (settings.ssl_certificate_password) socket.passphrase = settings.ssl_certificate_password.reveal();
    }
    const connect: Options.Connect = {
      protocol: settings.ssl ? 'amqps' : 'amqp',
      hostname,
      port,
      username: settings.user,
      password: settings.password?.reveal() ?? 'guest',
      vhost: settings.vhost,
    };
    // Left out, amqplib takes the server's proposal; 0 (amqplib 2) turns heartbeats off.
    if (settings.heartbeat !== undefined) connect.heartbeat = settings.heartbeat;
    return { label: `${connect.protocol}://${hostname}:${port}${settings.vhost === '/' ? '' : `/${settings.vhost}`}`, connect, socket };
  });
}
