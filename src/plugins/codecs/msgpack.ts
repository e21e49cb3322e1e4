/**
 * msgpack: MessagePack, a binary codec (Codec.binary; docs/decisions/0023-binary-codecs.md), on
 * @msgpack/msgpack. As logstash-codec-msgpack 3.x:
 * * decode: one message is one map, which becomes the event (or the value under `target`); with
 *   `format`, an event without `message` gets the format rendered against it. Bytes that are
 *   not one whole msgpack value, or a value that is not a map (without `target`), give an event
 *   tagged `_msgpackparsefailure` that keeps the bytes: in `message`, base64 (Logstash puts the
 *   raw bytes there, which no text output can carry intact).
 * * encode: the event's fields as a map, `@timestamp` (and any other timestamp) as its ISO-8601
 *   text; `@metadata` is not written.
 * Decoded `bin` values become text when they are UTF-8, else base64; ext values (the msgpack
 * timestamp extension included) become their ISO-8601 text (timestamps) or base64 data.
 */
import { Decoder, Encoder, ExtData } from '@msgpack/msgpack';
import { Event } from '../../core/event.js';
import { LogRateLimiter, rateLimitedWarn } from '../../core/rate-limit.js';
import { compileTemplate } from '../../core/sprintf.js';
import { Timestamp } from '../../core/timestamp.js';
import { defineCodec, type BinaryCodec, type Codec } from '../api.js';
import { MsgpackFramer } from './msgpack-framer.js';

export const MSGPACK_FAILURE_TAG = '_msgpackparsefailure';

/** Deeper maps and arrays are refused on encode (the event is rejected by the output), as the JSON codecs refuse theirs. */
const MAX_DEPTH = 500;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function bytesAsText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
}

/** Values the library decodes that an event cannot hold as they are (bin, ext, dates) → text; others unchanged. */
function eventValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return bytesAsText(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof ExtData) return value.data instanceof Uint8Array ? bytesAsText(value.data) : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === 'object') value[i] = eventValue(v);
    }
    return value;
  }
  const map = value as Record<string, unknown>;
  for (const key in map) {
    const v = map[key];
    if (v !== null && typeof v === 'object') map[key] = eventValue(v);
  }
  return map;
}

/**
 * The event's fields as msgpack should see them: each Timestamp as its ISO-8601 text. Copies
 * only the objects on the way to a Timestamp; the event itself is never changed.
 */
function withTimestampsAsText(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v === null || typeof v !== 'object') continue;
      const w = withTimestampsAsText(v);
      if (w !== v) (copy ??= value.slice())[i] = w;
    }
    return copy ?? value;
  }
  const map = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in map) {
    const v = map[key];
    if (v === null || typeof v !== 'object') continue;
    const w = withTimestampsAsText(v);
    if (w !== v) (copy ??= { ...map })[key] = w;
  }
  return copy ?? map;
}

const refuseText = (): never => {
  throw new Error('msgpack is a binary codec: this plugin handed it text (a plugin without binaryCodecs support was given it)');
};

export const msgpackCodec = defineCodec({
  kind: 'codec',
  name: 'msgpack',
  description: 'MessagePack (binary): one message is one map → one event; encodes each event as a map with @timestamp as ISO-8601 text. Only on plugins whose messages are bytes (tcp, udp, http, kafka, redis, rabbitmq, file output).',
  binary: true,
  options: {
    format: { type: 'string', description: 'Decode: sprintf template for `message` when the decoded map has none.' },
    target: { type: 'field_reference', description: 'Decode: put the decoded value under this field instead of the top level.' },
  },
  create(options, ctx) {
    const decoder = new Decoder();
    const encoder = new Encoder({ maxDepth: MAX_DEPTH, ignoreUndefined: true });
    const format = options.format === undefined ? undefined : compileTemplate(options.format);
    const warn = rateLimitedWarn(ctx.logger, new LogRateLimiter());
    const failed = (bytes: Uint8Array, reason: string): Event => {
      warn('parse', `msgpack: bytes that are not one msgpack map; kept base64 in message, tagged ${MSGPACK_FAILURE_TAG}`, { error: reason, bytes: bytes.length });
      const event = new Event({ message: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') });
      event.tag(MSGPACK_FAILURE_TAG);
      return event;
    };
    const binary: BinaryCodec = {
      decodeBytes(bytes, emit) {
        let value: unknown;
        try {
          value = eventValue(decoder.decode(bytes));
        } catch (err) {
          emit(failed(bytes, (err as Error).message));
          return;
        }
        let event: Event;
        if (options.target !== undefined) {
          event = new Event({});
          event.set(options.target, value);
        } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          event = new Event(value as Record<string, unknown>);
        } else {
          emit(failed(bytes, `a msgpack ${Array.isArray(value) ? 'array' : value === null ? 'nil' : typeof value}, not a map`));
          return;
        }
        if (format && event.get('message') === undefined) event.set('message', format(event));
        emit(event);
      },
      encodeBytes: (event) => encoder.encode(withTimestampsAsText(event.data)),
      streamFramer: (maxMessageBytes) => new MsgpackFramer(maxMessageBytes),
    };
    const codec: Codec = { decode: refuseText, encode: refuseText, binary };
    return codec;
  },
});
