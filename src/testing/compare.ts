/**
 * Comparing events as logstash-filter-verifier does: the actual event in its JSON form
 * (`@timestamp` as ISO-8601 with milliseconds), ignored fields removed, must equal the
 * expected event exactly — same fields, same JSON types. The result is a field-by-field
 * list of differences rather than a textual diff, so a failure names the field to look at.
 */
import { fieldRef } from '../core/fieldref.js';
import { isObject, type Fields } from './cases.js';

export interface FieldDifference {
  /** Field reference of the difference, e.g. `[http][status]`. */
  field: string;
  kind: 'missing' | 'unexpected' | 'changed';
  expected?: unknown;
  actual?: unknown;
}

/** Removes each ignored field reference (`host`, `[log][file][path]`) from a plain JSON event. */
export function removeIgnored(event: Fields, ignore: readonly string[]): Fields {
  for (const ref of ignore) {
    const path = plainPath(ref);
    let target: unknown = event;
    for (const part of path.slice(0, -1)) target = isObject(target) ? target[part] : undefined;
    if (isObject(target)) delete target[path[path.length - 1]!];
  }
  return event;
}

/**
 * Differences between an expected and an actual event. With `subset`, fields the expected
 * event does not list are not checked (logpipe's concise form).
 */
export function diffEvents(expected: Fields, actual: Fields, subset = false): FieldDifference[] {
  const out: FieldDifference[] = [];
  walk(expected, actual, '', subset, out);
  return out;
}

function walk(expected: Fields, actual: Fields, prefix: string, subset: boolean, out: FieldDifference[]): void {
  const keys = new Set([...Object.keys(expected), ...(subset ? [] : Object.keys(actual))]);
  for (const key of [...keys].sort()) {
    const field = `${prefix}[${key}]`;
    const e = expected[key];
    const a = actual[key];
    if (!(key in actual)) out.push({ field, kind: 'missing', expected: e });
    else if (!(key in expected)) out.push({ field, kind: 'unexpected', actual: a });
    else if (isObject(e) && isObject(a)) walk(e, a, field, subset, out);
    else if (!deepEqual(e, a)) out.push({ field, kind: 'changed', expected: e, actual: a });
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Orders events by the value of a field reference (missing values first), keeping ties in order. */
export function sortEvents(events: Fields[], by: string): Fields[] {
  const path = plainPath(by);
  const value = (e: Fields): string => {
    let v: unknown = e;
    for (const part of path) v = isObject(v) ? v[part] : undefined;
    return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  };
  return events.map((e, i) => ({ e, i, k: value(e) })).sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : x.i - y.i)).map((x) => x.e);
}

/** The path of a field reference in an event's JSON form (`[@metadata][x]` reaches an exported copy). */
function plainPath(ref: string): string[] {
  if (!ref.startsWith('[')) return [ref];
  const r = fieldRef(ref);
  return r.metadata ? ['@metadata', ...r.path] : [...r.path];
}
