/**
 * Builds kv's one scanning regex at create(), the same way logstash-filter-kv
 * does: key, value splitter (optionally wrapped in spaces in lenient mode),
 * then one of the value forms (quoted, bracketed, or unquoted), then a field
 * splitter or end of line. The pieces are Ruby regex text, translated once.
 */
import { compileRubyRegex } from '../../../core/ruby-regex.js';

export interface ScannerOptions {
  field_split: string;
  value_split: string;
  field_split_pattern?: string | undefined;
  value_split_pattern?: string | undefined;
  include_brackets: boolean;
  whitespace: 'lenient' | 'strict';
}

export interface Scanner {
  /** Global regex: group 1 is the key, groups 2.. the value candidates (first defined wins). */
  scan: RegExp;
  /** Quick test: does the text contain a value splitter at all? */
  hasValueSplit: RegExp;
}

/** Ruby's Regexp.quote. */
export function rubyQuote(s: string): string {
  return s.replace(/[.*?+^$|()[\]{}\\/\-]/g, '\\$&').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/ /g, '\\ ');
}

const untilCharclass = (charclass: string): string => `((?:\\\\.|[^${charclass}])+)`;
const untilPattern = (...patterns: string[]): string =>
  `((?:\\\\.|(?!${patterns.map((p) => `(?:${p})`).join('|')}).)+)`;

function quotedCapture(open: string, close: string = open): string {
  return `${rubyQuote(open)}${untilCharclass(rubyQuote(close))}?${rubyQuote(close)}`;
}

export function buildScanner(o: ScannerOptions): Scanner {
  const fieldSplit = o.field_split_pattern ?? `[${o.field_split}]`;
  let valueSplit = o.value_split_pattern ?? `[${o.value_split}]`;
  if (o.whitespace === 'lenient') valueSplit = `(?: *(?:${valueSplit}) *)`;
  const customPatterns = o.field_split_pattern !== undefined || o.value_split_pattern !== undefined;
  const key = customPatterns ? untilPattern(valueSplit, fieldSplit) : untilCharclass(o.value_split + o.field_split);
  const values = [quotedCapture('"'), quotedCapture("'")];
  if (o.include_brackets) values.push(quotedCapture('(', ')'), quotedCapture('[', ']'), quotedCapture('<', '>'));
  values.push(o.field_split_pattern !== undefined ? untilPattern(fieldSplit) : untilCharclass(o.field_split));
  const source = `${key}(?:${valueSplit})(?:${values.join('|')})?(?:(?:${fieldSplit})|$)`;
  return { scan: compileRubyRegex(source, 'g'), hasValueSplit: compileRubyRegex(valueSplit) };
}
