/** Options of the `http` output: logstash-output-http's names and defaults. */
import type { Schema } from '../../../config/schema.js';
import { HTTP_CLIENT_OPTIONS } from '../../net/http-client.js';

export const HTTP_METHODS = ['put', 'post', 'patch', 'delete', 'get', 'head'] as const;
export const FORMATS = ['json', 'json_batch', 'form', 'message'] as const;

export const HTTP_OUTPUT_OPTIONS = {
  url: { type: 'string', required: true, description: 'Where to send events; sprintf allowed (%{field}): events are sent to the URL they render.' },
  http_method: { type: 'string', required: true, values: HTTP_METHODS, description: 'The request method.' },
  format: { type: 'string', default: 'json', values: FORMATS, description: 'json: one request per event with its JSON; json_batch: one request per batch (per rendered URL) with a JSON array; form: one form-encoded request per event; message: one request per event with the `message` template as body.' },
  message: { type: 'string', description: 'format => message: the body template (sprintf).' },
  mapping: { type: 'hash', description: 'json, json_batch, form: send this hash (string values are sprintf templates, nested hashes and arrays allowed) instead of the whole event.' },
  headers: { type: 'hash', default: {}, description: 'Request headers; values are sprintf templates (json_batch: rendered with the first event of the request).' },
  content_type: { type: 'string', description: 'Content-Type header; default application/json (json, json_batch), application/x-www-form-urlencoded (form), text/plain (message).' },
  http_compression: { type: 'boolean', default: false, description: 'Gzip request bodies (Content-Encoding: gzip).' },
  ...HTTP_CLIENT_OPTIONS,
  retry_failed: { type: 'boolean', default: true, description: 'Retry, with backoff and until delivered, requests that failed to connect or got a retryable_codes status; false: they go to the failure path at once.' },
  retryable_codes: { type: 'array', default: [429, 500, 502, 503, 504], description: 'Statuses retried with backoff (when retry_failed).' },
  ignorable_codes: { type: 'array', default: [], description: 'Statuses counted as delivered, like a 2xx.' },
} as const satisfies Schema;
