/** Options of the `tcp` input: Logstash's logstash-input-tcp names, old and new. */
import type { Schema } from '../../../config/schema.js';
import { CLIENT_TLS_OPTIONS } from '../../net/tls-options.js';

export const TCP_INPUT_OPTIONS = {
  host: { type: 'string', default: '0.0.0.0', description: 'Server mode: the address to listen on. Client mode: the server to connect to.' },
  port: { type: 'number', required: true, description: 'Server mode: the port to listen on (0 = any free port, logged at start). Client mode: the port to connect to.' },
  mode: { type: 'string', default: 'server', values: ['server', 'client'], description: 'server: accept connections; client: connect to host:port and read (reconnecting when the connection ends).' },
  codec: { type: 'codec', default: { name: 'line', settings: [] }, description: 'Codec applied per line; plain and json are read as line and json_lines, as Logstash does on streams.' },
  tcp_keep_alive: { type: 'boolean', default: false, description: 'Send TCP keep-alive probes on idle connections (SO_KEEPALIVE).' },
  dns_reverse_lookup_enabled: { type: 'boolean', default: true, description: 'Put the client\'s host name (reverse lookup, once per connection) in the host field rather than its IP address.' },
  proxy_protocol: { type: 'boolean', default: false, description: 'Every connection starts with a PROXY protocol header (v1 or v2); the client it names becomes the source, the proxy goes to proxy_host/proxy_port.' },
  max_bytes: {
    type: 'bytes', default: 10 * 1024 * 1024,
    description: 'logpipe only: longest line kept ("10 MiB"); a longer line is cut there, tagged _line_truncated, and the rest of it discarded. With a binary codec (msgpack): longest value; a longer one closes the connection (its first bytes go on tagged as the codec\'s failure).',
  },
  reconnect_interval: { type: 'duration', default: 10_000, description: 'logpipe only, client mode: wait this long before connecting again after a failure or the end of the connection.' },
  ...CLIENT_TLS_OPTIONS,
  ssl_verify: { type: 'boolean', deprecated: 'use ssl_client_authentication', description: 'Old switch: require and verify client certificates (server mode) or verify the server (client mode).' },
} as const satisfies Schema;
