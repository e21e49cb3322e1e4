/**
 * What every Filebeat processor (the beats_* filters) shares: dotted field names read the way
 * libbeat reads them (`a.b.c` is a path, `@metadata.x` is metadata), and `when` conditions with
 * libbeat's semantics, which differ from Logstash conditionals in ways a user would notice
 * (`contains` is a substring test on a string or on any string of an array, `has_fields` counts a
 * null value as present, `range` only compares numbers, `equals` is typed). A condition is
 * compiled once, when the filter is created; the YAML front end compiles it too, to report a bad
 * condition at its line.
 */
import { FieldRef } from '../core/fieldref.js';
import type { Event } from '../core/event.js';
import type { Filter } from './api.js';

/** Libbeat's dotted name → a compiled reference (`@metadata.beat` reads the metadata tree). */
export function dottedRef(name: string): FieldRef {
  if (name === '') throw new Error('empty field name');
  return new FieldRef(name, name.split('.'));
}

export type Condition = (event: Event) => boolean;

export class ConditionError extends Error {
  override name = 'ConditionError';
}

const CONDITION_KINDS = ['equals', 'contains', 'regexp', 'range', 'has_fields', 'or', 'and', 'not'] as const;

/** Compiles a `when` map (already flattened to dotted field names by the front end or not). */
export function compileCondition(spec: unknown): Condition {
  if (!isMap(spec)) throw new ConditionError(`a condition must be a map like {equals: {field: value}}, got ${describe(spec)}`);
  const kinds = Object.keys(spec);
  if (kinds.length === 0) throw new ConditionError('empty condition');
  // Several keys in one condition map are all required (libbeat builds an AND of them).
  const parts = kinds.map((kind) => compileOne(kind, spec[kind]));
  return parts.length === 1 ? parts[0]! : (event) => parts.every((c) => c(event));
}

function compileOne(kind: string, body: unknown): Condition {
  switch (kind) {
    case 'equals':
      return allFields(kind, body, (name, expected) => {
        if (typeof expected !== 'string' && typeof expected !== 'number' && typeof expected !== 'boolean') {
          throw new ConditionError(`equals: the value of "${name}" must be a string, a number or a boolean`);
        }
        const ref = dottedRef(name);
        return (event) => ref.get(event) === expected;
      });
    case 'contains':
      return allFields(kind, body, (name, expected) => {
        if (typeof expected !== 'string') throw new ConditionError(`contains: the value of "${name}" must be a string`);
        const ref = dottedRef(name);
        return (event) => anyString(ref.get(event), (s) => s.includes(expected));
      });
    case 'regexp':
      return allFields(kind, body, (name, pattern) => {
        if (typeof pattern !== 'string') throw new ConditionError(`regexp: the pattern of "${name}" must be a string`);
        const re = goRegexp(pattern);
        const ref = dottedRef(name);
        return (event) => anyString(ref.get(event), (s) => re.test(s));
      });
    case 'range': {
      const fields = flatten(kind, body);
      const checks = Object.entries(fields).map(([key, bound]): Condition => {
        const dot = key.lastIndexOf('.');
        const op = key.slice(dot + 1);
        if (dot <= 0 || !['gt', 'gte', 'lt', 'lte'].includes(op)) {
          throw new ConditionError(`range: "${key}" must be a field name followed by .gt, .gte, .lt or .lte`);
        }
        if (typeof bound !== 'number') throw new ConditionError(`range: "${key}" must be a number`);
        const ref = dottedRef(key.slice(0, dot));
        const test = op === 'gt' ? (v: number) => v > bound : op === 'gte' ? (v: number) => v >= bound
          : op === 'lt' ? (v: number) => v < bound : (v: number) => v <= bound;
        return (event) => {
          const v = ref.get(event);
          return typeof v === 'number' && test(v);
        };
      });
      if (checks.length === 0) throw new ConditionError('range: no field given');
      return (event) => checks.every((c) => c(event));
    }
    case 'has_fields': {
      if (!Array.isArray(body) || body.length === 0 || !body.every((f) => typeof f === 'string')) {
        throw new ConditionError('has_fields: expected a list of field names');
      }
      const refs = (body as string[]).map(dottedRef);
      return (event) => refs.every((r) => r.has(event));
    }
    case 'or':
    case 'and': {
      if (!Array.isArray(body) || body.length === 0) throw new ConditionError(`${kind}: expected a list of conditions`);
      const parts = body.map(compileCondition);
      return kind === 'or' ? (event) => parts.some((c) => c(event)) : (event) => parts.every((c) => c(event));
    }
    case 'not': {
      const inner = compileCondition(body);
      return (event) => !inner(event);
    }
    default:
      throw new ConditionError(`unknown condition "${kind}" (known: ${CONDITION_KINDS.join(', ')})`);
  }
}

