/**
 * Field references (`message`, `[a][b]`, `[@metadata][x]`), parsed once into a
 * compiled accessor. Nothing on the per-event path re-parses reference text.
 */
import { FieldReferenceError } from './errors.js';
import type { Event } from './event.js';

export const METADATA = '@metadata';

export class FieldRef {
  /** Path below the root: `[@metadata][a]` has path ["a"] and `metadata` true. */
  readonly path: readonly string[];
  readonly metadata: boolean;
  /** Last path element; the key set or removed in the parent object. */
  readonly key: string;
  /** A plain top-level field: the common case, served without walking a path. */
  private readonly topLevel: boolean;
  /** Stores a top-level field with a constant property name (see namedStore); made once the reference is hot. */
  private storeTop: ((data: Record<string, unknown>, value: unknown) => void) | undefined;
  private stores = 0;
  /** setIfMissing compiled for this path; made once the reference is hot. */
  private fillIn: ((event: Event, value: unknown) => void) | undefined;
  private fills = 0;

  constructor(
    readonly text: string,
    path: readonly string[],
  ) {
    this.metadata = path[0] === METADATA;
    this.path = this.metadata ? path.slice(1) : path;
    this.key = this.path[this.path.length - 1] ?? '';
    this.topLevel = !this.metadata && this.path.length === 1;
  }

  /** True for `[@metadata]` itself. */
  get isMetadataRoot(): boolean {
    return this.metadata && this.path.length === 0;
  }

  get(event: Event): unknown {
    if (this.topLevel) return event.data[this.key];
    let node: unknown = this.metadata ? event.metadata : event.data;
    for (const part of this.path) {
      if (node === null || typeof node !== 'object') return undefined;
      node = Array.isArray(node) ? node[arrayIndex(node, part)] : (node as Record<string, unknown>)[part];
    }
    return node;
  }

  has(event: Event): boolean {
    if (this.topLevel) return Object.hasOwn(event.data, this.key);
    const parent = this.parent(event, false);
    if (parent === undefined) return this.isMetadataRoot;
    return Array.isArray(parent) ? arrayIndex(parent, this.key) in parent : Object.hasOwn(parent, this.key);
  }

  set(event: Event, value: unknown): void {
    if (this.topLevel) {
      if (this.storeTop) this.storeTop(event.data, value);
      else {
        event.data[this.key] = value;
        // References made per event from data (kv keys) rarely repeat: compile only hot ones.
        if (++this.stores === HOT_STORES) this.storeTop = namedStore(this.key);
      }
      return;
    }
    if (this.isMetadataRoot) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        event.metadata = value as Record<string, unknown>;
      }
      return;
    }
    const parent = this.parent(event, true)!;
    if (Array.isArray(parent)) parent[arrayIndex(parent, this.key)] = value;
    else parent[this.key] = value;
  }

  /**
   * Sets the field unless it holds a value (undefined counts as none): `get` then `set` in one walk,
   * for inputs adding where an event came from without overwriting what its codec decoded. A hot
   * reference compiles the walk with constant property names (compileSetIfMissing). As set(), it
   * makes no Timestamp of an `@timestamp` value (Event.set does).
   */
  setIfMissing(event: Event, value: unknown): void {
    if (this.fillIn) {
      this.fillIn(event, value);
      return;
    }
    if (++this.fills === HOT_STORES && !this.isMetadataRoot) this.fillIn = compileSetIfMissing(this, (e, v) => this.walkSetIfMissing(e, v));
    this.walkSetIfMissing(event, value);
  }

  private walkSetIfMissing(event: Event, value: unknown): void {
    if (this.topLevel) {
      if (event.data[this.key] === undefined) this.set(event, value);
      return;
    }
    if (this.isMetadataRoot) {
      if (event.metadata === undefined) this.set(event, value);
      return;
    }
    const parent = this.parent(event, true)!;
    if (Array.isArray(parent)) {
      const i = arrayIndex(parent, this.key);
      if (parent[i] === undefined) parent[i] = value;
    } else if (parent[this.key] === undefined) {
      parent[this.key] = value;
    }
  }

  /** Removes the field and returns its old value (undefined if absent). */
  remove(event: Event): unknown {
    const parent = this.parent(event, false);
    if (parent === undefined) return undefined;
    if (Array.isArray(parent)) {
      const i = arrayIndex(parent, this.key);
      if (i < 0 || i >= parent.length) return undefined;
      return parent.splice(i, 1)[0];
    }
    const old = parent[this.key];
    delete parent[this.key];
    return old;
  }

  /** Parent container of the target; created on the way when `create`. */
  private parent(event: Event, create: boolean): Record<string, unknown> | unknown[] | undefined {
    let node: Record<string, unknown> | unknown[];
    if (this.metadata) {
      if (!event.metadata) {
        if (!create) return undefined;
        event.metadata = {};
      }
      node = event.metadata;
    } else {
      node = event.data;
    }
    const last = this.path.length - 1;
    for (let i = 0; i < last; i++) {
      const part = this.path[i]!;
      let next: unknown = Array.isArray(node) ? node[arrayIndex(node, part)] : node[part];
      if (next === null || typeof next !== 'object') {
        if (!create) return undefined;
        next = {};
        if (Array.isArray(node)) node[arrayIndex(node, part)] = next;
        else node[part] = next;
      }
      node = next as Record<string, unknown> | unknown[];
    }
    return node;
  }
}

