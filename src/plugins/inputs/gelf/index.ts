/**
 * gelf input: Graylog Extended Log Format over UDP (chunked, gzip/zlib or plain) and TCP (NUL
 * after each message), as Logstash's logstash-input-gelf. Chunks are reassembled on the main
 * thread with bounds (protocols/gelf/chunks.ts); inflating and parsing happen in the workers
 * (decoder.ts). Nothing is acknowledged to senders: UDP drops what arrives while the queue is
 * full (counted), TCP stops reading instead.
 */
import { ConfigError } from '../../../core/errors.js';
import { LogRateLimiter } from '../../../core/rate-limit.js';
import { defineInput, PAYLOAD_MAX_BATCHES } from '../../api.js';
import { networkSource } from '../../net/message-source.js';
import { ChunkAssembler, isChunk } from '../../../protocols/gelf/chunks.js';
import { gelfDecoder } from './decoder.js';
import { GELF_INPUT_OPTIONS } from './options.js';

export { GELF_FAILURE_TAG, JSON_FAILURE_TAG } from './decoder.js';

const validPort = (p: number | undefined): boolean => p === undefined || (Number.isInteger(p) && p >= 0 && p <= 65535);

export const gelfInput = defineInput({
  kind: 'input',
  name: 'gelf',
  description: 'Receives GELF messages (Graylog) over UDP (chunked, gzip/zlib/plain) and TCP (NUL-delimited).',
  options: GELF_INPUT_OPTIONS,
  createSource(options, ctx) {
    for (const name of ['port', 'port_tcp', 'port_udp'] as const) {
      if (!validPort(options[name])) throw new ConfigError(`gelf: ${name} must be 0–65535, got ${options[name]}`, ctx.location);
    }
    if (!options.use_udp && !options.use_tcp) throw new ConfigError('gelf: use_udp and use_tcp are both false: nothing to listen on', ctx.location);
    if (!(options.max_pending_chunked_messages >= 1)) throw new ConfigError(`gelf: max_pending_chunked_messages must be at least 1, got ${options.max_pending_chunked_messages}`, ctx.location);
    if (!(options.max_message_size >= 1024)) throw new ConfigError(`gelf: max_message_size must be at least 1 KiB, got ${options.max_message_size}`, ctx.location);
    const assembler = new ChunkAssembler({
      maxMessages: options.max_pending_chunked_messages,
      // Chunks of a message are at most 128 datagrams; pending ones may hold that many messages' worth.
      maxBytes: Math.max(options.max_message_size, 64 * 1024 * 1024),
      timeoutMs: options.chunk_timeout,
    });
    const limiter = new LogRateLimiter();
    let reported = { expired: 0, evicted: 0, invalid: 0 };
    const report = (closing: boolean): void => {
      const { expired, evicted, invalid } = assembler.counters;
      const changed = expired !== reported.expired || evicted !== reported.evicted || invalid !== reported.invalid;
      if (changed && (closing || limiter.allow('chunks') !== undefined)) {
        ctx.logger.warn('gelf: chunked messages dropped (totals)', { incomplete_after_timeout: expired, evicted_over_limit: evicted, invalid_chunks: invalid });
        reported = { expired, evicted, invalid };
      }
    };
    const maxEvents = ctx.batchSize * PAYLOAD_MAX_BATCHES;
    return networkSource({
      name: 'gelf',
      host: options.host,
      tcpPort: options.use_tcp ? options.port_tcp ?? options.port : undefined,
      udpPort: options.use_udp ? options.port_udp ?? options.port : undefined,
      framing: { kind: 'delimited', delimiter: 0 },
      maxMessageBytes: options.max_message_size,
      proxyProtocol: false,
      maxEvents,
      udpQueueSize: 2000,
      maxDatagramBytes: 65507,
      datagram: (data, emit) => {
        if (!isChunk(data)) {
          if (data.length > 0) emit(data);
          return;
        }
        const whole = assembler.accept(data, Date.now());
        if (whole !== undefined && whole.length > 0) emit(whole);
      },
      housekeeping: {
        intervalMs: 500,
        run(closing) {
          assembler.expire(Date.now());
          if (closing) assembler.counters.expired += assembler.clear();
          report(closing);
        },
      },
    }, ctx.logger);
  },
  createDecoder(options) {
    return gelfDecoder({ remap: options.remap, stripLeadingUnderscore: options.strip_leading_underscore, maxMessageBytes: options.max_message_size });
  },
});
