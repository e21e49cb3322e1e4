/**
 * mutate: general field mutations, applied in Logstash's fixed order
 * (coerce → rename → update → replace → convert → gsub → uppercase → capitalize →
 * lowercase → strip → split → join → merge → copy), whatever order the config
 * lists them in. Every operation is compiled at create() into a step closure;
 * an exception in any step stops the rest, tags `tag_on_failure` and skips the
 * common decorations, as Logstash does.
 */
import { ConfigError } from '../../../core/errors.js';
import { deepCopy, type Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import { compileTemplate, type Template } from '../../../core/sprintf.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineFilter, type PluginContext } from '../../api.js';
import { CONVERSIONS, CONVERTERS, rubyToS, type ConversionName } from './convert.js';
import { compileRubyRegex } from '../../../core/ruby-regex.js';
import { rubyCapitalize, rubyReplacement, rubySplit, rubyStrip } from '../../../core/ruby-string.js';

type Step = (event: Event) => void;

export const mutateFilter = defineFilter({
  kind: 'filter',
  name: 'mutate',
  description: 'Renames, replaces, converts and otherwise modifies fields, in a fixed order.',
  options: {
    coerce: { type: 'hash', description: 'Sets a default value (sprintf) on fields that exist but are null.' },
    rename: { type: 'hash', description: 'Renames fields: { old => new } (both sprintf, nested references allowed).' },
    update: { type: 'hash', description: 'Sets existing fields only: { field => value } (value sprintf).' },
    replace: { type: 'hash', description: 'Sets fields, creating them if needed: { field => value } (value sprintf).' },
    convert: { type: 'hash', description: 'Converts field types: integer, integer_eu, float, float_eu, string, boolean. Arrays are converted element-wise.' },
    gsub: { type: 'array', description: 'Regex substitutions as [field, regex, replacement, ...] triples; replacement supports \\1 back-references.' },
    uppercase: { type: 'string_list', description: 'Fields to upper-case.' },
    capitalize: { type: 'string_list', description: 'Fields to capitalize (first letter upper, rest lower).' },
    lowercase: { type: 'string_list', description: 'Fields to lower-case.' },
    strip: { type: 'string_list', description: 'Fields to strip of leading and trailing whitespace.' },
    split: { type: 'hash', description: 'Splits string fields into arrays: { field => separator }.' },
    join: { type: 'hash', description: 'Joins array fields into strings: { field => separator }.' },
    merge: { type: 'hash', description: 'Merges fields: { dest => added }; strings become arrays, hashes merge.' },
    copy: { type: 'hash', description: 'Copies fields (deep copy): { source => dest }; an existing dest is overwritten.' },
    tag_on_failure: { type: 'string', default: '_mutate_error', description: 'Tag added when an operation throws.' },
  },
  exceptionTags: (options) => [options.tag_on_failure],
  create(options, ctx) {
    const steps: Step[] = [];
    const add = (step: Step | undefined): void => void (step && steps.push(step));
    add(compileCoerce(options.coerce));
    add(compileRename(options.rename));
    add(compileUpdate(options.update, false));
    add(compileUpdate(options.replace, true));
    add(compileConvert(options.convert, ctx));
    add(compileGsub(options.gsub, ctx));
    add(compileStringOp(options.uppercase, (s) => s.toUpperCase(), false));
    add(compileStringOp(options.capitalize, rubyCapitalize, false));
    add(compileStringOp(options.lowercase, (s) => s.toLowerCase(), false));
    add(compileStringOp(options.strip, rubyStrip, true));
    add(compileSplit(options.split));
    add(compileJoin(options.join));
    add(compileMerge(options.merge, ctx));
    add(compileCopy(options.copy));
    const tag = options.tag_on_failure;
    const logger = ctx.logger;
    const n = steps.length;
    return {
      filter(event) {
        try {
          for (let i = 0; i < n; i++) steps[i]!(event);
        } catch (e) {
          logger.warn('Exception caught while applying mutate filter', { exception: (e as Error).message });
          event.tag(tag);
          return false;
        }
        return true;
      },
    };
  },
});

// ------------------------------------------------------------------ helpers

const isHash = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Timestamp);

function ref(text: string, option: string): FieldRef {
  try {
    return fieldRef(text);
  } catch (e) {
    throw new ConfigError(`mutate: invalid field reference "${text}" in ${option}: ${(e as Error).message}`);
  }
}

