/**
 * Logstash string interpolation, compiled once per template:
 *  - `%{field}` / `%{[a][b]}`: the field's value; arrays join with ",", hashes render
 *    as JSON, and a missing field leaves the `%{...}` text in place;
 *  - `%{+yyyy.MM.dd}`: `@timestamp` formatted with a Joda pattern, in UTC;
 *  - `%{+%s}`: `@timestamp` as epoch seconds;
 *  - `%{{TIME_NOW}}` / `%{{pattern}}`: the current time / `@timestamp` with a pattern.
 */
import type { Event } from './event.js';
import { fieldRef } from './fieldref.js';
import { compileJodaFormat } from './time/joda-format.js';
import { Timestamp } from './timestamp.js';

export type Template = (event: Event) => string;

type Piece = string | ((event: Event) => string);

/** Renders a field value as sprintf does. */
export function valueToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Timestamp) return value.toISOString();
  if (Array.isArray(value)) return value.map(valueToString).join(',');
  return JSON.stringify(value);
}

export function hasInterpolation(template: string): boolean {
  return template.includes('%{');
}

/**
 * A value whose strings, hash keys included, are templates, walked as Logstash's sprintf_object
 * does (hashes and arrays nested at any depth; other values as they are). Compiled once.
 */
export function compileTemplateTree(value: unknown): (event: Event) => unknown {
  if (typeof value === 'string') return compileTemplate(value);
  if (Array.isArray(value)) {
    const items = value.map(compileTemplateTree);
    return (event) => items.map((item) => item(event));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [compileTemplate(k), compileTemplateTree(v)] as const);
    return (event) => {
      const out: Record<string, unknown> = {};
      for (const [key, item] of entries) out[key(event)] = item(event);
      return out;
    };
  }
  return () => value;
}

export function compileTemplate(template: string): Template {
  if (!template.includes('%{')) return () => template;
  const pieces: Piece[] = [];
  let pos = 0;
  while (pos < template.length) {
    const start = template.indexOf('%{', pos);
    if (start === -1) {
      pieces.push(template.slice(pos));
      break;
    }
    if (start > pos) pieces.push(template.slice(pos, start));
    const javaStyle = template[start + 2] === '{';
    const close = javaStyle ? template.indexOf('}}', start + 3) : template.indexOf('}', start + 2);
    if (close === -1) {
      pieces.push(template.slice(start));
      break;
    }
    const inner = template.slice(start + (javaStyle ? 3 : 2), close);
    const raw = template.slice(start, close + (javaStyle ? 2 : 1));
    pieces.push(javaStyle ? timePiece(inner) : referencePiece(inner, raw));
    pos = close + (javaStyle ? 2 : 1);
  }
  return joinPieces(pieces);
}

function timePiece(pattern: string): (event: Event) => string {
  if (pattern === 'TIME_NOW') return () => new Date().toISOString();
  const format = compileJodaFormat(pattern);
  return (event) => format(event.timestamp.epochMs);
}

function referencePiece(inner: string, raw: string): (event: Event) => string {
  if (inner.startsWith('+')) {
    if (inner === '+%s') return (event) => String(event.timestamp.epochSeconds);
    const format = compileJodaFormat(inner.slice(1));
    return (event) => format(event.timestamp.epochMs);
  }
  let ref;
  try {
    ref = fieldRef(inner);
  } catch {
    return () => raw; // not a valid reference: kept literally, as Logstash does
  }
  return (event) => {
    const value = ref.get(event);
    return value === undefined || value === null ? raw : valueToString(value);
  };
}

function joinPieces(pieces: Piece[]): Template {
  const parts = pieces.filter((p) => p !== '');
  if (parts.length === 1) {
    const only = parts[0]!;
    return typeof only === 'string' ? () => only : only;
  }
  if (parts.length === 2) {
    const [a, b] = parts as [Piece, Piece];
    if (typeof a === 'string' && typeof b !== 'string') return (e) => a + b(e);
    if (typeof a !== 'string' && typeof b === 'string') return (e) => a(e) + b;
  }
  return (event) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(event);
    return out;
  };
}
