/**
 * kafka input. The main thread reads the assigned partitions of the consumer group and hands the
 * workers record values in bulk (consumer.ts); workers decode them with the codec and add
 * `[@metadata][kafka]` (decorate_events). Offsets are committed only for records the pipeline
 * acknowledged, as the highest contiguous acknowledged offset per partition (commits.ts).
 */
import { Event } from '../../../core/event.js';
import { ConfigError } from '../../../core/errors.js';
import { defineInput, PAYLOAD_MAX_BATCHES, type InputSource } from '../../api.js';
import { queueBodyText } from '../../codec-bytes.js';
import { clientConnection, KAFKA_CONNECTION_OPTIONS } from '../../kafka/connection.js';
import { KafkaSource } from './consumer.js';
import type { DecorateMode, RecordsPayload } from './payload.js';

/** Tag of an event made from a value that is not UTF-8 text; its `message` is the value in base64. */
export const BINARY_VALUE_TAG = '_kafka_binary_value';

function decorateMode(value: string): DecorateMode {
  if (value === 'true') return 'basic';
  if (value === 'false') return 'none';
  return value as DecorateMode;
}

const positive = (name: string, value: number, location: Parameters<typeof clientConnection>[1]): number => {
  if (!(Number.isFinite(value) && value > 0)) throw new ConfigError(`kafka: ${name} must be a positive number, got ${value}`, location);
  return value;
};

