/**
 * beats_dissect: Filebeat's dissect processor. Same tokenizer syntax as Logstash's dissect
 * (the same Dissector), Filebeat's placement: keys go under `target_prefix` (default "dissect",
 * "" = the root); an existing key is an error unless overwrite_keys; a text that does not match
 * gets "dissect_parsing_error" in log.flags, as Filebeat flags it. Filebeat's `%{key|type}` suffixes
 * (integer, long, float, double, boolean, ip) convert a value after trimming; a value that does not
 * convert fails the processor for that event (flagged, nothing set), as in Filebeat.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { Dissector } from '../dissect/dissector.js';
import { defineFilter } from '../../api.js';
import { dottedRef, processorFilter, setErrorMessage, WHEN_OPTION } from '../../beats-processors.js';

const FLAG = 'dissect_parsing_error';

const CONVERSIONS: Readonly<Record<string, (s: string) => unknown>> = {
  integer: integerOf,
  long: integerOf,
  float: floatOf,
  double: floatOf,
  boolean: (s) => ({ 1: true, t: true, T: true, TRUE: true, true: true, True: true, 0: false, f: false, F: false, FALSE: false, false: false, False: false } as Record<string, boolean>)[s],
  ip: (s) => (isIP(s) ? s : undefined),
};

function integerOf(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : undefined;
}

function floatOf(s: string): number | undefined {
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

/** `%{key|type}` → `%{key}` and the type by key name (the name without dissect's modifiers). */
function splitTypes(tokenizer: string): { tokenizer: string; types: Map<string, string> } {
  const types = new Map<string, string>();
  const plain = tokenizer.replace(/%\{([^}|]*)\|([^}]*)\}/g, (_all, key: string, type: string) => {
    if (!(type in CONVERSIONS)) throw new Error(`unknown type "${type}" in %{${key}|${type}} (${Object.keys(CONVERSIONS).join(', ')})`);
    types.set(key.replace(/^[+?&*]+/, '').replace(/->$/, '').replace(/\/\d+$/, ''), type);
    return `%{${key}}`;
  });
  return { tokenizer: plain, types };
}

export const beatsDissectFilter = defineFilter({
  kind: 'filter',
  name: 'beats_dissect',
  description: "Filebeat's dissect processor: splits `field` with `tokenizer` into keys under `target_prefix`.",
  options: {
    tokenizer: { type: 'string', required: true, description: 'Dissect pattern, e.g. "%{key1} - %{key2}".' },
    field: { type: 'string', default: 'message', description: 'Field to tokenize.' },
    target_prefix: { type: 'string', default: 'dissect', description: 'Field the keys go under; "" puts them at the root.' },
    ignore_failure: { type: 'boolean', default: false, description: 'A text that does not match is not flagged.' },
    overwrite_keys: { type: 'boolean', default: false, description: 'Keys may replace existing fields.' },
    trim_values: { type: 'string', default: 'none', values: ['none', 'left', 'right', 'all'], description: 'Trim `trim_chars` around extracted values.' },
    trim_chars: { type: 'string', default: ' ', description: 'The characters trim_values removes (default a space).' },
    when: WHEN_OPTION,
  },
  create(options, ctx) {
    let dissector: Dissector;
    let types: Map<string, string>;
    try {
      const split = splitTypes(options.tokenizer);
      types = split.types;
      dissector = new Dissector(split.tokenizer);
    } catch (err) {
      throw new ConfigError(`beats_dissect: ${(err as Error).message}`, ctx.location);
    }
    const source = dottedRef(options.field);
    const prefix = options.target_prefix === '' ? '' : `${options.target_prefix}.`;
    const { overwrite_keys: overwrite, ignore_failure: ignoreFailure } = options;
    const trim = options.trim_values;
    const chars = options.trim_chars;
    const trimLeft = (s: string): string => {
      let i = 0;
      while (i < s.length && chars.includes(s[i]!)) i++;
      return s.slice(i);
    };
    const trimRight = (s: string): string => {
      let i = s.length;
      while (i > 0 && chars.includes(s[i - 1]!)) i--;
      return s.slice(0, i);
    };
    const trimValue = trim === 'all' ? (s: string) => trimRight(trimLeft(s)) : trim === 'left' ? trimLeft : trim === 'right' ? trimRight : (s: string) => s;
    const flag = (event: Event, message: string): void => {
      if (ignoreFailure) return;
      const flags = dottedRef('log.flags');
      const current = flags.get(event);
      if (Array.isArray(current)) {
        if (!current.includes(FLAG)) current.push(FLAG);
      } else flags.set(event, [FLAG]);
      setErrorMessage(event, message);
    };
    return processorFilter(options.when, (event) => {
      const text = source.get(event);
      if (typeof text !== 'string') {
        flag(event, `dissect: field "${options.field}" is missing or not a string`);
        return;
      }
      const found = new Map<string, string>();
      const matched = dissector.dissect(text, found, (m, key) => m.get(key), (m, key, value) => m.set(key, value));
      if (!matched) {
        flag(event, `dissect: could not find delimiter in "${text.length > 64 ? text.slice(0, 64) + '…' : text}"`);
        return;
      }
      const refs = [...found.keys()].map((k) => dottedRef(prefix + k));
      if (!overwrite) {
        const clash = refs.find((r) => r.has(event));
        if (clash) {
          flag(event, `dissect: cannot override existing key "${clash.text}"`);
          return;
        }
      }
      const values: unknown[] = [];
      for (const [key, raw] of found) {
        const value = trimValue(raw);
        const type = types.get(key);
        const converted = type === undefined ? value : CONVERSIONS[type]!(value);
        if (converted === undefined) {
          flag(event, `dissect: cannot convert "${value}" of key "${key}" to ${type}`);
          return;
        }
        values.push(converted);
      }
      refs.forEach((ref, i) => ref.set(event, values[i]));
    });
  },
});
