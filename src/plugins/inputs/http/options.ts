/** Options of the `http` input: logstash-input-http's names and defaults. */
import type { Schema } from '../../../config/schema.js';
import { LISTENER_TLS_OPTIONS } from '../../net/tls-options.js';

export const HTTP_INPUT_OPTIONS = {
  host: { type: 'string', default: '0.0.0.0', description: 'Address to listen on.' },
  port: { type: 'number', default: 8080, description: 'Port to listen on (0 = any free port, logged at start).' },
  codec: { type: 'codec', default: { name: 'plain', settings: [] }, description: 'Codec for request bodies whose content type has none in additional_codecs.' },
  additional_codecs: {
    type: 'hash',
    default: { 'application/json': 'json' },
    description: 'Codec name per request content type (without parameters), tried before `codec`.',
  },
  user: { type: 'string', description: 'Basic authentication: the user a request must carry (with password); others get 401.' },
  password: { type: 'password', description: 'Basic authentication: the password.' },
  response_code: { type: 'number', default: 200, description: 'Status of the answer once the request\'s events were acknowledged: 200, 201, 202 or 204 (no body).' },
  response_headers: { type: 'hash', default: { 'Content-Type': 'text/plain' }, description: 'Headers of the success answer.' },
  max_pending_requests: { type: 'number', default: 200, description: 'Requests being read or waiting for their acknowledgement at once; one more is answered 429 at once.' },
  max_content_length: { type: 'bytes', default: 100 * 1024 * 1024, description: 'Largest request body in bytes ("100mib"); a larger one is answered 413.' },
  remote_host_target_field: { type: 'field_reference', description: 'Field for the client address; default `host` (ECS: `[host][ip]`).' },
  request_headers_target_field: { type: 'field_reference', description: 'Field for the request headers; default `headers` (ECS: `[@metadata][input][http][request][headers]`).' },
  threads: { type: 'number', ignored: 'requests are read on the event loop and decoded by the pipeline workers (pipeline.workers)', description: 'Ignored.' },
  ...LISTENER_TLS_OPTIONS,
} as const satisfies Schema;
