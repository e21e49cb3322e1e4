/**
 * Cutting a stream's line payloads only between multiline events, so that a multiline codec,
 * which joins the lines of one payload in a worker, sees every event whole — per connection
 * (tcp) or per stream (stdin), however the lines arrived. The lines that may still continue (the
 * last event so far) are held back and put in front of the next chunk; `release()` hands them
 * over (auto_flush_interval, the end of the stream). Held lines are bounded by the codec's
 * max_lines and max_bytes: past them they are released and the codec cuts the event there.
 */
import type { LineChunk } from '../core/lines.js';
import type { MultilineStreamSettings } from './codecs/multiline.js';

export class MultilineBoundary {
  private held: LineChunk | undefined;
  private readonly text = new TextDecoder('utf-8');

  constructor(private readonly s: MultilineStreamSettings) {}

  get holding(): boolean {
    return this.held !== undefined;
  }

  /** The whole events of what is held plus `chunk`; the possibly unfinished last event is kept. */
  take(chunk: LineChunk): LineChunk | undefined {
    const all = this.held ? join(this.held, chunk) : chunk;
    this.held = undefined;
    const starts = lineStarts(all.bytes);
    const cutLine = this.cutLine(all.bytes, starts);
    if (cutLine === 0) {
      this.held = all;
      if (all.lines >= this.s.rule.maxLines || all.bytes.length >= this.s.maxBytes) return this.release();
      return undefined;
    }
    if (cutLine === all.lines) return all;
    const [done, rest] = split(all, starts, cutLine);
    this.held = rest;
    return done;
  }

  /** Everything held, as one chunk. */
  release(): LineChunk | undefined {
    const held = this.held;
    this.held = undefined;
    return held;
  }

  /** How many leading lines form whole events: the rest may still be continued by lines to come. */
  private cutLine(bytes: Uint8Array, starts: number[]): number {
    const n = starts.length;
    const lineText = (i: number): string => {
      let end = i + 1 < n ? starts[i + 1]! : bytes.length;
      if (end > starts[i]! && bytes[end - 1] === 10) end--;
      return this.text.decode(bytes.subarray(starts[i]!, end));
    };
    const { rule } = this.s;
    if (rule.what === 'previous') {
      // The last line that starts an event begins what may still grow.
      for (let i = n - 1; i >= 0; i--) if (!rule.continues(lineText(i))) return i;
      return 0;
    }
    // what => next: an event ends at a line that does not continue; trailing continuing lines wait.
    for (let i = n - 1; i >= 0; i--) if (!rule.continues(lineText(i))) return i + 1;
    return 0;
  }
}

function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = bytes.indexOf(10); i !== -1 && i + 1 < bytes.length; i = bytes.indexOf(10, i + 1)) starts.push(i + 1);
  return starts;
}

function join(a: LineChunk, b: LineChunk): LineChunk {
  const bytes = new Uint8Array(a.bytes.length + b.bytes.length);
  bytes.set(a.bytes, 0);
  bytes.set(b.bytes, a.bytes.length);
  const truncated = [...(a.truncated ?? []), ...(b.truncated ?? []).map((i) => i + a.lines)];
  return { bytes, lines: a.lines + b.lines, ...(truncated.length > 0 ? { truncated } : {}) };
}

function split(c: LineChunk, starts: number[], line: number): [LineChunk, LineChunk] {
  const at = starts[line]!;
  const part = (bytes: Uint8Array, lines: number, truncated: number[]): LineChunk => ({ bytes, lines, ...(truncated.length > 0 ? { truncated } : {}) });
  const t = c.truncated ?? [];
  // Copies, never views: the chunk's bytes may be a Buffer, whose slice() shares the memory, and
  // both parts are transferred to workers (one ArrayBuffer twice in a transfer list is an error).
  const copy = (start: number, end?: number): Uint8Array => Uint8Array.prototype.slice.call(c.bytes, start, end);
  return [
    part(copy(0, at), line, t.filter((i) => i < line)),
    part(copy(at), c.lines - line, t.filter((i) => i >= line).map((i) => i - line)),
  ];
}
