/**
 * Character encodings of tailed files, through iconv-lite (utf-8, gbk, gb18030, big5, utf-16le/be,
 * latin1, …). The source cuts lines on bytes, so it needs the delimiter in the file's encoding
 * and the code unit size (2 for UTF-16, whose delimiter must sit at an even offset).
 */
import iconv from 'iconv-lite';

export interface FileEncoding {
  /** Name as given ("plain" means UTF-8 as Filebeat reads it). */
  name: string;
  /** Bytes per code unit: 2 for UTF-16, else 1. */
  unit: 1 | 2;
  /** Decodes bytes[start, end) to text. */
  decode(bytes: Uint8Array, start: number, end: number): string;
  /** Encodes text (the delimiter) in this encoding. */
  encode(text: string): Buffer;
}

const NATIVE: Record<string, BufferEncoding> = { plain: 'utf8', 'utf-8': 'utf8', utf8: 'utf8', latin1: 'latin1', 'iso-8859-1': 'latin1', 'utf-16le': 'utf16le', utf16le: 'utf16le' };

/** Throws a plain Error naming the encoding when iconv-lite does not know it. */
export function fileEncoding(name: string): FileEncoding {
  const lower = name.toLowerCase();
  const unit: 1 | 2 = /^utf-?16/.test(lower) ? 2 : 1;
  const native = NATIVE[lower];
  if (native) {
    return {
      name, unit,
      decode: (b, s, e) => Buffer.from(b.buffer, b.byteOffset + s, e - s).toString(native),
      encode: (t) => Buffer.from(t, native),
    };
  }
  // Filebeat's names: utf-16be-bom etc.; iconv-lite knows utf-16be and strips a BOM itself.
  const iconvName = lower.replace(/-bom$/, '');
  if (!iconv.encodingExists(iconvName)) throw new Error(`unknown encoding "${name}"`);
  return {
    name, unit,
    decode: (b, s, e) => iconv.decode(Buffer.from(b.buffer, b.byteOffset + s, e - s), iconvName),
    encode: (t) => iconv.encode(t, iconvName, { addBOM: false }),
  };
}
