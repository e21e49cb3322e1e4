/**
 * Payloads of whole lines (stdin, tcp): how the main thread describes a chunk cut by
 * core/lines.ts, and how a worker decodes it, so that exactly the events of a line cut at
 * `max_bytes` carry the `_line_truncated` tag.
 */
import { utf8Text } from '../core/bytes.js';

/** Tag of an event whose line was longer than `max_bytes` and cut. */
export const TRUNCATED_TAG = '_line_truncated';

/** Indexes (ascending) of the lines of a chunk that were cut at max_bytes; absent when none was. */
export type TruncatedLines = number[] | undefined;

/**
 * Text is decoded in pieces of whole lines of at most this many bytes (a longer line is a piece of
 * its own). V8 puts a string over 128 KiB in its large-object space: each one is mapped afresh and
 * weighs on the collector, and decoding a 140 KiB chunk as one string ran ~8× slower than as two
 * (tcp → null with ~470-byte JSON lines: the worker's CPU fell by a third).
 */
export const LINE_PIECE_BYTES = 64 * 1024;

const NEWLINE = 10;

/** The piece size for a stream input's codec: the multiline codec joins a payload's lines, so it gets each payload whole. */
export function linePieceBytes(codecName: string): number {
  return codecName === 'multiline' ? Infinity : LINE_PIECE_BYTES;
}

/**
 * Decodes a chunk of UTF-8 lines (invalid bytes become U+FFFD): runs of whole lines go to
 * `decodeLines(text, false)` in pieces of at most `pieceBytes`, each cut line alone to
 * `decodeLines(text, true)`. The text of each piece ends with its newline (except a final
 * unterminated line). A codec that joins lines (multiline) must see each run whole: Infinity.
 */
export function decodeLineChunk(bytes: Uint8Array, truncated: TruncatedLines, decodeLines: (text: string, truncated: boolean) => void, pieceBytes = LINE_PIECE_BYTES): void {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const decodeRun = (from: number, to: number): void => decodeRunInPieces(buf, from, to, pieceBytes, decodeLines);
  if (!truncated) {
    decodeRun(0, buf.length);
    return;
  }
  let line = 0;
  let pos = 0;
  let runStart = 0;
  for (const index of truncated) {
    for (; line < index; line++) pos = buf.indexOf(NEWLINE, pos) + 1;
    decodeRun(runStart, pos);
    const end = buf.indexOf(NEWLINE, pos) + 1; // a cut line always ends with a newline
    decodeLines(utf8Text(buf, pos, end), true);
    pos = runStart = end;
    line++;
  }
  decodeRun(runStart, buf.length);
}

/** Whole lines buf[from, to) in pieces of at most `pieceBytes`, each cut after a newline. */
function decodeRunInPieces(buf: Buffer, from: number, to: number, pieceBytes: number, decodeLines: (text: string, truncated: boolean) => void): void {
  while (to - from > pieceBytes) {
    const last = buf.lastIndexOf(NEWLINE, from + pieceBytes - 1);
    // No newline in the piece: one line longer than a piece, alone up to its end.
    const end = last >= from ? last + 1 : buf.indexOf(NEWLINE, from + pieceBytes) + 1 || to;
    decodeLines(utf8Text(buf, from, end), false);
    from = end;
  }
  if (to > from) decodeLines(utf8Text(buf, from, to), false);
}
