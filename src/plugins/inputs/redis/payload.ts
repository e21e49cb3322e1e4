/**
 * What the redis input's source (main thread) hands the decoder (worker): the raw bodies of many
 * messages back to back in one byte array, where each ends, and (channel modes) the channel of
 * each. The main thread never decodes a body; the worker applies the codec per message.
 */
import { PAYLOAD_MAX_BATCHES, PAYLOAD_TARGET_BYTES, type InputPayload } from '../../api.js';
import { packBodies, transferOf, type PackedBodies } from '../../message-bodies.js';

export interface MessagesPayload extends PackedBodies {
  /** channel / pattern_channel: the channel each message came from. */
  channels?: string[];
}

/** Gathers messages until a payload is full: PAYLOAD_MAX_BATCHES × batch size, or ~PAYLOAD_TARGET_BYTES. */
export class PayloadBuilder {
  readonly maxEvents: number;
  private bodies: Buffer[] = [];
  private channels: string[] | undefined;
  private size = 0;

  constructor(batchSize: number) {
    this.maxEvents = Math.max(1, batchSize * PAYLOAD_MAX_BATCHES);
  }

  get count(): number {
    return this.bodies.length;
  }

  /** How many more messages fit. */
  get room(): number {
    return this.size >= PAYLOAD_TARGET_BYTES ? 0 : this.maxEvents - this.bodies.length;
  }

  add(body: Buffer, channel?: string): void {
    this.bodies.push(body);
    this.size += body.length;
    if (channel !== undefined) (this.channels ??= []).push(channel);
  }

  /** The payload of what was gathered (and the bodies, for sources that must name them again on ack), then starts afresh. */
  take(): { payload: InputPayload; bodies: Buffer[] } {
    const bodies = this.bodies;
    const packed = packBodies(bodies, this.size);
    const data: MessagesPayload = this.channels ? { ...packed, channels: this.channels } : packed;
    const payload: InputPayload = { data, transfer: transferOf(packed), events: bodies.length, bytes: this.size };
    this.bodies = [];
    this.channels = undefined;
    this.size = 0;
    return { payload, bodies };
  }
}
