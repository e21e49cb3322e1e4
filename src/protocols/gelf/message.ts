/**
 * A GELF message's bytes to its JSON text: gzip (1f 8b) and zlib (78 xx with a valid header
 * check) are inflated, anything else is taken as UTF-8 JSON. Inflation is bounded: a message that
 * inflates past `maxBytes` is refused (a small datagram can otherwise expand without limit).
 */
import { gunzipSync, inflateSync } from 'node:zlib';

export type GelfCompression = 'gzip' | 'zlib' | 'none';

export function compressionOf(bytes: Uint8Array): GelfCompression {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0) return 'zlib';
  return 'none';
}

export class GelfDecodeError extends Error {
  override name = 'GelfDecodeError';
}

const utf8 = new TextDecoder('utf-8');

/** The JSON text of a (complete, reassembled) GELF message. Throws GelfDecodeError. */
export function gelfText(bytes: Uint8Array, maxBytes: number): string {
  const compression = compressionOf(bytes);
  if (compression === 'none') return utf8.decode(bytes);
  try {
    const inflated = compression === 'gzip' ? gunzipSync(bytes, { maxOutputLength: maxBytes }) : inflateSync(bytes, { maxOutputLength: maxBytes });
    return utf8.decode(inflated);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE') throw new GelfDecodeError(`${compression} message inflates to more than ${maxBytes} bytes`);
    throw new GelfDecodeError(`${compression} message does not inflate: ${err.message}`);
  }
}
