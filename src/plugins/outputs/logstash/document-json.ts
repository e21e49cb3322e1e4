/**
 * The JSON text of the document a Beat sends for an event — byte for byte what
 * `JSON.stringify({'@timestamp', '@metadata', ...fields})` writes — without serialising again
 * what did not change since the previous event.
 *
 * Why: the agent's events repeat most of their document. Of the ~510 bytes of a Filebeat event,
 * `agent`, `host`, `input`, `ecs` and `log.file` are the same for every line of a file, and
 * JSON.stringify of the whole document was 30% of the agent's CPU (docs/decisions/0026). So the
 * writer keeps, per position in the document, the text of each `"key":value` part it wrote last
 * time together with the primitive values it came from; a part whose value is the same primitive
 * (or a plain object whose parts are all the same, recursively) is reused, so an event costs the
 * comparison of its values plus the text of what changed (the message and the offset).
 *
 * Nothing is assumed about who made the event: every value is compared, so a processor that
 * changed, added or removed a field only costs the text of that field. What the writer does not
 * follow (arrays, values with toJSON such as Timestamps, objects with another prototype,
 * anything deeper than MEMO_DEPTH) is written by JSON.stringify, and a document it cannot write
 * exactly the same way (integer-like top-level keys, which JSON.stringify orders first; a
 * top-level `__proto__`; a value JSON.stringify omits; any error) is left wholly to it. Where
 * nothing is ever reused (events with no repeated sub-objects), the writer steps aside for a
 * while and lets JSON.stringify write the document in one native call.
 */
import { MAX_JSON_DEPTH, jsonLengthMayExceed, nestingExceeds, stringifyLimited } from '../../../core/json-depth.js';
import { Timestamp } from '../../../core/timestamp.js';

/** Plain objects deeper than this (the document is level 0) are written by JSON.stringify. */
const MEMO_DEPTH = 4;
/** Documents in a row without any reused part after which the writer steps aside … */
const GIVE_UP_AFTER = 64;
/** … for this many documents, then tries again. */
const STEP_ASIDE_FOR = 4096;

/** What was written last time at one position of the document: a plain object's parts. */
class PartsMemo {
  /** Per part: the key, its JSON, the primitive value (NOT_PRIMITIVE, UNSET), the `"key":value` text. */
  readonly keys: string[] = [];
  readonly quoted: string[] = [];
  readonly values: unknown[] = [];
  readonly parts: string[] = [];
  /** Memos of the plain objects among the values, by part index. */
  readonly children: (PartsMemo | undefined)[] = [];
  /** The object's whole text, valid while no part changed. */
  json = '';
  written = false;
  /** Whether the last write's text differs from the one before. */
  changed = true;
  /** Whether the last write reused at least one part here or below. */
  reused = false;
}

/** Marks a part whose value was not a primitive (a plain object's equality is decided by its child memo). */
const NOT_PRIMITIVE = Symbol('not primitive');
/** Marks a part not written yet. */
const UNSET = Symbol('unset');
/** A value JSON.stringify would omit or write differently in this position: let it write the whole document. */
const CANNOT = Symbol('cannot write this document the same way');
/** Thrown from inside the walk for the same. */
class Cannot extends Error {}

export interface DocumentMetadata {
  /** `@metadata.beat` for every document; else the event's own, else "logpipe". */
  index: string | undefined;
  /** `@metadata.version` when the event has none. */
  version: string;
}

export class DocumentJsonWriter {
  private fields = new PartsMemo();
  private metadataParts = new PartsMemo();
  /** `@metadata` of an event without metadata, written once. */
  private readonly bareMetadata: string;
  private fruitless = 0;
  private asideFor = 0;

  constructor(private readonly settings: DocumentMetadata) {
    this.bareMetadata = JSON.stringify(this.metadataOf({}));
  }

  /** The document's JSON for an event's fields and metadata; throws as JSON.stringify does. */
  write(data: Record<string, unknown>, metadata: Record<string, unknown> | undefined): string {
    if (this.asideFor > 0) {
      this.asideFor--;
      return stringifyLimited(this.documentOf(data, metadata));
    }
    let text: string | typeof CANNOT;
    try {
      text = this.writeReusing(data, metadata);
    } catch {
      // A throw can leave a memo half updated.
      this.fields = new PartsMemo();
      this.metadataParts = new PartsMemo();
      text = CANNOT;
    }
    // Any doubt (and any error, re-thrown with JSON.stringify's own message), and a document that
    // may nest deeper than the limit: the plain way.
    if (text === CANNOT || (jsonLengthMayExceed(text.length) && this.mayNestTooDeep(data, metadata))) {
      return stringifyLimited(this.documentOf(data, metadata));
    }
    if (this.fields.reused) this.fruitless = 0;
    else if (++this.fruitless >= GIVE_UP_AFTER) {
      this.fruitless = 0;
      this.asideFor = STEP_ASIDE_FOR;
    }
    return text;
  }

