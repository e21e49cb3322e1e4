/**
 * Dictionaries for translate: loading from YAML, JSON or CSV files, and the
 * three lookup strategies compiled once per (re)load.
 */
import { readFileSync } from 'node:fs';
import { lazyRequire } from '../../../core/lazy.js';
import { compileRubyRegex, translateRubyRegex } from '../../../core/ruby-regex.js';

const yaml = lazyRequire<typeof import('yaml')>('yaml');

export type Dictionary = Map<string, unknown>;

/** Keys are compared as strings, so YAML's `100: x` and JSON's `"100"` are the same key. */
export function dictionaryFromObject(object: Record<string, unknown>): Dictionary {
  const dict: Dictionary = new Map();
  for (const [k, v] of Object.entries(object)) dict.set(k, v);
  return dict;
}

export type DictionaryFormat = 'yaml' | 'json' | 'csv';

export function formatOf(path: string): DictionaryFormat | undefined {
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.json$/i.test(path)) return 'json';
  if (/\.csv$/i.test(path)) return 'csv';
  return undefined;
}

/** Reads and parses a dictionary file; throws with a message naming the problem. */
export function loadDictionaryFile(path: string, format: DictionaryFormat): Dictionary {
  const text = readFileSync(path, 'utf8');
  if (format === 'csv') return parseCsvDictionary(text);
  const data: unknown = format === 'json' ? JSON.parse(text) : yaml().parse(text);
  if (data === null || data === undefined) return new Map();
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`expected a map of key → value, got ${Array.isArray(data) ? 'a list' : typeof data}`);
  return dictionaryFromObject(data as Record<string, unknown>);
}

/**
 * Two-column CSV (RFC 4180 quoting: "a,b" and "" for a quote). Columns past
 * the second are ignored; a row with one column maps to null, as Ruby's CSV does.
 */
export function parseCsvDictionary(text: string): Dictionary {
  const dict: Dictionary = new Map();
  for (const row of parseCsv(text)) {
    if (row.length === 0 || (row.length === 1 && row[0] === '')) continue;
    dict.set(row[0]!, row.length > 1 ? row[1]! : null);
  }
  return dict;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A compiled lookup: the translation of `source`, or undefined when nothing matches. */
export type Lookup = (source: string) => unknown;

/** exact => true, regex => false: a hash lookup. */
function exactLookup(dict: Dictionary): Lookup {
  return (source) => dict.get(source);
}

/** exact => true, regex => true: the first key (in dictionary order) whose regex matches anywhere. */
function exactRegexLookup(dict: Dictionary): Lookup {
  const entries: Array<[RegExp, unknown]> = [];
  for (const [k, v] of dict) entries.push([compileKey(k), v]);
  return (source) => {
    for (const [re, v] of entries) if (re.test(source)) return v;
    return undefined;
  };
}

function compileKey(key: string, flags = ''): RegExp {
  try {
    return compileRubyRegex(key, flags);
  } catch (e) {
    throw new Error(`dictionary key ${JSON.stringify(key)} is not a valid regular expression: ${(e as Error).message}`);
  }
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * exact => false: every occurrence of any key inside the value is replaced by
 * its translation (Ruby's gsub with a union regex). With regex => true the
 * keys are patterns; each is wrapped in a group so we know which one matched.
 */
function substringLookup(dict: Dictionary, regex: boolean): Lookup {
  if (dict.size === 0) return () => undefined;
  const values: string[] = [];
  const groupOfKey: number[] = [];
  const parts: string[] = [];
  let group = 1;
  for (const [k, v] of dict) {
    const source = regex ? translateRubyRegex(k).source : escapeRegex(k);
    if (regex) compileKey(k); // validates and gives a clear message
    parts.push(`(${source})`);
    groupOfKey.push(group);
    values.push(v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    // Count the key's own capture groups so the next wrapper's index is right.
    group += 1 + (new RegExp(`${source}|`).exec('')!.length - 1);
  }
  const union = new RegExp(parts.join('|'), 'g');
  return (source) => {
    const out = source.replace(union, (...args: unknown[]) => {
      for (let i = 0; i < groupOfKey.length; i++) {
        if (args[groupOfKey[i]!] !== undefined) return values[i]!;
      }
      return args[0] as string;
    });
    return out === source ? undefined : out;
  };
}

export function compileLookup(dict: Dictionary, exact: boolean, regex: boolean): Lookup {
  if (!exact) return substringLookup(dict, regex);
  return regex ? exactRegexLookup(dict) : exactLookup(dict);
}
