/**
 * The agent's straight path, document half: a tailer's lines (raw UTF-8 bytes with their offsets)
 * → the JSON documents a Beat sends for them, laid end to end with their end offsets — the same
 * `EventDocuments` the logstash output's encoder makes from Events, byte for byte, for the events
 * the `log`/`filestream` decoder would build from those lines when the input has no processors,
 * fields, tags, json or multiline options.
 *
 * Why: on the regular path each ~87-byte line becomes an Event with six sub-objects, passes the
 * generated filters and is compared and written back into a ~510-byte document (~9 µs of CPU per
 * line, docs/decisions/0026). Here everything but the message, the offset and `@timestamp` is the
 * same for every line of a file, so it is encoded once per file, and a line of printable ASCII
 * (almost every log line) is copied as bytes, with `"` and `\` escaped, never decoded to a string.
 * Other lines are decoded and escaped exactly as the regular path does (JSON.stringify, then the
 * optional HTML escapes).
 */
import type { EventDocuments } from '../../../protocols/lumberjack/client.js';
import { FLAG_TRUNCATED, type LinesPayload } from '../../../tailing/payload.js';
import { documentBuffers } from './document-buffers.js';

/** What the regular path puts in every document of an input (see log/beats-input.ts). */
export interface StraightDocumentConstants {
  layout: 'ecs' | 'legacy';
  /** The input type: `log` or `filestream`. */
  kind: string;
  /** `@metadata` as the document writer writes it (DocumentJsonWriter.documentOf). */
  metadata: Record<string, unknown>;
  /** ecs: the `host` object; legacy: the `beat` object. */
  host: Record<string, unknown>;
  /** ecs: the `agent` object. */
  agent?: Record<string, unknown>;
  /** legacy: `type`. */
  docType?: string;
  /** The input's `fields` (at the root with fieldsUnderRoot) and `tags` (see constantFieldsFit). */
  fields?: Record<string, unknown>;
  fieldsUnderRoot?: boolean;
  tags?: readonly string[];
  /** ecs: the input's `type` option, which the pipeline adds to events without one. */
  type?: string;
  /** The logstash output's escape_html. */
  escapeHtml: boolean;
}

/** Keys whose values differ per line (or that JSON orders apart): `fields` at the root must not set them. */
const LINE_KEYS = { ecs: new Set(['message', 'log', 'tags']), legacy: new Set(['message', 'source', 'offset', 'tags']) };

/**
 * Whether the input's `fields` and `tags` leave the documents' per-line parts where the straight
 * documents write them: at the root, `fields` may replace the shipper's constant keys (in place,
 * as the decoder's assignment does) or add keys after them, but not set the message, the path,
 * the offset or `tags`, nor keys that are `@`-prefixed or integer-like (which JSON puts first).
 */
export function constantFieldsFit(layout: 'ecs' | 'legacy', fields: Record<string, unknown>, underRoot: boolean): boolean {
  if (!underRoot) return true;
  return Object.keys(fields).every((k) => !LINE_KEYS[layout].has(k) && !k.startsWith('@') && !/^(0|[1-9]\d*)$/.test(k) && k !== '__proto__');
}

const HTML = /[<>&]/g;
const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const CR = 0x0d;

/** What the message loop does with each byte: copy it, copy it after a backslash, or leave the line to JSON.stringify. */
const COPY = 0;
const ESCAPE = 1;
const OTHER = 2;
function byteKinds(escapeHtml: boolean): Uint8Array {
  const kinds = new Uint8Array(256).fill(OTHER);
  for (let b = 0x20; b <= 0x7e; b++) kinds[b] = COPY;
  kinds[QUOTE] = kinds[BACKSLASH] = ESCAPE;
  if (escapeHtml) kinds[0x3c] = kinds[0x3e] = kinds[0x26] = OTHER; // < > &
  return kinds;
}
const BYTE_KINDS = byteKinds(false);
const BYTE_KINDS_HTML = byteKinds(true);

