/**
 * http output: sends events to an HTTP(S) endpoint on undici (Node's own HTTP client). Workers
 * render the requests (requests.ts); the main thread sends them and reports per event
 * (sink.ts). A batch is acknowledged once every event got a 2xx (or an ignorable code) or went
 * to the failure path; 429/5xx and connection failures are retried with backoff.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../core/errors.js';
import { hasInterpolation } from '../../../core/sprintf.js';
import { defineOutput } from '../../api.js';
import { HTTP_OUTPUT_OPTIONS } from './options.js';
import { requestBuilder, type HttpFormat } from './requests.js';
import { HttpSink } from './sink.js';

const DEFAULT_CONTENT_TYPES: Record<HttpFormat, string> = {
  json: 'application/json',
  json_batch: 'application/json',
  form: 'application/x-www-form-urlencoded',
  message: 'text/plain',
};

function statusCodes(values: unknown[], option: string): Set<number> {
  return new Set(values.map((v) => {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 100 || n > 599) throw new Error(`${option}: ${JSON.stringify(v)} is not an HTTP status code`);
    return n;
  }));
}

export const httpOutput = defineOutput({
  kind: 'output',
  name: 'http',
  description: 'Sends events to an HTTP(S) endpoint (one request per event, or a JSON array per batch and URL); acknowledged on 2xx, 429/5xx and connection failures retried with backoff, other answers to the failure path.',
  options: HTTP_OUTPUT_OPTIONS,
  createEncoder(options, ctx) {
    const format = options.format as HttpFormat;
    if (format === 'message' && options.message === undefined) throw new ConfigError('http: format => "message" needs the `message` option (the body template)', ctx.location);
    return {
      encode: requestBuilder({
        url: options.url,
        format,
        message: options.message,
        mapping: options.mapping,
        headers: options.headers,
        contentType: options.content_type ?? DEFAULT_CONTENT_TYPES[format],
        compression: options.http_compression,
        authorization: options.user !== undefined
          ? `Basic ${Buffer.from(`${options.user}:${options.password?.reveal() ?? ''}`).toString('base64')}`
          : undefined,
      }),
    };
  },
  createSink(options, ctx) {
    const fail = (message: string): never => {
      throw new ConfigError(`http: ${message}`, ctx.location);
    };
    if (options.cookies) fail('cookies => true is not supported: logpipe keeps no cookies between requests (set cookies => false, or send a fixed Cookie header with `headers`)');
    // A template is checked per event (requests.ts); a fixed URL now.
    if (!hasInterpolation(options.url) && !/^https?:\/\//i.test(options.url)) fail(`url must start with http:// or https://, got "${options.url}"`);
    for (const [name, min] of [['pool_max', 1], ['pool_max_per_route', 1], ['automatic_retries', 0], ['request_timeout', 0.001], ['connect_timeout', 0.001], ['socket_timeout', 0.001]] as const) {
      if (!(options[name] >= min)) fail(`${name} must be at least ${min}, got ${options[name]}`);
    }
    let retryableCodes: Set<number>;
    let ignorableCodes: Set<number>;
    try {
      retryableCodes = statusCodes(options.retryable_codes, 'retryable_codes');
      ignorableCodes = statusCodes(options.ignorable_codes, 'ignorable_codes');
    } catch (err) {
      return fail((err as Error).message);
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
    const tls: Record<string, unknown> = {
      rejectUnauthorized: options.ssl_verification_mode === 'full',
      ...(cas.length > 0 ? { ca: cas.map((p) => read(p, 'ssl_certificate_authorities')) } : {}),
      ...(cert !== undefined && key !== undefined ? { cert: read(cert, 'ssl_certificate'), key: read(key, 'ssl_key') } : {}),
      ...(protocols.length > 0 ? { minVersion: protocols[0], maxVersion: protocols[protocols.length - 1] } : {}),
      ...(options.ssl_cipher_suites.length > 0 ? { ciphers: options.ssl_cipher_suites.join(':') } : {}),
    };
    return new HttpSink({
      method: options.http_method,
      retryFailed: options.retry_failed,
      retryableCodes,
      ignorableCodes,
      automaticRetries: Math.floor(options.automatic_retries),
      retryNonIdempotent: options.retry_non_idempotent,
      poolMax: Math.floor(options.pool_max),
      poolMaxPerRoute: Math.floor(options.pool_max_per_route),
      keepalive: options.keepalive,
      requestTimeoutMs: options.request_timeout * 1000,
      connectTimeoutMs: options.connect_timeout * 1000,
      socketTimeoutMs: options.socket_timeout * 1000,
      followRedirects: options.follow_redirects,
      tls,
      // Logstash sleeps 2, 4, 8 … seconds up to a minute between attempts, for ever.
      retry: { initialMs: 1000, maxMs: 60_000, maxAttempts: 0 },
    }, ctx.logger);
  },
});
