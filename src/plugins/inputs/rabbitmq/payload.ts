/**
 * What the rabbitmq input's source hands the worker: the bodies of many messages in one
 * transferable buffer, which of them were redelivered, and their properties when the worker
 * needs them (metadata_enabled). Never events: decoding happens in the worker.
 */
import type { ConsumeMessage } from 'amqplib';
import type { InputPayload } from '../../api.js';
import { packBodies, transferOf, type PackedBodies } from '../../message-bodies.js';
import type { MessageMetadata } from './metadata.js';

export interface MessagesPayload extends PackedBodies {
  /** Positions of the messages the broker redelivered, ascending. */
  redelivered?: number[];
  /** Per message, when metadata_enabled is basic or extended. */
  metadata?: MessageMetadata[];
}

/** Messages gathered on the main thread until they are handed over. */
export class PayloadBuilder {
  private bodies: Buffer[] = [];
  private tags: number[] = [];
  private redelivered: number[] = [];
  private metadata: MessageMetadata[] = [];
  private size = 0;

  get count(): number {
    return this.bodies.length;
  }

  get bytes(): number {
    return this.size;
  }

  add(msg: ConsumeMessage, metadata: MessageMetadata | undefined): void {
    if (msg.fields.redelivered) this.redelivered.push(this.bodies.length);
    if (metadata) this.metadata.push(metadata);
    this.bodies.push(msg.content);
    this.tags.push(msg.fields.deliveryTag);
    this.size += msg.content.length;
  }

  /** The delivery tags gathered so far, emptying the builder (messages that will not be handed over). */
  drop(): number[] {
    const tags = this.tags;
    this.reset();
    return tags;
  }

  /** The payload of the messages gathered so far and their delivery tags; empties the builder. */
  take(): { payload: InputPayload; tags: number[] } {
    const packed = packBodies(this.bodies, this.size);
    const data: MessagesPayload = { ...packed };
    if (this.redelivered.length > 0) data.redelivered = this.redelivered;
    if (this.metadata.length > 0) data.metadata = this.metadata;
    const payload: InputPayload = { data, transfer: transferOf(packed), events: packed.ends.length, bytes: this.size };
    const tags = this.tags;
    this.reset();
    return { payload, tags };
  }

  private reset(): void {
    this.bodies = [];
    this.tags = [];
    this.redelivered = [];
    this.metadata = [];
    this.size = 0;
  }
}
