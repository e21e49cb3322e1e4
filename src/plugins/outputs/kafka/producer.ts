/**
 * The kafka output's sink: produces one pipeline batch and resolves only once the broker
 * acknowledged it at the configured `acks` level. Partitions are chosen here, from the cluster
 * metadata, so keyed records land where the Java client would put them (partitioners.ts).
 *
 * Failures: a broker away, a leader moving, a timeout reject the whole write as retryable (the
 * pipeline retries it; nothing is acknowledged early). Records the broker refuses for good
 * (larger than its limit, a topic it will not create) go to the failure path with the reason;
 * when a refusal cannot be pinned on a record, the records are produced one by one to find it.
 */
import { Producer, type BaseOptions, type MessageToProduce } from '@platformatic/kafka';
import type { Logger } from '../../../core/logger.js';
import { OutputError, type WriteResult } from '../../api.js';
import { apiIds, describeKafkaError } from '../../kafka/errors.js';
import { PartitionChooser, type PartitionerName } from '../../kafka/partitioners.js';
import { recordsOf, subsetOf, type BatchRecord, type RecordBatch } from './records.js';

export type Acks = 0 | 1 | -1;
export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface ProducerSettings {
  connection: BaseOptions;
  acks: Acks;
  compression: Compression;
  partitioner: PartitionerName;
  /** Records larger than this (key + value) are refused before they are sent. */
  maxRequestSize: number;
  logger: Logger;
}

/** Broker error codes that no retry will cure for the records concerned. */
const PERMANENT = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'POLICY_VIOLATION',
]);

export class KafkaProducerSink {
  private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  private readonly chooser: PartitionChooser;
  private closed = false;

  constructor(private readonly settings: ProducerSettings) {
    this.producer = new Producer({
      ...settings.connection,
      acks: settings.acks,
      compression: settings.compression,
      // A couple of quick retries inside the client cover a leader election; beyond that the
      // write fails and the pipeline retries it on its own backoff.
      retries: 2,
      autocreateTopics: true,
    });
    this.chooser = new PartitionChooser(settings.partitioner);
  }

  async write(batch: RecordBatch): Promise<WriteResult | void> {
    if (this.closed) throw new OutputError('the kafka output is closed', 'closed');
    const records = recordsOf(batch);
    if (records.length === 0) return;
    const failed: NonNullable<WriteResult['failed']> = [];
    const sendable: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const size = records[i]!.value.length + (records[i]!.key?.length ?? 0);
      if (size > this.settings.maxRequestSize) {
        failed.push({ index: i, reason: `the record is ${size} bytes, larger than max_request_size (${this.settings.maxRequestSize})` });
      } else sendable.push(i);
    }
    if (sendable.length > 0) {
      try {
        await this.produce(records, sendable);
      } catch (err) {
        if (!this.isPermanent(err)) throw this.retryable(err);
        // Refused for good: find which records by producing them one at a time.
        const single = await this.oneByOne(records, sendable);
        failed.push(...single.failed);
        if (single.retry.length > 0) return this.result(failed, records, single.retry);
      }
    }
    return this.result(failed, records, []);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.producer.close().catch(() => undefined);
  }

  private result(failed: NonNullable<WriteResult['failed']>, records: BatchRecord[], retry: number[]): WriteResult | void {
    if (failed.length === 0 && retry.length === 0) return;
    const out: WriteResult = {};
    if (failed.length > 0) out.failed = failed.sort((a, b) => a.index - b.index);
    if (retry.length > 0) out.retry = { data: subsetOf(records, retry), indexes: retry };
    return out;
  }

  private async produce(records: BatchRecord[], positions: number[]): Promise<void> {
    const topics = [...new Set(positions.map((p) => records[p]!.topic))];
    const metadata = await this.producer.metadata({ topics, autocreateTopics: true });
    this.chooser.nextWrite();
    const messages: MessageToProduce<Buffer, Buffer, Buffer, Buffer>[] = positions.map((p) => {
      const r = records[p]!;
      const partitions = metadata.topics.get(r.topic)?.partitionsCount ?? 1;
      const partition = this.chooser.choose(r.topic, r.key, partitions);
      return r.key === undefined ? { topic: r.topic, value: r.value, partition } : { topic: r.topic, key: r.key, value: r.value, partition };
    });
    const result = await this.producer.send({ messages });
    if (this.settings.acks === 0 && result.unwritableNodes && result.unwritableNodes.length > 0) {
      throw new OutputError(`kafka: brokers ${result.unwritableNodes.join(', ')} could not take the records (acks=0)`, 'retryable');
    }
  }

  private async oneByOne(records: BatchRecord[], positions: number[]): Promise<{ failed: NonNullable<WriteResult['failed']>; retry: number[] }> {
    const failed: NonNullable<WriteResult['failed']> = [];
    const retry: number[] = [];
    for (const p of positions) {
      try {
        await this.produce(records, [p]);
      } catch (err) {
        if (this.isPermanent(err)) failed.push({ index: p, reason: `Kafka refused the record: ${describeKafkaError(err)}` });
        else retry.push(p);
      }
    }
    return { failed, retry };
  }

  private isPermanent(err: unknown): boolean {
    const ids = apiIds(err);
    return ids.length > 0 && ids.every((id) => PERMANENT.has(id));
  }

  private retryable(err: unknown): OutputError {
    if (err instanceof OutputError) return err;
    const message = `kafka: the write failed: ${describeKafkaError(err)}`;
    this.settings.logger.warn(message);
    return new OutputError(message, 'retryable', { cause: err });
  }
}
