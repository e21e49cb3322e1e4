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

  constructor(data: Record<string, unknown> = {}, metadata?: Record<string, unknown>) {
    this.data = data;
    this.metadata = metadata;
    if (METADATA in data) {
      const meta = data[METADATA];
      delete data[METADATA];
      if (meta !== null && typeof meta === 'object' && !Array.isArray(meta)) {
        this.metadata = { ...(meta as Record<string, unknown>), ...this.metadata };
      }
    }
    const ts = data[TIMESTAMP];
    if (ts === undefined) data[TIMESTAMP] = Timestamp.now();
    else if (!(ts instanceof Timestamp)) data[TIMESTAMP] = coerceTimestamp(ts, data);
    if (data[VERSION] === undefined) data[VERSION] = '1';
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

/**
 * An `@timestamp` that is not a Timestamp (from JSON input, or set by a filter)
 * is parsed as strict ISO-8601 (no offset means UTC, as Logstash) when possible; otherwise the event gets `_timestampparsefailure`
 * and the raw value moves to `_@timestamp`, as Logstash does.
 */
function coerceTimestamp(value: unknown, data: Record<string, unknown>): Timestamp {
  if (typeof value === 'string') {
    const ts = parseIso8601(value);
    if (ts) return ts;
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    return new Timestamp(Math.round(value * 1000));
  }
  data['_@timestamp'] = value;
  const tags = data[TAGS];
  if (Array.isArray(tags)) tags.push('_timestampparsefailure');
  else data[TAGS] = tags === undefined ? ['_timestampparsefailure'] : [tags, '_timestampparsefailure'];
  return Timestamp.now();
}
