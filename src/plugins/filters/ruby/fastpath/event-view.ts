/**
 * The event a translated snippet works on: reads see the snippet's own changes, but nothing
 * reaches the host event until the snippet finished (commit). A snippet that gives up halfway
 * (RubyFallback) leaves the event untouched for the interpreter to run it from the start.
 *
 * Changes are copy-on-write per top-level field: a nested set copies the containers on its
 * path, so the host's objects are never mutated; commit replays the top-level stores in order,
 * which leaves fields in the order the interpreter's replayed operations would. Only paths
 * through plain objects are handled (Ruby and the host differ on array parts: Ruby raises).
 */
import { Event, TAGS } from '../../../../core/event.js';
import { METADATA, parseFieldPath } from '../../../../core/fieldref.js';
import { RubyFallback, type SnippetEvent } from './helpers.js';

interface Path {
  meta: boolean;
  top: string;
  rest: string[];
}

type Container = Record<string, unknown>;

const REMOVED = Symbol('removed');
const paths = new Map<string, Path>();

/** A reference as a path (the translator only lets through references that parse). */
function pathOf(ref: string): Path {
  let p = paths.get(ref);
  if (p === undefined) {
    const parts = parseFieldPath(ref);
    const meta = parts[0] === METADATA;
    const below = meta ? parts.slice(1) : parts;
    p = { meta, top: below[0]!, rest: below.slice(1) };
    if (paths.size < 10_000) paths.set(ref, p);
  }
  return p;
}

function isPlainObject(v: unknown): v is Container {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || proto === Object.prototype;
}

export class EventView implements SnippetEvent {
  private event!: Event;
  private isCancelled = false;
  /** Top-level stores in order: [metadata?, key, value or REMOVED]. */
  private stores: Array<[boolean, string, unknown]> = [];
  private current = new Map<string, unknown>();

  /** Starts over on another event (one view serves a whole batch). */
  reset(event: Event): this {
    this.event = event;
    this.isCancelled = event.cancelled;
    if (this.stores.length > 0) {
      this.stores = [];
      this.current.clear();
    }
    return this;
  }

  /** Applies the snippet's changes to the host event. */
  commit(): void {
    const event = this.event;
    for (const [meta, key, value] of this.stores) {
      const root = meta ? (event.metadata ??= {}) : event.data;
      if (value === REMOVED) delete root[key];
      else root[key] = value;
    }
    event.cancelled = this.isCancelled;
  }

  private topValue(meta: boolean, top: string): unknown {
    const key = (meta ? '@' : '.') + top;
    if (this.current.has(key)) {
      const v = this.current.get(key);
      return v === REMOVED ? undefined : v;
    }
    const root = meta ? this.event.metadata : this.event.data;
    return root !== undefined && Object.hasOwn(root, top) ? root[top] : undefined;
  }

  private store(meta: boolean, top: string, value: unknown): void {
    this.current.set((meta ? '@' : '.') + top, value);
    this.stores.push([meta, top, value]);
  }

  get(ref: string): unknown {
    const p = pathOf(ref);
    let node = this.topValue(p.meta, p.top);
    for (const part of p.rest) {
      if (node === null || typeof node !== 'object') return undefined;
      if (!isPlainObject(node)) throw new RubyFallback('a field path through an array or an object');
      node = Object.hasOwn(node, part) ? node[part] : undefined;
    }
    return node;
  }

  has(ref: string): boolean {
    const p = pathOf(ref);
    if (p.rest.length === 0) return this.topValue(p.meta, p.top) !== undefined;
    let node = this.topValue(p.meta, p.top);
    for (const part of p.rest) {
      if (node === null || typeof node !== 'object') return false;
      if (!isPlainObject(node)) throw new RubyFallback('a field path through an array or an object');
      if (!Object.hasOwn(node, part) || node[part] === undefined) return false;
      node = node[part];
    }
    return true;
  }

  set(ref: string, value: unknown): void {
    const p = pathOf(ref);
    this.store(p.meta, p.top, p.rest.length === 0 ? value : this.copyWith(this.topValue(p.meta, p.top), p.rest, 0, value));
  }

  /** A copy of `node` with `value` at `rest[i..]`; missing or scalar containers become hashes, as in both Ruby and the host. */
  private copyWith(node: unknown, rest: string[], i: number, value: unknown): Container {
    let copy: Container;
    if (node !== null && typeof node === 'object') {
      if (!isPlainObject(node)) throw new RubyFallback('a field path through an array or an object');
      copy = { ...node };
    } else {
      copy = {};
    }
    const part = rest[i]!;
    copy[part] = i === rest.length - 1 ? value : this.copyWith(copy[part], rest, i + 1, value);
    return copy;
  }

  remove(ref: string): unknown {
    const p = pathOf(ref);
    const top = this.topValue(p.meta, p.top);
    if (p.rest.length === 0) {
      if (top !== undefined) this.store(p.meta, p.top, REMOVED);
      return top;
    }
    const old = this.get(ref);
    if (old === undefined) return undefined;
    this.store(p.meta, p.top, this.copyWithout(top as Container, p.rest, 0));
    return old;
  }

  private copyWithout(node: Container, rest: string[], i: number): Container {
    const copy = { ...node };
    const part = rest[i]!;
    if (i === rest.length - 1) delete copy[part];
    else copy[part] = this.copyWithout(copy[part] as Container, rest, i + 1);
    return copy;
  }

  /** Logstash's tag, as Event#tag does it, on a copy of the tags. */
  tag(tag: string): void {
    const t = this.topValue(false, TAGS);
    if (Array.isArray(t)) {
      if (!t.includes(tag)) this.store(false, TAGS, [...(t as unknown[]), tag]);
    } else if (t === undefined || t === null) {
      this.store(false, TAGS, [tag]);
    } else if (t !== tag) {
      this.store(false, TAGS, [t, tag]);
    }
  }

  cancel(): void {
    this.isCancelled = true;
  }

  cancelled(): boolean {
    return this.isCancelled;
  }
}
