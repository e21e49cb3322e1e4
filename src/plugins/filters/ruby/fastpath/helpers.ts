/**
 * Ruby's semantics, for the values a translated snippet handles, in JavaScript. Every helper
 * either computes exactly what CRuby computes or gives up (`fallback`): the event then runs
 * in the interpreter, which does whatever Ruby does there (an exception, a big integer, Unicode
 * case mapping). Values: Ruby nil is null; an integral JS number is an Integer (events cross
 * into CRuby as JSON, where `2.0` and `2` are the same); a Float that would be integral cannot
 * be told from an Integer here, so producing one gives up.
 *
 * The helpers are self-contained (no imports, no closures over module state), because
 * `logpipe ruby2js` prints their source into a js filter's `init`: they call each other through
 * `R.` and fail through `R.fallback`, which the printed copy redefines; they hold no double quote
 * and no `${` (the printed copy sits in a double-quoted config string, where `${X}` is a variable).
 */

/** What a translated snippet's `event` must offer: the js filter's event has the same verbs. */
export interface SnippetEvent {
  get(ref: string): unknown;
  set(ref: string, value: unknown): void;
  remove(ref: string): unknown;
  has(ref: string): boolean;
  tag(tag: string): void;
  cancel(): void;
  cancelled(): boolean;
}

/** Thrown by a helper when Ruby would do something the translation does not reproduce. */
export class RubyFallback extends Error {}

type Plain = Record<string, unknown>;

