/** Options of the `beats` input: Logstash's logstash-input-beats names, old and new. */
import type { Schema } from '../../../config/schema.js';
import { LISTENER_TLS_CORE_OPTIONS } from '../../net/tls-options.js';

export const ENRICH_VALUES = ['none', 'all', 'source_metadata', 'codec_metadata', 'ssl_peer_metadata'] as const;

export const BEATS_INPUT_OPTIONS = {
  host: { type: 'string', default: '0.0.0.0', description: 'Address to listen on.' },
  port: { type: 'number', default: 5044, description: 'Port to listen on (0 = any free port, logged at start).' },
  codec: { type: 'codec', default: { name: 'plain', settings: [] }, description: 'Codec applied to the `message` field of each Beats event (plain keeps it as is); events without `message` are taken raw.' },
  include_codec_tag: { type: 'boolean', default: true, description: 'Tag events beats_input_codec_<codec>_applied (or beats_input_raw_event when there was no `message`).' },
  enrich: {
    type: 'string_list',
    default: ['codec_metadata', 'source_metadata'],
    description: 'What is added to events: source_metadata (the peer address in [@metadata]), codec_metadata (the codec tags), ssl_peer_metadata (the client certificate), all, or none.',
  },
  add_hostname: { type: 'boolean', default: false, deprecated: 'Beats set their own host field', description: 'Copy [beat][hostname] into `host` when the event has no host.' },
  client_inactivity_timeout: { type: 'duration', default: 60_000, description: 'Close a connection that has been idle (nothing read, nothing written) this long, in seconds or with units ("60s").' },
  ack_keepalive_interval: {
    type: 'duration',
    default: 5_000,
    description: 'logpipe only: while a window is not fully acknowledged, re-send the last ACK after this long without writing (Logstash hard-codes 5 s), so the Beat does not time out.',
  },
  max_frame_size: { type: 'bytes', default: 64 * 1024 * 1024, description: 'logpipe only: largest frame accepted, compressed or inflated ("64mib"); a larger one closes the connection with an error.' },
  ...LISTENER_TLS_CORE_OPTIONS,
  ssl_peer_metadata: { type: 'boolean', deprecated: 'use enrich => ssl_peer_metadata', description: 'Old switch for ssl_peer_metadata in enrich.' },
  executor_threads: { type: 'number', ignored: 'connections run on the event loop', description: 'Ignored.' },
  event_loop_threads: { type: 'number', ignored: 'connections run on the event loop', description: 'Ignored.' },
} as const satisfies Schema;