/** A field name that may hold sprintf references; static ones resolve once. */
function refTemplate(text: string, option: string): (event: Event) => FieldRef {
  if (!text.includes('%{')) {
    const r = ref(text, option);
    return () => r;
  }
  const t = compileTemplate(text);
  return (event) => fieldRef(t(event));
}

function valueTemplate(value: unknown): Template {
  return compileTemplate(typeof value === 'string' ? value : rubyToS(value));
}

// ------------------------------------------------------------------ operations

function compileCoerce(coerce: Record<string, unknown> | undefined): Step | undefined {
  if (!coerce) return undefined;
  const entries = Object.entries(coerce).map(([f, v]) => [ref(f, 'coerce'), valueTemplate(v)] as const);
  return (event) => {
    for (const [r, t] of entries) {
      if (r.has(event) && r.get(event) == null) event.set(r, t(event));
    }
  };
}

function compileRename(rename: Record<string, unknown> | undefined): Step | undefined {
  if (!rename) return undefined;
  const entries = Object.entries(rename).map(([from, to]) => [refTemplate(from, 'rename'), refTemplate(rubyToS(to), 'rename')] as const);
  return (event) => {
    for (const [fromT, toT] of entries) {
      const from = fromT(event);
      const to = toT(event);
      if (!from.has(event)) continue;
      event.set(to, from.remove(event));
    }
  };
}

function compileUpdate(map: Record<string, unknown> | undefined, always: boolean): Step | undefined {
  if (!map) return undefined;
  const option = always ? 'replace' : 'update';
  const entries = Object.entries(map).map(([f, v]) => [ref(f, option), valueTemplate(v)] as const);
  return (event) => {
    for (const [r, t] of entries) {
      if (always || r.has(event)) event.set(r, t(event));
    }
  };
}

function compileConvert(convert: Record<string, unknown> | undefined, ctx: PluginContext): Step | undefined {
  if (!convert) return undefined;
  const entries = Object.entries(convert).map(([f, type]) => {
    if (typeof type !== 'string' || !(CONVERSIONS as readonly string[]).includes(type)) {
      throw new ConfigError(`mutate: invalid conversion type ${JSON.stringify(type)} for field "${f}"`, ctx.location,
        `expected one of ${CONVERSIONS.join(', ')}`);
    }
    return [ref(f, 'convert'), CONVERTERS[type as ConversionName]] as const;
  });
  return (event) => {
    for (const [r, conv] of entries) {
      const v = r.get(event);
      if (v === undefined || v === null || isHash(v)) continue; // hashes are skipped (Logstash logs at debug)
      if (Array.isArray(v)) event.set(r, v.map((x) => (x == null ? x : conv(x))));
      else event.set(r, conv(v));
    }
  };
}

interface GsubRule {
  ref: FieldRef;
  needle: (event: Event) => RegExp;
  replacement: (event: Event) => string;
}

function compileGsub(gsub: unknown[] | undefined, ctx: PluginContext): Step | undefined {
  if (!gsub || gsub.length === 0) return undefined;
  if (gsub.length % 3 !== 0) {
    throw new ConfigError(`mutate: gsub needs [field, regex, replacement] triples, got ${gsub.length} elements`, ctx.location);
  }
  const rules: GsubRule[] = [];
  for (let i = 0; i < gsub.length; i += 3) {
    const [field, needle, repl] = gsub.slice(i, i + 3).map((x) => (x === null || x === undefined ? undefined : rubyToS(x)));
    if (field === undefined || needle === undefined || repl === undefined) {
      throw new ConfigError('mutate: gsub requires 3 non-nil elements per entry', ctx.location);
    }
    rules.push({ ref: ref(field, 'gsub'), needle: compileNeedle(needle, ctx), replacement: compileReplacement(repl) });
  }
  const replaceOne = (rule: GsubRule, event: Event, s: string): string => s.replace(rule.needle(event), rule.replacement(event));
  return (event) => {
    for (const rule of rules) {
      const v = rule.ref.get(event);
      if (typeof v === 'string') {
        rule.ref.set(event, replaceOne(rule, event, v));
      } else if (Array.isArray(v)) {
        rule.ref.set(event, v.map((x) => (typeof x === 'string' ? replaceOne(rule, event, x) : x)));
      }
    }
  };
}