/** Lines written per reading of the clock (see append). */
export const CLOCK_LINES = 64;

const HIGH_BITS = 0x80808080 | 0;
/**
 * Whether any of the four bytes of `x` is not copied as it is: under 0x20, 0x80 or above, `"` or
 * `\` (0x7f is copied, as JSON.stringify leaves it). Exact: each term's high bit is set in a byte
 * only if that byte, or one below it, matched (the classic "has zero byte" test).
 */
const needsCare = (x: number): boolean => {
  const quote = x ^ 0x22222222;
  const backslash = x ^ 0x5c5c5c5c;
  return ((((x - 0x20202020) & ~x) | x | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash)) & HIGH_BITS) !== 0;
};

/** One file's constant document fragments, as bytes. */
interface FileFragments {
  path: string;
  /** `","@metadata":{…},"message":` — after the timestamp, before the message. */
  head: string;
  /** Before the offset digits: ecs `,"log":{"file":{"path":…},"offset":`, legacy `,"source":…,"offset":`. */
  beforeOffset: Buffer;
  /** After the offset digits, for a whole line and for a truncated one. */
  tail: Buffer;
  tailTruncated: Buffer;
}

export class StraightDocuments {
  private readonly json: (value: string) => string;
  /** Per input, the fragments of the file its last payload came from. */
  private readonly files: (FileFragments | undefined)[] = [];
  /** Where documents are built: one of documentBuffers, handed over whole by take() when it can be. */
  private buf = documentBuffers.take(256 * 1024);
  /** `buf`, for four-byte stores. */
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  /** Where the next document goes in `buf`, and the end of each document appended and not taken. */
  private at = 0;
  private readonly ends: number[] = [];
  /**
   * `{"@timestamp":"<ISO text>` and the file's head, for the millisecond last written and the
   * file it was made for: one copy per line for the document's whole start.
   */
  private stampMs = -1;
  private stampFile: FileFragments | undefined;
  private stamp = Buffer.alloc(0);

  private readonly inputs: readonly StraightDocumentConstants[];
  private readonly escapeHtml: boolean;

  /** `constants`: one set per input of the pipeline (a payload's input index picks its set); escape_html is the first one's. */
  constructor(constants: StraightDocumentConstants | readonly StraightDocumentConstants[], private readonly now: () => number = Date.now) {
    this.inputs = Array.isArray(constants) ? constants : [constants as StraightDocumentConstants];
    this.escapeHtml = this.inputs[0]!.escapeHtml;
    // Outside strings JSON has no <, > or &: escaping the whole text only touches string contents.
    this.json = this.escapeHtml ? (v) => JSON.stringify(v).replace(HTML, (c) => HTML_ESCAPES[c]!) : (v) => JSON.stringify(v);
  }

  /** The documents of every line of `payload`, in order, with their end offsets. */
  documents(payload: LinesPayload): EventDocuments {
    this.clear();
    this.append(payload);
    return this.take(Number.POSITIVE_INFINITY)[0] ?? { bytes: new Uint8Array(0), ends: new Uint32Array(0) };
  }

  /** Forgets the documents appended and not taken (after a failure half-way). */
  clear(): void {
    this.at = 0;
    this.ends.length = 0;
  }

