/**
 * What the redis input's source (main thread) hands the decoder (worker): the raw bodies of many
 * messages back to back in one byte array, where each ends, and (channel modes) the channel of
 * each. The main thread never decodes a body; the worker applies the codec per message.
 */
import { PAYLOAD_MAX_BATCHES, PAYLOAD_TARGET_BYTES, type InputPayload } from '../../api.js';

export interface MessagesPayload {
  bytes: Uint8Array;
  /** End offset in `bytes` of each message. */
  ends: Uint32Array;
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
    // A fresh array, never Buffer.concat: a small Buffer may sit in Node's shared pool, and
    // transferring that pool to a worker would detach it under everyone else's feet.
    const bytes = new Uint8Array(this.size);
    const ends = new Uint32Array(bodies.length);
    let at = 0;
    for (let i = 0; i < bodies.length; i++) {
      bytes.set(bodies[i]!, at);
      at += bodies[i]!.length;
      ends[i] = at;
    }
    const data: MessagesPayload = this.channels ? { bytes, ends, channels: this.channels } : { bytes, ends };
    const payload: InputPayload = { data, transfer: [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer], events: bodies.length, bytes: this.size };
    this.bodies = [];
    this.channels = undefined;
    this.size = 0;
    return { payload, bodies };
  }
}
