/** Options of the `beats` input: Logstash's logstash-input-beats names, old and new. */
import type { Schema } from '../../../config/schema.js';

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
  ssl: { type: 'boolean', deprecated: 'use ssl_enabled', description: 'Old name of ssl_enabled.' },
  ssl_enabled: { type: 'boolean', default: false, description: 'Accept TLS connections only (TLS directly on the port).' },
  ssl_certificate: { type: 'path', description: 'Server certificate (PEM).' },
  ssl_key: { type: 'path', description: 'Server private key (PEM, PKCS#8 or PKCS#1).' },
  ssl_key_passphrase: { type: 'password', description: 'Passphrase of ssl_key.' },
  ssl_certificate_authorities: { type: 'string_list', default: [], description: 'CA certificates (PEM files) that client certificates are verified against.' },
  ssl_verify_mode: {
    type: 'string',
    values: ['none', 'peer', 'force_peer'],
    deprecated: 'use ssl_client_authentication',
    description: 'Old name of ssl_client_authentication: none, peer (= optional) or force_peer (= required).',
  },
  ssl_client_authentication: {
    type: 'string',
    values: ['none', 'optional', 'required'],
    description: 'Client certificates: none (not asked for), optional (verified when sent) or required. Default none.',
  },
  ssl_handshake_timeout: { type: 'number', default: 10_000, description: 'Milliseconds a TLS handshake may take before the connection is closed.' },
  ssl_supported_protocols: { type: 'string_list', default: [], description: 'TLS versions allowed (TLSv1.2, TLSv1.3); default Node\'s.' },
  ssl_cipher_suites: { type: 'string_list', default: [], description: 'OpenSSL cipher names allowed; default Node\'s.' },
  cipher_suites: { type: 'string_list', deprecated: 'use ssl_cipher_suites', description: 'Old name of ssl_cipher_suites.' },
  tls_min_version: { type: 'number', deprecated: 'use ssl_supported_protocols', description: 'Old lowest TLS version (1.2 or 1.3).' },
  tls_max_version: { type: 'number', deprecated: 'use ssl_supported_protocols', description: 'Old highest TLS version (1.2 or 1.3).' },
  ssl_peer_metadata: { type: 'boolean', deprecated: 'use enrich => ssl_peer_metadata', description: 'Old switch for ssl_peer_metadata in enrich.' },
  executor_threads: { type: 'number', ignored: 'connections run on the event loop', description: 'Ignored.' },
  event_loop_threads: { type: 'number', ignored: 'connections run on the event loop', description: 'Ignored.' },
} as const satisfies Schema;
