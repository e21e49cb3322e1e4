/**
 * truncate: cuts strings longer than `length_bytes` UTF-8 bytes, never in the
 * middle of a character. Arrays are truncated element by element (strings
 * only) and hashes recursively. Without `fields`, every top-level field is
 * tried. Mirrors logstash-filter-truncate 1.0.x: the decorations apply only
 * when something was actually truncated.
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineFilter } from '../../api.js';

/**
 * The longest prefix of `value` that is at most `maxBytes` bytes in UTF-8,
 * cut at a character boundary (a surrogate pair is one 4-byte character; a
 * lone surrogate counts 3 bytes, as Buffer encodes it).
 */
export function truncateUtf8(value: string, maxBytes: number): string {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: short strings need no scan.
  if (value.length * 3 <= maxBytes) return value;
  let bytes = 0;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    let size: number;
    let units = 1;
    if (c < 0x80) size = 1;
    else if (c < 0x800) size = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      size = 4;
      units = 2;
    } else size = 3;
    if (bytes + size > maxBytes) return value.slice(0, i);
    bytes += size;
    i += units - 1;
  }
  return value;
}

/** Truncates strings in `value` (arrays one level, hashes recursively); returns whether anything changed. */
function truncateIn(container: Record<string, unknown> | unknown[], key: string | number, max: number): boolean {
  const value = (container as Record<string | number, unknown>)[key];
  if (typeof value === 'string') {
    const cut = truncateUtf8(value, max);
    if (cut.length === value.length) return false;
    (container as Record<string | number, unknown>)[key] = cut;
    return true;
  }
  if (value === null || typeof value !== 'object' || value instanceof Timestamp) return false;
  let changed = false;
  if (Array.isArray(value)) {
    // Logstash truncates the strings of an array but does not descend further.
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'string') {
        const cut = truncateUtf8(item, max);
        if (cut.length !== item.length) {
          value[i] = cut;
          changed = true;
        }
      }
    }
    return changed;
  }
  const hash = value as Record<string, unknown>;
  for (const k in hash) if (truncateIn(hash, k, max)) changed = true;
  return changed;
}

/** Runs truncateIn on a field reference (its parent container and key). */
function truncateField(event: Event, ref: FieldRef, max: number): boolean {
  const value = ref.get(event);
  if (value === undefined || value === null) return false;
  const holder = { v: value };
  const changed = truncateIn(holder, 'v', max);
  if (changed && holder.v !== value) ref.set(event, holder.v);
  return changed;
}

export const truncateFilter = defineFilter({
  kind: 'filter',
  name: 'truncate',
  description: 'Truncates string fields to at most length_bytes bytes of UTF-8, on a character boundary.',
  options: {
    length_bytes: { type: 'number', required: true, description: 'Maximum length in bytes; longer strings are cut from the end.' },
    fields: { type: 'string_list', description: 'Field references to truncate; default: every top-level field.' },
  },
  create(options, ctx) {
    const max = options.length_bytes;
    if (!Number.isInteger(max) || max < 0) {
      throw new ConfigError(`truncate: length_bytes must be a whole number >= 0, got ${max}`, ctx.location);
    }
    const refs = options.fields?.map((f) => fieldRef(f));
    return {
      filter(event) {
        let changed = false;
        if (refs) {
          for (const ref of refs) if (truncateField(event, ref, max)) changed = true;
        } else {
          const data = event.data;
          for (const key in data) if (truncateIn(data, key, max)) changed = true;
        }
        return changed;
      },
    };
  },
});
