/**
 * Payloads of whole lines (stdin, tcp): how the main thread describes a chunk cut by
 * core/lines.ts, and how a worker decodes it, so that exactly the events of a line cut at
 * `max_bytes` carry the `_line_truncated` tag.
 */
/** Tag of an event whose line was longer than `max_bytes` and cut. */
export const TRUNCATED_TAG = '_line_truncated';

/** Indexes (ascending) of the lines of a chunk that were cut at max_bytes; absent when none was. */
export type TruncatedLines = number[] | undefined;

/**
 * Decodes a chunk's text: runs of whole lines go to `decodeLines(text, false)` as one piece, each
 * cut line alone to `decodeLines(text, true)`. The text of each piece ends with its newline
 * (except a final unterminated line).
 */
export function decodeLineChunk(text: string, truncated: TruncatedLines, decodeLines: (text: string, truncated: boolean) => void): void {
  if (!truncated) {
    decodeLines(text, false);
    return;
  }
  let line = 0;
  let pos = 0;
  let runStart = 0;
  for (const index of truncated) {
    for (; line < index; line++) pos = text.indexOf('\n', pos) + 1;
    if (pos > runStart) decodeLines(text.slice(runStart, pos), false);
    const end = text.indexOf('\n', pos) + 1; // a cut line always ends with a newline
    decodeLines(text.slice(pos, end), true);
    pos = runStart = end;
    line++;
  }
  if (runStart < text.length) decodeLines(text.slice(runStart), false);
}