  private mayNestTooDeep(data: Record<string, unknown>, metadata: Record<string, unknown> | undefined): boolean {
    // The fields sit at the document's level, @metadata one below it.
    return nestingExceeds(data, MAX_JSON_DEPTH) || (metadata !== undefined && nestingExceeds(metadata, MAX_JSON_DEPTH - 1));
  }

  /** The document as an object, in the order the reusing writer writes it. */
  documentOf(data: Record<string, unknown>, metadata: Record<string, unknown> | undefined): Record<string, unknown> {
    const doc: Record<string, unknown> = { '@timestamp': data['@timestamp'], '@metadata': this.metadataOf(metadata ?? {}) };
    for (const key in data) if (key !== '@timestamp' && key !== '@version') doc[key] = data[key];
    return doc;
  }

  private metadataOf(metadata: Record<string, unknown>): Record<string, unknown> {
    return {
      ...metadata,
      beat: this.settings.index ?? (typeof metadata['beat'] === 'string' ? metadata['beat'] : 'logpipe'),
      type: metadata['type'] ?? '_doc',
      version: metadata['version'] ?? this.settings.version,
    };
  }

  private writeReusing(data: Record<string, unknown>, metadata: Record<string, unknown> | undefined): string | typeof CANNOT {
    const ts = data['@timestamp'];
    if (!(ts instanceof Timestamp)) return CANNOT;
    const meta = metadata === undefined || isEmpty(metadata) ? this.bareMetadata : objectText(this.metadataOf(metadata), this.metadataParts, 1);
    const fields = objectText(data, this.fields, 0);
    // An ISO-8601 instant has nothing to escape.
    return `{"@timestamp":"${ts.toISOString()}","@metadata":${meta}${fields.length > 2 ? ',' + fields.slice(1) : '}'}`;
  }
}

function isEmpty(o: Record<string, unknown>): boolean {
  for (const _ in o) return false;
  return true;
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * `{…}` of a plain object's enumerable own fields, reusing the parts of `memo` whose values are
 * unchanged, and updating `memo` (`memo.changed` tells whether the text differs from last time).
 * At depth 0 (the event's fields) `@timestamp` and `@version` are left out, and keys that would
 * not keep their place in the document throw Cannot. A slot is updated only once its text is
 * known, but a throw leaves the memo stale as a whole: the caller then drops it.
 */
function objectText(o: Record<string, unknown>, memo: PartsMemo, depth: number): string {
  let i = 0;
  let changed = false;
  let reused = false;
  for (const key in o) {
    if (depth === 0) {
      if (key === '@timestamp' || key === '@version') continue;
      const c = key.charCodeAt(0);
      // JSON.stringify writes integer-like keys before @timestamp; a `__proto__` key is not copied.
      if ((c >= 48 && c <= 57) || key === '__proto__' || key === '@metadata') throw new Cannot();
    }
    if (i >= memo.keys.length || memo.keys[i] !== key) {
      memo.keys[i] = key;
      memo.quoted[i] = JSON.stringify(key);
      memo.values[i] = UNSET;
      memo.children[i] = undefined;
    }
    const v = o[key];
    if (typeof v === 'object' && v !== null && depth < MEMO_DEPTH && isPlainObject(v)) {
      const child = (memo.children[i] ??= new PartsMemo());
      const text = objectText(v, child, depth + 1);
      if (child.changed || memo.values[i] !== NOT_PRIMITIVE) {
        memo.parts[i] = `${memo.quoted[i]!}:${text}`;
        memo.values[i] = NOT_PRIMITIVE;
        changed = true;
      } else reused = true;
      if (child.reused) reused = true;
    } else if (memo.values[i] === v && isPrimitive(v)) {
      reused = true;
    } else {
      const text = valueText(v);
      memo.parts[i] = `${memo.quoted[i]!}:${text}`;
      memo.values[i] = isPrimitive(v) ? v : NOT_PRIMITIVE;
      memo.children[i] = undefined;
      changed = true;
    }
    i++;
  }
  if (i !== memo.keys.length) {
    changed = true;
    memo.keys.length = memo.quoted.length = memo.values.length = memo.parts.length = memo.children.length = i;
  }
  if (changed || !memo.written) {
    memo.json = `{${memo.parts.join(',')}}`;
    memo.written = true;
    changed = true;
  }
  memo.changed = changed;
  memo.reused = reused;
  return memo.json;
}

function isPrimitive(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' || v === null;
}

/** A value's JSON in an object, as JSON.stringify writes it; Cannot when JSON.stringify would leave the key out. */
function valueText(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      const text = JSON.stringify(v) as string | undefined;
      if (text === undefined) throw new Cannot();
      return text;
    }
    default:
      // undefined, functions and symbols are left out by JSON.stringify; BigInt throws there.
      throw new Cannot();
  }
}