function allFields(kind: string, body: unknown, make: (name: string, value: unknown) => Condition): Condition {
  const checks = Object.entries(flatten(kind, body)).map(([name, value]) => make(name, value));
  if (checks.length === 0) throw new ConditionError(`${kind}: no field given`);
  return checks.length === 1 ? checks[0]! : (event) => checks.every((c) => c(event));
}

/** `{a: {b: 1}}` and `{a.b: 1}` both name the field `a.b`. */
function flatten(kind: string, body: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (!isMap(body)) throw new ConditionError(`${kind}: expected a map of field names to values, got ${describe(body)}`);
  for (const [k, v] of Object.entries(body)) {
    const name = prefix === '' ? k : `${prefix}.${k}`;
    if (isMap(v)) flatten(kind, v, name, out);
    else out[name] = v;
  }
  return out;
}

function anyString(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && test(v));
  return false;
}

/**
 * Go (RE2) pattern → JavaScript RegExp. Leading inline flags `(?i)`, `(?s)`, `(?m)` become JS flags;
 * other RE2 syntax used in Filebeat configs (classes, anchors, \d, \w, repetition) means the same.
 */
export function goRegexp(pattern: string): RegExp {
  let flags = '';
  let source = pattern;
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    flags = [...new Set(inline[1]!.split(''))].join('');
    source = source.slice(inline[0].length);
  }
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new ConditionError(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  return Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a map' : JSON.stringify(v);
}

/** The `when` option every processor has. */
export const WHEN_OPTION = {
  type: 'hash',
  description: 'Filebeat condition: the processor runs only for events it matches (equals, contains, regexp, range, has_fields, or, and, not).',
} as const;

/**
 * A processor as a filter: `apply` runs when the condition holds. Processors never trigger the
 * Logstash decorations (add_field…), which the front end never sets, so the result is always true.
 */
export function processorFilter(when: Record<string, unknown> | undefined, apply: (event: Event) => void): Filter {
  const condition = when && Object.keys(when).length > 0 ? compileCondition(when) : undefined;
  if (!condition) {
    return { filter(event) { apply(event); return true; } };
  }
  return {
    filter(event) {
      if (condition(event)) apply(event);
      return true;
    },
  };
}

/** Sets `error.message` as libbeat does when a processor fails on an event it still publishes. */
export function setErrorMessage(event: Event, message: string): void {
  const ref = dottedRef('error.message');
  const previous = ref.get(event);
  if (previous === undefined) ref.set(event, message);
  else if (Array.isArray(previous)) previous.push(message);
  else ref.set(event, [previous, message]);
}

/** Deep merge of `source` into `target` (libbeat's DeepUpdate): maps merge, other values replace unless `overwrite` is false. */
export function deepUpdate(target: Record<string, unknown>, source: Record<string, unknown>, overwrite = true): void {
  for (const [k, v] of Object.entries(source)) {
    const current = target[k];
    if (isMap(v) && isMap(current)) deepUpdate(current, v, overwrite);
    else if (overwrite || !(k in target)) target[k] = isMap(v) ? structuredClone(v) : Array.isArray(v) ? structuredClone(v) : v;
  }
}
