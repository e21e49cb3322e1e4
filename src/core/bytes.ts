/** Byte helpers shared by stream readers. */
import { isAscii } from 'node:buffer';

/**
 * `parts` end to end in `out` (by default one fresh Uint8Array: its own ArrayBuffer, transferable
 * to a worker, unlike a pooled Buffer.concat result); `total` is their summed length, which `out`
 * must hold.
 */
export function concatBytes(parts: readonly Uint8Array[], total: number, out: Uint8Array = new Uint8Array(total)): Uint8Array {
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');

/**
 * The text of UTF-8 bytes `buf[start, end)`; invalid sequences become U+FFFD. ASCII, most log text,
 * is checked for first (a vectorised scan) and copied as Latin-1: V8's UTF-8 decoder walks every
 * byte before copying (~30% slower on 64 KiB of access-log lines).
 */
export function utf8Text(buf: Buffer, start = 0, end = buf.length): string {
  const piece = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  return isAscii(piece) ? piece.toString('latin1') : utf8.decode(piece);
}