  /** Appends the documents of every line of `payload` (of input `input`) to those not taken yet; returns how many. */
  append(payload: LinesPayload, input = 0): number {
    const frag = this.fragmentsFor(payload.path, input);
    const bytes = Buffer.from(payload.bytes.buffer, payload.bytes.byteOffset, payload.bytes.length);
    const n = bytes.length;
    const ends = this.ends;
    const { cut, cutLengths } = payload;
    const byteKinds = this.escapeHtml ? BYTE_KINDS_HTML : BYTE_KINDS;
    // Four bytes at a time while none needs care (escape_html's < > & are left to the byte loop).
    const words = this.escapeHtml ? undefined : new DataView(bytes.buffer, bytes.byteOffset, n);
    let nextCut = cut?.[0] ?? -1;
    let cutIndex = 0;
    let offset = payload.start;
    let pos = 0;
    let line = 0;
    let at = this.at;
    const fixed = 2 + 64 + Buffer.byteLength(frag.head) + frag.beforeOffset.length + 20 + frag.tailTruncated.length;
    while (pos < n) {
      let idx = bytes.indexOf(NEWLINE, pos);
      const end = idx < 0 ? n : idx + 1;
      if (idx < 0) idx = n;
      // The regular path strips one trailing \r from the decoded text; a \r byte is always that.
      const textEnd = idx > pos && bytes[idx - 1] === CR ? idx - 1 : idx;
      // Worst case of escaping: \u00XX (6 bytes) per byte.
      at = this.ensure(at, fixed + 6 * (textEnd - pos));
      const buf = this.buf;
      // The clock is read for the first line and every CLOCK_LINES after it: a reading costs as
      // much as ~100 bytes of message (~80 ns on this project's VMs), and lines between two
      // readings are written within tens of microseconds of each other, far below the stamp's
      // millisecond.
      if (line % CLOCK_LINES === 0) this.stampFor(frag);
      buf.set(this.stamp, at);
      at += this.stamp.length;
      // Copy the line while it is printable ASCII (nearly every line), escaping only `"` and `\`;
      // at the first other byte, start over with the regular path's decode and escape. Words of
      // four plain bytes are copied as one; a word with a byte that needs care goes byte by byte.
      const messageAt = at;
      buf[at++] = QUOTE;
      let i = pos;
      const view = this.view;
      for (;;) {
        if (words) {
          for (const lastWord = textEnd - 4; i <= lastWord; i += 4) {
            const x = words.getInt32(i, true);
            if (needsCare(x)) break;
            view.setInt32(at, x, true);
            at += 4;
          }
        }
        const stop = words ? Math.min(i + 4, textEnd) : textEnd;
        for (; i < stop; i++) {
          const b = bytes[i]!;
          const kind = byteKinds[b]!;
          if (kind === COPY) buf[at++] = b;
          else if (kind === ESCAPE) {
            // The quotes of an Apache line's request and user agent: escaped as JSON.stringify does.
            buf[at++] = BACKSLASH;
            buf[at++] = b;
          } else break;
        }
        if (i !== stop || i === textEnd) break;
      }
      if (i === textEnd) buf[at++] = QUOTE;
      else at = messageAt + buf.write(this.json(bytes.toString('utf8', pos, textEnd)), messageAt, 'utf8');
      buf.set(frag.beforeOffset, at);
      at += frag.beforeOffset.length;
      at = writeDigits(buf, at, offset);
      let length = end - pos;
      let tail = frag.tail;
      if (line === nextCut) {
        tail = frag.tailTruncated;
        length = cutLengths![cutIndex]!;
        nextCut = cut![++cutIndex] ?? -1;
      }
      buf.set(tail, at);
      at += tail.length;
      ends.push(at);
      offset += length;
      pos = end;
      line++;
    }
    this.at = at;
    return line;
  }

  /**
   * The documents appended so far, as payloads of at most `size` documents each (the logstash
   * encoder's layout: documents end to end, end offsets from the payload's start); then clears.
   */
  take(size: number): EventDocuments[] {
    const pieces: EventDocuments[] = [];
    const all = this.ends;
    if (all.length > 0 && all.length <= size) {
      // One piece (the usual case: a batch's documents fit one take): the buffer they were built
      // in is handed over as it is, and the next documents go into another from the pool.
      pieces.push({ bytes: this.buf.subarray(0, this.at), ends: Uint32Array.from(all) });
      this.setBuffer(documentBuffers.take(this.buf.length));
      this.clear();
      return pieces;
    }
    let from = 0;
    for (let first = 0; first < all.length; first += size) {
      const last = Math.min(first + size, all.length);
      const to = all[last - 1]!;
      // Given back by the sink once the batch is acknowledged (document-buffers.ts).
      const bytes = documentBuffers.take(to - from);
      this.buf.copy(bytes, 0, from, to);
      const ends = new Uint32Array(last - first);
      for (let i = first; i < last; i++) ends[i - first] = all[i]! - from;
      pieces.push({ bytes, ends });
      from = to;
    }
    this.clear();
    return pieces;
  }

