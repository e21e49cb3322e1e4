/**
 * Compiles a conditional's AST into a tree of plain closures, once at load.
 * The per-event path only reads fields and compares; it never looks at the
 * AST, re-parses field references or builds regexes.
 *
 * Semantics follow Logstash's EventCondition (see docs/config-language.md).
 */
import { caretExcerpt, ConfigError, type SourceLocation } from '../../core/errors.js';
import type { Event } from '../../core/event.js';
import { fieldRef } from '../../core/fieldref.js';
import { Timestamp } from '../../core/timestamp.js';
import type { ConditionNode, RValueNode } from './ast.js';
import { compileRubyRegex } from '../../core/ruby-regex.js';

export type EventPredicate = (event: Event) => boolean;

/** Either a value known at load time or a getter run per event. */
type Operand =
  | { constant: true; value: unknown; fromList: boolean }
  | { constant: false; get: (event: Event) => unknown; fromList: false };

export interface CompileConditionOptions {
  /** Source text of the file, to attach a caret excerpt to errors. */
  sourceText?: string;
}

export function compileCondition(node: ConditionNode, options: CompileConditionOptions = {}): EventPredicate {
  return compile(node, options);
}

function compile(node: ConditionNode, options: CompileConditionOptions): EventPredicate {
  switch (node.kind) {
    case 'boolean': {
      const l = compile(node.left, options);
      const r = compile(node.right, options);
      switch (node.op) {
        case 'and': return (e) => l(e) && r(e);
        case 'or': return (e) => l(e) || r(e);
        case 'xor': return (e) => l(e) !== r(e);
        case 'nand': return (e) => !(l(e) && r(e));
      }
      break;
    }
    case 'not': {
      const inner = compile(node.operand, options);
      return (e) => !inner(e);
    }
    case 'truthy': {
      const v = operand(node.value, options);
      if (v.constant) return constant(isTruthy(v.value));
      const get = v.get;
      return (e) => isTruthy(get(e));
    }
    case 'compare':
      return compileCompare(node.op, operand(node.left, options), operand(node.right, options));
    case 'match': {
      let re: RegExp;
      try {
        re = compileRubyRegex(node.pattern.source);
      } catch (err) {
        throw configError(`invalid regular expression /${node.pattern.source}/: ${(err as Error).message}`, node.pattern.location, options);
      }
      const left = operand(node.left, options);
      const negate = node.negate;
      if (left.constant) return constant((typeof left.value === 'string' && re.test(left.value)) !== negate);
      const get = left.get;
      // A non-string (or missing) value never matches, so `!~` is true for it.
      return negate
        ? (e) => { const v = get(e); return !(typeof v === 'string' && re.test(v)); }
        : (e) => { const v = get(e); return typeof v === 'string' && re.test(v); };
    }
    case 'in': {
      const test = compileIn(operand(node.left, options), operand(node.right, options));
      if (!node.negate) return test;
      return (e) => !test(e);
    }
  }
  throw new Error(`unknown condition node ${(node as { kind: string }).kind}`);
}

const TRUE: EventPredicate = () => true;
const FALSE: EventPredicate = () => false;
const constant = (value: boolean): EventPredicate => (value ? TRUE : FALSE);

function configError(reason: string, location: SourceLocation, options: CompileConditionOptions): ConfigError {
  const excerpt = options.sourceText !== undefined ? caretExcerpt(options.sourceText, location.line, location.column) : undefined;
  return new ConfigError(reason, location, undefined, excerpt);
}

function operand(node: RValueNode, options: CompileConditionOptions): Operand {
  switch (node.kind) {
    case 'field': {
      let ref;
      try {
        ref = fieldRef(node.reference);
      } catch (err) {
        throw configError(`invalid field reference ${node.reference}: ${(err as Error).message}`, node.location, options);
      }
      return { constant: false, get: (e) => ref.get(e), fromList: false };
    }
    case 'string':
    case 'number':
      return { constant: true, value: node.value, fromList: false };
    case 'regex':
      // A regex as a plain operand compares as its source text (Logstash keeps it as a value).
      return { constant: true, value: node.source, fromList: false };
    case 'array':
      return { constant: true, value: node.items.map((item) => literal(item, options)), fromList: true };
    case 'call':
      throw configError(`method calls in conditions are not supported ("${node.name}(...)")`, node.location, options);
  }
}

