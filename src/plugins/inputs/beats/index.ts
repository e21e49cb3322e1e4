/**
 * beats input: receives events from Beats (Filebeat, …) over the Lumberjack v2 protocol
 * (src/protocols/lumberjack). The source (main thread) runs the server and hands windows over as
 * bytes; the decoder (worker) parses the JSON and applies the codec (decoder.ts). A window is
 * ACKed only as far as the pipeline acknowledged its events.
 */
import { ConfigError } from '../../../core/errors.js';
import { defineInput, PAYLOAD_MAX_BATCHES } from '../../api.js';
import { beatsDecoder } from './decoder.js';
import { BEATS_INPUT_OPTIONS, ENRICH_VALUES } from './options.js';
import { beatsSource } from './source.js';
import { listenerTlsOf } from '../../net/tls-options.js';

export { BEATS_DECODE_ERROR_TAG, RAW_EVENT_TAG } from './decoder.js';

function enrichment(values: string[]): Set<string> {
  const set = new Set<string>();
  for (const v of values) {
    if (v === 'all') for (const x of ['source_metadata', 'codec_metadata', 'ssl_peer_metadata']) set.add(x);
    else if (v !== 'none') set.add(v);
  }
  return set;
}

export const beatsInput = defineInput({
  kind: 'input',
  name: 'beats',
  description: 'Receives events from Beats (Filebeat, Metricbeat, a logpipe agent) over the Lumberjack v2 protocol, plain or TLS; a window is acknowledged once the pipeline acknowledged its events.',
  options: BEATS_INPUT_OPTIONS,
  createSource(options, ctx) {
    for (const v of options.enrich) {
      if (!(ENRICH_VALUES as readonly string[]).includes(v)) throw new ConfigError(`beats: unknown enrich value "${v}" (${ENRICH_VALUES.join(', ')})`, ctx.location);
    }
    if (!(options.port >= 0 && options.port <= 65535 && Number.isInteger(options.port))) throw new ConfigError(`beats: port must be 0–65535, got ${options.port}`, ctx.location);
    if (!(options.max_frame_size >= 1024)) throw new ConfigError(`beats: max_frame_size must be at least 1 KiB, got ${options.max_frame_size}`, ctx.location);
    if (options.codec.name === 'multiline') throw new ConfigError('beats: the multiline codec cannot be used with beats (join lines in the Beat, as Logstash requires)', ctx.location);
    return beatsSource({
      host: options.host,
      port: options.port,
      tls: listenerTlsOf('beats', options, ctx.location),
      maxFrameBytes: options.max_frame_size,
      inactivityTimeoutMs: options.client_inactivity_timeout,
      keepaliveIntervalMs: options.ack_keepalive_interval,
      maxEvents: ctx.batchSize * PAYLOAD_MAX_BATCHES,
    }, ctx.logger);
  },
  createDecoder(options, ctx) {
    const enrich = enrichment(options.enrich);
    return beatsDecoder({
      codec: ctx.createCodec(options.codec),
      codecName: options.codec.name,
      plain: options.codec.name === 'plain' && options.codec.settings.length === 0,
      codecTags: options.include_codec_tag && enrich.has('codec_metadata'),
      sourceMetadata: enrich.has('source_metadata'),
      peerMetadata: enrich.has('ssl_peer_metadata') || options.ssl_peer_metadata === true,
      addHostname: options.add_hostname,
      ecs: ctx.ecs,
    });
  },
});
