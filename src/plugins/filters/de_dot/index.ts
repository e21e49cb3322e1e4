/**
 * de_dot: renames fields whose names contain dots (which Elasticsearch 2.x refused), either
 * replacing each dot with `separator` or, with `nested`, turning `a.b.c` into `[a][b][c]`.
 * Mirrors logstash-filter-de_dot 1.1: without `fields`, top-level fields (and, with
 * `recursive`, fields at every depth) are renamed; named `fields` may point into sub-hashes
 * (`[foo][bar.baz]`).
 */
import { ConfigError } from '../../../core/errors.js';
import { fieldRef } from '../../../core/fieldref.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineFilter } from '../../api.js';

type Hash = Record<string, unknown>;

const isHash = (v: unknown): v is Hash => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Timestamp);

/** Renames the dotted keys of `hash` in place (keeping key order); returns whether any was renamed. */
function renameKeys(hash: Hash, rename: (hash: Hash, key: string, value: unknown) => void, recursive: boolean, only?: ReadonlySet<string>): boolean {
  let changed = false;
  for (const key of Object.keys(hash)) {
    const value = hash[key];
    if (recursive && isHash(value) && renameKeys(value, rename, true)) changed = true;
    if ((only === undefined || only.has(key)) && key.includes('.')) {
      delete hash[key];
      rename(hash, key, value);
      changed = true;
    }
  }
  return changed;
}

export const deDotFilter = defineFilter({
  kind: 'filter',
  name: 'de_dot',
  description: 'Renames fields with dots in their names: dots become a separator, or nested fields.',
  options: {
    fields: { type: 'string_list', description: 'Fields to rename (e.g. "a.b", "[foo][bar.baz]"); default: every top-level field.' },
    separator: { type: 'string', default: '_', description: 'What replaces each dot (not used with nested).' },
    nested: { type: 'boolean', default: false, description: 'Turn "a.b.c" into the nested field [a][b][c] instead.' },
    recursive: { type: 'boolean', default: false, description: 'Also rename dotted keys inside sub-hashes, at every depth.' },
  },
  create(options, ctx) {
    if (options.separator.includes('.')) throw new ConfigError('de_dot: separator must not contain a dot', ctx.location);
    const separator = options.separator;
    const rename = options.nested
      ? (hash: Hash, key: string, value: unknown): void => {
          const parts = key.split('.');
          let node = hash;
          for (let i = 0; i < parts.length - 1; i++) {
            const next = node[parts[i]!];
            node = isHash(next) ? next : (node[parts[i]!] = {});
          }
          node[parts[parts.length - 1]!] = value;
        }
      : (hash: Hash, key: string, value: unknown): void => {
          hash[key.split('.').join(separator)] = value;
        };
    // A named field is renamed within its parent hash: `[foo][bar.baz]` → parent [foo], key "bar.baz".
    const targets = options.fields?.map((f) => {
      const ref = fieldRef(f.startsWith('[') ? f : `[${f}]`);
      return { parent: ref.path.length > 1 ? fieldRef(ref.path.slice(0, -1).map((p) => `[${p}]`).join('')) : undefined, key: ref.key, only: new Set([ref.key]) };
    });
    const recursive = options.recursive;
    return {
      filter(event) {
        if (!targets) {
          renameKeys(event.data, rename, recursive);
          return true;
        }
        for (const { parent, key, only } of targets) {
          const hash = parent ? parent.get(event) : event.data;
          if (isHash(hash) && Object.hasOwn(hash, key)) renameKeys(hash, rename, recursive, only);
        }
        return true;
      },
    };
  },
});
