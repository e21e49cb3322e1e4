/**
 * http input: receives events in HTTP(S) requests (node:http / node:https). The source (main
 * thread) reads each body and answers the request once the pipeline acknowledged its events
 * (source.ts); the decoder (worker) applies the codec of the content type and adds the request
 * metadata (decoder.ts).
 */
import { ConfigError } from '../../../core/errors.js';
import type { Codec } from '../../api.js';
import { defineInput, PAYLOAD_MAX_BATCHES } from '../../api.js';
import { httpDecoder } from './decoder.js';
import { HTTP_INPUT_OPTIONS } from './options.js';
import { httpSource } from './source.js';
import { listenerTlsOf } from '../../net/tls-options.js';

const RESPONSE_CODES = [200, 201, 202, 204];

/** additional_codecs with lower-case content types; values must be codec names. */
function codecNames(additional: Record<string, unknown>): Map<string, string> {
  const names = new Map<string, string>();
  for (const [type, name] of Object.entries(additional)) {
    if (typeof name !== 'string') throw new Error(`additional_codecs: the codec for "${type}" must be a codec name, got ${JSON.stringify(name)}`);
    names.set(type.trim().toLowerCase(), name);
  }
  return names;
}

export const httpInput = defineInput({
  kind: 'input',
  name: 'http',
  binaryCodecs: true,
  description: 'Receives events in HTTP(S) requests (JSON, text, any codec by content type); a request is answered once its events were acknowledged by the outputs, 429 when max_pending_requests are in progress.',
  options: HTTP_INPUT_OPTIONS,
  createSource(options, ctx) {
    const fail = (message: string): never => {
      throw new ConfigError(`http: ${message}`, ctx.location);
    };
    if (!(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) fail(`port must be 0–65535, got ${options.port}`);
    if (!RESPONSE_CODES.includes(options.response_code)) fail(`response_code must be one of ${RESPONSE_CODES.join(', ')}, got ${options.response_code}`);
    if (!(options.max_pending_requests >= 1)) fail(`max_pending_requests must be at least 1, got ${options.max_pending_requests}`);
    if (!(options.max_content_length >= 1)) fail(`max_content_length must be at least 1 byte, got ${options.max_content_length}`);
    if ((options.user === undefined) !== (options.password === undefined)) fail('user and password go together (basic authentication)');
    let names: Map<string, string>;
    try {
      names = codecNames(options.additional_codecs);
    } catch (err) {
      return fail((err as Error).message);
    }
    const jsonMimeTypes = new Set([...names].filter(([, name]) => name === 'json').map(([type]) => type));
    const responseHeaders = Object.fromEntries(Object.entries(options.response_headers).map(([k, v]) => [k, String(v)]));
    return httpSource({
      host: options.host,
      port: options.port,
      tls: listenerTlsOf('http', options, ctx.location),
      credentials: options.user !== undefined && options.password !== undefined ? { user: options.user, password: options.password.reveal() } : undefined,
      responseCode: options.response_code,
      responseHeaders,
      maxPendingRequests: options.max_pending_requests,
      maxContentLength: options.max_content_length,
      jsonMimeTypes,
      maxEventsPerPayload: ctx.batchSize * PAYLOAD_MAX_BATCHES,
    }, ctx.logger);
  },
  createDecoder(options, ctx) {
    const ecs = ctx.ecs !== 'disabled';
    const codecsByMimeType = new Map<string, Codec>();
    for (const [type, name] of codecNames(options.additional_codecs)) codecsByMimeType.set(type, ctx.createCodec({ name, settings: [] }));
    return httpDecoder({
      codec: ctx.createCodec(options.codec),
      codecsByMimeType,
      remoteHostField: options.remote_host_target_field ?? (ecs ? '[host][ip]' : 'host'),
      headersField: options.request_headers_target_field ?? (ecs ? '[@metadata][input][http][request][headers]' : 'headers'),
      ecs: ctx.ecs,
    });
  },
});
