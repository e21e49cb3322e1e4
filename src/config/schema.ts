/**
 * Option schemas. Every plugin declares its options here-style; the validator
 * coerces values the way Logstash does (a one-element array for a scalar, an
 * even-length array for a hash, "123" for a number), rejects unknown or
 * mistyped options with the location and the closest valid name, and wraps
 * passwords so they can never be printed.
 */
import { ConfigError, type SourceLocation } from '../core/errors.js';
import { fieldRef } from '../core/fieldref.js';
import { isPluginValue, type ConfigValue, type PluginValue, type Setting } from './values.js';

export type OptionType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'string_list'
  | 'array'
  | 'hash'
  | 'password'
  | 'codec'
  | 'path'
  | 'field_reference'
  | 'bytes'
  | 'duration'
  | 'any';

export interface OptionSpec {
  type: OptionType;
  required?: boolean;
  default?: unknown;
  /** Allowed values (for string options). */
  values?: readonly string[];
  /** The hint of the error when a value is refused: what to do instead (e.g. a Logstash value logpipe lacks). */
  refusedHint?: string;
  /** Still accepted, with a warning carrying this message. */
  deprecated?: string;
  /** No longer accepted; using it is an error carrying this message. */
  obsolete?: string;
  /** Accepted and ignored: Logstash tuning knobs with no meaning here. Carries the reason. */
  ignored?: string;
  description: string;
}

export type Schema = Readonly<Record<string, OptionSpec>>;

/** A secret setting. Its string forms are redacted, so it cannot leak into logs or errors. */
export class Password {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The secret itself: call only where it is handed to a client library. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '<password>';
  }
  toJSON(): string {
    return '<password>';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '<password>';
  }
}

/** A codec setting resolved to its name and raw settings; validated by the registry. */
export interface CodecSpec {
  name: string;
  settings: Setting[];
  location?: SourceLocation;
}

type TypeOf<T extends OptionType> = T extends 'string' | 'path' | 'field_reference'
  ? string
  : T extends 'number' | 'bytes' | 'duration'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'string_list'
        ? string[]
        : T extends 'array'
          ? unknown[]
          : T extends 'hash'
            ? Record<string, unknown>
            : T extends 'password'
              ? Password
              : T extends 'codec'
                ? CodecSpec
                : unknown;

/** The options object a plugin receives, inferred from its schema. */
export type OptionsOf<S extends Schema> = {
  -readonly [K in keyof S]: S[K] extends { required: true } | { default: NonNullable<unknown> }
    ? TypeOf<S[K]['type']>
    : TypeOf<S[K]['type']> | undefined;
};

export interface ValidationContext {
  /** e.g. "filter", "output" */
  kind: string;
  plugin: string;
  location?: SourceLocation;
  warn?: (message: string) => void;
}

