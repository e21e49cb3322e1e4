/**
 * Grok pattern compiler: expands %{SYNTAX[:SEMANTIC[:int|float]]} recursively against a pattern
 * dictionary, translates the Oniguruma result to one V8 RegExp, and maps every capture to a
 * precompiled FieldRef with its type conversion.
 */
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import { enableLinearFallback, linearCapable } from './engine.js';
import { MARK, translate, TranslateError } from './translate.js';

export type Conversion = 'int' | 'float' | undefined;

export interface GrokCapture {
  /** The field the value goes to: the semantic, a raw (?<name>…) name, or the SYNTAX name for unnamed captures. */
  field: string;
  ref: FieldRef;
  /** Index in the RegExp's match array. */
  group: number;
  convert: Conversion;
}

export interface CompileOptions {
  /** Pattern dictionary: NAME → Oniguruma definition. */
  patterns: ReadonlyMap<string, string>;
  /** Keep only named captures (default true): %{SYNTAX} alone then captures nothing. */
  namedCapturesOnly?: boolean;
}

export class GrokCompileError extends Error {}

/** One compiled grok expression. */
export class CompiledGrok {
  constructor(
    /** The grok expression as written. */
    readonly pattern: string,
    /** The expanded Oniguruma expression (before translation), for debugging. */
    readonly expanded: string,
    readonly regex: RegExp,
    readonly captures: readonly GrokCapture[],
    /** V8's linear engine can run it, so catastrophic backtracking falls back to linear time. */
    readonly linear: boolean,
  ) {}

  exec(text: string): RegExpExecArray | null {
    return this.regex.exec(text);
  }

  /**
   * Matches and returns captured fields (nested by field reference), or null. A field captured
   * more than once becomes an array, as the filter does. Empty captures are skipped.
   */
  match(text: string): Record<string, unknown> | null {
    const m = this.regex.exec(text);
    if (!m) return null;
    const out: Record<string, unknown> = {};
    for (const c of this.captures) {
      const raw = m[c.group];
      if (raw === undefined || raw === '') continue;
      const value = convertValue(raw, c.convert);
      let node = out;
      const path = c.ref.metadata ? ['@metadata', ...c.ref.path] : c.ref.path;
      for (let k = 0; k < path.length - 1; k++) {
        const next = node[path[k]!];
        if (next === null || typeof next !== 'object' || Array.isArray(next)) node[path[k]!] = {};
        node = node[path[k]!] as Record<string, unknown>;
      }
      const key = path[path.length - 1]!;
      const old = node[key];
      node[key] = old === undefined ? value : Array.isArray(old) ? [...old, value] : [old, value];
    }
    return out;
  }
}

/** Ruby's String#to_i / #to_f, which grok's :int / :float use: leading number or 0. */
export function convertValue(raw: string, convert: Conversion): string | number {
  if (convert === undefined) return raw;
  if (convert === 'int') {
    const n = parseInt(raw, 10);
    return Number.isNaN(n) ? 0 : n;
  }
  if (!/^\s*[+-]?(?:\d|\.\d)/.test(raw)) return 0;
  const f = parseFloat(raw);
  return Number.isFinite(f) ? f : 0;
}

/**
 * `%{NAME}`, `%{NAME:field}`, `%{NAME:field:int}`, `%{NAME=inline definition}`, as
 * Logstash's grok reads them: the field name is made of `@[]A-Za-z0-9_:.-` and anything
 * else before the closing brace (`%{WORD words after}`, `%{INT:n?}`) is ignored.
 */
const REFERENCE = /%\{([A-Za-z0-9_]+)(?::([@\[\]A-Za-z0-9_:.-]+))?(?:=((?:[^{}\\]|\\.)+))?[^}]*\}/g;

/**
 * Parses pattern file text: one `NAME regex` per line, `#` comments and blank lines ignored.
 * Later definitions replace earlier ones.
 */
export function parsePatternText(text: string, into: Map<string, string>): Map<string, string> {
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line)) continue;
    const m = /^\s*([A-Za-z0-9_]+)\s+(.*)$/.exec(line);
    if (m) into.set(m[1]!, m[2]!);
  }
  return into;
}

interface Marker {
  syntax: string;
  semantic: string | undefined;
  convert: Conversion;
}

export function compileGrok(pattern: string, opts: CompileOptions): CompiledGrok {
  // The fallback flag must be set before the RegExp is created: V8 reads it at construction.
  enableLinearFallback();
  const namedOnly = opts.namedCapturesOnly ?? true;
  const markers: Marker[] = [];
  /** `%{NAME=regex}` defines NAME for the rest of this expression, as in Logstash. */
  const inlineDefinitions = new Map<string, string>();

  const expand = (text: string, stack: string[]): string =>
    text.replace(REFERENCE, (_all, syntax: string, rest: string | undefined, inline: string | undefined) => {
      if (inline !== undefined) inlineDefinitions.set(syntax, inline);
      const def = inlineDefinitions.get(syntax) ?? opts.patterns.get(syntax);
      if (def === undefined) throw new GrokCompileError(`pattern %{${syntax}} not defined`);
      if (stack.includes(syntax)) throw new GrokCompileError(`pattern %{${syntax}} refers to itself (${[...stack, syntax].join(' → ')})`);
      let semantic: string | undefined;
      let convert: Conversion;
      if (rest !== undefined && rest !== '') {
        const t = /^(.*):(int|integer|float|string)$/.exec(rest);
        semantic = t ? t[1] : rest;
        const type = t?.[2];
        convert = type === 'int' || type === 'integer' ? 'int' : type === 'float' ? 'float' : undefined;
      }
      const body = expand(def, [...stack, syntax]);
      // Names starting with _ are our library's internal helpers: never captured.
      if (semantic === undefined && (namedOnly || syntax.startsWith('_'))) return `(?:${body})`;
      markers.push({ syntax, semantic, convert });
      return `(?<${MARK}${markers.length - 1}>${body})`;
    });

  const expanded = expand(pattern, []);
  let t;
  try {
    t = translate(expanded);
  } catch (e) {
    if (e instanceof TranslateError) throw new GrokCompileError(`cannot compile grok pattern "${pattern}": ${e.message}`);
    throw e;
  }
  let regex: RegExp;
  try {
    regex = new RegExp(t.source, t.flags);
  } catch (e) {
    throw new GrokCompileError(`invalid grok pattern "${pattern}": ${(e as Error).message}`);
  }
  const captures: GrokCapture[] = [];
  for (const [id, group] of t.markers) {
    const mk = markers[id]!;
    const field = mk.semantic ?? mk.syntax;
    captures.push({ field, ref: safeRef(field, pattern), group, convert: mk.convert });
  }
  for (const { name, group } of t.named) {
    const typed = /^(.*):(int|integer|float)$/.exec(name);
    const field = typed ? typed[1]! : name;
    captures.push({ field, ref: safeRef(field, pattern), group, convert: typed ? (typed[2] === 'float' ? 'float' : 'int') : undefined });
  }
  captures.sort((a, b) => a.group - b.group);
  return new CompiledGrok(pattern, expanded, regex, captures, linearCapable(t.source, t.flags));
}

function safeRef(field: string, pattern: string): FieldRef {
  try {
    return fieldRef(field);
  } catch (e) {
    throw new GrokCompileError(`invalid field name "${field}" in grok pattern "${pattern}": ${(e as Error).message}`);
  }
}
