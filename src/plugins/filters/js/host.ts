/**
 * Host-side helpers for the js filter: turning values that user code stores
 * into plain host-realm data, the functions the prelude calls, and a
 * rate-limited reporter for script errors.
 */
import { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import type { Logger } from '../../../core/logger.js';
import { compileTemplate, type Template } from '../../../core/sprintf.js';
import { Timestamp } from '../../../core/timestamp.js';
import type { PreludeHost } from './prelude.js';

const MAX_DEPTH = 100;

/**
 * Copies a value from user code into event data: host-realm arrays and plain
 * objects, Dates as Timestamps, undefined as null. Functions, symbols and
 * class instances other than Date/Timestamp are refused.
 */
export function toHost(value: unknown, depth = 0): unknown {
  if (value === undefined) return null;
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    case 'function':
    case 'symbol':
      throw new TypeError(`cannot store a ${typeof value} in an event field`);
  }
  if (depth > MAX_DEPTH) throw new TypeError('value nested too deeply (a cycle?) to store in an event');
  if (value instanceof Timestamp) return value;
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object Date]') {
    const ms = (value as Date).getTime();
    if (Number.isNaN(ms)) throw new TypeError('cannot store an invalid Date');
    return new Timestamp(ms);
  }
  if (Array.isArray(value)) {
    // Not value.map(): that would build an array of the value's own realm.
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toHost(value[i], depth + 1);
    return out;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  // Plain objects of any realm: their prototype's prototype is null.
  if (proto !== null && Object.getPrototypeOf(proto) !== null) {
    throw new TypeError(`cannot store ${tag === '[object Object]' ? 'a class instance' : tag} in an event field; use plain objects, arrays and primitives`);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object)) out[key] = toHost((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

function refOf(ref: unknown): FieldRef {
  if (typeof ref !== 'string') throw new TypeError(`a field reference must be a string, got ${typeof ref}`);
  return fieldRef(ref);
}

export function createPreludeHost(): PreludeHost {
  // Templates used with event.sprintf() are compiled once; bounded so a
  // script building templates dynamically cannot grow it forever.
  const templates = new Map<string, Template>();
  const asEvent = (e: object): Event => e as Event;
  return {
    newEvent(fields) {
      const data = toHost(fields);
      if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new TypeError('new Event(fields) needs a plain object');
      return new Event(data as Record<string, unknown>);
    },
    get: (e, ref) => asEvent(e).get(refOf(ref)),
    set: (e, ref, value) => asEvent(e).set(refOf(ref), toHost(value)),
    remove: (e, ref) => asEvent(e).remove(refOf(ref)),
    has: (e, ref) => asEvent(e).has(refOf(ref)),
    tag: (e, tag) => asEvent(e).tag(String(tag)),
    setCancelled: (e, cancelled) => {
      asEvent(e).cancelled = cancelled;
    },
    isCancelled: (e) => asEvent(e).cancelled,
    clone: (e) => asEvent(e).clone(),
    toObject: (e, withMetadata) => (withMetadata ? asEvent(e).toObjectWithMetadata() : asEvent(e).data),
    timestampMs: (e) => asEvent(e).timestamp.epochMs,
    sprintf(e, template) {
      const text = String(template);
      let t = templates.get(text);
      if (!t) {
        t = compileTemplate(text);
        if (templates.size < 1000) templates.set(text, t);
      }
      return t(asEvent(e));
    },
    isTimestamp: (v) => v instanceof Timestamp,
  };
}

/** Message of anything thrown by user code (errors of the context realm are not `instanceof Error` here). */
export function describeThrown(thrown: unknown): string {
  if (thrown !== null && typeof thrown === 'object') {
    const name = (thrown as { name?: unknown }).name;
    const message = (thrown as { message?: unknown }).message;
    if (typeof message === 'string') return typeof name === 'string' && name !== 'Error' ? `${name}: ${message}` : message;
  }
  return String(thrown);
}

/**
 * Logs each distinct message once, then at most once a minute with the
 * number of repeats, so a script failing on every event cannot flood the log.
 */
export class ErrorReporter {
  private readonly seen = new Map<string, { last: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 60_000,
  ) {}

  report(message: string, fields: Record<string, unknown>): void {
    const now = Date.now();
    const entry = this.seen.get(message);
    if (entry && now - entry.last < this.intervalMs) {
      entry.suppressed++;
      return;
    }
    if (this.seen.size >= 256 && !entry) this.seen.clear();
    const repeats = entry?.suppressed ?? 0;
    this.seen.set(message, { last: now, suppressed: 0 });
    this.logger.warn(message, repeats > 0 ? { ...fields, repeated: repeats } : fields);
  }
}
