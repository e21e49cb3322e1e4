/**
 * Percent-decoding as logstash-filter-urldecode 3.0.6 does it: only runs of
 * well-formed `%XX` escapes are decoded (a stray `%` or `%zz` stays as is and
 * `+` is not a space), and decoded bytes that are not valid UTF-8 are rendered
 * as `\xHH` text, like Logstash's charset converter (Ruby's String#inspect).
 * Never throws.
 */

const ESCAPE_RUN = /(?:%[0-9a-fA-F]{2})+/g;

function hexValue(code: number): number {
  // '0'-'9' → 0-9, 'A'-'F'/'a'-'f' → 10-15; callers pass valid hex digits only.
  return code <= 57 ? code - 48 : (code | 0x20) - 87;
}

const HEX = '0123456789ABCDEF';

/** Decodes UTF-8 bytes; each byte that does not start a valid sequence becomes `\xHH`. */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    let len = 0;
    let cp = 0;
    let min = 0;
    if (b >= 0xc2 && b <= 0xdf) { len = 2; cp = b & 0x1f; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { len = 3; cp = b & 0x0f; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { len = 4; cp = b & 0x07; min = 0x10000; }
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid.
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += len;
    } else {
      out += '\\x' + HEX[b >> 4]! + HEX[b & 15]!;
      i++;
    }
  }
  return out;
}

/** Decoded bytes → text in the filter's charset. */
export type BytesToText = (bytes: Uint8Array) => string;

function runBytes(run: string): Uint8Array {
  const bytes = new Uint8Array(run.length / 3);
  for (let j = 0, k = 0; j < run.length; j += 3, k++) {
    bytes[k] = (hexValue(run.charCodeAt(j + 1)) << 4) | hexValue(run.charCodeAt(j + 2));
  }
  return bytes;
}

const decodeUtf8Run = (run: string): string => decodeUtf8Lenient(runBytes(run));

/** Decodes the `%XX` escapes of a string; the bytes are read as UTF-8 unless `toText` says otherwise. */
export function urlDecode(value: string, toText?: BytesToText): string {
  if (!value.includes('%')) return value;
  return value.replace(ESCAPE_RUN, toText ? (run) => toText(runBytes(run)) : decodeUtf8Run);
}
