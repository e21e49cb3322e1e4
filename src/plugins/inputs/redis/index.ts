/**
 * redis input. The source (main thread) reads raw message bodies in one of five modes and hands
 * the worker payloads of many of them as bytes (payload.ts); the decoder (worker) applies the
 * codec to each message. Modes and their guarantees:
 *
 *   list             LPOP/BLPOP, as Logstash: at most once past the pop          list.ts
 *   channel          SUBSCRIBE, fire and forget                                   pubsub.ts
 *   pattern_channel  PSUBSCRIBE, fire and forget                                  pubsub.ts
 *   stream           consumer group, XACK after the pipeline acknowledged        stream.ts
 *   reliable_list    BLMOVE to an in-progress list, LREM after acknowledgement   reliable-list.ts
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { defineInput, type InputSource } from '../../api.js';
import { REDIS_CONNECTION_OPTIONS, connectorSettings } from '../../redis-connection.js';
import { listSource } from './list.js';
import type { MessagesPayload } from './payload.js';
import { pubsubSource } from './pubsub.js';
import { reliableListSource } from './reliable-list.js';
import { streamSource } from './stream.js';
import { bytesDecoder } from '../../codec-bytes.js';

/** Tag of an event made of a message the codec threw on (the raw text is kept as `message`). */
export const DECODE_ERROR_TAG = '_decode_error';

export const redisInput = defineInput({
  kind: 'input',
  name: 'redis',
  binaryCodecs: true,
  description: 'Reads events from Redis: a list, a (pattern) channel, a stream through a consumer group, or a list consumed at least once (reliable_list).',
  options: {
    ...REDIS_CONNECTION_OPTIONS,
    data_type: {
      type: 'string',
      required: true,
      values: ['list', 'channel', 'pattern_channel', 'stream', 'reliable_list'],
      description: 'list (pop, at most once), channel / pattern_channel (subscribe), stream (consumer group, at least once) or reliable_list (at least once).',
    },
    key: { type: 'string', required: true, description: 'The list, channel, channel pattern or stream name.' },
    codec: { type: 'codec', default: { name: 'json', settings: [] }, description: 'Codec applied to each message.' },
    batch_count: { type: 'number', default: 125, description: 'Most messages taken per Redis command (list, reliable_list, stream).' },
    threads: { type: 'number', default: 1, description: 'Readers, each on its own connection (list, reliable_list, stream).' },
    command_map: { type: 'hash', ignored: 'commands are not renamed', description: 'Ignored.' },
    group: { type: 'string', default: 'logpipe', description: 'stream: the consumer group.' },
    consumer: { type: 'string', description: 'stream: consumer name prefix (default: host:pid:random); each thread appends -<n>. Must be unique per process.' },
    group_start_id: { type: 'string', default: '0', description: 'stream: where a newly created group starts: "0" (all entries) or "$" (new ones only).' },
    stream_field: { type: 'string', default: 'message', description: 'stream: the entry field holding the message (an entry without it is read as a JSON object of its fields).' },
    claim_idle_time: { type: 'number', default: 60, description: 'stream: seconds an entry stays pending before another consumer takes it over (XAUTOCLAIM). Keep it above the pipeline\'s worst delay.' },
    claim_interval: { type: 'number', default: 10, description: 'stream: seconds between two looks for entries to take over.' },
    delete_acknowledged: { type: 'boolean', default: false, description: 'stream: XDEL entries once acknowledged (only when this group is the stream\'s only reader).' },
    consumer_timeout: { type: 'number', default: 30, description: 'reliable_list: seconds without a heartbeat after which a consumer counts as dead and its in-progress messages are re-queued.' },
  },
  createSource(options, ctx): InputSource {
    const atLeast = (name: string, value: number, min: number): number => {
      if (!(value >= min)) throw new ConfigError(`redis: ${name} must be at least ${min}, got ${value}`, ctx.location);
      return value;
    };
    const batchCount = Math.floor(atLeast('batch_count', options.batch_count, 1));
    const threads = Math.floor(atLeast('threads', options.threads, 1));
    const connection = connectorSettings(options, `logpipe:${ctx.pipelineId}:${ctx.id}`, ctx.location);
    switch (options.data_type) {
      case 'list':
        return listSource({ key: options.key, batchCount, threads }, connection, ctx);
      case 'channel':
      case 'pattern_channel':
        if (threads > 1) ctx.logger.warn('redis: threads is ignored for channels (each subscriber would receive every message)', { key: options.key });
        return pubsubSource(options.data_type === 'pattern_channel', options.key, connection, ctx);
      case 'stream':
        return streamSource({
          key: options.key,
          group: options.group,
          consumer: options.consumer ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
          groupStartId: options.group_start_id,
          batchCount,
          threads,
          field: options.stream_field,
          claimIdleMs: atLeast('claim_idle_time', options.claim_idle_time, 0.001) * 1000,
          claimIntervalMs: atLeast('claim_interval', options.claim_interval, 0.001) * 1000,
          deleteAcknowledged: options.delete_acknowledged,
        }, connection, ctx);
      case 'reliable_list':
        return reliableListSource({ key: options.key, batchCount, threads, consumerTimeoutMs: atLeast('consumer_timeout', options.consumer_timeout, 0.3) * 1000 }, connection, ctx);
      default:
        throw new ConfigError(`redis: unknown data_type "${options.data_type}"`, ctx.location);
    }
  },
  createDecoder(options, ctx) {
    const decodeMessage = bytesDecoder(ctx.createCodec(options.codec));
    const raw = ctx.createCodec({ name: 'plain', settings: [] });
    const text = new TextDecoder('utf-8');
    /** The events of the message being decoded: emitted only once the codec is done with it. */
    const pending: Event[] = [];
    const collect = (event: Event): void => void pending.push(event);
    return {
      decode(data, emit) {
        const { bytes, ends, channels } = data as MessagesPayload;
        let start = 0;
        for (let i = 0; i < ends.length; i++) {
          const message = bytes.subarray(start, ends[i]);
          start = ends[i]!;
          pending.length = 0;
          try {
            decodeMessage(message, collect);
          } catch {
            // A codec failing on one message costs only that message its decoding: it is kept
            // raw and tagged (invalid UTF-8 becomes U+FFFD), and the messages after it are decoded as usual.
            pending.length = 0;
            raw.decode(text.decode(message), collect);
            for (const e of pending) e.tag(DECODE_ERROR_TAG);
          }
          for (const event of pending) {
            if (channels) event.set('[@metadata][redis_channel]', channels[i]);
            emit(event);
          }
        }
      },
    };
  },
});
