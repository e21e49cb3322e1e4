/**
 * CEF times in ECS mode (rt, art, end, start, mrt, …) → timestamps, for the formats the CEF
 * specification allows: milliseconds since the epoch, or `MMM dd[ yyyy] HH:mm:ss[.SSS][ zone]`
 * (ISO-8601 is read too). A time without a zone is in the event's `dtz` (deviceTimeZone) zone,
 * else the codec's `default_timezone`; one without a year is in the recent past (or at most a
 * day ahead). A value that is none of these is an error: the event fails as a whole
 * (tagged _cefparsefailure), as Logstash's codec does.
 */
import { Timestamp } from '../../core/timestamp.js';
import { compileJodaParser, parseIso8601, type DateParser } from '../../core/time/joda-parse.js';
import { tryResolveZone, type TimeZone } from '../../core/time/timezone.js';

const PATTERNS = ['MMM dd yyyy HH:mm:ss.SSS', 'MMM dd yyyy HH:mm:ss'];
/** "MMM dd HH:mm:ss…" without a year: where the year goes. */
const NO_YEAR = /^(\S+\s+\d{1,2})\s+(\d{1,2}:.*)$/;
/** A year-less time at most this far ahead is taken as this year (clocks and zones differ); further, last year. */
const NEAR_FUTURE_MS = 86_400_000;
/** A last word that may be a zone: an id (UTC, Europe/Paris, EST) or an offset (+01:00). */
const TRAILING_ZONE = /^(.*\d)\s+([A-Za-z][\w/+-]*|[+-]\d\d(?::?\d\d)?)$/;

export type CefTimeParser = (text: string, deviceZone: string | undefined) => Timestamp;

export function cefTimeParser(defaultZone: TimeZone, locale: string | undefined, now: () => number = Date.now): CefTimeParser {
  const parsers: DateParser[] = PATTERNS.map((p) => compileJodaParser(p, { locale }));
  const parse = (body: string, zone: TimeZone): Timestamp | undefined => {
    for (const parser of parsers) {
      const ms = parser.parse(body, zone);
      if (!Number.isNaN(ms)) return new Timestamp(ms, parser.nanos);
    }
    return undefined;
  };
  return (raw, deviceZone) => {
    const text = raw.trim();
    if (/^\d+$/.test(text)) return new Timestamp(Number(text));
    const iso = /^\d{4}-/.test(text) ? parseIso8601(text) : undefined;
    if (iso) return iso;
    let body = text;
    let zone = (deviceZone !== undefined ? tryResolveZone(deviceZone) : undefined) ?? defaultZone;
    const m = TRAILING_ZONE.exec(text);
    const named = m ? tryResolveZone(m[2]!) : undefined;
    if (m && named) {
      body = m[1]!;
      zone = named;
    }
    const withYear = parse(body, zone);
    if (withYear) return withYear;
    const m2 = NO_YEAR.exec(body);
    if (m2) {
      const year = new Date(now()).getUTCFullYear();
      const thisYear = parse(`${m2[1]} ${year} ${m2[2]}`, zone);
      if (thisYear && thisYear.epochMs <= now() + NEAR_FUTURE_MS) return thisYear;
      const lastYear = parse(`${m2[1]} ${year - 1} ${m2[2]}`, zone);
      if (lastYear) return lastYear;
    }
    throw new Error(`not a CEF time: "${raw.slice(0, 64)}"`);
  };
}
