/**
 * kv: parses `key=value` text (postfix, iptables, query strings...). One
 * scanning regex is built at create() (see scanner.ts); per event the filter
 * walks its matches, applies trim / remove / transform / include / exclude /
 * prefix, collects repeated keys into arrays, and sets the result at the top
 * level (keys read as field references) or under `target`.
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import { compileTemplate, type Template } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';
import { compileRubyRegex } from '../../../core/ruby-regex.js';
import { rubyCapitalize } from '../../../core/ruby-string.js';
import { buildScanner } from './scanner.js';

const TRANSFORMS = ['lowercase', 'uppercase', 'capitalize'] as const;
type Transform = (s: string) => string;
const TRANSFORM_FNS: Record<(typeof TRANSFORMS)[number], Transform> = {
  lowercase: (s) => s.toLowerCase(),
  uppercase: (s) => s.toUpperCase(),
  capitalize: rubyCapitalize,
};

type KvValue = string | KvMap | Array<string | KvMap>;
type KvMap = Map<string, KvValue>;

/** Thrown out of a parse that ran past timeout_millis. */
class KvTimeout extends Error {}

export const kvFilter = defineFilter({
  kind: 'filter',
  name: 'kv',
  description: 'Parses key=value pairs from a field into event fields.',
  options: {
    source: { type: 'field_reference', default: 'message', description: 'Field to parse.' },
    target: { type: 'field_reference', description: 'Field to put all pairs under (overwritten); default: the event root.' },
    field_split: { type: 'string', default: ' ', description: 'Characters (a regex character class) separating pairs.' },
    value_split: { type: 'string', default: '=', description: 'Characters (a regex character class) separating key from value.' },
    field_split_pattern: { type: 'string', description: 'Regex separating pairs; takes precedence over field_split.' },
    value_split_pattern: { type: 'string', description: 'Regex separating key from value; takes precedence over value_split.' },
    prefix: { type: 'string', default: '', description: 'Prepended to every key (sprintf).' },
    include_keys: { type: 'string_list', default: [], description: 'Only these keys are kept (sprintf); empty keeps all.' },
    exclude_keys: { type: 'string_list', default: [], description: 'These keys are dropped (sprintf).' },
    default_keys: { type: 'hash', default: {}, description: 'Keys and values added when the text does not have them.' },
    allow_duplicate_values: { type: 'boolean', default: true, description: 'Keep repeated identical key/value pairs (as arrays).' },
    allow_empty_values: { type: 'boolean', default: false, description: 'Keep keys whose value is empty, as "".' },
    trim_key: { type: 'string', description: 'Characters (a regex character class) trimmed from both ends of keys.' },
    trim_value: { type: 'string', description: 'Characters (a regex character class) trimmed from both ends of values.' },
    remove_char_key: { type: 'string', description: 'Characters (a regex character class) removed anywhere in keys.' },
    remove_char_value: { type: 'string', description: 'Characters (a regex character class) removed anywhere in values.' },
    transform_key: { type: 'string', values: TRANSFORMS, description: 'lowercase, uppercase or capitalize keys.' },
    transform_value: { type: 'string', values: TRANSFORMS, description: 'lowercase, uppercase or capitalize values.' },
    include_brackets: { type: 'boolean', default: true, description: 'Values wrapped in (), [] or <> are taken whole, without the brackets.' },
    recursive: { type: 'boolean', default: false, description: 'Parse values for nested key=value pairs.' },
    whitespace: { type: 'string', values: ['lenient', 'strict'], default: 'lenient', description: 'lenient allows spaces around the value splitter.' },
    tag_on_failure: { type: 'string_list', default: ['_kv_filter_error'], description: 'Tags added when parsing throws.' },
    tag_on_timeout: { type: 'string', default: '_kv_filter_timeout', description: 'Tag added when parsing took longer than timeout_millis.' },
    timeout_millis: { type: 'number', default: 30000, description: 'Parse time budget per event (0 = none); see the docs for how it is enforced.' },
  },
  exceptionTags: (options) => options.tag_on_failure,
  create(options, ctx) {
    if (options.value_split === '') throw new ConfigError("kv: 'value_split' must be a non-empty string", ctx.location);
    if (options.field_split_pattern === '') throw new ConfigError("kv: 'field_split_pattern' must be a non-empty string", ctx.location);
    if (options.value_split_pattern === '') throw new ConfigError("kv: 'value_split_pattern' must be a non-empty string", ctx.location);

    const regex = (what: string, src: string, flags = ''): RegExp => {
      try {
        return compileRubyRegex(src, flags);
      } catch (e) {
        throw new ConfigError(`kv: invalid ${what}: ${(e as Error).message}`, ctx.location);
      }
    };
    const scanner = (() => {
      try {
        return buildScanner({
          field_split: options.field_split,
          value_split: options.value_split,
          field_split_pattern: options.field_split_pattern,
          value_split_pattern: options.value_split_pattern,
          include_brackets: options.include_brackets,
          whitespace: options.whitespace as 'lenient' | 'strict',
        });
      } catch (e) {
        throw new ConfigError(`kv: cannot build the scanner from the split options: ${(e as Error).message}`, ctx.location);
      }
    })();
    const scanRe = scanner.scan;
    const hasValueSplit = scanner.hasValueSplit;
    const trimKey = options.trim_key ? regex('trim_key', `^[${options.trim_key}]+|[${options.trim_key}]+$`, 'g') : undefined;
    const trimValue = options.trim_value ? regex('trim_value', `^[${options.trim_value}]+|[${options.trim_value}]+$`, 'g') : undefined;
    const removeKey = options.remove_char_key ? regex('remove_char_key', `[${options.remove_char_key}]`, 'g') : undefined;
    const removeValue = options.remove_char_value ? regex('remove_char_value', `[${options.remove_char_value}]`, 'g') : undefined;
    const transformKey = options.transform_key ? TRANSFORM_FNS[options.transform_key as keyof typeof TRANSFORM_FNS] : undefined;
    const transformValue = options.transform_value ? TRANSFORM_FNS[options.transform_value as keyof typeof TRANSFORM_FNS] : undefined;
    const includeKeys = keySet(options.include_keys);
    const excludeKeys = keySet(options.exclude_keys);
    const prefix = compileTemplate(options.prefix);
    const allowDuplicates = options.allow_duplicate_values;
    const allowEmpty = options.allow_empty_values;
    const recursive = options.recursive;
    const defaults = Object.entries(options.default_keys).map(([k, v]) => [k, v] as const);
    const sourceRef = fieldRef(options.source);
    const targetRef = options.target === undefined ? undefined : fieldRef(options.target);
    const tagsOnFailure = options.tag_on_failure;
    const tagOnTimeout = options.tag_on_timeout;
    const timeoutMs = options.timeout_millis;
    const logger = ctx.logger;

    // One regex per recursion depth: exec() keeps its position in lastIndex.
    const scanners: RegExp[] = [scanRe];
    function parse(text: string, event: Event, kv: KvMap, deadline: number, depth = 0): KvMap {
      if (!hasValueSplit.test(text)) return kv;
      const include = includeKeys(event);
      const exclude = excludeKeys(event);
      let pfx: string | undefined;
      const re = (scanners[depth] ??= new RegExp(scanRe));
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      let count = 0;
      while ((m = re.exec(text)) !== null) {
        if (m[0].length === 0) re.lastIndex++;
        if (deadline > 0 && (++count & 63) === 0 && performance.now() > deadline) throw new KvTimeout();
        let value: string | undefined;
        for (let g = 2; g < m.length; g++) {
          if (m[g] !== undefined) {
            value = m[g];
            break;
          }
        }
        if (value === undefined || value === '') {
          if (!allowEmpty) continue;
          value = '';
        }
        let key = m[1]!;
        if (trimKey) key = key.replace(trimKey, '');
        if (removeKey) key = key.replace(removeKey, '');
        if (transformKey) key = transformKey(key);
        if (include && include.size > 0 && !include.has(key)) continue;
        if (exclude && exclude.has(key)) continue;
        pfx ??= prefix(event);
        key = pfx + key;
        if (trimValue) value = value.replace(trimValue, '');
        if (removeValue) value = value.replace(removeValue, '');
        if (transformValue) value = transformValue(value);
        const existing = kv.get(key);
        // Logstash tests `kv[key].include?(value)`: membership for arrays, substring for strings.
        if (!allowDuplicates && existing !== undefined && includes(existing, value)) continue;
        let stored: KvValue = value;
        if (recursive) {
          const inner = parse(value, event, new Map(), deadline, depth + 1);
          if (inner.size > 0) stored = inner;
        }
        if (existing === undefined) kv.set(key, stored);
        else if (Array.isArray(existing)) existing.push(stored as string | KvMap);
        else kv.set(key, [existing, stored as string | KvMap]);
      }
      return kv;
    }

    return {
      filter(event) {
        let kv: KvMap = new Map();
        try {
          const value = sourceRef.get(event);
          const deadline = timeoutMs > 0 ? performance.now() + timeoutMs : 0;
          if (typeof value === 'string') {
            kv = parse(value, event, kv, deadline);
          } else if (Array.isArray(value)) {
            for (const v of value) if (typeof v === 'string') kv = parse(v, event, kv, deadline);
          } else if (value !== undefined && value !== null) {
            logger.warn('kv filter has no support for this type of data', { type: typeof value });
          }
          if (deadline > 0 && performance.now() > deadline) throw new KvTimeout();
          if (defaults.length > 0) {
            const merged: KvMap = new Map();
            for (const [k, v] of defaults) merged.set(k, v as KvValue);
            for (const [k, v] of kv) merged.set(k, v);
            kv = merged;
          }
          if (kv.size === 0) return false;
          if (targetRef) {
            targetRef.set(event, toObject(kv));
          } else {
            for (const [k, v] of kv) event.set(fieldRef(k), toPlain(v));
          }
          return true;
        } catch (e) {
          if (e instanceof KvTimeout) {
            logger.warn('Timeout reached in KV filter', { timeout_millis: timeoutMs });
            event.tag(tagOnTimeout);
            return false;
          }
          logger.warn('Exception while parsing KV', { exception: (e as Error).message });
          for (const t of tagsOnFailure) event.tag(t);
          return false;
        }
      },
    };
  },
});

/** A set of keys, static when no key has sprintf references. */
function keySet(keys: string[]): (event: Event) => Set<string> | undefined {
  if (keys.length === 0) return () => undefined;
  if (!keys.some((k) => k.includes('%{'))) {
    const set = new Set(keys);
    return () => set;
  }
  const templates: Template[] = keys.map(compileTemplate);
  return (event) => new Set(templates.map((t) => t(event)));
}

function includes(existing: KvValue, value: string): boolean {
  if (typeof existing === 'string') return existing.includes(value);
  if (Array.isArray(existing)) return existing.includes(value);
  return existing.has(value);
}

function toPlain(v: KvValue | unknown): unknown {
  if (v instanceof Map) return toObject(v as KvMap);
  if (Array.isArray(v)) return v.map(toPlain);
  return v;
}

function toObject(kv: KvMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of kv) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
    else out[k] = toPlain(v);
  }
  return out;
}
