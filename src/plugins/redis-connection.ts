/**
 * Connecting to Redis for the redis input and output: the options both share (hosts, db,
 * password, TLS as Logstash names them), and a connector that fails over along a host list.
 *
 * ioredis reconnects and queues commands by itself; we turn both off. A command sent while the
 * server is away must fail at once so the output's retry policy (`reconnect_interval`) and the
 * input's reconnect loop decide what happens, and a reconnect must go to the *next* host of the
 * list, which ioredis' own reconnect cannot do.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Redis, RedisOptions } from 'ioredis';
import { ConfigError, type SourceLocation } from '../core/errors.js';
import { lazyRequire } from '../core/lazy.js';
import type { Logger } from '../core/logger.js';
import type { OptionsOf, Password, Schema } from '../config/schema.js';

const ioredis = lazyRequire<typeof import('ioredis')>('ioredis');

export const REDIS_CONNECTION_OPTIONS = {
  host: { type: 'string_list', default: ['127.0.0.1'], description: 'Server(s): "host" or "host:port"; with several, a failed connection moves on to the next.' },
  port: { type: 'number', default: 6379, description: 'Port for hosts given without one.' },
  shuffle_hosts: { type: 'boolean', default: true, description: 'Start at a random host of the list, so many instances spread over the servers.' },
  db: { type: 'number', default: 0, description: 'Database number.' },
  password: { type: 'password', description: 'Password (AUTH); none by default.' },
  timeout: { type: 'number', default: 5, description: 'Seconds to wait for a connection (and, in the output, for a reply) before trying the next host.' },
  ssl_enabled: { type: 'boolean', default: false, description: 'Connect with TLS.' },
  ssl: { type: 'boolean', deprecated: 'use ssl_enabled', description: 'Former name of ssl_enabled.' },
  ssl_certificate_authorities: { type: 'string_list', description: 'PEM files of the CAs that sign the server certificate (default: the system CAs).' },
  ssl_certificate: { type: 'path', description: 'PEM client certificate, for servers that ask for one.' },
  ssl_key: { type: 'path', description: 'PEM private key of ssl_certificate.' },
  ssl_verification_mode: { type: 'string', default: 'full', values: ['full', 'none'], description: 'full: check the certificate chain and the host name; none: check nothing (testing only).' },
  ssl_supported_protocols: { type: 'string_list', description: 'TLS versions allowed, e.g. ["TLSv1.2", "TLSv1.3"] (default: Node\'s).' },
  ssl_cipher_suites: { type: 'string_list', description: 'OpenSSL cipher suite names allowed (default: Node\'s).' },
} as const satisfies Schema;

export type RedisConnectionOptions = OptionsOf<typeof REDIS_CONNECTION_OPTIONS>;

export interface RedisEndpoint {
  host: string;
  port: number;
}

/** "host", "host:port" or "[v6::addr]:port" → endpoint. */
export function parseEndpoint(spec: string, defaultPort: number): RedisEndpoint {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaultPort };
  const colon = spec.lastIndexOf(':');
  // A bare IPv6 address has several colons and no port.
  if (colon > 0 && spec.indexOf(':') === colon && /^\d+$/.test(spec.slice(colon + 1))) {
    return { host: spec.slice(0, colon), port: Number(spec.slice(colon + 1)) };
  }
  return { host: spec, port: defaultPort };
}

const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
type TlsVersion = (typeof TLS_VERSIONS)[number];

/** The ssl_* options tlsOptions reads (the elasticsearch output shares them). */
export type SslOptions = Pick<RedisConnectionOptions, 'ssl_enabled' | 'ssl' | 'ssl_certificate_authorities' | 'ssl_certificate' | 'ssl_key' | 'ssl_verification_mode' | 'ssl_supported_protocols' | 'ssl_cipher_suites'>;

/**
 * Logstash's ssl_* options as Node TLS options; undefined when TLS is off. Files are read now, so
 * a bad path fails at start. `plugin` names the plugin in error messages.
 */