/** Validates settings against a schema; throws ConfigError listing every problem found. */
export function validateSettings<S extends Schema>(schema: S, settings: Setting[], ctx: ValidationContext): OptionsOf<S> {
  const errors: ConfigError[] = [];
  const merged = mergeRepeated(settings, ctx, errors);
  const out: Record<string, unknown> = {};
  for (const [name, { value, location }] of merged) {
    const spec = schema[name];
    if (!spec) {
      const suggestion = closest(name, Object.keys(schema).filter((k) => !schema[k]!.obsolete));
      errors.push(new ConfigError(
        `unknown option "${name}" for ${ctx.kind} plugin "${ctx.plugin}"`,
        location,
        suggestion ? `did you mean "${suggestion}"?` : `valid options: ${Object.keys(schema).sort().join(', ')}`,
      ));
      continue;
    }
    if (spec.obsolete) {
      errors.push(new ConfigError(`option "${name}" of ${ctx.kind} plugin "${ctx.plugin}" is obsolete`, location, spec.obsolete));
      continue;
    }
    if (spec.deprecated) ctx.warn?.(`${location.file}:${location.line}:${location.column}: option "${name}" of ${ctx.plugin} is deprecated: ${spec.deprecated}`);
    try {
      const coerced = coerce(spec, value, name, ctx);
      // `codec => json` has no block of its own: its errors point at the setting.
      if (spec.type === 'codec' && !(coerced as CodecSpec).location) (coerced as CodecSpec).location = location;
      out[name] = coerced;
    } catch (e) {
      errors.push(new ConfigError(`${(e as Error).message} for option "${name}" of ${ctx.kind} plugin "${ctx.plugin}"`, location, spec.refusedHint));
    }
  }
  for (const [name, spec] of Object.entries(schema)) {
    if (name in out || spec.obsolete) continue;
    if (spec.required) {
      errors.push(new ConfigError(`${ctx.kind} plugin "${ctx.plugin}" requires option "${name}"`, ctx.location, spec.description));
    } else if (spec.default !== undefined) {
      out[name] = structuredClone(spec.default);
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new ConfigErrorList(errors);
  return out as OptionsOf<S>;
}

/** More than one problem in one plugin block. */
export class ConfigErrorList extends ConfigError {
  constructor(readonly errors: ConfigError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

/**
 * Logstash merges repeated options (lscl.rb `expr_attributes`): hashes merge
 * key by key (`hash_merge`: the same key's values become an array, so
 * `match => {"message" => "a"} match => {"message" => "b"}` tries both),
 * arrays concatenate, and differing scalars become an array. Duplicate keys
 * in one hash literal are an error (reported by the parser).
 */
function mergeRepeated(settings: Setting[], _ctx: ValidationContext, _errors: ConfigError[]): Map<string, { value: ConfigValue; location: SourceLocation }> {
  const merged = new Map<string, { value: ConfigValue; location: SourceLocation }>();
  for (const s of settings) {
    const prev = merged.get(s.name);
    if (!prev) {
      merged.set(s.name, { value: s.value, location: s.location });
      continue;
    }
    const a = prev.value;
    const b = s.value;
    let value: ConfigValue;
    if (isHash(a) && isHash(b)) value = mergeHashes(a, b);
    else if (Array.isArray(a)) value = [...a, ...(Array.isArray(b) ? b : [b])];
    else if (sameValue(a, b)) value = a;
    else value = [a, b];
    merged.set(s.name, { value, location: prev.location });
  }
  return merged;
}

/** Logstash's `Util.hash_merge`: nested hashes merge, arrays union, a repeated key collects its distinct values. */
function mergeHashes(into: { [key: string]: ConfigValue }, from: { [key: string]: ConfigValue }): { [key: string]: ConfigValue } {
  const out: { [key: string]: ConfigValue } = {};
  for (const [k, v] of Object.entries(into)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, b] of Object.entries(from)) {
    let value: ConfigValue = b;
    if (Object.prototype.hasOwnProperty.call(out, k)) {
      const a = out[k]!;
      if (isHash(a) && isHash(b)) value = mergeHashes(a, b);
      else if (Array.isArray(b)) value = union(Array.isArray(a) ? a : [a], b);
      else if (Array.isArray(a)) value = union(a, [b]);
      else value = sameValue(a, b) ? a : [a, b];
    }
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function union(a: ConfigValue[], b: ConfigValue[]): ConfigValue[] {
  const out = [...a];
  for (const v of b) if (!out.some((x) => sameValue(x, v))) out.push(v);
  return out;
}

function sameValue(a: ConfigValue, b: ConfigValue): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

function isHash(v: ConfigValue): v is { [key: string]: ConfigValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isPluginValue(v);
}

function describe(v: ConfigValue): string {
  if (isPluginValue(v)) return `plugin ${v.name} { ... }`;
  if (Array.isArray(v)) return 'an array';
  if (isHash(v)) return 'a hash';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function coerce(spec: OptionSpec, raw: ConfigValue, name: string, ctx: ValidationContext): unknown {
  // Scalars written as a one-element array are accepted, as in Logstash.
  const scalarTypes: OptionType[] = ['string', 'number', 'boolean', 'password', 'path', 'field_reference', 'bytes', 'duration', 'codec'];
  let value = raw;
  if (scalarTypes.includes(spec.type) && Array.isArray(value) && value.length === 1) value = value[0]!;
  switch (spec.type) {
    case 'any':
      return value;
    case 'string':
    case 'path':
    case 'field_reference': {
      if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
      if (typeof value !== 'string') throw new Error(`expected a string, got ${describe(value)}`);
      if (spec.values && !spec.values.includes(value)) {
        const suggestion = closest(value, spec.values);
        throw new Error(`invalid value "${value}" (allowed: ${spec.values.join(', ')}${suggestion ? `; did you mean "${suggestion}"?` : ''})`);
      }
      // Parsed now, so a malformed reference fails the config check with its location, not each
      // event. "" is left to the plugin: several read an empty target as "unset" (the event root).
      if (spec.type === 'field_reference' && value !== '') fieldRef(value);
      return value;
    }
    case 'password':
      if (typeof value === 'number') value = String(value);
      if (typeof value !== 'string') throw new Error(`expected a string, got ${isPluginValue(value) || typeof value === 'object' ? 'a structure' : typeof value}`);
      return new Password(value);
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || Number.isNaN(n)) throw new Error(`expected a number, got ${describe(value)}`);
      return n;
    }
    case 'bytes':
      return parseBytes(value);
    case 'duration':
      return parseDuration(value);
    case 'boolean':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw new Error(`expected true or false, got ${describe(value)}`);
    case 'string_list': {
      const list = Array.isArray(value) ? value : [value];
      return list.map((item) => {
        if (typeof item === 'number' || typeof item === 'boolean') return String(item);
        if (typeof item !== 'string') throw new Error(`expected a list of strings, got ${describe(item)} in it`);
        return item;
      });
    }
    case 'array':
      return Array.isArray(value) ? value : [value];
    case 'hash': {
      if (isHash(value)) return value;
      // An even-length array is read as key/value pairs: ["a","integer","b","float"]. A key
      // given twice collects its values, as Logstash's hash validation does (so the old
      // `add_field => ["[geoip][coordinates]", "%{lon}"] add_field => [..., "%{lat}"]` recipe
      // makes an array).
      if (Array.isArray(value) && value.length % 2 === 0 && value.every((v) => !isHash(v))) {
        const out: Record<string, ConfigValue> = {};
        for (let i = 0; i < value.length; i += 2) {
          const key = String(value[i]);
          const item = value[i + 1]!;
          const entry = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
          const collected = entry === undefined ? item : Array.isArray(entry) ? [...entry, item] : [entry, item];
          Object.defineProperty(out, key, { value: collected, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      throw new Error(`expected a hash, got ${describe(value)}`);
    }
    case 'codec': {
      if (typeof value === 'string') return { name: value, settings: [] } satisfies CodecSpec;
      if (isPluginValue(value)) return toCodecSpec(value);
      throw new Error(`expected a codec name or codec block, got ${describe(value)}`);
    }
  }
  void name;
  void ctx;
  return value;
}

function toCodecSpec(value: PluginValue): CodecSpec {
  return { name: value.name, settings: value.settings, location: value.location };
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

export function parseBytes(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
    if (m) {
      const unit = BYTE_UNITS[(m[2] || 'b').toLowerCase()];
      if (unit) return Math.round(Number(m[1]) * unit);
    }
  }
  throw new Error(`expected a byte size like "64mb", got ${JSON.stringify(value)}`);
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Logstash's friendly duration units ("1 second", "5 sec", "2 weeks", "250 msec"), checked in
 * this order as Logstash's file input does, so "ms" is milliseconds and not minutes.
 */
const FRIENDLY_UNITS: [RegExp, number][] = [
  [/^ms(?:ec)?s?$/, 1], [/^us(?:ec)?s?$/, 1e-3], [/^s(?:ec)?(?:ond)?s?$/, 1000], [/^m(?:in)?(?:ute)?s?$/, 60_000],
  [/^h(?:our)?s?$/, 3_600_000], [/^d(?:ay)?s?$/, 86_400_000], [/^w(?:eek)?s?$/, 604_800_000],
];

/**
 * A duration in milliseconds. A bare number is seconds (Logstash's `stat_interval => 1`,
 * Filebeat's `timeout: 30`); a string carries its units as Filebeat/Go writes them: "500ms",
 * "10s", "1m30s", "24h", or as Logstash's file input accepts them: "1 second", "5 min",
 * "2 weeks". Negative values are kept (Filebeat's `ttl: -1`, "never").
 */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^-?\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
    const friendly = /^(-?\d+(?:\.\d+)?)\s?([a-z]+)$/.exec(text);
    const unit = friendly ? FRIENDLY_UNITS.find(([re]) => re.test(friendly[2]!)) : undefined;
    if (friendly && unit) return Number(friendly[1]) * unit[1];
    const m = /^(-?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d))+)$/.exec(text);
    if (m) {
      let total = 0;
      for (const part of m[2]!.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g)) total += Number(part[1]) * DURATION_UNITS[part[2]!]!;
      return m[1] === '-' ? -total : total;
    }
  }
  throw new Error(`expected a duration like "10s", "5m", "24h" or a number of seconds, got ${JSON.stringify(value)}`);
}

/** The candidate closest to `word` by edit distance, if reasonably close. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Levenshtein distance between two strings. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