function compileNeedle(needle: string, ctx: PluginContext): (event: Event) => RegExp {
  if (!needle.includes('%{')) {
    let re: RegExp;
    try {
      re = compileRubyRegex(needle, 'g');
    } catch (e) {
      throw new ConfigError(`mutate: invalid gsub regex ${JSON.stringify(needle)}: ${(e as Error).message}`, ctx.location);
    }
    return () => re;
  }
  // The regex depends on the event: compile per distinct text, keeping a small cache.
  const t = compileTemplate(needle);
  const cache = new Map<string, RegExp>();
  return (event) => {
    const text = t(event);
    let re = cache.get(text);
    if (!re) {
      re = compileRubyRegex(text, 'g');
      if (cache.size >= 100) cache.clear();
      cache.set(text, re);
    }
    return re;
  };
}

function compileReplacement(repl: string): (event: Event) => string {
  if (!repl.includes('%{')) {
    const js = rubyReplacement(repl);
    return () => js;
  }
  const t = compileTemplate(repl);
  return (event) => rubyReplacement(t(event));
}

function compileStringOp(fields: string[] | undefined, op: (s: string) => string, strict: boolean): Step | undefined {
  if (!fields || fields.length === 0) return undefined;
  const refs = fields.map((f) => ref(f, 'string operation'));
  return (event) => {
    for (const r of refs) {
      const v = r.get(event);
      if (typeof v === 'string') {
        r.set(event, op(v));
      } else if (Array.isArray(v)) {
        r.set(event, v.map((x) => {
          if (typeof x === 'string') return op(x);
          // strip calls String#strip on every element; anything else raises in Logstash.
          if (strict) throw new TypeError(`undefined method 'strip' for ${x === null ? 'nil' : typeof x}`);
          return x;
        }));
      }
    }
  };
}

function compileSplit(split: Record<string, unknown> | undefined): Step | undefined {
  if (!split) return undefined;
  const entries = Object.entries(split).map(([f, sep]) => [ref(f, 'split'), rubyToS(sep)] as const);
  return (event) => {
    for (const [r, sep] of entries) {
      const v = r.get(event);
      if (typeof v === 'string') r.set(event, rubySplit(v, sep));
    }
  };
}

/** Ruby Array#join: nested arrays are joined recursively with the same separator, nil → "". */
function rubyJoin(a: unknown[], sep: string): string {
  let out = '';
  for (let i = 0; i < a.length; i++) {
    if (i > 0) out += sep;
    const x = a[i];
    out += Array.isArray(x) ? rubyJoin(x, sep) : rubyToS(x);
  }
  return out;
}

function compileJoin(join: Record<string, unknown> | undefined): Step | undefined {
  if (!join) return undefined;
  const entries = Object.entries(join).map(([f, sep]) => [ref(f, 'join'), rubyToS(sep)] as const);
  return (event) => {
    for (const [r, sep] of entries) {
      const v = r.get(event);
      if (Array.isArray(v)) r.set(event, rubyJoin(v, sep));
    }
  };
}

/** Ruby `Array(x)`: nil → [], array → itself, anything else → [x]. */
const toArray = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

function compileMerge(merge: Record<string, unknown> | undefined, ctx: PluginContext): Step | undefined {
  if (!merge) return undefined;
  const entries = Object.entries(merge).map(([dest, added]) =>
    [ref(dest, 'merge'), toArray(added).map((a) => ref(rubyToS(a), 'merge'))] as const);
  return (event) => {
    for (const [destRef, addedRefs] of entries) {
      let dest = destRef.get(event);
      for (const addedRef of addedRefs) {
        const added = addedRef.get(event);
        if (isHash(dest) !== isHash(added)) {
          ctx.logger.debug('mutate: not possible to merge an array and a hash', { dest_field: destRef.text, added_field: addedRef.text });
          continue;
        }
        if (isHash(dest)) {
          dest = Object.assign({}, dest, deepCopy(added));
        } else {
          dest = [...toArray(dest), ...toArray(deepCopy(added))];
        }
        destRef.set(event, dest);
      }
    }
  };
}

function compileCopy(copy: Record<string, unknown> | undefined): Step | undefined {
  if (!copy) return undefined;
  const entries = Object.entries(copy).map(([from, to]) => [ref(from, 'copy'), ref(rubyToS(to), 'copy')] as const);
  return (event) => {
    for (const [from, to] of entries) {
      const v = from.get(event);
      if (v === undefined || v === null) continue;
      event.set(to, deepCopy(v));
    }
  };
}
