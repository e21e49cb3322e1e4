/**
 * The event: a tree of fields plus a separate `@metadata` tree that codecs and
 * outputs never serialise. `@timestamp` holds a {@link Timestamp}; `tags` is an
 * array of strings when present.
 */
import { fieldRef, type FieldRef, METADATA } from './fieldref.js';
import { Timestamp } from './timestamp.js';
import { parseIso8601 } from './time/joda-parse.js';

export type FieldValue =
  | string
  | number
  | boolean
  | null
  | Timestamp
  | FieldValue[]
  | { [key: string]: FieldValue };

export const TIMESTAMP = '@timestamp';
export const VERSION = '@version';
export const TAGS = 'tags';

type Ref = FieldRef | string;
const toRef = (ref: Ref): FieldRef => (typeof ref === 'string' ? fieldRef(ref) : ref);

export class Event {
  /** Top-level fields, `@timestamp` and `@version` included; never `@metadata`. */
  data: Record<string, unknown>;
  metadata: Record<string, unknown> | undefined;
  /** Set by `drop` and friends; a cancelled event leaves the pipeline. */
  cancelled = false;
  /**
   * Within one batch's run through the filters with ordered execution: the position of the
   * input event this one comes from (-1: created during the run, it belongs with the event
   * before it, its creator). Conditionals use it to group by branch per input event.
   */
  origin = -1;

  constructor(data: Record<string, unknown> = {}, metadata?: Record<string, unknown>) {
    if (METADATA in data) {
      // A copy without it rather than `delete`: deleting a property turns the object (often one
      // JSON.parse made: every Beats document has @metadata) into a slow dictionary for the rest
      // of the event's life.
      const { [METADATA]: meta, ...rest } = data;
      data = rest;
      if (meta !== null && typeof meta === 'object' && !Array.isArray(meta)) metadata = { ...(meta as Record<string, unknown>), ...metadata };
    }
    this.data = data;
    this.metadata = metadata;
    const ts = data[TIMESTAMP];
    // A null @timestamp means "now" for Logstash's Event too.
    if (ts === undefined || ts === null) data[TIMESTAMP] = Timestamp.now();
    else if (!(ts instanceof Timestamp)) data[TIMESTAMP] = coerceTimestamp(ts, data);
    if (data[VERSION] === undefined) data[VERSION] = '1';
    const tags = data[TAGS];
    if (tags !== undefined && !isLegalTags(tags)) moveIllegalTags(data, tags);
  }

  get timestamp(): Timestamp {
    const ts = this.data[TIMESTAMP];
    return ts instanceof Timestamp ? ts : Timestamp.now();
  }

  set timestamp(ts: Timestamp) {
    this.data[TIMESTAMP] = ts;
  }

  get(ref: Ref): unknown {
    return toRef(ref).get(this);
  }

  set(ref: Ref, value: unknown): void {
    const r = toRef(ref);
    if (r.path.length === 1 && !r.metadata && r.key === TIMESTAMP && !(value instanceof Timestamp)) {
      value = coerceTimestamp(value, this.data);
    }
    r.set(this, value);
  }

  remove(ref: Ref): unknown {
    return toRef(ref).remove(this);
  }

  has(ref: Ref): boolean {
    return toRef(ref).has(this);
  }

  get tags(): readonly string[] {
    const t = this.data[TAGS];
    return Array.isArray(t) ? (t as string[]) : t === undefined || t === null ? [] : [String(t)];
  }

  /** Adds a tag unless present (Logstash's `tag`). */
  tag(tag: string): void {
    const t = this.data[TAGS];
    if (Array.isArray(t)) {
      if (!t.includes(tag)) t.push(tag);
    } else if (t === undefined || t === null) {
      this.data[TAGS] = [tag];
    } else if (t !== tag) {
      this.data[TAGS] = [t, tag];
    }
  }

  hasTag(tag: string): boolean {
    const t = this.data[TAGS];
    return Array.isArray(t) ? t.includes(tag) : t === tag;
  }

  cancel(): void {
    this.cancelled = true;
  }

  /** Deep copy; Timestamps are immutable and shared. */
  clone(): Event {
    const copy = new Event(deepCopy(this.data) as Record<string, unknown>,
      this.metadata ? (deepCopy(this.metadata) as Record<string, unknown>) : undefined);
    return copy;
  }

  /** The serialisable form: fields without `@metadata`. */
  toJSON(): Record<string, unknown> {
    return this.data;
  }

  /** Fields including `@metadata`, for debugging codecs. */
  toObjectWithMetadata(): Record<string, unknown> {
    return this.metadata ? { ...this.data, [METADATA]: this.metadata } : this.data;
  }
}

export function deepCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Timestamp) return value;
  if (Array.isArray(value)) return value.map(deepCopy);
  const out: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) out[key] = deepCopy((value as Record<string, unknown>)[key]);
  return out;
}

export const TIMESTAMP_FAILURE_TAG = '_timestampparsefailure';
export const TIMESTAMP_FAILURE_FIELD = '_@timestamp';
export const TAGS_FAILURE_TAG = '_tagsparsefailure';
export const TAGS_FAILURE_FIELD = '_tags';

/**
 * An `@timestamp` that is not a Timestamp (from JSON input, or set by a filter)
 * is parsed as strict ISO-8601 (no offset means UTC, as Logstash) when it is a
 * string. Anything else — a number included: Logstash's Event does not read
 * epoch values — gives the event `_timestampparsefailure`, the raw value in
 * `_@timestamp` and the current time, as Logstash does.
 */
function coerceTimestamp(value: unknown, data: Record<string, unknown>): Timestamp {
  if (typeof value === 'string') {
    const ts = parseIso8601(value);
    if (ts) return ts;
  }
  data[TIMESTAMP_FAILURE_FIELD] = value;
  addTag(data, TIMESTAMP_FAILURE_TAG);
  return Timestamp.now();
}

/** Logstash accepts a string or a list without hashes as `tags`. */
function isLegalTags(tags: unknown): boolean {
  if (Array.isArray(tags)) {
    for (const t of tags) if (t !== null && typeof t === 'object' && !(t instanceof Timestamp)) return false;
    return true;
  }
  return tags === null || typeof tags !== 'object' || tags instanceof Timestamp;
}

/** As Logstash's Event: `tags` that is a hash (or holds one) moves to `_tags`, tagged `_tagsparsefailure`. */
function moveIllegalTags(data: Record<string, unknown>, tags: unknown): void {
  delete data[TAGS];
  data[TAGS_FAILURE_FIELD] = tags;
  addTag(data, TAGS_FAILURE_TAG);
}

function addTag(data: Record<string, unknown>, tag: string): void {
  const tags = data[TAGS];
  if (Array.isArray(tags)) {
    if (!tags.includes(tag)) tags.push(tag);
  } else {
    data[TAGS] = tags === undefined || tags === null ? [tag] : [tags, tag];
  }
}
