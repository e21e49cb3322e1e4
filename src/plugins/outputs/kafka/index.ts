/**
 * kafka output. Workers encode each event with the codec and render its topic (`topic_id`, or the
 * agent's `topics` rules) and key (`message_key`); the main thread chooses partitions and
 * produces, acknowledging a batch only once the broker acknowledged it at the `acks` level
 * (producer.ts). docs/plugins/outputs/kafka.md says what each `acks` level risks.
 */
import { defineOutput } from '../../api.js';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { compileTemplate } from '../../../core/sprintf.js';
import { clientConnection, KAFKA_CONNECTION_OPTIONS } from '../../kafka/connection.js';
import { PARTITIONERS, type PartitionerName } from '../../kafka/partitioners.js';
import { zstdReady } from '../../kafka/zstd.js';
import { encodeEach } from '../encoding.js';
import { compileKeySelector } from '../redis/key-selector.js';
import type { Acks, Compression } from './producer.js';
import { topicNameProblem, type RecordBatch, type TopicGroup } from './records.js';

/** Writes (pipeline batches) in flight at once, as the Java client keeps several requests in flight per connection. */
const WRITES_IN_FLIGHT = 4;

const ACKS: Readonly<Record<string, Acks>> = { '0': 0, '1': 1, all: -1, '-1': -1 };

const JAVA_PARTITIONERS: Readonly<Record<string, PartitionerName>> = {
  'org.apache.kafka.clients.producer.RoundRobinPartitioner': 'round_robin',
  'org.apache.kafka.clients.producer.UniformStickyPartitioner': 'uniform_sticky',
  'org.apache.kafka.clients.producer.internals.DefaultPartitioner': 'default',
};

