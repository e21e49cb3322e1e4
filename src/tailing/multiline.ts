/**
 * Multiline joining, Filebeat's way, at the source: lines become events before they are put in a
 * payload, so a payload (and therefore an acknowledgement and a registry offset) always ends on an
 * event boundary; an event still being assembled is never half-committed.
 *
 * `pattern`: a line "continues" when it matches `pattern` (inverted by `negate`). With `match:
 * after` a continuing line is appended to the event before it; with `match: before` a continuing
 * line is followed by the rest of its event. `flush_pattern` ends an event at a matching line.
 * `while_pattern`: consecutive lines that match `pattern` (that do not, with `negate`) make one
 * event; every other line is an event of its own.
 * `count`: every `count_lines` lines make an event. Lines past `max_lines` are dropped from the
 * message (their bytes still count for the offset). `timeout` flushes an event whose next line is
 * late (checked by the harvester).
 */
import { FLAG_MULTILINE, FLAG_TRUNCATED } from './payload.js';

export interface MultilineSettings {
  type: 'pattern' | 'while_pattern' | 'count';
  pattern?: RegExp;
  negate: boolean;
  match: 'after' | 'before';
  maxLines: number;
  timeoutMs: number;
  countLines: number;
  flushPattern?: RegExp;
}

export interface JoinedEvent {
  text: string;
  /** Offset of the first line, and just after the last. */
  start: number;
  end: number;
  flags: number;
}

export class MultilineJoiner {
  private lines: string[] = [];
  private start = 0;
  private end = 0;
  private flags = 0;
  private count = 0;
  /** When the last line was added (for the timeout). */
  lastLineAt = 0;

  constructor(private readonly s: MultilineSettings, private readonly emit: (event: JoinedEvent) => void) {}

  get pending(): boolean {
    return this.count > 0;
  }

  /** Offset where the event being assembled starts (the registry may not pass it). */
  get pendingStart(): number {
    return this.start;
  }

  add(text: string, start: number, end: number, truncated: boolean, now: number): void {
    this.lastLineAt = now;
    const s = this.s;
    if (s.type === 'count') {
      this.append(text, start, end, truncated);
      if (this.count >= s.countLines) this.flush();
      return;
    }
    if (s.type === 'while_pattern') {
      // The event being assembled is always a run of matching lines.
      const matches = this.continues(text);
      if (!matches) this.flush();
      this.append(text, start, end, truncated);
      if (!matches) this.flush();
      return;
    }
    if (s.flushPattern?.test(text)) {
      if (s.match === 'after' && this.count > 0 && !this.continues(text)) this.flush();
      this.append(text, start, end, truncated);
      this.flush();
      return;
    }
    const continues = this.continues(text);
    if (s.match === 'after') {
      if (!continues && this.count > 0) this.flush();
      this.append(text, start, end, truncated);
    } else {
      this.append(text, start, end, truncated);
      if (!continues) this.flush();
    }
  }

  /** Emits the event being assembled, if any (timeout, end of file, close). */
  flush(): void {
    if (this.count === 0) return;
    this.emit({ text: this.lines.join('\n'), start: this.start, end: this.end, flags: this.flags | (this.count > 1 ? FLAG_MULTILINE : 0) });
    this.lines = [];
    this.count = 0;
    this.flags = 0;
  }

  /** Forgets the event being assembled (the file was truncated under it). */
  reset(): void {
    this.lines = [];
    this.count = 0;
    this.flags = 0;
  }

  private continues(text: string): boolean {
    return (this.s.pattern?.test(text) ?? false) !== this.s.negate;
  }

  private append(text: string, start: number, end: number, truncated: boolean): void {
    if (this.count === 0) this.start = start;
    this.end = end;
    this.count++;
    if (truncated) this.flags |= FLAG_TRUNCATED;
    if (this.lines.length < this.s.maxLines) this.lines.push(text);
    else this.flags |= FLAG_TRUNCATED;
  }
}
