/**
 * How a plugin whose messages are bytes (datagrams, request bodies, queue messages) applies its
 * codec: a binary codec gets the bytes, a text codec their text (UTF-8, or the codec's `charset`). The choice is made once,
 * when the decoder or encoder is built, so a text codec costs what it did before.
 */
import type { Event } from '../core/event.js';
import type { Codec } from './api.js';

export type BytesDecode = (bytes: Uint8Array, emit: (event: Event) => void) => void;

/** Decodes one whole message; bytes invalid in a text codec's charset become U+FFFD. */
export function bytesDecoder(codec: Codec): BytesDecode {
  const binary = codec.binary;
  if (binary) return (bytes, emit) => binary.decodeBytes(bytes, emit);
  const charset = codec.charset;
  if (charset) return (bytes, emit) => codec.decode(charset.decode(bytes), emit);
  const utf8 = new TextDecoder('utf-8');
  return (bytes, emit) => codec.decode(utf8.decode(bytes), emit);
}

/**
 * A queue message's text for a text codec, or undefined where it cannot be kept as text: with a
 * codec `charset` every body reads (invalid bytes become U+FFFD); without one a body that is not
 * UTF-8 gives undefined, so the input keeps it whole (base64) instead of mangling it.
 */
export function queueBodyText(codec: Codec): (bytes: Uint8Array) => string | undefined {
  const charset = codec.charset;
  if (charset) return (bytes) => charset.decode(bytes);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  return (bytes) => {
    try {
      return utf8.decode(bytes);
    } catch {
      return undefined;
    }
  };
}

const utf8Encoder = new TextEncoder();

/** Encodes one event to one message's bytes; throws where the codec does. */
export function bytesEncoder(codec: Codec): (event: Event) => Uint8Array {
  const binary = codec.binary;
  if (binary) return (event) => binary.encodeBytes(event);
  return (event) => utf8Encoder.encode(codec.encode(event));
}
