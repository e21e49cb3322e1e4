/** Field types and timestamp formats guessed from sample values. */
import type { FieldType } from './plan.js';

const INT = /^-?\d{1,18}$/;
const FLOAT = /^-?\d+\.\d+$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const IPV6 = /^(?=.*:)[0-9a-fA-F:]{2,39}$/;

/** The narrowest type every sample value fits; long text (a message) is `text`. */
export function inferType(values: readonly unknown[]): FieldType {
  const present = values.filter((v) => v !== undefined && v !== null && v !== '');
  if (present.length === 0) return 'keyword';
  if (present.every((v) => typeof v === 'number' ? Number.isInteger(v) : INT.test(String(v)))) {
    // Leading zeros (ids, zip codes) are text that looks like a number.
    return present.some((v) => typeof v === 'string' && /^-?0\d/.test(v)) ? 'keyword' : 'long';
  }
  if (present.every((v) => typeof v === 'number' || FLOAT.test(String(v)) || INT.test(String(v)))) return 'double';
  if (present.every((v) => typeof v === 'string' && (IPV4.test(v) || IPV6.test(v)))) return 'ip';
  if (present.every((v) => typeof v === 'string' || typeof v === 'boolean')) {
    const strings = present.map(String);
    const long = strings.some((s) => s.length > 120) || strings.filter((s) => s.includes(' ')).length > strings.length / 2;
    return long ? 'text' : 'keyword';
  }
  return 'keyword';
}

export interface TimeFormat {
  formats: string[];
  /** Whether the text carries its zone (an offset, Z); otherwise a timezone is needed. */
  zoned: boolean;
}

/** Time shapes seen in logs, most specific first, with the date filter's patterns for them. */
const TIME_SHAPES: { re: RegExp; format: TimeFormat }[] = [
  { re: /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)$/, format: { formats: ['ISO8601'], zoned: true } },
  { re: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?$/, format: { formats: ['ISO8601'], zoned: false } },
  { re: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}$/, format: { formats: ['yyyy-MM-dd HH:mm:ss,SSS'], zoned: false } },
  { re: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/, format: { formats: ['yyyy-MM-dd HH:mm:ss.SSS'], zoned: false } },
  { re: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, format: { formats: ['yyyy-MM-dd HH:mm:ss'], zoned: false } },
  { re: /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}$/, format: { formats: ['dd/MMM/yyyy:HH:mm:ss Z'], zoned: true } },
  { re: /^1\d{9}(?:\.\d+)?$/, format: { formats: ['UNIX'], zoned: true } },
  { re: /^1\d{12}$/, format: { formats: ['UNIX_MS'], zoned: true } },
];

/** The date filter formats matching every sample value, or undefined when they are not times. */
export function timeFormatOf(values: readonly unknown[]): TimeFormat | undefined {
  const present = values.filter((v) => v !== undefined && v !== null && v !== '').map(String);
  if (present.length === 0) return undefined;
  for (const shape of TIME_SHAPES) if (present.every((v) => shape.re.test(v))) return shape.format;
  return undefined;
}

/** Names that usually hold the event's time, best first. */
export const TIME_FIELD_NAMES = ['@timestamp', 'timestamp', 'time', 'time_iso8601', 'datetime', 'date', 'ts', 'time_local', 'logged_at', 'created_at', 'event_time'];
