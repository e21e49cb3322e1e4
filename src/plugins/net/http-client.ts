/**
 * The HTTP client of plugins that call HTTP(S) servers (the http output, the http filter): the
 * options of Logstash's http_client mixin (timeouts, pool, retries, redirects, basic auth, TLS)
 * in one schema fragment, and a small client on an undici Agent (keep-alive pools per origin) that
 * sends at most `pool_max` requests at once and repeats a request whose connection failed
 * `automatic_retries` times (idempotent methods only, unless retry_non_idempotent).
 *
 * Contract: a plugin spreads HTTP_CLIENT_OPTIONS into its schema, calls `httpClientSettings` at
 * start (config errors name the option), and `new HttpClient(settings)`; `send` resolves with the
 * status, headers and (at most `readLimit` bytes of) the body, or throws when no answer came.
 */
import { readFileSync } from 'node:fs';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import type { OptionsOf, Schema } from '../../config/schema.js';

export const HTTP_CLIENT_OPTIONS = {
  user: { type: 'string', description: 'Basic authentication user.' },
  password: { type: 'password', description: 'Basic authentication password.' },
  automatic_retries: { type: 'number', default: 1, description: 'Immediate retries of a request whose connection failed; for non-idempotent methods (post, patch) only with retry_non_idempotent.' },
  retry_non_idempotent: { type: 'boolean', default: false, description: 'Let automatic_retries repeat post and patch requests too.' },
  pool_max: { type: 'number', default: 50, description: 'Most requests in flight at once, over all hosts.' },
  pool_max_per_route: { type: 'number', default: 25, description: 'Most connections to one host (origin).' },
  keepalive: { type: 'boolean', default: true, description: 'Keep connections open between requests.' },
  request_timeout: { type: 'number', default: 60, description: 'Seconds a whole request may take (connect, send, answer).' },
  connect_timeout: { type: 'number', default: 10, description: 'Seconds to establish a connection.' },
  socket_timeout: { type: 'number', default: 10, description: 'Seconds without data from the server while waiting for its answer.' },
  follow_redirects: { type: 'boolean', default: true, description: 'Follow 3xx redirects (up to 5); false: a 3xx is the answer.' },
  cookies: { type: 'boolean', default: false, description: 'Keeping cookies between requests is not supported: only false is accepted.' },
  validate_after_inactivity: { type: 'number', ignored: 'connections are checked by the client library', description: 'Ignored.' },
  proxy: { type: 'any', obsolete: 'sending through a proxy is not supported yet; reach the server directly', description: 'Not supported.' },
  ssl_enabled: { type: 'boolean', description: 'Accepted; TLS follows the URL scheme (https).' },
  ssl_certificate_authorities: { type: 'string_list', default: [], description: 'CA certificates (PEM files) the server certificate is verified against; default the system CAs.' },
  cacert: { type: 'path', deprecated: 'use ssl_certificate_authorities', description: 'Old name of ssl_certificate_authorities (one file).' },
  ssl_certificate: { type: 'path', description: 'Client certificate (PEM) for servers that ask for one.' },
  client_cert: { type: 'path', deprecated: 'use ssl_certificate', description: 'Old name of ssl_certificate.' },
  ssl_key: { type: 'path', description: 'Private key (PEM) of ssl_certificate.' },
  client_key: { type: 'path', deprecated: 'use ssl_key', description: 'Old name of ssl_key.' },
  ssl_verification_mode: { type: 'string', default: 'full', values: ['full', 'none'], description: 'full: verify the server certificate and its name; none: accept any (insecure).' },
  ssl_supported_protocols: { type: 'string_list', default: [], description: 'TLS versions allowed (TLSv1.1, TLSv1.2, TLSv1.3); default Node\'s.' },
  ssl_cipher_suites: { type: 'string_list', default: [], description: 'OpenSSL cipher names allowed; default Node\'s.' },
  ssl_keystore_path: { type: 'path', obsolete: 'Java keystores are not read: give the client certificate and key as PEM files (ssl_certificate, ssl_key)', description: 'Not supported.' },
  keystore: { type: 'path', obsolete: 'give the client certificate and key as PEM files (ssl_certificate, ssl_key)', description: 'Not supported.' },
  ssl_truststore_path: { type: 'path', obsolete: 'Java truststores are not read: give the CA certificates as PEM files (ssl_certificate_authorities)', description: 'Not supported.' },
  truststore: { type: 'path', obsolete: 'give the CA certificates as PEM files (ssl_certificate_authorities)', description: 'Not supported.' },
} as const satisfies Schema;

type ClientOptions = OptionsOf<typeof HTTP_CLIENT_OPTIONS>;

export interface HttpClientSettings {
  automaticRetries: number;
  retryNonIdempotent: boolean;
  poolMax: number;
  poolMaxPerRoute: number;
  keepalive: boolean;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  socketTimeoutMs: number;
  followRedirects: boolean;
  /** TLS options for https URLs (ca, cert, key, rejectUnauthorized, versions, ciphers). */
  tls: Record<string, unknown>;
  /** "Basic …" for every request; undefined: no authentication. */
  authorization: string | undefined;
}

