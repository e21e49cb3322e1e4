/**
 * Strict ISO-8601 parsing for values that become `@timestamp` (Logstash's
 * `Timestamp.coerce`). Unlike Date.parse it rejects free-form text, and a
 * value without a zone is read as UTC rather than local time.
 */
import { Timestamp } from '../../../core/timestamp.js';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseIso8601(text: string): Timestamp | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day && hour !== 24) return undefined; // Feb 30 and friends
  let nanos = 0;
  if (frac) {
    const digits = frac.padEnd(9, '0');
    ms += Number(digits.slice(0, 3));
    nanos = Number(digits.slice(3));
  }
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const rest = zone.slice(1).replace(':', '');
    const offset = Number(rest.slice(0, 2)) * 60 + (rest.length > 2 ? Number(rest.slice(2, 4)) : 0);
    ms -= sign * offset * 60_000;
  }
  return new Timestamp(ms, nanos);
}
