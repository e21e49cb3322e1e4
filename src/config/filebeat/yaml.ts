/**
 * Reads a Filebeat YAML file into a tree that keeps the file:line:column of every key and value,
 * with Filebeat's config-library rules applied: dotted keys are paths (`output.logstash.hosts: x`
 * is `output: {logstash: {hosts: x}}`, merged with any other spelling of the same path, the later
 * value winning), and `${VAR}` / `${VAR:default}` in values are replaced from the environment.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import { ConfigErrorList } from '../schema.js';

export type Scalar = string | number | boolean | null;

export type YNode = YScalar | YMap | YSeq;

export interface YScalar {
  kind: 'scalar';
  value: Scalar;
  location: SourceLocation;
}

export interface YEntry {
  key: string;
  /** Where the key (or, for a dotted key, its first segment) was written. */
  location: SourceLocation;
  value: YNode;
}

export interface YMap {
  kind: 'map';
  entries: YEntry[];
  location: SourceLocation;
}

export interface YSeq {
  kind: 'seq';
  items: YNode[];
  location: SourceLocation;
}

export interface ReadOptions {
  env?: NodeJS.ProcessEnv;
}

/** Parses YAML text; a syntax error is a ConfigError at its line and column. */
export function readYaml(file: string, text: string, options: ReadOptions = {}): YNode {
  const lineCounter = new LineCounter();
  // YAML 1.1, as Filebeat's Go YAML reads it: yes/no/on/off are booleans, 0600 is octal.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.1' });
  const at = (offset: number | undefined): SourceLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => new ConfigError(`YAML syntax error: ${firstLine(e.message)}`, at(e.pos[0])));
    throw errors.length === 1 ? errors[0]! : new ConfigErrorList(errors);
  }
  const env = options.env ?? process.env;
  const convert = (node: unknown, fallback: SourceLocation): YNode => {
    if (isAlias(node)) return convert(node.resolve(doc), fallback);
    const n = node as YamlNode | null | undefined;
    const location = n?.range ? at(n.range[0]) : fallback;
    if (isMap(node)) {
      const root: YMap = { kind: 'map', entries: [], location };
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const keyLocation = keyNode?.range ? at(keyNode.range[0]) : location;
        const rawKey = isScalar(keyNode) ? keyNode.value : keyNode;
        if (rawKey === null || rawKey === undefined || typeof rawKey === 'object') {
          throw new ConfigError('a key must be a plain name', keyLocation);
        }
        const value = convert(pair.value, keyLocation);
        insertPath(root, String(rawKey).split('.'), keyLocation, value);
      }
      return root;
    }
    if (isSeq(node)) return { kind: 'seq', items: node.items.map((item) => convert(item, location)), location };
    if (isScalar(node)) return { kind: 'scalar', value: expandScalar(node.value, location, env), location };
    return { kind: 'scalar', value: null, location };
  };
  const root = convert(doc.contents, { file, line: 1, column: 1 });
  // An empty file is an empty configuration.
  if (root.kind === 'scalar' && root.value === null) return { kind: 'map', entries: [], location: root.location };
  return root;
}

/** Puts `value` at `path` below `map`, merging maps met on the way (Filebeat's dotted keys). */
function insertPath(map: YMap, path: string[], location: SourceLocation, value: YNode): void {
  const [head, ...rest] = path;
  const existing = map.entries.find((e) => e.key === head);
  const child: YNode = rest.length === 0 ? value : { kind: 'map', entries: [], location };
  if (rest.length === 0) {
    if (existing && existing.value.kind === 'map' && value.kind === 'map') {
      for (const e of value.entries) insertPath(existing.value, [e.key], e.location, e.value);
      return;
    }
    if (existing) {
      existing.value = value;
      existing.location = location;
      return;
    }
    map.entries.push({ key: head!, location, value });
    return;
  }
  if (existing && existing.value.kind === 'map') {
    insertPath(existing.value, rest, location, value);
    return;
  }
  if (existing) existing.value = child;
  else map.entries.push({ key: head!, location, value: child });
  insertPath(child as YMap, rest, location, value);
}

const REFERENCE = /\$\{([^}:]+)(?::([^}]*))?\}/g;

function expandScalar(value: unknown, location: SourceLocation, env: NodeJS.ProcessEnv): Scalar {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (value === undefined) return null;
  const text = String(value);
  if (!text.includes('${')) return text;
  return text.replace(REFERENCE, (_m, name: string, fallback: string | undefined) => {
    const v = env[name.trim()];
    if (v !== undefined) return v;
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`environment variable "${name}" is not defined`, location, `export ${name}=..., or give a default: \${${name}:value}`);
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

// ------------------------------------------------------------------ helpers for the translators

export function entry(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** The plain value of a node: maps become objects, sequences arrays (positions dropped). */
export function plain(node: YNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  const out: Record<string, unknown> = {};
  for (const e of node.entries) out[e.key] = plain(e.value);
  return out;
}

/** Nested maps flattened back to dotted names (how Filebeat reads field names in conditions). */
export function flattenFields(node: YMap, prefix = ''): { name: string; value: YNode; location: SourceLocation }[] {
  const out: { name: string; value: YNode; location: SourceLocation }[] = [];
  for (const e of node.entries) {
    const name = prefix === '' ? e.key : `${prefix}.${e.key}`;
    if (e.value.kind === 'map' && e.value.entries.length > 0) out.push(...flattenFields(e.value, name));
    else out.push({ name, value: e.value, location: e.location });
  }
  return out;
}