export const kafkaOutput = defineOutput({
  kind: 'output',
  name: 'kafka',
  binaryCodecs: true,
  description: 'Produces events to Kafka topics; a batch is acknowledged once the broker acknowledged it at the `acks` level.',
  options: {
    ...KAFKA_CONNECTION_OPTIONS,
    topic_id: { type: 'string', required: true, description: 'Topic to produce to; sprintf per event (%{[kafka_key]}).' },
    topics: { type: 'array', default: [], description: "Filebeat's topic rules [{topic, when, mappings, default}] (the agent's output.kafka.topics); the first that matches names the topic, else topic_id." },
    message_key: { type: 'string', description: 'Record key; sprintf per event. Keyed records go to the partition the Java client picks (murmur2).' },
    acks: {
      type: 'string',
      default: '1',
      values: ['0', '1', 'all', '-1'],
      description: '0: no acknowledgement (records lost silently if the broker drops them); 1: the leader wrote them (lost if it dies before replicas copy them); all: every in-sync replica has them.',
    },
    compression_type: { type: 'string', default: 'none', values: ['none', 'gzip', 'snappy', 'lz4', 'zstd'], description: 'Compression of record batches.' },
    partitioner: {
      type: 'string',
      default: 'default',
      description: 'default (murmur2 of the key as the Java client, sticky per batch without one), round_robin, uniform_sticky, murmur2, fnv1a (Filebeat\'s partition.hash), or a Java partitioner class name of the same.',
    },
    retries: { type: 'number', description: 'Attempts after the first before a write fails for good and its events go to the failure path; unset: retry until delivered.' },
    max_request_size: { type: 'number', default: 1_048_576, description: 'A record larger than this (key + value bytes) is not sent: it goes to the failure path.' },
    batch_size: { type: 'number', ignored: 'a producer batch is one pipeline batch (pipeline.batch.size)', description: 'Ignored: pipeline.batch.size plays its part.' },
    linger_ms: { type: 'number', ignored: 'events gather for pipeline.batch.delay', description: 'Ignored: pipeline.batch.delay plays its part.' },
    buffer_memory: { type: 'number', ignored: 'the pipeline queue bounds memory (queue.max_bytes)', description: 'Ignored.' },
    max_in_flight_requests_per_connection: { type: 'number', ignored: `${WRITES_IN_FLIGHT} writes are in flight at once`, description: 'Ignored.' },
    metadata_fetch_timeout_ms: { type: 'number', ignored: 'metadata requests follow request_timeout_ms', description: 'Ignored.' },
    key_serializer: { type: 'string', default: 'org.apache.kafka.common.serialization.StringSerializer', description: 'Only the StringSerializer (message_key is text).' },
    value_serializer: { type: 'string', default: 'org.apache.kafka.common.serialization.StringSerializer', description: 'The StringSerializer, or the ByteArraySerializer (what Logstash needs for msgpack): the codec\'s bytes are written either way.' },
    codec: { type: 'codec', default: { name: 'plain', settings: [] }, description: 'Codec of each record value (Logstash\'s default is plain).' },
  },
  createEncoder(options, ctx) {
    const codec = ctx.createCodec(options.codec);
    const binary = codec.binary;
    let topicOf;
    try {
      topicOf = compileKeySelector(options.topic_id, options.topics);
    } catch (err) {
      throw new ConfigError(`kafka: ${(err as Error).message.replace(/^keys/, 'topics')}`, ctx.location);
    }
    const keyOf = options.message_key === undefined ? undefined : compileTemplate(options.message_key);
    return {
      encode(events: Event[]) {
        // Values gather as text per topic (a binary codec's as bytes); the bytes are written once, into
        // one buffer the sink receives without a copy (a TextEncoder array per record costs more than the JSON).
        const groups = new Map<string, { values: (string | Uint8Array)[]; sizes: number[]; keys: (string | null)[] }>();
        let total = 0;
        let anyKey = false;
        const rejected = encodeEach(events, (event) => {
          const topic = topicOf(event);
          let group = groups.get(topic);
          if (!group) {
            const problem = topicNameProblem(topic);
            if (problem) throw new Error(problem);
          }
          const key = keyOf ? keyOf(event) : null;
          const value = binary ? binary.encodeBytes(event) : codec.encode(event);
          const size = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
          if (!group) groups.set(topic, (group = { values: [], sizes: [], keys: [] }));
          group.values.push(value);
          group.sizes.push(size);
          group.keys.push(key);
          if (key !== null) anyKey = true;
          total += size;
        });
        const count = events.length - (rejected?.length ?? 0);
        if (count === 0) return rejected ? { data: undefined, rejected } : undefined;
        // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool (it is transferred).
        const bytes = Buffer.allocUnsafeSlow(total);
        const ends = new Uint32Array(count);
        const keys: (string | null)[] = [];
        const topicGroups: TopicGroup[] = [];
        let offset = 0;
        let i = 0;
        for (const [topic, group] of groups) {
          topicGroups.push({ topic, count: group.values.length });
          for (let j = 0; j < group.values.length; j++) {
            const value = group.values[j]!;
            if (typeof value === 'string') offset += bytes.write(value, offset, group.sizes[j]!, 'utf8');
            else offset += (bytes.set(value, offset), value.length);
            ends[i++] = offset;
          }
          if (anyKey) keys.push(...group.keys);
        }
        const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const data: RecordBatch = anyKey ? { bytes: view, ends, keys, groups: topicGroups } : { bytes: view, ends, groups: topicGroups };
        const transfer = [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer];
        return rejected ? { data, transfer, rejected } : { data, transfer };
      },
    };
  },
  async createSink(options, ctx) {
    const connection = clientConnection(options, ctx.location);
    const partitioner = (JAVA_PARTITIONERS[options.partitioner] ?? options.partitioner) as PartitionerName;
    if (!PARTITIONERS.includes(partitioner)) {
      throw new ConfigError(`kafka: unknown partitioner "${options.partitioner}"`, ctx.location, `use one of ${PARTITIONERS.join(', ')}`);
    }
    for (const [name, value] of [['key_serializer', options.key_serializer], ['value_serializer', options.value_serializer]] as const) {
      // Values are bytes either way: a binary codec's (msgpack) as they are, a text codec's as UTF-8.
      const bytesToo = name === 'value_serializer' && value === 'org.apache.kafka.common.serialization.ByteArraySerializer';
      if (value !== 'org.apache.kafka.common.serialization.StringSerializer' && !bytesToo) {
        throw new ConfigError(`kafka: ${name} ${value} is not supported`, ctx.location, 'records are text made by the codec (StringSerializer)');
      }
    }
    if (options.retries !== undefined && !(Number.isInteger(options.retries) && options.retries >= 0)) {
      throw new ConfigError(`kafka: retries must be a whole number >= 0, got ${options.retries}`, ctx.location);
    }
    if (!(options.max_request_size > 0)) throw new ConfigError(`kafka: max_request_size must be positive, got ${options.max_request_size}`, ctx.location);
    await zstdReady();
    // The client is loaded when an output is built, not when the plugin list is: its module graph
    // (schema compilers) would slow every logpipe start and worker thread by a second or more.
    const { KafkaProducerSink } = await import('./producer.js');
    const sink = new KafkaProducerSink({
      connection,
      acks: ACKS[options.acks]!,
      compression: options.compression_type as Compression,
      partitioner,
      maxRequestSize: options.max_request_size,
      logger: ctx.logger,
    });
    const initialMs = Math.max(100, options.retry_backoff_ms);
    return {
      write: (data) => sink.write(data as RecordBatch),
      close: () => sink.close(),
      concurrency: WRITES_IN_FLIGHT,
      retry: { initialMs, maxMs: Math.max(initialMs, 30_000), maxAttempts: options.retries === undefined ? 0 : options.retries + 1 },
    };
  },
});