/**
 * A store with a constant property name. V8 turns an object into a slow
 * dictionary once more than 12 properties were added through *keyed* stores
 * (`o[key] = v` with a variable key), while named stores (`o["message"] = v`)
 * keep it fast up to 128. Events routinely gain 20+ fields (grok, geoip), and a
 * dictionary-mode event made JSON encoding ~30% slower (measured). So each
 * reference compiles its own named store, once, when the config is compiled.
 */
const HOT_STORES = 64;

function namedStore(key: string): (data: Record<string, unknown>, value: unknown) => void {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the key is a JSON string literal, not code
  return new Function('data', 'value', `data[${JSON.stringify(key)}] = value;`) as (data: Record<string, unknown>, value: unknown) => void;
}

/**
 * setIfMissing for one reference with its property names as constants: V8 then loads and stores
 * each level by name (keyed accesses with a key that changes per reference are megamorphic). On
 * tcp → null this made adding the three peer fields to each event ~3× cheaper (docs/decisions/0024).
 * A level that holds anything but a plain object (an array, a string) goes to `walk`, the generic
 * path, before anything was changed, so both give the same result.
 */
function compileSetIfMissing(ref: FieldRef, walk: (event: Event, value: unknown) => void): (event: Event, value: unknown) => void {
  const name = (key: string): string => `[${JSON.stringify(key)}]`;
  const root = ref.metadata ? 'event.metadata' : 'event.data';
  let body = `let node = ${root};\n`;
  if (ref.metadata) body += `if (node === undefined) node = ${root} = {};\n`;
  body += 'let next;\n';
  for (const part of ref.path.slice(0, -1)) {
    body += `next = node${name(part)};\n`
      + `if (next === undefined) { next = {}; node${name(part)} = next; }\n`
      + 'else if (next === null || typeof next !== "object" || Array.isArray(next)) { walk(event, value); return; }\n'
      + 'node = next;\n';
  }
  body += `if (node${name(ref.key)} === undefined) node${name(ref.key)} = value;`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- property names are JSON string literals, not code
  return new Function('walk', `return function setIfMissing(event, value) {\n${body}\n};`)(walk) as (event: Event, value: unknown) => void;
}

/** Array elements are addressed by index; negative indexes count from the end. */
function arrayIndex(array: unknown[], part: string): number {
  const n = Number(part);
  if (!Number.isInteger(n)) return -1;
  return n < 0 ? array.length + n : n;
}

const cache = new Map<string, FieldRef>();

/**
 * Parses a field reference. Accepts a bare name (`message`, `@timestamp`,
 * `a.b` which is one field with a dot) or bracket form (`[a][b]`), and
 * Logstash's composite form (`a[b][c]`, meaning `[a][b][c]`).
 */
export function fieldRef(text: string): FieldRef {
  let ref = cache.get(text);
  if (!ref) {
    ref = new FieldRef(text, parseFieldPath(text));
    if (cache.size < 10_000) cache.set(text, ref);
  }
  return ref;
}

export function parseFieldPath(text: string): string[] {
  if (text === '') throw new FieldReferenceError('empty field reference');
  const open = text.indexOf('[');
  if (open === -1) {
    if (text.includes(']')) throw new FieldReferenceError(`invalid field reference "${text}": unbalanced "]"`);
    return [text];
  }
  const path: string[] = [];
  if (open > 0) path.push(text.slice(0, open));
  let pos = open;
  while (pos < text.length) {
    if (text[pos] !== '[') {
      throw new FieldReferenceError(`invalid field reference "${text}": expected "[" at position ${pos + 1}`);
    }
    const close = text.indexOf(']', pos + 1);
    if (close === -1) throw new FieldReferenceError(`invalid field reference "${text}": missing "]"`);
    const part = text.slice(pos + 1, close);
    if (part === '' || part.includes('[')) {
      throw new FieldReferenceError(`invalid field reference "${text}": empty or nested brackets`);
    }
    path.push(part);
    pos = close + 1;
  }
  return path;
}
