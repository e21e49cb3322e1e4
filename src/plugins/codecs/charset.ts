/**
 * The `charset` of the text codecs (plain, line, json, json_lines, multiline, cef): Logstash's
 * (Java/Ruby) charset names, decoded through iconv-lite. UTF-8 — the default — has no TextCharset
 * at all, so inputs keep their UTF-8 path unchanged; any other charset is decoded the way
 * Logstash's converter does it: bytes invalid or undefined in the charset become U+FFFD, never an
 * error. See docs/decisions/0027-codec-charsets.md.
 */
import iconv from 'iconv-lite';
import { editDistance } from '../../config/schema.js';
import { ConfigError, type SourceLocation } from '../../core/errors.js';

export interface TextCharset {
  /** The name as configured. */
  readonly name: string;
  /** Decodes one whole message (a datagram, a request body, a queue message). */
  decode(bytes: Uint8Array): string;
  /**
   * A converter for one byte stream (a connection, stdin): its bytes, read by read, become UTF-8,
   * a character cut between two reads included, so lines are cut on decoded text.
   */
  streamToUtf8(): CharsetStream;
}

export interface CharsetStream {
  /** UTF-8 of the next bytes of the stream (a character still incomplete is held back). */
  push(bytes: Uint8Array): Buffer;
  /** UTF-8 of what is held at the end of the stream (an incomplete character becomes U+FFFD). */
  end(): Buffer;
}

const UTF8_NAMES = new Set(['utf8']);
/** Ruby's ASCII names: bytes above 0x7F are not characters there and become U+FFFD (iconv-lite would keep them). */
const ASCII_NAMES = new Set(['usascii', 'ascii', 'ascii8bit', 'binary']);

/** Logstash's charset names (its documented list, as far as iconv-lite knows them): the candidates an unknown name is compared with. */
const LOGSTASH_NAMES = [
  'UTF-8', 'US-ASCII', 'ASCII-8BIT', 'Big5', 'Big5-HKSCS', 'CP949', 'EUC-JP', 'EUC-KR', 'GB2312', 'GB18030', 'GBK',
  'ISO-8859-1', 'ISO-8859-2', 'ISO-8859-3', 'ISO-8859-4', 'ISO-8859-5', 'ISO-8859-6', 'ISO-8859-7', 'ISO-8859-8',
  'ISO-8859-9', 'ISO-8859-10', 'ISO-8859-11', 'ISO-8859-13', 'ISO-8859-14', 'ISO-8859-15', 'ISO-8859-16', 'KOI8-R',
  'KOI8-U', 'Shift_JIS', 'UTF-16BE', 'UTF-16LE', 'UTF-32BE', 'UTF-32LE', 'Windows-31J', 'Windows-1250',
  'Windows-1251', 'Windows-1252', 'Windows-1253', 'Windows-1254', 'Windows-1255', 'Windows-1256', 'Windows-1257',
  'Windows-1258', 'CP1252', 'CP850', 'CP852', 'CP855', 'CP866', 'IBM437', 'IBM866', 'CP950', 'macRoman', 'macCyrillic',
];

/** iconv-lite's own spelling of a name: lower case, letters and digits only. */
const normalized = (name: string): string => name.toLowerCase().replace(/[^0-9a-z]/g, '');

/** Replaces the bytes above 0x7F of text decoded as latin1 (ASCII names). */
const HIGH = /[\u0080-\u00ff]/g;

/**
 * The charset named `name`, or undefined for UTF-8 (the inputs' own path). An unknown name is a
 * config error at `location` listing the closest names Logstash documents.
 */
export function charsetOf(name: string, location: SourceLocation | undefined): TextCharset | undefined {
  const key = normalized(name);
  if (UTF8_NAMES.has(key)) return undefined;
  if (ASCII_NAMES.has(key)) {
    const table = singleByteTable((byte) => (byte < 0x80 ? String.fromCharCode(byte) : '\uFFFD'));
    return {
      name,
      decode: (bytes) => latin1Of(bytes).replace(HIGH, '\uFFFD'),
      streamToUtf8: () => singleByteStream(table),
    };
  }
  if (!iconv.encodingExists(key)) {
    throw new ConfigError(`unknown charset "${name}"`, location, `close names: ${closeNames(name).join(', ')}`);
  }
  // Code units of 2 or 4 bytes: a message cut inside one has lost a character, which Java reports as U+FFFD.
  const unit = /^utf(16|32)/.test(key) ? (key.startsWith('utf16') ? 2 : 4) : 1;
  const table = unit === 1 && isSingleByte(key) ? singleByteTable((byte) => iconv.decode(Buffer.from([byte]), key)) : undefined;
  return {
    name,
    decode(bytes) {
      const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), key);
      return bytes.byteLength % unit === 0 ? text : text + '\uFFFD';
    },
    streamToUtf8() {
      if (table) return singleByteStream(table);
      const decoder = iconv.getDecoder(key);
      let total = 0;
      return {
        push(bytes) {
          total += bytes.byteLength;
          return Buffer.from(decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), 'utf8');
        },
        end() {
          const rest = (decoder.end() ?? '') + (total % unit === 0 ? '' : '\uFFFD');
          return Buffer.from(rest, 'utf8');
        },
      };
    },
  };
}

/**
 * A single-byte charset (Latin-1, CP1252, KOI8-R, …): each byte is one character on its own.
 * UTF-7 is stateful, and in a double-byte charset (GBK, Shift_JIS, Big5) a lead byte joins the next.
 */
function isSingleByte(key: string): boolean {
  if (key.startsWith('utf')) return false;
  for (let byte = 0; byte < 256; byte++) {
    const alone = iconv.decode(Buffer.from([byte]), key);
    for (const next of [0x41, 0xa1]) {
      if (iconv.decode(Buffer.from([byte, next]), key) !== alone + iconv.decode(Buffer.from([next]), key)) return false;
    }
  }
  return true;
}

/** The character of each of the 256 bytes of a single-byte charset. */
function singleByteTable(decodeByte: (byte: number) => string): string[] {
  return Array.from({ length: 256 }, (_, byte) => decodeByte(byte));
}

const latin1Of = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/**
 * Transcodes a single-byte charset to UTF-8: Node's native Latin-1 decoding, then only the bytes
 * whose character differs from Latin-1 are swapped (for CP1252 the 0x80–0x9F range), then native
 * UTF-8 encoding. Written by hand because iconv-lite's decoder plus re-encoding ran at about a
 * fifth of the UTF-8 path's speed on the reading thread (bench/charset.ts; decision 0027).
 */
function singleByteStream(table: string[]): CharsetStream {
  const differing = table.flatMap((char, byte) => (char === String.fromCharCode(byte) ? [] : [byte]));
  const empty = Buffer.alloc(0);
  if (differing.length === 0) return { push: (bytes) => Buffer.from(latin1Of(bytes), 'utf8'), end: () => empty };
  const pattern = new RegExp(`[${differing.map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('')}]`, 'g');
  const swap = (char: string): string => table[char.charCodeAt(0)]!;
  return { push: (bytes) => Buffer.from(latin1Of(bytes).replace(pattern, swap), 'utf8'), end: () => empty };
}

/** The three Logstash charset names nearest to `name` by edit distance. */
function closeNames(name: string): string[] {
  const key = normalized(name);
  return LOGSTASH_NAMES
    .map((candidate) => ({ candidate, distance: editDistance(key, normalized(candidate)) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map((c) => c.candidate);
}