export const R = {
  fallback(reason: string): never {
    throw new RubyFallback(reason);
  },
  truthy(v: unknown): boolean {
    return v !== null && v !== false;
  },
  /** A value as Ruby sees it after the JSON crossing, or a fallback when that is not plain data. */
  value(v: unknown): unknown {
    if (v === undefined || v === null) return null;
    if (typeof v === 'boolean') return v;
    // A lone surrogate crosses into Ruby as an escape its JSON parser turns into something else.
    if (typeof v === 'string') return (v as unknown as { isWellFormed(): boolean }).isWellFormed() ? v : R.fallback('text with a lone surrogate');
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) return R.fallback('a number beyond exact integers');
      return v === 0 ? 0 : v;
    }
    if (Array.isArray(v)) return v;
    if (typeof v === 'object') {
      const proto = Object.getPrototypeOf(v) as object | null;
      if (proto === null || Object.getPrototypeOf(proto) === null) return v;
    }
    return R.fallback('a value that is not plain data (a timestamp?)');
  },
  get(event: SnippetEvent, ref: string): unknown {
    return R.value(event.get(ref));
  },
  /** Ruby crosses a stored hash or array as JSON: store the same copy. */
  set(event: SnippetEvent, ref: string, v: unknown): unknown {
    event.set(ref, v !== null && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v);
    return v;
  },
  remove(event: SnippetEvent, ref: string): unknown {
    return R.value(event.remove(ref));
  },
  has(event: SnippetEvent, ref: string): boolean {
    return event.has(ref);
  },
  tag(event: SnippetEvent, v: unknown): null {
    event.tag(R.toS(v));
    return null;
  },
  cancel(event: SnippetEvent): boolean {
    event.cancel();
    return true;
  },
  /** An Integer or a non-integral Float result, else a fallback (big integer, integral Float, Infinity). */
  num(r: number, integers: boolean): number {
    if (integers) return Number.isSafeInteger(r) ? r + 0 : R.fallback('an integer beyond 2**53');
    if (!Number.isFinite(r) || Number.isInteger(r)) return R.fallback('a Float result JavaScript cannot tell from an Integer');
    return r;
  },
  add(a: unknown, b: unknown): unknown {
    if (typeof a === 'number' && typeof b === 'number') return R.num(a + b, Number.isInteger(a) && Number.isInteger(b));
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    return R.fallback('+ on these types');
  },
  sub(a: unknown, b: unknown): number {
    if (typeof a === 'number' && typeof b === 'number') return R.num(a - b, Number.isInteger(a) && Number.isInteger(b));
    return R.fallback('- on these types');
  },
  mul(a: unknown, b: unknown): number {
    if (typeof a === 'number' && typeof b === 'number') return R.num(a * b, Number.isInteger(a) && Number.isInteger(b));
    return R.fallback('* on these types');
  },
  /** Integer division floors (and raises on zero); Float division is IEEE's. */
  div(a: unknown, b: unknown): number {
    if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return R.fallback('/ on these values');
    if (!Number.isInteger(a) || !Number.isInteger(b)) return R.num(a / b, false);
    // Through BigInt: a double quotient can round onto an integer and floor wrongly.
    const q = BigInt(a) / BigInt(b);
    const floored = BigInt(a) % BigInt(b) !== 0n && (a < 0) !== (b < 0) ? q - 1n : q;
    return R.num(Number(floored), true);
  },
  /** Ruby's modulo takes the divisor's sign. */
  mod(a: unknown, b: unknown): number {
    if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return R.fallback('% on these values');
    let r = a % b;
    if (r !== 0 && (r < 0) !== (b < 0)) r += b;
    return R.num(r, Number.isInteger(a) && Number.isInteger(b));
  },
  neg(a: unknown): number {
    if (typeof a === 'number') return Number.isInteger(a) ? 0 - a : -a;
    return R.fallback('unary - on this type');
  },
  eq(a: unknown, b: unknown): boolean {
    if ((a !== null && typeof a === 'object') || (b !== null && typeof b === 'object')) return R.fallback('== on a hash or an array');
    return a === b;
  },
  /** Orders numbers, or strings whose UTF-16 order is their UTF-8 byte order (no surrogates). */
  cmp(a: unknown, b: unknown): number {
    if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
    if (typeof a === 'string' && typeof b === 'string' && !/[\ud800-\uffff]/.test(a + b)) return a < b ? -1 : a > b ? 1 : 0;
    return R.fallback('comparison of these values');
  },
  /** to_s, and string interpolation. */
  toS(v: unknown): string {
    if (typeof v === 'string') return v;
    if (v === null) return '';
    if (typeof v === 'boolean') return String(v);
    if (typeof v === 'number') {
      // Ruby writes Floats in exponent form outside [1e-4, 1e16); JavaScript's digits agree inside.
      if (Number.isInteger(v) || (Math.abs(v) >= 1e-4 && Math.abs(v) < 1e16)) return String(v);
    }
    return R.fallback('to_s of this value');
  },
  /** String#to_i for the plain forms (leading blanks, sign, digits with single underscores); else a fallback. */
  toI(v: unknown): number {
    if (typeof v === 'number') return Number.isInteger(v) ? v : R.num(Math.trunc(v), true);
    if (v === null) return 0;
    if (typeof v !== 'string') return R.fallback('to_i of this value');
    const m = /^[\t\n\v\f\r ]*([+-]?)(\d+(?:_\d+)*)/.exec(v);
    if (m === null) return /^[\t\n\v\f\r ]*[+-]?[_\d]/.test(v) ? R.fallback('to_i of an unusual number') : 0;
    const n = Number(m[2]!.replace(/_/g, ''));
    return R.num(m[1] === '-' ? 0 - n : n, true);
  },
  str(v: unknown, what: string): string {
    return typeof v === 'string' ? v : R.fallback(what + ' of a value that is not a String');
  },
  /** Case mapping of ASCII text (Ruby's Unicode mapping elsewhere is left to Ruby). */
  ascii(v: unknown, what: string): string {
    const s = R.str(v, what);
    return /^[\x00-\x7f]*$/.test(s) ? s : R.fallback(what + ' of non-ASCII text');
  },
  upcase(v: unknown): string {
    return R.ascii(v, 'upcase').toUpperCase();
  },
  downcase(v: unknown): string {
    return R.ascii(v, 'downcase').toLowerCase();
  },
  capitalize(v: unknown): string {
    const s = R.ascii(v, 'capitalize');
    return s.slice(0, 1).toUpperCase() + s.slice(1).toLowerCase();
  },
  /** Ruby's whitespace for strip: NUL, \t, \n, \v, \f, \r and space. */
  strip(v: unknown): string {
    return R.str(v, 'strip').replace(/^[\0\t\n\v\f\r ]+/, '').replace(/[\0\t\n\v\f\r ]+$/, '');
  },
  /** length/size: characters of a String, elements of an Array, pairs of a Hash. */
  size(v: unknown): number {
    if (typeof v === 'string') return /[\ud800-\udfff]/.test(v) ? R.fallback('length of text beyond the BMP') : v.length;
    if (Array.isArray(v)) return v.length;
    if (v !== null && typeof v === 'object') return Object.keys(v).length;
    return R.fallback('length of this value');
  },
  isEmpty(v: unknown): boolean {
    return R.size(v) === 0;
  },
  includes(v: unknown, x: unknown): boolean {
    if (typeof v === 'string') return v.includes(R.str(x, 'include? argument'));
    if (Array.isArray(v)) {
      for (const e of v) if (R.eq(R.value(e), x)) return true;
      return false;
    }
    return R.fallback('include? on this value');
  },
  startsWith(v: unknown, x: unknown): boolean {
    return R.str(v, 'start_with?').startsWith(R.str(x, 'start_with? argument'));
  },
  endsWith(v: unknown, x: unknown): boolean {
    return R.str(v, 'end_with?').endsWith(R.str(x, 'end_with? argument'));
  },
  /** String#split with a literal separator (not " ", which splits on runs of blanks): trailing empty strings go. */
  split(v: unknown, sep: string): string[] {
    const parts = R.str(v, 'split').split(sep);
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts;
  },
  /** a[i] on an Array (negative from the end) and h['k'] on a Hash. */
  index(v: unknown, k: string | number): unknown {
    if (Array.isArray(v) && typeof k === 'number') return R.value(v[k < 0 ? v.length + k : k]);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof k === 'string') {
      return Object.hasOwn(v, k) ? R.value((v as Plain)[k]) : null;
    }
    return R.fallback('[] on this value');
  },
  abs(v: unknown): number {
    if (typeof v === 'number') return Math.abs(v) + 0;
    return R.fallback('abs of this value');
  },
};

/** Names of the helpers, as the translator emits them. */
export type HelperName = keyof typeof R;