/** The client settings from the options, checked; a bad value or unreadable PEM file is a ConfigError. */
export function httpClientSettings(plugin: string, options: ClientOptions, location: SourceLocation | undefined): HttpClientSettings {
  const fail = (message: string): never => {
    throw new ConfigError(`${plugin}: ${message}`, location);
  };
  if (options.cookies) fail('cookies => true is not supported: logpipe keeps no cookies between requests (set cookies => false, or send a fixed Cookie header with `headers`)');
  for (const [name, min] of [['pool_max', 1], ['pool_max_per_route', 1], ['automatic_retries', 0], ['request_timeout', 0.001], ['connect_timeout', 0.001], ['socket_timeout', 0.001]] as const) {
    if (!(options[name] >= min)) fail(`${name} must be at least ${min}, got ${options[name]}`);
  }
  const read = (path: string, option: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      return fail(`cannot read ${option} "${path}": ${(err as Error).message}`);
    }
  };
  const cas = [...options.ssl_certificate_authorities, ...(options.cacert !== undefined ? [options.cacert] : [])];
  const cert = options.ssl_certificate ?? options.client_cert;
  const key = options.ssl_key ?? options.client_key;
  if ((cert === undefined) !== (key === undefined)) fail('ssl_certificate and ssl_key go together');
  const protocols = [...options.ssl_supported_protocols].sort();
  for (const p of protocols) if (!['TLSv1.1', 'TLSv1.2', 'TLSv1.3'].includes(p)) fail(`unknown TLS protocol "${p}" (TLSv1.1, TLSv1.2, TLSv1.3)`);
  return {
    automaticRetries: Math.floor(options.automatic_retries),
    retryNonIdempotent: options.retry_non_idempotent,
    poolMax: Math.floor(options.pool_max),
    poolMaxPerRoute: Math.floor(options.pool_max_per_route),
    keepalive: options.keepalive,
    requestTimeoutMs: options.request_timeout * 1000,
    connectTimeoutMs: options.connect_timeout * 1000,
    socketTimeoutMs: options.socket_timeout * 1000,
    followRedirects: options.follow_redirects,
    tls: {
      rejectUnauthorized: options.ssl_verification_mode === 'full',
      ...(cas.length > 0 ? { ca: cas.map((p) => read(p, 'ssl_certificate_authorities')) } : {}),
      ...(cert !== undefined && key !== undefined ? { cert: read(cert, 'ssl_certificate'), key: read(key, 'ssl_key') } : {}),
      ...(protocols.length > 0 ? { minVersion: protocols[0], maxVersion: protocols[protocols.length - 1] } : {}),
      ...(options.ssl_cipher_suites.length > 0 ? { ciphers: options.ssl_cipher_suites.join(':') } : {}),
    },
    authorization: options.user !== undefined
      ? `Basic ${Buffer.from(`${options.user}:${options.password?.reveal() ?? ''}`).toString('base64')}`
      : undefined,
  };
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | string | null;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The first `readLimit` bytes of the body. */
  body: Buffer;
  /** The body was longer than `readLimit` (the rest was dropped). */
  truncated: boolean;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly agent: Agent;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly settings: HttpClientSettings) {
    this.agent = new Agent({
      connections: settings.poolMaxPerRoute,
      connect: { timeout: settings.connectTimeoutMs, ...settings.tls },
      headersTimeout: settings.socketTimeoutMs,
      bodyTimeout: settings.socketTimeoutMs,
      ...(settings.keepalive ? {} : { pipelining: 0 }),
    });
    this.dispatcher = settings.followRedirects ? this.agent.compose(interceptors.redirect({ maxRedirections: 5 })) : this.agent;
  }

  /**
   * Sends `spec` once fewer than pool_max requests are in flight; throws (after the automatic
   * retries) when no answer came. A request the client refuses to send (a header value with a
   * newline) throws at once: it never will be sent (its error's code is UND_ERR_INVALID_ARG).
   */
  async send(spec: HttpRequest, readLimit: number): Promise<HttpAnswer> {
    if (this.inFlight >= this.settings.poolMax) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    try {
      return await this.attempt(spec, readLimit);
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => this.agent.destroy());
  }

  private async attempt(spec: HttpRequest, readLimit: number): Promise<HttpAnswer> {
    const method = spec.method.toUpperCase() as Dispatcher.HttpMethod;
    const immediateRetries = IDEMPOTENT.has(method) || this.settings.retryNonIdempotent ? this.settings.automaticRetries : 0;
    const headers = this.settings.authorization !== undefined ? { ...spec.headers, authorization: this.settings.authorization } : spec.headers;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await request(spec.url, {
          dispatcher: this.dispatcher,
          method,
          headers,
          body: method === 'GET' || method === 'HEAD' ? null : spec.body,
          signal: AbortSignal.timeout(this.settings.requestTimeoutMs),
          ...(this.settings.keepalive ? {} : { reset: true }),
        });
        const { body, truncated } = await readLimited(response.body, readLimit);
        return { status: response.statusCode, headers: response.headers, body, truncated };
      } catch (err) {
        if ((err as { code?: string }).code === 'UND_ERR_INVALID_ARG' || attempt >= immediateRetries) throw err;
      }
    }
  }
}

/** At most `limit` bytes of an answer's body; the rest is dropped. */
async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    if (size + bytes.length > limit) {
      chunks.push(bytes.subarray(0, limit - size));
      body.destroy();
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(bytes);
    size += bytes.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

/** An error from the client as one line: its code, message and cause. */
export function describeHttpError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: string }).code;
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${code ? `${code} ` : ''}${err.message}${cause}`;
}

/** A URL without the password it may carry, for logs and failure reasons. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