  private ensure(at: number, more: number): number {
    if (at + more > this.buf.length) {
      const bigger = documentBuffers.take(Math.max(this.buf.length * 2, at + more));
      this.buf.copy(bigger, 0, 0, at);
      this.setBuffer(bigger);
    }
    return at;
  }

  private setBuffer(buf: Buffer): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }

  /** Makes `stamp` — `{"@timestamp":"<now>","@metadata":{…},"message":` — that of now and `frag`; encoded once per millisecond and file. */
  private stampFor(frag: FileFragments): void {
    const ms = this.now();
    if (ms === this.stampMs && frag === this.stampFile) return;
    this.stampMs = ms;
    this.stampFile = frag;
    this.stamp = Buffer.from(`{"@timestamp":"${new Date(ms).toISOString()}${frag.head}`);
  }

  private fragmentsFor(path: string, input: number): FileFragments {
    const known = this.files[input];
    if (known?.path === path) return known;
    const c = this.inputs[input];
    if (c === undefined) throw new Error(`no document constants for input ${input}`);
    const j = (v: unknown): string => this.html(JSON.stringify(v));
    const head = `",${j('@metadata')}:${j(c.metadata)},"message":`;
    let beforeOffset: string;
    let tail: string;
    let tailTruncated: string;
    if (c.layout === 'ecs') {
      beforeOffset = `,"log":{"file":{"path":${j(path)}},"offset":`;
      const rest = this.rest(c, { input: { type: c.kind }, host: c.host, agent: c.agent, ecs: { version: '8.0.0' } });
      tail = `}${rest}`;
      tailTruncated = `,"flags":["truncated"]}${rest}`;
    } else {
      beforeOffset = `,"source":${j(path)},"offset":`;
      tail = this.rest(c, { beat: c.host, type: c.docType, input_type: c.kind });
      tailTruncated = this.rest(c, { beat: c.host, type: c.docType, input_type: c.kind, tags: ['_line_truncated'] });
    }
    const made = { path, head, beforeOffset: Buffer.from(beforeOffset), tail: Buffer.from(tail), tailTruncated: Buffer.from(tailTruncated) };
    this.files[input] = made;
    return made;
  }

  /**
   * `,"key":value…}` — the document after its per-line keys: `shipper` (the decoder's keys in its
   * order), then the input's fields and tags and the pipeline's `type`, added as the decoder and
   * the pipeline add them to each event.
   */
  private rest(c: StraightDocumentConstants, shipper: Record<string, unknown>): string {
    const doc = shipper;
    const fields = c.fields ?? {};
    if (Object.keys(fields).length > 0) {
      if (c.fieldsUnderRoot) for (const [k, v] of Object.entries(fields)) doc[k] = structuredClone(v);
      else doc['fields'] = structuredClone(fields);
    }
    for (const tag of c.tags ?? []) {
      const tags = (doc['tags'] ??= []) as string[];
      if (!tags.includes(tag)) tags.push(tag);
    }
    if (c.type !== undefined && doc['type'] === undefined) doc['type'] = c.type;
    return `,${this.html(JSON.stringify(doc)).slice(1)}`;
  }

  private html(json: string): string {
    return this.escapeHtml ? json.replace(HTML, (c) => HTML_ESCAPES[c]!) : json;
  }
}

/** A non-negative integer's decimal digits at `at`; returns the position after them. */
function writeDigits(buf: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let i = at + digits;
  let v = value;
  do {
    const q = Math.floor(v / 10);
    buf[--i] = 0x30 + (v - q * 10);
    v = q;
  } while (v > 0);
  return at + digits;
}
