/**
 * What the kafka input's source hands the worker: the values of many records in one
 * transferable buffer, and, when decorate_events asks for them, each record's topic, partition,
 * offset, key, timestamp (and headers). Never events: decoding happens in the worker.
 */
import type { Message } from '@platformatic/kafka';
import type { InputPayload } from '../../api.js';
import { packBodies, transferOf, type PackedBodies } from '../../message-bodies.js';

export type DecorateMode = 'none' | 'basic' | 'extended';

export interface RecordMetadata {
  topic: string;
  partition: number;
  /** Offsets and timestamps are 64-bit; numbers hold them exactly up to 2^53. */
  offset: number;
  key: string | null;
  timestamp: number;
  headers?: Record<string, string>;
}

export interface RecordsPayload extends PackedBodies {
  metadata?: RecordMetadata[];
}

const EMPTY = Buffer.alloc(0);

/** Records gathered on the main thread until they are handed over. */
export class PayloadBuilder {
  private values: Buffer[] = [];
  private metadata: RecordMetadata[] = [];
  private size = 0;
  /** The last offset of each partition in this payload. */
  private last = new Map<string, { topic: string; partition: number; offset: bigint }>();

  constructor(private readonly decorate: DecorateMode) {}

  get count(): number {
    return this.values.length;
  }

  add(message: Message<Buffer, Buffer, Buffer, Buffer>): void {
    const value = message.value ?? EMPTY;
    this.values.push(value);
    this.size += value.length;
    this.last.set(`${message.topic}:${message.partition}`, { topic: message.topic, partition: message.partition, offset: message.offset });
    if (this.decorate === 'none') return;
    const meta: RecordMetadata = {
      topic: message.topic,
      partition: message.partition,
      offset: Number(message.offset),
      key: message.key && message.key.length > 0 ? message.key.toString('utf8') : null,
      timestamp: Number(message.timestamp),
    };
    if (this.decorate === 'extended' && message.headers.size > 0) {
      const headers: Record<string, string> = {};
      for (const [k, v] of message.headers) headers[k.toString('utf8')] = v === undefined || v === null ? '' : v.toString('utf8');
      meta.headers = headers;
    }
    this.metadata.push(meta);
  }

  /** The payload of the records gathered so far and the last offset per partition; empties the builder. */
  take(): { payload: InputPayload; lastOffsets: Map<string, { topic: string; partition: number; offset: bigint }> } {
    const packed = packBodies(this.values, this.size);
    const data: RecordsPayload = this.metadata.length > 0 ? { ...packed, metadata: this.metadata } : { ...packed };
    const payload: InputPayload = { data, transfer: transferOf(packed), events: packed.ends.length, bytes: this.size };
    const lastOffsets = this.last;
    this.values = [];
    this.metadata = [];
    this.size = 0;
    this.last = new Map();
    return { payload, lastOffsets };
  }
}
