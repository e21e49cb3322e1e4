/**
 * redis output: RPUSH to a list, PUBLISH to a channel, or XADD to a stream. Workers encode each
 * event with the codec and group the values by rendered key (chunks.ts); the main thread sends
 * one MULTI per write and resolves once Redis replied (sink.ts). A connection failure rejects
 * the write as retryable, so the pipeline retries it every `reconnect_interval`, on the next host.
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { defineOutput } from '../../api.js';
import { REDIS_CONNECTION_OPTIONS, RedisConnector, connectorSettings } from '../../redis-connection.js';
import { encodeEach } from '../encoding.js';
import { compileKeySelector } from './key-selector.js';
import { KeyChunkBuilder, chunkTransfers, type KeyChunk } from './chunks.js';
import { RedisSink, type OutputDataType } from './sink.js';

export type { KeyChunk } from './chunks.js';

export const redisOutput = defineOutput({
  kind: 'output',
  name: 'redis',
  binaryCodecs: true,
  description: 'Sends events to Redis: RPUSH to a list, PUBLISH to a channel, or XADD to a stream; a batch is acknowledged once Redis replied.',
  options: {
    ...REDIS_CONNECTION_OPTIONS,
    data_type: { type: 'string', required: true, values: ['list', 'channel', 'stream'], description: 'list (RPUSH), channel (PUBLISH) or stream (XADD).' },
    key: { type: 'string', required: true, description: 'The list, channel or stream name; sprintf allowed (%{field}).' },
    keys: { type: 'array', default: [], description: "Filebeat's key rules: [{key, when, mappings, default}]; the first rule whose condition matches (and whose rendered key is mapped, when mappings are given) names the key, else `key`." },
    codec: { type: 'codec', default: { name: 'json', settings: [] }, description: 'Codec for each value.' },
    batch: { type: 'boolean', default: false, description: 'list: one RPUSH with many values instead of one per event.' },
    batch_events: { type: 'number', default: 50, description: 'list with batch: most values per RPUSH.' },
    batch_timeout: { type: 'number', ignored: 'a write is one pipeline batch; pipeline.batch.delay is how long events gather', description: 'Ignored: pipeline.batch.delay plays its part.' },
    congestion_threshold: { type: 'number', default: 0, description: 'list: wait while the list holds more than this many values (0 = never wait).' },
    congestion_interval: { type: 'number', default: 1, description: 'list: seconds between two looks at a congested list.' },
    reconnect_interval: { type: 'number', default: 1, description: 'Seconds between two attempts of a write that failed (server away: the next host is tried).' },
    stream_maxlen: { type: 'number', default: 0, description: 'stream: trim to about this many entries (XADD MAXLEN ~); 0 = no trimming.' },
    stream_field: { type: 'string', default: 'message', description: 'stream: the entry field holding the encoded event.' },
  },
  createEncoder(options, ctx) {
    const codec = ctx.createCodec(options.codec);
    const binary = codec.binary;
    let keyOf;
    try {
      keyOf = compileKeySelector(options.key, options.keys);
    } catch (err) {
      throw new ConfigError(`redis: ${(err as Error).message}`, ctx.location);
    }
    return {
      encode(events: Event[]) {
        const byKey = new Map<string, KeyChunkBuilder>();
        let position = 0;
        // An event whose key or text cannot be made is left out and reported as rejected.
        const rejected = encodeEach(events, (event) => {
          const key = keyOf(event);
          const value = binary ? binary.encodeBytes(event) : codec.encode(event);
          let builder = byKey.get(key);
          if (builder === undefined) byKey.set(key, (builder = new KeyChunkBuilder(key)));
          if (typeof value === 'string') builder.add(value, position++);
          else builder.addBytes(value, position++);
        });
        const chunks: KeyChunk[] = [...byKey.values()].map((b) => b.build());
        if (chunks.length === 0) return rejected ? { data: undefined, rejected } : undefined;
        return rejected ? { data: chunks, transfer: chunkTransfers(chunks), rejected } : { data: chunks, transfer: chunkTransfers(chunks) };
      },
    };
  },
  createSink(options, ctx) {
    const positive = (name: string, value: number, min: number): void => {
      if (!(value >= min)) throw new ConfigError(`redis: ${name} must be at least ${min}, got ${value}`, ctx.location);
    };
    positive('batch_events', options.batch_events, 1);
    positive('congestion_threshold', options.congestion_threshold, 0);
    positive('congestion_interval', options.congestion_interval, 0.001);
    positive('reconnect_interval', options.reconnect_interval, 0.001);
    positive('stream_maxlen', options.stream_maxlen, 0);
    const settings = connectorSettings(options, `logpipe:${ctx.pipelineId}:${ctx.id}`, ctx.location);
    settings.commandTimeoutMs = settings.connectTimeoutMs;
    const connector = new RedisConnector(settings, ctx.logger);
    const reconnectMs = options.reconnect_interval * 1000;
    return new RedisSink(connector, {
      dataType: options.data_type as OutputDataType,
      valuesPerPush: options.batch ? Math.floor(options.batch_events) : 1,
      congestionThreshold: options.congestion_threshold,
      congestionIntervalMs: options.congestion_interval * 1000,
      streamMaxlen: Math.floor(options.stream_maxlen),
      streamField: options.stream_field,
      // Logstash sleeps reconnect_interval and tries again, for ever: a constant delay, no limit.
      retry: { initialMs: reconnectMs, maxMs: reconnectMs, maxAttempts: 0 },
    }, ctx.logger);
  },
});
