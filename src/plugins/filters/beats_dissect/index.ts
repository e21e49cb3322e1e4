/**
 * beats_dissect: Filebeat's dissect processor. Same tokenizer syntax as Logstash's dissect
 * (the same Dissector), Filebeat's placement: keys go under `target_prefix` (default "dissect",
 * "" = the root); an existing key is an error unless overwrite_keys; a text that does not match
 * gets "dissect_parsing_error" in log.flags, as Filebeat flags it.
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { Dissector } from '../dissect/dissector.js';
import { defineFilter } from '../../api.js';
import { dottedRef, processorFilter, setErrorMessage, WHEN_OPTION } from '../../beats-processors.js';

const FLAG = 'dissect_parsing_error';

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
    trim_values: { type: 'string', default: 'none', values: ['none', 'left', 'right', 'all'], description: 'Trim spaces around extracted values.' },
    when: WHEN_OPTION,
  },
  create(options, ctx) {
    let dissector: Dissector;
    try {
      dissector = new Dissector(options.tokenizer);
    } catch (err) {
      throw new ConfigError(`beats_dissect: ${(err as Error).message}`, ctx.location);
    }
    const source = dottedRef(options.field);
    const prefix = options.target_prefix === '' ? '' : `${options.target_prefix}.`;
    const { overwrite_keys: overwrite, ignore_failure: ignoreFailure } = options;
    const trim = options.trim_values;
    const trimValue = trim === 'all' ? (s: string) => s.trim() : trim === 'left' ? (s: string) => s.trimStart()
      : trim === 'right' ? (s: string) => s.trimEnd() : (s: string) => s;
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
      let i = 0;
      for (const value of found.values()) refs[i++]!.set(event, trimValue(value));
    });
  },
});
