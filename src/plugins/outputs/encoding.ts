/** Shared by text outputs: encodes a batch with a codec into one transferable byte array. */
import type { Event } from '../../core/event.js';
import type { Codec, OutputPayload } from '../api.js';

const encoder = new TextEncoder();

export function encodeText(codec: Codec, events: Event[]): string {
  let text = '';
  for (const event of events) text += codec.encode(event);
  return text;
}

export function bytesPayload(bytes: Uint8Array): OutputPayload {
  return { data: bytes, transfer: [bytes.buffer as ArrayBuffer] };
}

export function textPayload(text: string): OutputPayload {
  return bytesPayload(encoder.encode(text));
}
