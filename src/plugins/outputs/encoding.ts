/** Shared by text outputs: encodes a batch with a codec into one transferable byte array. */
import { concatBytes } from '../../core/bytes.js';
import type { Event } from '../../core/event.js';
import { diagnosticJson } from '../../core/json-depth.js';
import { Utf8Builder } from '../../core/utf8-builder.js';
import type { Codec, OutputEncoder, OutputPayload, RejectedEvent } from '../api.js';

/**
 * Calls `encodeOne` for each event. An event it throws on (cyclic, a BigInt, nested too deep,
 * a format that fails) is left out and reported; the others are encoded. `encodeOne` must
 * add nothing for an event it throws on. One try around the loop, resumed after the event
 * that threw, so encoding costs nothing more when nothing throws.
 */
export function encodeEach(events: Event[], encodeOne: (event: Event) => void): RejectedEvent[] | undefined {
  let rejected: RejectedEvent[] | undefined;
  const n = events.length;
  let i = 0;
  while (i < n) {
    try {
      for (; i < n; i++) encodeOne(events[i]!);
    } catch (err) {
      (rejected ??= []).push(rejection(events[i]!, err));
      i++;
    }
  }
  return rejected;
}

export function rejection(event: Event, err: unknown): RejectedEvent {
  const reason = err instanceof Error ? `cannot encode the event: ${err.message}` : `cannot encode the event: ${String(err)}`;
  return { reason, event: diagnosticJson(event.data) };
}

/** The codec's text for each event it can encode, as UTF-8 (utf8-builder.ts says why not one string), and the events it cannot. */
export function encodeText(codec: Codec, events: Event[]): { bytes: Uint8Array; rejected: RejectedEvent[] | undefined } {
  const text = new Utf8Builder();
  const rejected = encodeEach(events, (event) => {
    text.append(codec.encode(event));
  });
  return { bytes: text.take(), rejected };
}

export function bytesPayload(bytes: Uint8Array): OutputPayload {
  return { data: bytes, transfer: [bytes.buffer as ArrayBuffer] };
}

/** A payload of encoded text with the events left out; no data when every event was rejected. */
export function bytesPayloadWithRejected(bytes: Uint8Array, rejected: RejectedEvent[] | undefined): OutputPayload {
  if (rejected === undefined) return bytesPayload(bytes);
  if (bytes.length === 0) return { data: undefined, rejected };
  return { ...bytesPayload(bytes), rejected };
}

/**
 * The encoder of an output that writes each event's codec output end to end (stdout, tcp): text,
 * or a binary codec's bytes (a stream of msgpack values, as Logstash's tcp output writes them).
 */
export function codecTextEncoder(codec: Codec): OutputEncoder {
  const binary = codec.binary;
  if (binary) {
    return {
      encode(events) {
        const parts: Uint8Array[] = [];
        let size = 0;
        const rejected = encodeEach(events, (event) => {
          const bytes = binary.encodeBytes(event);
          parts.push(bytes);
          size += bytes.length;
        });
        if (parts.length === 0) return rejected ? { data: undefined, rejected } : undefined;
        const payload = bytesPayload(concatBytes(parts, size));
        return rejected ? { ...payload, rejected } : payload;
      },
    };
  }
  return {
    encode(events) {
      const { bytes, rejected } = encodeText(codec, events);
      return bytesPayloadWithRejected(bytes, rejected);
    },
  };
}
