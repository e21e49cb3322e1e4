/** Options of the `gelf` input: Logstash's logstash-input-gelf names, plus logpipe's own (marked). */
import type { Schema } from '../../../config/schema.js';

export const GELF_INPUT_OPTIONS = {
  host: { type: 'string', default: '0.0.0.0', description: 'Address to listen on.' },
  port: { type: 'number', default: 12201, description: 'Port for UDP and TCP (0 = a free port, logged at start).' },
  port_tcp: { type: 'number', description: 'TCP port, when it differs from `port`.' },
  port_udp: { type: 'number', description: 'UDP port, when it differs from `port`.' },
  use_udp: { type: 'boolean', default: true, description: 'Listen for GELF over UDP (chunked, gzip/zlib or plain).' },
  use_tcp: { type: 'boolean', default: false, description: 'Listen for GELF over TCP (messages ended by a NUL byte).' },
  remap: { type: 'boolean', default: true, description: 'full_message (or else short_message) becomes `message`.' },
  strip_leading_underscore: { type: 'boolean', default: true, description: 'Additional fields lose their leading underscore (`_foo` becomes `foo`).' },
  codec: { type: 'codec', default: { name: 'plain', settings: [] }, ignored: 'GELF messages are JSON, decoded by the input itself (as in Logstash)', description: 'Ignored.' },
  chunk_timeout: {
    type: 'duration',
    default: 5000,
    description: 'logpipe only: a chunked UDP message whose chunks have not all arrived this long after its first is dropped and counted ("5s", as Graylog).',
  },
  max_pending_chunked_messages: {
    type: 'number',
    default: 1000,
    description: 'logpipe only: most chunked UDP messages reassembled at once; beyond it the oldest is dropped and counted.',
  },
  max_message_size: {
    type: 'bytes',
    default: 8 * 1024 * 1024,
    description: 'logpipe only: longest message kept: a TCP message is cut there (tagged _line_truncated), a compressed one inflating past it is refused (tagged _gelfparsefailure).',
  },
} as const satisfies Schema;
