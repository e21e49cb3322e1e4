/**
 * mutate's `convert` targets, with Logstash 8.14+ (strict) semantics:
 *  - integer: commas stripped; "3.7" → 3 (Ruby `to_i` takes the leading integer,
 *    so "12abc" → 12 and "abc" → 0); hex ("0x1A") and scientific ("1e3") strings are
 *    parsed strictly and throw when malformed; booleans → 1/0; floats truncate.
 *  - float: commas stripped; Ruby `Float()` syntax, so "abc" or "1.2.3" throws.
 *  - *_eu: "," and "." swap roles first ("1.234,5" → 1234.5).
 *  - boolean: true|t|yes|y|1|1.0 and false|f|no|n|0|0.0 (case-insensitive), "" → false;
 *    anything else passes through unchanged.
 *  - string: Ruby `to_s`.
 * A throw aborts the mutate filter, which then tags `_mutate_error` (as Logstash).
 */
import { Timestamp } from '../../../core/timestamp.js';
import { valueToString } from '../../../core/sprintf.js';
import { rubyStrip, rubyToI } from '../../../core/ruby-string.js';

export type Converter = (value: unknown) => unknown;

export const CONVERSIONS = ['integer', 'integer_eu', 'float', 'float_eu', 'string', 'boolean'] as const;
export type ConversionName = (typeof CONVERSIONS)[number];

export class ConversionError extends Error {
  override name = 'ConversionError';
}

const TRUE_RE = /^(true|t|yes|y|1|1.0)$/i;
const FALSE_RE = /^(false|f|no|n|0|0.0)$/i;

// Ruby Float(): optional sign, digits with single underscores, optional fraction, optional exponent.
const FLOAT_RE = /^[+-]?(?:\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/;
// BigDecimal() as used for "…e…" strings in convert_integer.
const DECIMAL_RE = /^[+-]?(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_PREFIX_RE = /^[+-]?0x/i;
const HEX_INT_RE = /^([+-]?)0x([0-9a-f]+(?:_[0-9a-f]+)*)$/i;
const HEX_FLOAT_RE = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i;

/** Ruby Float() on a string (already stripped); undefined when Ruby would raise. */
export function rubyStrictFloat(s: string): number | undefined {
  if (HEX_PREFIX_RE.test(s)) return parseHexFloat(s);
  if (!FLOAT_RE.test(s)) return undefined;
  return Number(s.includes('_') ? s.replace(/_/g, '') : s);
}

function parseHexFloat(s: string): number | undefined {
  const m = HEX_FLOAT_RE.exec(s.replace(/_/g, ''));
  if (!m || (m[2] === '' && !m[3])) return undefined;
  let v = m[2] ? parseInt(m[2], 16) : 0;
  if (m[3]) v += parseInt(m[3], 16) / 16 ** m[3].length;
  if (m[4]) v *= 2 ** Number(m[4]);
  return m[1] === '-' ? -v : v;
}

function toInteger(value: unknown): unknown {
  if (typeof value === 'string') {
    let s = rubyStrip(value);
    if (s.includes(',')) s = s.replace(/,/g, '');
    if (HEX_PREFIX_RE.test(s)) {
      if (!s.includes('.')) {
        const m = HEX_INT_RE.exec(s);
        if (!m) throw new ConversionError(`invalid value for Integer(): "${value}"`);
        const v = parseInt(m[2]!.replace(/_/g, ''), 16);
        return m[1] === '-' ? -v : v;
      }
      const f = parseHexFloat(s);
      if (f === undefined) throw new ConversionError(`invalid value for Float(): "${value}"`);
      return Math.trunc(f);
    }
    if (s.includes('e')) {
      if (!DECIMAL_RE.test(s)) throw new ConversionError(`invalid value for BigDecimal(): "${value}"`);
      return Math.trunc(Number(s.replace(/_/g, '')));
    }
    return rubyToI(s);
  }
  if (value === true) return 1;
  if (value === false) return 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ConversionError(`cannot convert ${value} to an integer`);
    return Math.trunc(value);
  }
  if (value instanceof Timestamp) return value.epochSeconds;
  throw new ConversionError(`can't convert ${describe(value)} into Integer`);
}

function toFloat(value: unknown): unknown {
  if (typeof value === 'string') {
    let s = rubyStrip(value);
    if (s.includes(',')) s = s.replace(/,/g, '');
    const f = rubyStrictFloat(s);
    if (f === undefined) throw new ConversionError(`invalid value for Float(): "${value}"`);
    return f;
  }
  if (value === true) return 1;
  if (value === false) return 0;
  if (typeof value === 'number') return value;
  if (value instanceof Timestamp) return value.epochMs / 1000;
  throw new ConversionError(`can't convert ${describe(value)} into Float`);
}

/** Swaps "," and "." (Ruby `tr(",.", ".,")`) so EU numbers read as US ones. */
function euToUs(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    out += c === ',' ? '.' : c === '.' ? ',' : c;
  }
  return out;
}

function toBoolean(value: unknown): unknown {
  const s = typeof value === 'string' ? value : rubyToS(value);
  if (TRUE_RE.test(s)) return true;
  if (s === '' || FALSE_RE.test(s)) return false;
  return value; // Logstash logs a warning and leaves the value as it was
}

/** Ruby `to_s` for event values (floats print as JS numbers, e.g. 3 not 3.0). */
export function rubyToS(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return JSON.stringify(value);
  return valueToString(value);
}

function describe(value: unknown): string {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'Array';
  return typeof value === 'object' ? 'Hash' : typeof value;
}

export const CONVERTERS: Record<ConversionName, Converter> = {
  integer: toInteger,
  integer_eu: (v) => toInteger(euToUs(v)),
  float: toFloat,
  float_eu: (v) => toFloat(euToUs(v)),
  string: rubyToS,
  boolean: toBoolean,
};
