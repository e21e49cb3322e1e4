/**
 * Ruby's string forms of event values, as Logstash's fingerprint filter builds
 * its input with `"#{value}"` (to_s) — arrays and hashes render with
 * `inspect` (Ruby < 3.4 style: `{"k"=>"v"}`, `[1, "a"]`). Hashes are
 * deep-sorted by key first (the plugin's deep_sort_hashes), keys compared
 * bytewise like Ruby's String#<=>.
 */
import { Timestamp } from '../../../core/timestamp.js';

/** Ruby's String#<=> on UTF-8: code point order (UTF-16 order differs only around surrogates). */
export function compareRuby(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP character in code point order.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x2000;
    else if (x >= 0xe000) x -= 0x800;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x2000;
    else if (y >= 0xe000) y -= 0x800;
    return x - y;
  }
  return a.length - b.length;
}

function sortedKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj).sort(compareRuby);
}

/** java.time.Instant#toString, which LogStash::Timestamp#to_s is in Logstash 8. */
export function instantToString(ts: Timestamp): string {
  const iso = new Date(ts.epochMs).toISOString(); // always .mmm
  const millis = ((ts.epochMs % 1000) + 1000) % 1000;
  const base = iso.slice(0, iso.indexOf('.'));
  const year = new Date(ts.epochMs).getUTCFullYear();
  const head = year > 9999 ? '+' + base.replace(/^\+0*/, '') : base;
  if (millis === 0 && ts.nanos === 0) return head + 'Z';
  const nanos = millis * 1_000_000 + ts.nanos;
  let frac = String(nanos).padStart(9, '0');
  // Instant prints the fraction in groups of three digits.
  if (frac.endsWith('000000')) frac = frac.slice(0, 3);
  else if (frac.endsWith('000')) frac = frac.slice(0, 6);
  return `${head}.${frac}Z`;
}

/** Ruby's Float#to_s. */
export function rubyFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exp] = n.toExponential().split('e') as [string, string];
    const sign = exp[0] === '-' ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa.includes('.') ? mantissa : mantissa + '.0'}e${sign}${digits}`;
  }
  const s = String(n);
  return s.includes('.') ? s : s + '.0';
}

/** A JS number as Ruby prints it: integers (all a JS event can tell apart) as Integer. */
export function rubyNumber(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  return rubyFloat(n);
}

// Characters String#inspect escapes in a UTF-8 string.
const SPECIAL: Record<string, string> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v',
  '\b': '\\b', '\x07': '\\a', '\x1b': '\\e',
};
const NEEDS_ESCAPE = /["\\#\p{C}\p{Zl}\p{Zp}]/u;

/** Ruby's String#inspect for a UTF-8 string. */
export function rubyInspectString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  const chars = Array.from(s);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const special = SPECIAL[ch];
    if (special) out += special;
    else if (ch === '#') {
      const next = chars[i + 1];
      out += next === '{' || next === '$' || next === '@' ? '\\#' : '#';
    } else if (/[\p{C}\p{Zl}\p{Zp}]/u.test(ch)) {
      const cp = ch.codePointAt(0)!;
      out += cp > 0xffff ? `\\u{${cp.toString(16).toUpperCase()}}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return out + '"';
}

/** Ruby's #inspect of a value nested in an array or hash. */
export function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return rubyInspectString(value);
  if (typeof value === 'number') return rubyNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Timestamp) return instantToString(value);
  if (Array.isArray(value)) return '[' + value.map(rubyInspect).join(', ') + ']';
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = sortedKeys(obj);
    if (keys.length === 0) return '{}';
    return '{' + keys.map((k) => `${rubyInspectString(k)}=>${rubyInspect(obj[k])}`).join(', ') + '}';
  }
  return String(value);
}

/** `"#{value}"` after deep_sort_hashes: what Logstash hashes for a field value. */
export function rubyToS(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return rubyNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Timestamp) return instantToString(value);
  return rubyInspect(value);
}

/** Keys of an object in Ruby's sort order (for concatenate_all_fields). */
export { sortedKeys };
