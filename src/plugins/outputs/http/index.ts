/**
 * http output: sends events to an HTTP(S) endpoint on undici (Node's own HTTP client). Workers
 * render the requests (requests.ts); the main thread sends them and reports per event
 * (sink.ts). A batch is acknowledged once every event got a 2xx (or an ignorable code) or went
 * to the failure path; 429/5xx and connection failures are retried with backoff.
 */
import { ConfigError } from '../../../core/errors.js';
import { hasInterpolation } from '../../../core/sprintf.js';
import { defineOutput } from '../../api.js';
import { httpClientSettings } from '../../net/http-client.js';
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
      }),
    };
  },
  createSink(options, ctx) {
    const fail = (message: string): never => {
      throw new ConfigError(`http: ${message}`, ctx.location);
    };
    // A template is checked per event (requests.ts); a fixed URL now.
    if (!hasInterpolation(options.url) && !/^https?:\/\//i.test(options.url)) fail(`url must start with http:// or https://, got "${options.url}"`);
    const client = httpClientSettings('http', options, ctx.location);
    let retryableCodes: Set<number>;
    let ignorableCodes: Set<number>;
    try {
      retryableCodes = statusCodes(options.retryable_codes, 'retryable_codes');
      ignorableCodes = statusCodes(options.ignorable_codes, 'ignorable_codes');
    } catch (err) {
      return fail((err as Error).message);
    }
    return new HttpSink({
      method: options.http_method,
      retryFailed: options.retry_failed,
      retryableCodes,
      ignorableCodes,
      client,
      // Logstash sleeps 2, 4, 8 … seconds up to a minute between attempts, for ever.
      retry: { initialMs: 1000, maxMs: 60_000, maxAttempts: 0 },
    }, ctx.logger);
  },
});
