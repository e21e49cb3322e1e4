/**
 * Timestamps without a zone (MySQL DATETIME/TIMESTAMP as read, PostgreSQL `timestamp`) are wall
 * times; `jdbc_default_timezone` says in which zone. These turn such text into an instant and an
 * instant back into that zone's wall time (for `:sql_last_value`). Zone rules come from
 * core/time/timezone.ts (Intl underneath).
 */
import type { TimeZone } from '../../../core/time/timezone.js';
import { wallMs } from '../../../core/time/timezone.js';

const WALL_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const DAY_MS = 86_400_000;

/**
 * `YYYY-MM-DD HH:MM:SS[.fraction]` read as a wall time in `zone`. A time that does not exist
 * there (skipped by a DST change) is taken with the offset before the change, as Joda does;
 * text that is no such time (MySQL's zero date) gives an invalid Date.
 */
export function wallTextToDate(text: string, zone: TimeZone): Date {
  const m = WALL_TEXT.exec(text);
  if (!m) return new Date(NaN);
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const wall = wallMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), millis);
  return new Date(zone.instantOf(wall) ?? wall - zone.offsetAt(wall - DAY_MS));
}

/** The wall time of `date` in `zone`, as `YYYY-MM-DD HH:MM:SS.mmm` (what a zone-less column compares with). */
export function dateToWallText(date: Date, zone: TimeZone): string {
  const ms = date.getTime();
  const iso = new Date(ms + zone.offsetAt(ms)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
