/**
 * Cuts a TCP byte stream into messages, bounded in memory:
 *
 * * `delimited`: messages end with one byte (LF for syslog's non-transparent framing, NUL for
 *   GELF over TCP); a CR before an LF is dropped.
 * * `rfc6587`: syslog over TCP as rsyslog and syslog-ng send it, detected per message as they
 *   do: a message starting with a digit is octet-counted (`LEN SP MSG`, RFC 6587 §3.4.1), any
 *   other is LF-terminated (§3.4.2). Digits not followed by a space are not a length: the message
 *   is read as LF-terminated from its first byte.
 *
 * A message longer than `maxBytes` is cut there (at a UTF-8 character boundary) and handed out
 * with `truncated` set; the rest of it is skipped as it arrives, never held. Empty messages are
 * skipped. `emit` may receive a view of the chunk given to push(): keep it only if that chunk is
 * never reused (Node's socket chunks are not).
 */

import { concatBytes } from '../core/bytes.js';

export type Framing = { kind: 'delimited'; delimiter: number } | { kind: 'rfc6587' };

export type EmitMessage = (message: Uint8Array, truncated: boolean) => void;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
/** Longest length prefix read before the digits are taken for message text (10 digits ≥ 4 GiB). */
const MAX_LENGTH_DIGITS = 10;

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const isContinuation = (b: number): boolean => (b & 0xc0) === 0x80;

/** `bytes` without a UTF-8 character cut short at its end (what truncation may leave). */
function dropPartialCharacter(bytes: Uint8Array): Uint8Array {
  let lead = bytes.length - 1;
  while (lead > 0 && lead > bytes.length - 4 && isContinuation(bytes[lead]!)) lead--;
  const b = bytes[lead]!;
  const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return lead + size > bytes.length ? bytes.subarray(0, lead) : bytes;
}

export class MessageFramer {
  /** Bytes of the message being read (already cut to maxBytes). */
  private parts: Uint8Array[] = [];
  private held = 0;
  /** The current message passed maxBytes: the rest of it is skipped. */
  private overflow = false;
  /** rfc6587: reading a length prefix (its digits so far), or the octets still expected. */
  private digits = '';
  private inPrefix = false;
  private remaining = -1;
  private truncatedCount = 0;

  constructor(private readonly framing: Framing, private readonly maxBytes: number) {
    if (!(maxBytes >= 1)) throw new RangeError(`maxBytes must be at least 1, got ${maxBytes}`);
  }

  /** Messages cut at maxBytes so far. */
  get truncated(): number {
    return this.truncatedCount;
  }

  /** Bytes held for an unfinished message (bounded by maxBytes + a length prefix). */
  get pendingBytes(): number {
    return this.held + this.digits.length;
  }

  push(chunk: Uint8Array, emit: EmitMessage): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.framing.kind === 'delimited') {
        i = this.readDelimited(chunk, i, this.framing.delimiter, emit);
        continue;
      }
      if (this.remaining >= 0) {
        i = this.readCounted(chunk, i, emit);
        continue;
      }
      if (this.inPrefix || (this.held === 0 && !this.overflow && isDigit(chunk[i]!))) {
        i = this.readPrefix(chunk, i);
        continue;
      }
      i = this.readDelimited(chunk, i, LF, emit);
    }
  }

  /** The stream ended: an unterminated message still counts (a sender closing after its last line). */
  end(emit: EmitMessage): void {
    if (this.remaining > 0 || this.inPrefix) {
      // An octet-counted message cut short, or a bare number: hand out what arrived.
      if (this.inPrefix) this.keep(new TextEncoder().encode(this.digits));
    }
    this.finish(emit);
    this.remaining = -1;
    this.inPrefix = false;
    this.digits = '';
  }

  private readPrefix(chunk: Uint8Array, i: number): number {
    this.inPrefix = true;
    while (i < chunk.length) {
      const b = chunk[i]!;
      if (isDigit(b) && this.digits.length < MAX_LENGTH_DIGITS) {
        this.digits += String.fromCharCode(b);
        i++;
        continue;
      }
      this.inPrefix = false;
      if (b === SPACE && this.digits.length > 0) {
        this.remaining = Number(this.digits);
        this.digits = '';
        return i + 1;
      }
      // Not a length: the digits start an LF-terminated message.
      this.keep(new TextEncoder().encode(this.digits));
      this.digits = '';
      return i;
    }
    return i;
  }

  private readCounted(chunk: Uint8Array, i: number, emit: EmitMessage): number {
    const take = Math.min(this.remaining, chunk.length - i);
    if (take === this.remaining && this.held === 0 && !this.overflow && take <= this.maxBytes) {
      // The whole message is in this chunk: hand out a view, no copy.
      this.remaining = -1;
      if (take > 0) emit(chunk.subarray(i, i + take), false);
      return i + take;
    }
    this.keep(chunk.subarray(i, i + take));
    this.remaining -= take;
    if (this.remaining === 0) {
      this.remaining = -1;
      this.finish(emit);
    }
    return i + take;
  }

  private readDelimited(chunk: Uint8Array, i: number, delimiter: number, emit: EmitMessage): number {
    const at = chunk.indexOf(delimiter, i);
    if (at < 0) {
      this.keep(chunk.subarray(i));
      return chunk.length;
    }
    if (this.held === 0 && !this.overflow && at - i <= this.maxBytes) {
      // The whole message is in this chunk: hand out a view, no copy.
      let end = at;
      if (delimiter === LF && end > i && chunk[end - 1] === CR) end--;
      if (end > i) emit(chunk.subarray(i, end), false);
      return at + 1;
    }
    this.keep(chunk.subarray(i, at));
    this.finish(emit, delimiter === LF);
    return at + 1;
  }

  /** Holds bytes of the current message, up to maxBytes. */
  private keep(bytes: Uint8Array): void {
    if (this.overflow || bytes.length === 0) return;
    const room = this.maxBytes - this.held;
    if (bytes.length > room) {
      this.overflow = true;
      bytes = bytes.subarray(0, room);
    }
    if (bytes.length > 0) {
      // A view of the caller's chunk may not outlive push(): copy what stays for later.
      this.parts.push(Uint8Array.prototype.slice.call(bytes));
      this.held += bytes.length;
    }
  }

  private finish(emit: EmitMessage, dropCr = false): void {
    let message: Uint8Array;
    message = this.parts.length === 1 ? this.parts[0]! : concatBytes(this.parts, this.held);
    const truncated = this.overflow;
    this.parts = [];
    this.held = 0;
    this.overflow = false;
    if (truncated) {
      this.truncatedCount++;
      message = dropPartialCharacter(message);
    } else if (dropCr && message.length > 0 && message[message.length - 1] === CR) {
      message = message.subarray(0, message.length - 1);
    }
    if (message.length > 0) emit(message, truncated);
  }
}
