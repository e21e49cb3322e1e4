/**
 * translate: looks a field's value up in a dictionary (inline, or a YAML,
 * JSON or CSV file that is re-read when it changes) and writes the
 * translation to a target field (logstash-filter-translate 3.4).
 */
import { statSync } from 'node:fs';
import { ConfigError } from '../../../core/errors.js';
import { deepCopy, type Event } from '../../../core/event.js';
import { fieldRef, parseFieldPath } from '../../../core/fieldref.js';
import { compileTemplate, valueToString, type Template } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';
import { compileLookup, dictionaryFromObject, formatOf, loadDictionaryFile, type Dictionary, type Lookup } from './dictionary.js';

/** Ruby's `to_s` for the lookup key (close enough: floats print as JavaScript does). */
const keyOf = (value: unknown): string => (typeof value === 'string' ? value : valueToString(value));

/** Dictionary values may be hashes or arrays; each event gets its own copy. */
const copyOf = (value: unknown): unknown => (value !== null && typeof value === 'object' ? deepCopy(value) : value);

function getPath(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(part)] : (node as Record<string, unknown>)[part];
  }
  return node;
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    let next = node[path[i]!];
    if (next === null || typeof next !== 'object') {
      next = {};
      node[path[i]!] = next;
    }
    node = next as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