function literal(node: RValueNode, options: CompileConditionOptions): unknown {
  const o = operand(node, options);
  if (!o.constant) throw configError('field references are not allowed inside array literals', node.location, options);
  return o.value;
}

// ---------------------------------------------------------------- semantics

/** Logstash: nil, false, "" and "false" are falsy (it tests the value's string form). */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (typeof value === 'string') return value !== '' && value !== 'false';
  return true;
}

/** Ruby `==`: no coercion between strings and numbers; 1 == 1.0; arrays and hashes compare deeply. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a !== 'object' || typeof b !== 'object' || b === null) return false;
  if (a instanceof Timestamp) return b instanceof Timestamp && a.equals(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof Timestamp) return false;
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) {
    if (!Object.hasOwn(bo, k) || !valuesEqual((a as Record<string, unknown>)[k], bo[k])) return false;
  }
  return true;
}

/** -1/0/1 for two numbers, two strings or two timestamps; undefined when not comparable. */
function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : undefined;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Timestamp && b instanceof Timestamp) {
    const d = a.epochMs - b.epochMs || a.nanos - b.nanos;
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }
  return undefined;
}

function compileCompare(op: string, left: Operand, right: Operand): EventPredicate {
  let test: (a: unknown, b: unknown) => boolean;
  switch (op) {
    case '==': test = valuesEqual; break;
    case '!=': test = (a, b) => !valuesEqual(a, b); break;
    case '<': test = (a, b) => { const o = order(a, b); return o !== undefined && o < 0; }; break;
    case '>': test = (a, b) => { const o = order(a, b); return o !== undefined && o > 0; }; break;
    case '<=': test = (a, b) => { const o = order(a, b); return o !== undefined && o <= 0; }; break;
    case '>=': test = (a, b) => { const o = order(a, b); return o !== undefined && o >= 0; }; break;
    default: throw new Error(`unknown comparison ${op}`);
  }
  return binary(left, right, test);
}

/** Specialises on which side is constant so the closure does no needless work. */
function binary(left: Operand, right: Operand, test: (a: unknown, b: unknown) => boolean): EventPredicate {
  if (left.constant && right.constant) return constant(test(left.value, right.value));
  if (left.constant) {
    const a = left.value;
    const gb = (right as { get: (e: Event) => unknown }).get;
    return (e) => test(a, gb(e));
  }
  const ga = left.get;
  if (right.constant) {
    const b = right.value;
    return (e) => test(ga(e), b);
  }
  const gb = right.get;
  return (e) => test(ga(e), gb(e));
}

/** Scalar's string form as Logstash compares list-literal members (`toString`). */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function compileIn(left: Operand, right: Operand): EventPredicate {
  if (right.constant && right.fromList && Array.isArray(right.value)) {
    // `[f] in ["a", 200]`: Logstash compares string forms, so 200 and "200" both match.
    const texts = new Set<string>();
    for (const item of right.value) {
      const t = scalarText(item);
      if (t !== undefined) texts.add(t);
    }
    const items = right.value;
    const test = (v: unknown): boolean => {
      const t = scalarText(v);
      if (t !== undefined) return texts.has(t);
      if (v === undefined || v === null) return false;
      for (const item of items) if (valuesEqual(v, item)) return true;
      return false;
    };
    if (left.constant) return constant(test(left.value));
    const get = left.get;
    return (e) => test(get(e));
  }
  return binary(left, right, inValues);
}

/**
 * `a in b`: b an array → membership (Ruby ==); b a string → a is a substring
 * of b (a must be a string); otherwise a == b for non-nil values. A missing
 * side is never "in" anything.
 */
export function inValues(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null || b === undefined || b === null) return false;
  if (Array.isArray(b)) {
    for (const item of b) if (valuesEqual(a, item)) return true;
    return false;
  }
  if (typeof b === 'string') return typeof a === 'string' && b.includes(a);
  if (Array.isArray(a) || (typeof a === 'object' && !(a instanceof Timestamp))) return false;
  return valuesEqual(a, b);
}