export function tlsOptions(o: SslOptions, location?: SourceLocation, plugin = 'redis'): ConnectionOptions | undefined {
  if (!(o.ssl_enabled || o.ssl === true)) return undefined;
  const read = (path: string, what: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`${plugin}: cannot read ${what} ${path}: ${(err as Error).message}`, location);
    }
  };
  const tls: ConnectionOptions = {};
  if (o.ssl_certificate_authorities?.length) tls.ca = o.ssl_certificate_authorities.map((p) => read(p, 'ssl_certificate_authorities'));
  if (o.ssl_certificate !== undefined) tls.cert = read(o.ssl_certificate, 'ssl_certificate');
  if (o.ssl_key !== undefined) tls.key = read(o.ssl_key, 'ssl_key');
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new ConfigError(`${plugin}: ssl_certificate and ssl_key go together`, location);
  if (o.ssl_verification_mode === 'none') {
    tls.rejectUnauthorized = false;
    tls.checkServerIdentity = () => undefined;
  }
  if (o.ssl_supported_protocols?.length) {
    const versions = o.ssl_supported_protocols.map((v) => {
      if (!(TLS_VERSIONS as readonly string[]).includes(v)) throw new ConfigError(`${plugin}: unknown TLS version "${v}" in ssl_supported_protocols (one of ${TLS_VERSIONS.join(', ')})`, location);
      return v as TlsVersion;
    }).sort((a, b) => TLS_VERSIONS.indexOf(a) - TLS_VERSIONS.indexOf(b));
    tls.minVersion = versions[0]!;
    tls.maxVersion = versions[versions.length - 1]!;
  }
  if (o.ssl_cipher_suites?.length) tls.ciphers = o.ssl_cipher_suites.join(':');
  return tls;
}

export interface ConnectorSettings {
  endpoints: RedisEndpoint[];
  db: number;
  password?: Password | undefined;
  tls?: ConnectionOptions | undefined;
  connectTimeoutMs: number;
  /** Bound on each command's reply (the output); blocking readers leave it unset. */
  commandTimeoutMs?: number | undefined;
  /** Shown in the connection name (CLIENT LIST) and in logs. */
  name: string;
}

/** The connector's settings from the shared options. */
export function connectorSettings(o: RedisConnectionOptions, name: string, location?: SourceLocation): ConnectorSettings {
  if (o.host.length === 0) throw new ConfigError('redis: host must name at least one server', location);
  const endpoints = o.host.map((h) => parseEndpoint(h, o.port));
  if (o.shuffle_hosts && endpoints.length > 1) {
    // A random rotation, not a full shuffle: the list's order stays the failover order.
    const start = Math.floor(Math.random() * endpoints.length);
    endpoints.push(...endpoints.splice(0, start));
  }
  return { endpoints, db: o.db, password: o.password, tls: tlsOptions(o, location), connectTimeoutMs: Math.max(1, o.timeout * 1000), name };
}

/**
 * One connection at a time, to the first host of the list that answers. After the connection is
 * lost, the next get() starts at the host after the one that failed (Logstash's order).
 */
export class RedisConnector {
  private client: Redis | undefined;
  /** CLIENT ID of the live connection, asked at connect: once blocked, the connection cannot answer. */
  private clientId: number | undefined;
  private connecting: Promise<Redis> | undefined;
  private next = 0;
  private closed = false;

  constructor(private readonly settings: ConnectorSettings, private readonly logger: Logger) {}

  /** The endpoint of the live connection, if any. */
  current: RedisEndpoint | undefined;

