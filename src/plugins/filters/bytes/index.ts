/**
 * bytes: parses a storage size written as text ("123 MB", "5.6gb", "40 Kb") into a number of
 * bytes. Mirrors logstash-filter-bytes 1.0.x, whose documented table is the reference: a
 * lowercase `b` after `k` or after an uppercase prefix means bits ("40kb" and "10 Mb" are
 * bits), while "mb", "gb", "tb", "pb" are read as bytes.
 */
import { ConfigError } from '../../../core/errors.js';
import { fieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';

const POWERS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };
/** Characters that may group digits; the decimal separator is taken out of this set. */
const GROUP_SEPARATORS = ' _,.';

const escapeClass = (chars: string): string => chars.replace(/[\]\\^-]/g, '\\$&');

/** A parser for one decimal separator and base; undefined when the text is not a size. */
export function sizeParser(decimalSeparator: string, base: 1000 | 1024): (text: string) => number | undefined {
  const groups = [...GROUP_SEPARATORS].filter((c) => c !== decimalSeparator).join('');
  const shape = new RegExp(`^([0-9${escapeClass(groups + decimalSeparator)}]*)\\s*([kKmMgGtTpPeE]?)([bB]?)$`);
  return (text) => {
    const m = shape.exec(text.trim());
    if (!m) return undefined;
    let digits = '';
    for (const c of m[1]!) {
      if (c === decimalSeparator) digits += '.';
      else if (!groups.includes(c)) digits += c;
    }
    if (digits === '' || digits === '.' || digits.indexOf('.') !== digits.lastIndexOf('.')) return undefined;
    const prefix = m[2]!;
    let value = Number(digits);
    if (prefix !== '') value *= base ** POWERS[prefix.toLowerCase()]!;
    const bits = m[3] === 'b' && (prefix === 'k' || (prefix !== '' && prefix === prefix.toUpperCase()));
    return bits ? value / 8 : value;
  };
}

export const bytesFilter = defineFilter({
  kind: 'filter',
  name: 'bytes',
  description: 'Parses a storage size such as "123 MB" or "5.6gb" into a number of bytes.',
  options: {
    source: { type: 'field_reference', default: 'message', description: 'Field holding the size text.' },
    target: { type: 'field_reference', required: true, description: 'Field that receives the number of bytes.' },
    conversion_method: { type: 'string', default: 'binary', values: ['binary', 'metric'], description: 'binary: 1 KB = 1024 bytes; metric: 1 KB = 1000 bytes.' },
    decimal_separator: { type: 'string', default: '.', description: 'The decimal separator (".", ","); the other characters of " _,." group digits.' },
    tag_on_failure: { type: 'string_list', default: ['_bytesparsefailure'], description: 'Tags added when the field is missing or is not a size.' },
  },
  create(options, ctx) {
    if ([...options.decimal_separator].length !== 1) throw new ConfigError(`bytes: decimal_separator must be one character, got "${options.decimal_separator}"`, ctx.location);
    const parse = sizeParser(options.decimal_separator, options.conversion_method === 'metric' ? 1000 : 1024);
    const source = fieldRef(options.source);
    const target = fieldRef(options.target);
    const failureTags = options.tag_on_failure;
    return {
      filter(event) {
        const value = source.get(event);
        const bytes = typeof value === 'string' ? parse(value) : typeof value === 'number' ? value : undefined;
        if (bytes === undefined) {
          for (const t of failureTags) event.tag(t);
          return false;
        }
        target.set(event, bytes);
        return true;
      },
    };
  },
});
