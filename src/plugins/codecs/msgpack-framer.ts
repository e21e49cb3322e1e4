/**
 * Where each msgpack value ends in a byte stream (a TCP connection carries values back to back,
 * as Logstash's tcp input with the msgpack codec reads them), found from the type headers alone:
 * nothing is decoded, so the main thread can hand whole values to the workers cheaply. Written by
 * hand because no msgpack library reports a value's length without decoding it
 * (docs/decisions/0023-binary-codecs.md).
 *
 * The scan resumes where the last chunk ended (a header cut in two waits for its rest; a long
 * string's bytes are skipped, not looked at), so a value arriving in many chunks costs one pass.
 * Memory: at most `maxMessageBytes` of an unfinished value plus the last chunk. A value longer
 * than that, one that declares more items than could fit in it, or the byte 0xc1 (never used by
 * msgpack) leaves the stream impossible to follow: the framer is then `broken` for good.
 */
import type { ByteStreamFramer } from '../api.js';

const NEVER_USED = 0xc1;

export class MsgpackFramer implements ByteStreamFramer {
  private buf = new Uint8Array(0);
  /** Bytes held in `buf`. */
  private len = 0;
  /** Where the value being scanned starts. */
  private start = 0;
  /** The next header to read (beyond `len` while a string's or binary's bytes are still to come). */
  private pos = 0;
  /** Items (values, map keys) of the current value still to scan; 0 before it starts. */
  private remaining = 0;
  broken: { reason: string; held: Uint8Array } | undefined;

  constructor(private readonly maxMessageBytes: number) {}

  push(chunk: Uint8Array, emit: (message: Uint8Array) => void): void {
    if (this.broken || chunk.length === 0) return;
    this.append(chunk);
    for (;;) {
      // Not started yet (a scanned value still waiting for its last bytes has pos > start).
      if (this.remaining === 0 && this.pos === this.start) {
        if (this.pos >= this.len) break;
        this.remaining = 1;
      }
      while (this.remaining > 0 && this.pos < this.len) {
        if (!this.step()) break;
      }
      if (this.broken) return;
      if (this.remaining > 0 || this.pos > this.len) {
        if (this.pos - this.start > this.maxMessageBytes) this.breakOff(`a msgpack value longer than ${this.maxMessageBytes} bytes`);
        break;
      }
      emit(this.buf.slice(this.start, this.pos));
      this.start = this.pos;
    }
    this.compact();
    if (this.len > this.maxMessageBytes) this.breakOff(`a msgpack value longer than ${this.maxMessageBytes} bytes`);
  }

  end(): Uint8Array | undefined {
    if (this.broken || this.len === this.start) return undefined;
    const rest = this.buf.slice(this.start, this.len);
    this.start = this.pos = this.len = this.remaining = 0;
    return rest;
  }

  /** Reads the header at `pos`; false when it is not all there yet (or the stream broke). */
  private step(): boolean {
    const b = this.buf;
    const p = this.pos;
    const t = b[p]!;
    let size = 1;
    let items = 0;
    if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) {
      // fixint, nil, false, true: the type byte is all
    } else if (t <= 0x8f) items = 2 * (t & 0x0f);
    else if (t <= 0x9f) items = t & 0x0f;
    else if (t <= 0xbf) size = 1 + (t & 0x1f);
    else if (t === NEVER_USED) {
      this.breakOff(`byte 0xc1 at offset ${p - this.start} of a msgpack value (never used by msgpack)`);
      return false;
    } else {
      const fixed = FIXED_SIZE[t - 0xc4]!;
      if (fixed > 0) size = fixed;
      else {
        // A length or count field of 1, 2 or 4 bytes follows the type byte.
        const width = LENGTH_WIDTH[t - 0xc4]!;
        if (p + 1 + width > this.len) return false;
        const n = width === 1 ? b[p + 1]! : width === 2 ? (b[p + 1]! << 8) | b[p + 2]! : b[p + 1]! * 0x1000000 + ((b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!);
        if (t === 0xdc || t === 0xdd) {
          size = 1 + width;
          items = n;
        } else if (t === 0xde || t === 0xdf) {
          size = 1 + width;
          items = 2 * n;
        } else {
          // bin, str: the bytes; ext: the type byte, then the bytes
          size = 1 + width + (t >= 0xc7 && t <= 0xc9 ? 1 : 0) + n;
        }
      }
    }
    this.remaining += items - 1;
    this.pos = p + size;
    // Every item takes a byte at least: a count that cannot fit is a broken (or hostile) stream.
    if (this.pos - this.start + this.remaining > this.maxMessageBytes) {
      this.breakOff(`a msgpack value longer than ${this.maxMessageBytes} bytes`);
      return false;
    }
    return true;
  }

  private append(chunk: Uint8Array): void {
    const need = this.len + chunk.length;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2, 4096));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(chunk, this.len);
    this.len = need;
  }

  /** Moves the unfinished value to the front; drops a grown buffer once it is mostly empty. */
  private compact(): void {
    if (this.start === 0) return;
    const rest = this.len - this.start;
    if (this.buf.length > 65536 && rest < this.buf.length / 4) {
      const smaller = new Uint8Array(Math.max(rest * 2, 4096));
      smaller.set(this.buf.subarray(this.start, this.len));
      this.buf = smaller;
    } else this.buf.copyWithin(0, this.start, this.len);
    this.pos -= this.start;
    this.len = rest;
    this.start = 0;
  }

  private breakOff(reason: string): void {
    this.broken = { reason, held: this.buf.slice(this.start, Math.min(this.len, this.start + this.maxMessageBytes)) };
    this.buf = new Uint8Array(0);
    this.len = this.start = this.pos = this.remaining = 0;
  }
}

// By type byte − 0xc4 (0xc4 … 0xdf): a fixed whole size (type byte included), else 0 and LENGTH_WIDTH.
//                          bin8 bin16 bin32 ext8 ext16 ext32 f32 f64 u8 u16 u32 u64 i8 i16 i32 i64 fx1 fx2 fx4 fx8 fx16 str8 str16 str32 a16 a32 m16 m32
const FIXED_SIZE = Uint8Array.of(0, 0, 0, 0, 0, 0, 5, 9, 2, 3, 5, 9, 2, 3, 5, 9, 3, 4, 6, 10, 18, 0, 0, 0, 0, 0, 0, 0);
const LENGTH_WIDTH = Uint8Array.of(1, 2, 4, 1, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 2, 4, 2, 4);
