/**
 * Options of the `logstash` output: Filebeat's `output.logstash` keys, so the YAML front end passes
 * them through unchanged (a dotted key such as `ssl.enabled` arrives as a nested hash).
 */
import type { Schema } from '../../../config/schema.js';

export const LOGSTASH_OUTPUT_OPTIONS = {
  hosts: { type: 'string_list', required: true, description: 'Servers as "host:port" (port 5044 when left out).' },
  enabled: { type: 'boolean', default: true, description: 'Filebeat\'s switch. The YAML front end leaves out an output with enabled false; in a pipeline config false is refused.' },
  loadbalance: { type: 'boolean', default: false, description: 'Spread windows across every live host (true), or send to one host and fail over to another (false).' },
  worker: { type: 'number', default: 1, description: 'Connections per host.' },
  workers: { type: 'number', description: 'Alias of worker.' },
  pipelining: { type: 'number', default: 2, description: 'Windows sent on one connection before the first is acknowledged (0 = one at a time).' },
  bulk_max_size: { type: 'number', default: 2048, description: 'Most events per window; a larger write is split into several windows (≤0 = never split).' },
  compression_level: { type: 'number', default: 3, description: 'zlib level 0–9 of the compressed frame holding a window (0 = plain JSON frames).' },
  escape_html: { type: 'boolean', default: false, description: 'Escape <, > and & in the JSON documents, as Filebeat\'s escape_html.' },
  timeout: { type: 'duration', default: 30_000, description: 'How long to wait for an ACK (any ACK, keepalives included, re-arms it) before the connection is dropped and the window re-sent.' },
  ttl: { type: 'duration', default: 0, description: 'Reconnect after a connection has lived this long (0 = never); helps load balancers. Ignored while windows are in flight.' },
  index: { type: 'string', description: '`@metadata.beat` of the documents sent (Filebeat: the index name prefix); default the event\'s own [@metadata][beat], else "logpipe".' },
  ssl: {
    type: 'hash',
    default: {},
    description: 'TLS: enabled, certificate_authorities (list of PEM files), certificate and key (client certificate), key_passphrase, verification_mode (full|strict|certificate|none), supported_protocols.',
  },
  backoff: { type: 'hash', default: {}, description: 'Reconnection delays after a failure: init (default 1s) doubling up to max (default 60s).' },
  max_retries: {
    type: 'number',
    default: -1,
    description: 'Attempts of a write before its events fail for good; -1 (the default) retries until delivered, because the agent promises no loss (Filebeat\'s 3 applies only to Beats that are not Filebeat).',
  },
  slow_start: { type: 'boolean', ignored: 'windows are bulk_max_size events from the start', description: 'Ignored.' },
  proxy_url: { type: 'string', obsolete: 'SOCKS5 proxies are not supported; reach Logstash directly', description: 'Not supported.' },
  proxy_use_local_resolver: { type: 'boolean', ignored: 'no proxy support', description: 'Ignored.' },
  queue: { type: 'hash', ignored: 'the pipeline queue applies', description: 'Ignored.' },
} as const satisfies Schema;
