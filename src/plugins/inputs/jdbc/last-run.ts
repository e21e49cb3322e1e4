/**
 * `:sql_last_value` and the file that keeps it between runs (`last_run_metadata_path`). The file
 * holds one YAML document, `--- <value>`, as Logstash writes it; Logstash's own timestamp form
 * (`2024-05-01 10:00:00.123456000 Z`) is read too, so a migrated file keeps its place.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type TrackedValue = number | Date;
export type TrackingType = 'numeric' | 'timestamp';

export function initialValue(type: TrackingType): TrackedValue {
  return type === 'numeric' ? 0 : new Date(0);
}

/** Reads the stored value, or undefined when there is no usable file. */
export function readLastRun(path: string, type: TrackingType): TrackedValue | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const raw = text.replace(/^---\s*/, '').trim().replace(/^(['"])(.*)\1$/, '$2');
  if (raw === '') return undefined;
  return parseTracked(raw, type);
}

/** Writes the value atomically (a temp file renamed over the old one). */
export function writeLastRun(path: string, value: TrackedValue): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `--- ${value instanceof Date ? value.toISOString() : String(value)}\n`);
  renameSync(tmp, path);
}

/** A column value (or stored text) as a tracking value, or undefined when it is not one. */
export function parseTracked(value: unknown, type: TrackingType): TrackedValue | undefined {
  if (type === 'numeric') {
    const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value !== 'string') return undefined;
  const d = new Date(isoText(value.trim()));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Database and Logstash timestamp text as ISO 8601; a time without a zone is taken as UTC. */
function isoText(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) return s;
  const frac = m[3] ? `.${m[3].slice(0, 3).padEnd(3, '0')}` : '';
  return `${m[1]}T${m[2]}${frac}${m[4] ? m[4].toUpperCase() : 'Z'}`;
}
