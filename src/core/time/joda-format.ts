/**
 * Compiles a Joda-Time style pattern into a formatting function over epoch
 * milliseconds. Used by sprintf's `%{+yyyy.MM.dd}` (always UTC, as Logstash).
 */
import { MONTHS_EN, WEEKDAYS_EN, tokenizeJoda, type JodaField } from './joda-tokens.js';

/** Broken-down UTC time, computed once per format call. */
interface Parts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  weekday: number; // 1 = Monday .. 7 = Sunday (ISO)
  dayOfYear: number;
  epochMs: number;
}

type Piece = (p: Parts) => string;

const pad = (n: number, width: number): string => {
  const s = String(Math.abs(n));
  const padded = s.length >= width ? s : '0'.repeat(width - s.length) + s;
  return n < 0 ? '-' + padded : padded;
};

function isoWeek(p: Parts): { week: number; weekYear: number } {
  // ISO week: the week with the year's first Thursday is week 1.
  const date = Date.UTC(p.year, p.month - 1, p.day);
  const thursday = date + (4 - p.weekday) * 86_400_000;
  const weekYear = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(weekYear, 0, 1)) / (7 * 86_400_000)) + 1;
  return { week, weekYear };
}

function fieldPiece(f: JodaField): Piece {
  const w = f.width;
  switch (f.letter) {
    case 'y':
    case 'Y':
      return w === 2 ? (p) => pad(p.year % 100, 2) : (p) => pad(p.year, w);
    case 'x':
      return w === 2 ? (p) => pad(isoWeek(p).weekYear % 100, 2) : (p) => pad(isoWeek(p).weekYear, w);
    case 'w':
      return (p) => pad(isoWeek(p).week, w);
    case 'C':
      return (p) => pad(Math.floor(p.year / 100), w);
    case 'G':
      return (p) => (p.year > 0 ? 'AD' : 'BC');
    case 'M':
      if (w >= 4) return (p) => MONTHS_EN[p.month - 1]!;
      if (w === 3) return (p) => MONTHS_EN[p.month - 1]!.slice(0, 3);
      return (p) => pad(p.month, w);
    case 'd':
      return (p) => pad(p.day, w);
    case 'D':
      return (p) => pad(p.dayOfYear, w);
    case 'e':
      return (p) => pad(p.weekday, w);
    case 'E':
      return w >= 4 ? (p) => WEEKDAYS_EN[p.weekday - 1]! : (p) => WEEKDAYS_EN[p.weekday - 1]!.slice(0, 3);
    case 'a':
      return (p) => (p.hour < 12 ? 'AM' : 'PM');
    case 'H':
      return (p) => pad(p.hour, w);
    case 'k':
      return (p) => pad(p.hour === 0 ? 24 : p.hour, w);
    case 'K':
      return (p) => pad(p.hour % 12, w);
    case 'h':
      return (p) => pad(p.hour % 12 === 0 ? 12 : p.hour % 12, w);
    case 'm':
      return (p) => pad(p.minute, w);
    case 's':
      return (p) => pad(p.second, w);
    case 'S':
      // Fraction of second, truncated or zero-padded to the width.
      return (p) => pad(p.millis, 3).padEnd(w, '0').slice(0, w);
    case 'Z':
      // Formatting is always in UTC here.
      return w === 1 ? () => '+0000' : w === 2 ? () => '+00:00' : () => 'UTC';
    case 'z':
      return () => 'UTC';
    default:
      throw new Error(`unsupported pattern letter "${f.letter}"`);
  }
}

export type TimeFormatter = (epochMs: number) => string;

export function compileJodaFormat(pattern: string): TimeFormatter {
  const pieces: Piece[] = tokenizeJoda(pattern).map((t) => (t.kind === 'literal' ? () => t.text : fieldPiece(t)));
  return (epochMs: number) => {
    const d = new Date(epochMs);
    const year = d.getUTCFullYear();
    const jsDay = d.getUTCDay();
    const parts: Parts = {
      year,
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millis: d.getUTCMilliseconds(),
      weekday: jsDay === 0 ? 7 : jsDay,
      dayOfYear: Math.floor((epochMs - Date.UTC(year, 0, 1)) / 86_400_000) + 1,
      epochMs,
    };
    let out = '';
    for (const piece of pieces) out += piece(parts);
    return out;
  };
}