export const translateFilter = defineFilter({
  kind: 'filter',
  name: 'translate',
  description: 'Replaces a field value with its translation from a dictionary (inline, or a YAML/JSON/CSV file).',
  options: {
    source: { type: 'field_reference', description: 'Field whose value is looked up; for an array, the first element.' },
    field: { type: 'field_reference', deprecated: 'use `source`', description: 'Old name of `source`.' },
    target: { type: 'field_reference', description: 'Field that receives the translation. Default: "translation" (ECS off) or `source` itself (ECS on).' },
    destination: { type: 'field_reference', deprecated: 'use `target`', description: 'Old name of `target`.' },
    dictionary: { type: 'hash', default: {}, description: 'Inline dictionary: key => translation.' },
    dictionary_path: { type: 'path', description: 'Dictionary file: .yml/.yaml, .json or two-column .csv. Exclusive with `dictionary`.' },
    exact: { type: 'boolean', default: true, description: 'true: the whole value must match a key; false: every key occurring inside the value is replaced.' },
    regex: { type: 'boolean', default: false, description: 'Treat dictionary keys as regular expressions.' },
    fallback: { type: 'string', description: 'Value (sprintf template) written when nothing matches.' },
    override: { type: 'boolean', description: 'Overwrite an existing target. Default: false, or true when target is the source field.' },
    refresh_interval: { type: 'number', default: 300, description: 'Seconds between checks of `dictionary_path` for changes; 0 or less disables reloading.' },
    refresh_behaviour: { type: 'string', values: ['merge', 'replace'], default: 'merge', description: 'On reload: merge the new entries into the old ones, or replace the dictionary.' },
    iterate_on: { type: 'field_reference', description: 'Array field to translate element by element (array of values when equal to `source`, else array of objects).' },
    yaml_dictionary_code_point_limit: { type: 'number', ignored: 'no YAML size limit is applied', description: 'Accepted for compatibility; ignored.' },
    yaml_load_strategy: { type: 'string', values: ['one_shot', 'streaming'], ignored: 'dictionaries are always loaded in one go', description: 'Accepted for compatibility; ignored.' },
  },
  create(options, ctx) {
    const fail = (reason: string, hint?: string): never => {
      throw new ConfigError(`translate: ${reason}`, ctx.location, hint);
    };
    if (options.source !== undefined && options.field !== undefined) fail('set only one of `source` and `field` (its old name)');
    if (options.target !== undefined && options.destination !== undefined) fail('set only one of `target` and `destination` (its old name)');
    const source = options.source ?? options.field ?? fail('requires option "source"', 'the field whose value is looked up, e.g. source => "[http][response][status_code]"');
    const target = options.target ?? options.destination ?? (ctx.ecs === 'disabled' ? 'translation' : source);
    for (const [name, ref] of [['source', source], ['target', target], ['iterate_on', options.iterate_on]] as const) {
      if (ref === undefined) continue;
      try {
        parseFieldPath(ref);
      } catch (e) {
        fail(`invalid field reference in \`${name}\`: ${(e as Error).message}`);
      }
    }
    const inPlace = samePath(source, target);
    const override = options.override ?? inPlace;

    const inline = options.dictionary;
    const path = options.dictionary_path;
    if (path !== undefined && Object.keys(inline).length > 0) {
      fail('the options `dictionary` and `dictionary_path` are mutually exclusive');
    }
    const exact = options.exact;
    const regex = options.regex;
    const fallback: Template | undefined = options.fallback !== undefined ? compileTemplate(options.fallback) : undefined;

    // --- dictionary state, reloaded in place when the file changes
    let dict: Dictionary;
    let lookup: Lookup;
    const format = path !== undefined ? formatOf(path) : undefined;
    if (path !== undefined && !format) fail(`dictionary file ${path} has an unknown format`, 'use a .yml/.yaml, .json or .csv file');
    let fileStamp = '';
    const stampOf = (p: string): string => {
      const s = statSync(p);
      return `${s.mtimeMs}:${s.size}`;
    };
    try {
      if (path !== undefined) {
        fileStamp = stampOf(path);
        dict = loadDictionaryFile(path, format!);
      } else {
        dict = dictionaryFromObject(inline);
      }
      lookup = compileLookup(dict, exact, regex);
    } catch (e) {
      return fail(path !== undefined ? `cannot load dictionary ${path}: ${(e as Error).message}` : (e as Error).message);
    }

    const intervalMs = options.refresh_interval * 1000;
    let nextCheck = Date.now() + intervalMs;
    const maybeReload = (): void => {
      nextCheck = Date.now() + intervalMs;
      try {
        const stamp = stampOf(path!);
        if (stamp === fileStamp) return;
        const fresh = loadDictionaryFile(path!, format!);
        const next = options.refresh_behaviour === 'replace' ? fresh : new Map([...dict, ...fresh]);
        const nextLookup = compileLookup(next, exact, regex);
        dict = next;
        lookup = nextLookup;
        fileStamp = stamp;
        ctx.logger.info('translate: dictionary reloaded', { path: path!, entries: dict.size });
      } catch (e) {
        ctx.logger.warn('translate: dictionary reload failed, continuing with the old dictionary', { path: path!, error: (e as Error).message });
      }
    };
    const refreshing = path !== undefined && intervalMs > 0;

    const sourceRef = fieldRef(source);
    const targetRef = fieldRef(target);

    // --- iterate_on over an array of objects: paths relative to each object
    if (options.iterate_on !== undefined && !samePath(options.iterate_on, source)) {
      const listRef = fieldRef(options.iterate_on);
      const inner = parseFieldPath(source);
      const innerTarget = parseFieldPath(target);
      return {
        filter(event) {
          if (refreshing && Date.now() >= nextCheck) maybeReload();
          const list = listRef.get(event);
          if (list === undefined) return false;
          const items = Array.isArray(list) ? list : [list];
          let matched = false;
          let fallbackValue: string | undefined;
          for (const item of items) {
            if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
            const value = getPath(item, inner);
            const translation = value === undefined || value === null ? undefined : lookup(keyOf(value));
            if (translation !== undefined) {
              setPath(item as Record<string, unknown>, innerTarget, copyOf(translation));
              matched = true;
            } else if (fallback) {
              fallbackValue ??= fallback(event);
              setPath(item as Record<string, unknown>, innerTarget, fallbackValue);
              matched = true;
            }
          }
          return matched;
        },
      };
    }

    // --- iterate_on an array of values (iterate_on == source)
    if (options.iterate_on !== undefined) {
      return {
        filter(event) {
          if (refreshing && Date.now() >= nextCheck) maybeReload();
          if (!sourceRef.has(event)) return false;
          if (!override && targetRef.has(event)) return false;
          const value = sourceRef.get(event);
          const items = Array.isArray(value) ? value : [value];
          const fallbackValue = fallback ? fallback(event) : null;
          let any = false;
          const out = items.map((item) => {
            const t = item === undefined || item === null ? undefined : lookup(keyOf(item));
            if (t !== undefined) {
              any = true;
              return copyOf(t);
            }
            if (fallbackValue !== null) any = true;
            return fallbackValue;
          });
          targetRef.set(event, out);
          return any || inPlace;
        },
      };
    }

    // --- a single value
    return {
      filter(event: Event) {
        if (refreshing && Date.now() >= nextCheck) maybeReload();
        if (!sourceRef.has(event)) return false;
        if (!override && targetRef.has(event)) return false;
        let value = sourceRef.get(event);
        if (Array.isArray(value)) value = value[0];
        const translation = value === undefined || value === null ? lookup('') : lookup(keyOf(value));
        if (translation !== undefined) {
          targetRef.set(event, copyOf(translation));
          return true;
        }
        if (fallback) {
          targetRef.set(event, fallback(event));
          return true;
        }
        // Logstash counts an in-place translation as a success even without a match.
        return inPlace;
      },
    };
  },
});

/** `a`, `[a]` and `[a][b]` vs `a[b]`: the same field written differently. */
function samePath(a: string, b: string): boolean {
  try {
    const pa = parseFieldPath(a);
    const pb = parseFieldPath(b);
    return pa.length === pb.length && pa.every((p, i) => p === pb[i]);
  } catch {
    return false;
  }
}