  /** A ready connection; rejects when no host answers (the caller retries later). */
  get(): Promise<Redis> {
    if (this.closed) return Promise.reject(new Error('redis connection closed'));
    if (this.client?.status === 'ready') return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Drops the connection (after an error that leaves it unusable); the next get() reconnects. */
  reset(): void {
    const c = this.client;
    this.client = undefined;
    this.current = undefined;
    c?.disconnect();
  }

  /**
   * Ends a blocking command (BLPOP, BLMOVE, XREADGROUP BLOCK) of the live connection at once, as
   * if it timed out: a stop then takes no longer than the command in flight. Sent from a
   * short-lived second connection; failing is harmless (the block ends by its own timeout).
   */
  async unblock(): Promise<void> {
    const id = this.clientId;
    if (this.client?.status !== 'ready' || id === undefined) return;
    const other = this.create(this.current!);
    try {
      await other.connect();
      await other.client('UNBLOCK', id);
    } catch {
      // The block ends by its own timeout.
    } finally {
      other.disconnect();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = undefined;
    if (!c) return;
    try {
      if (c.status === 'ready') await c.quit();
      else c.disconnect();
    } catch {
      c.disconnect();
    }
  }

  private async connect(): Promise<Redis> {
    this.reset();
    const { endpoints } = this.settings;
    const errors: string[] = [];
    for (let i = 0; i < endpoints.length; i++) {
      const index = (this.next + i) % endpoints.length;
      const endpoint = endpoints[index]!;
      const client = this.create(endpoint);
      // connect() only says "Connection is closed"; the 'error' event has the cause (ECONNREFUSED, a TLS failure).
      let cause: Error | undefined;
      const onError = (err: Error): void => void (cause ??= err);
      client.on('error', onError);
      try {
        await client.connect();
        client.off('error', onError);
        this.clientId = await client.client('ID');
        if (this.closed) {
          client.disconnect();
          throw new Error('redis connection closed');
        }
        // A later loss of this connection starts the next attempt at the following host.
        this.next = (index + 1) % endpoints.length;
        client.once('close', () => {
          if (this.client === client) {
            this.client = undefined;
            this.current = undefined;
          }
        });
        this.client = client;
        this.current = endpoint;
        if (i > 0 || errors.length > 0) this.logger.info('connected to Redis', { name: this.settings.name, host: endpoint.host, port: endpoint.port });
        return client;
      } catch (err) {
        client.disconnect();
        errors.push(`${endpoint.host}:${endpoint.port}: ${(cause ?? (err as Error)).message}`);
      }
    }
    this.next = 0;
    throw new Error(`cannot connect to Redis (${errors.join('; ')})`);
  }

  private create(endpoint: RedisEndpoint): Redis {
    const s = this.settings;
    const options: RedisOptions = {
      host: endpoint.host,
      port: endpoint.port,
      db: s.db,
      connectionName: s.name,
      connectTimeout: s.connectTimeoutMs,
      lazyConnect: true,
      // ioredis 6 speaks RESP3 by default; the readers parse stream replies in their RESP2 shape.
      protocol: 2,
      // Reconnecting and failing over is ours (see the file comment).
      retryStrategy: () => null,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
    };
    if (s.commandTimeoutMs !== undefined) options.commandTimeout = s.commandTimeoutMs;
    if (s.password !== undefined) options.password = s.password.reveal();
    if (s.tls !== undefined) options.tls = s.tls;
    const client = new (ioredis().Redis)(options);
    // Without a listener an 'error' event would crash the process; the failed command or
    // connect() reports the error to whoever waits for it.
    client.on('error', (err: Error) => this.logger.debug('Redis connection error', { name: s.name, error: err.message }));
    return client;
  }
}

/** A Lua script run by EVALSHA, loaded again (EVAL) when the server does not know it (a restart). */
export class LuaScript {
  readonly sha: string;
  constructor(readonly lua: string) {
    this.sha = sha1(lua);
  }

  async run(client: Redis, keys: (string | Buffer)[], args: (string | Buffer | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }

  /** Same, returning Buffers (message bodies stay bytes). */
  async runBuffer(client: Redis, keys: (string | Buffer)[], args: (string | Buffer | number)[]): Promise<unknown> {
    try {
      return await client.callBuffer('EVALSHA', [this.sha, keys.length, ...keys, ...args]);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return client.callBuffer('EVAL', [this.lua, keys.length, ...keys, ...args]);
    }
  }
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