export const kafkaInput = defineInput({
  kind: 'input',
  name: 'kafka',
  binaryCodecs: true,
  description: 'Consumes Kafka topics in a consumer group; offsets are committed only for events the pipeline acknowledged (at least once).',
  options: {
    ...KAFKA_CONNECTION_OPTIONS,
    topics: { type: 'string_list', default: ['logstash'], description: 'Topics to consume.' },
    topics_pattern: { type: 'string', description: 'Regular expression of topic names to consume (whole-name match); replaces topics. Topics created later join at the next metadata refresh (metadata_max_age_ms).' },
    group_id: { type: 'string', default: 'logstash', description: 'Consumer group: instances with the same group_id share the partitions.' },
    group_instance_id: { type: 'string', description: 'Static group membership id (a restart within session_timeout_ms keeps the partitions).' },
    consumer_threads: { type: 'number', default: 1, description: 'Group members this input runs (each its own connection); at most the partition count do work.' },
    auto_offset_reset: { type: 'string', values: ['earliest', 'latest', 'none'], description: 'Where to start when the group has no committed offset: earliest, latest (the default), or none (fail).' },
    enable_auto_commit: { type: 'boolean', default: true, description: 'true: acknowledged offsets are committed every auto_commit_interval_ms; false: as soon as they are acknowledged. Never an offset the pipeline has not acknowledged.' },
    auto_commit_interval_ms: { type: 'number', default: 5000, description: 'How often acknowledged offsets are committed (enable_auto_commit); a crash re-delivers at most this much.' },
    decorate_events: {
      type: 'string',
      default: 'none',
      values: ['none', 'basic', 'extended', 'true', 'false'],
      description: 'basic: topic, consumer_group, partition, offset, key, timestamp under [@metadata][kafka]; extended: also the record headers under [@metadata][kafka][headers]; true = basic, false = none.',
    },
    session_timeout_ms: { type: 'number', default: 10_000, description: 'A member silent this long leaves the group and its partitions are reassigned.' },
    heartbeat_interval_ms: { type: 'number', default: 3000, description: 'Heartbeats to the group coordinator (they go on while the pipeline is busy).' },
    max_poll_interval_ms: { type: 'number', default: 300_000, description: 'Rebalance timeout: how long the group waits for members to rejoin.' },
    fetch_max_wait_ms: { type: 'number', default: 500, description: 'Longest a fetch waits at the broker for fetch_min_bytes.' },
    fetch_min_bytes: { type: 'number', default: 1, description: 'Least data a fetch waits for.' },
    fetch_max_bytes: { type: 'number', default: 52_428_800, description: 'Most data one fetch returns.' },
    max_partition_fetch_bytes: { type: 'number', default: 1_048_576, description: 'Most data one fetch returns per partition.' },
    max_poll_records: { type: 'number', default: 500, description: 'Records a member buffers ahead of the pipeline; fetching stops beyond that (backpressure).' },
    poll_timeout_ms: { type: 'number', ignored: 'there is no poll loop: records arrive as fetches return (fetch_max_wait_ms bounds a fetch)', description: 'Ignored.' },
    isolation_level: { type: 'string', default: 'read_uncommitted', values: ['read_uncommitted', 'read_committed'], description: 'read_committed hides records of aborted and open transactions.' },
    partition_assignment_strategy: {
      type: 'string',
      ignored: 'the group leader spreads partitions round robin, and rebalances are eager: every member gives its partitions back and receives new ones (no cooperative protocol)',
      description: 'Ignored.',
    },
    check_crcs: { type: 'boolean', ignored: 'the client checks record batch CRCs', description: 'Ignored.' },
    exclude_internal_topics: { type: 'boolean', default: true, description: 'topics_pattern never matches internal topics (__consumer_offsets).' },
    client_rack: { type: 'string', ignored: 'fetches go to partition leaders', description: 'Ignored.' },
    key_deserializer_class: { type: 'string', default: 'org.apache.kafka.common.serialization.StringDeserializer', description: 'Only the StringDeserializer (keys are read as UTF-8 text).' },
    value_deserializer_class: { type: 'string', default: 'org.apache.kafka.common.serialization.StringDeserializer', description: 'The StringDeserializer, or the ByteArrayDeserializer (what Logstash needs for msgpack): the value\'s bytes go to the codec either way.' },
    codec: { type: 'codec', default: { name: 'plain', settings: [] }, description: 'Codec of each record value.' },
  },
  createSource(options, ctx): InputSource {
    const loc = ctx.location;
    const connection = clientConnection(options, loc);
    const threads = positive('consumer_threads', options.consumer_threads, loc);
    if (!Number.isInteger(threads)) throw new ConfigError(`kafka: consumer_threads must be a whole number, got ${threads}`, loc);
    for (const [name, value] of [['key_deserializer_class', options.key_deserializer_class], ['value_deserializer_class', options.value_deserializer_class]] as const) {
      // Values are bytes either way: a binary codec (msgpack) reads them as they are, a text codec as UTF-8.
      const bytesToo = name === 'value_deserializer_class' && value === 'org.apache.kafka.common.serialization.ByteArrayDeserializer';
      if (value !== 'org.apache.kafka.common.serialization.StringDeserializer' && !bytesToo) {
        throw new ConfigError(`kafka: ${name} ${value} is not supported`, loc, 'records are read as text (StringDeserializer) and decoded by the codec');
      }
    }
    let topicsPattern: RegExp | undefined;
    if (options.topics_pattern !== undefined) {
      try {
        // Java matches the whole name (Pattern.matcher(topic).matches()).
        topicsPattern = new RegExp(`^(?:${options.topics_pattern})$`);
      } catch (err) {
        throw new ConfigError(`kafka: topics_pattern is not a valid regular expression: ${(err as Error).message}`, loc);
      }
    } else if (options.topics.length === 0) {
      throw new ConfigError('kafka: topics names no topic (or set topics_pattern)', loc);
    }
    return new KafkaSource({
      connection,
      groupId: options.group_id,
      groupInstanceId: options.group_instance_id,
      topics: options.topics,
      topicsPattern,
      excludeInternalTopics: options.exclude_internal_topics,
      threads,
      offsetReset: options.auto_offset_reset === 'earliest' ? 'earliest' : options.auto_offset_reset === 'none' ? 'fail' : 'latest',
      commitOnTimer: options.enable_auto_commit,
      commitIntervalMs: positive('auto_commit_interval_ms', options.auto_commit_interval_ms, loc),
      sessionTimeoutMs: positive('session_timeout_ms', options.session_timeout_ms, loc),
      heartbeatIntervalMs: positive('heartbeat_interval_ms', options.heartbeat_interval_ms, loc),
      rebalanceTimeoutMs: positive('max_poll_interval_ms', options.max_poll_interval_ms, loc),
      fetchMaxWaitMs: positive('fetch_max_wait_ms', options.fetch_max_wait_ms, loc),
      fetchMinBytes: positive('fetch_min_bytes', options.fetch_min_bytes, loc),
      fetchMaxBytes: positive('fetch_max_bytes', options.fetch_max_bytes, loc),
      partitionFetchBytes: positive('max_partition_fetch_bytes', options.max_partition_fetch_bytes, loc),
      maxPollRecords: positive('max_poll_records', options.max_poll_records, loc),
      readCommitted: options.isolation_level === 'read_committed',
      decorate: decorateMode(options.decorate_events),
      maxRecords: ctx.batchSize * PAYLOAD_MAX_BATCHES,
      logger: ctx.logger,
    });
  },
  createDecoder(options, ctx) {
    const codec = ctx.createCodec(options.codec);
    const binary = codec.binary;
    const textOf = queueBodyText(codec);
    const group = options.group_id;
    return {
      decode(data, emit) {
        const { bytes, ends, metadata } = data as RecordsPayload;
        let start = 0;
        for (let i = 0; i < ends.length; i++) {
          const value = bytes.subarray(start, ends[i]);
          start = ends[i]!;
          const meta = metadata?.[i];
          const decorate = meta
            ? (event: Event): void => {
                const kafka: Record<string, unknown> = {
                  topic: meta.topic,
                  consumer_group: group,
                  partition: meta.partition,
                  offset: meta.offset,
                  key: meta.key,
                  timestamp: meta.timestamp,
                };
                if (meta.headers) kafka['headers'] = { ...meta.headers };
                event.set('[@metadata][kafka]', kafka);
                emit(event);
              }
            : emit;
          if (binary) {
            binary.decodeBytes(value, decorate);
            continue;
          }
          const text = textOf(value);
          if (text === undefined) {
            const event = new Event({ message: Buffer.from(value).toString('base64') });
            event.tag(BINARY_VALUE_TAG);
            decorate(event);
          } else {
            codec.decode(text, decorate);
          }
        }
      },
    };
  },
});
