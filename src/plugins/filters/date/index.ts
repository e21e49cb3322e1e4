/**
 * The `date` filter: parses a field with the first matching format and stores
 * the instant (a Timestamp) in `target`, `@timestamp` by default. Formats are
 * compiled once at create(); see src/core/time/joda-parse.ts for the pattern
 * semantics and src/core/time/timezone.ts for DST handling.
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import { compileTemplate, hasInterpolation } from '../../../core/sprintf.js';
import { compileIso8601Parser, compileJodaParser, normalizeLocale, type Clock, type DateParser } from '../../../core/time/joda-parse.js';
import { resolveZone, systemZone, tryResolveZone, type TimeZone } from '../../../core/time/timezone.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineFilter } from '../../api.js';
import { COMMON_FILTER_OPTIONS } from '../../common.js';
import { parseTai64n, parseUnix, parseUnixMs } from './epoch.js';

let defaultClock: Clock = Date.now;

/**
 * Replaces the clock used for year guessing (year-less patterns) by filters
 * created afterwards, as Logstash's JodaParser.setDefaultClock. For tests;
 * returns a function restoring the previous clock.
 */
export function setDateClock(clock: Clock): () => void {
  const previous = defaultClock;
  defaultClock = clock;
  return () => {
    defaultClock = previous;
  };
}

/** One format: string values go to text parsers, numbers only to the epoch ones. */
type Format = (value: unknown, zone: TimeZone) => Timestamp | undefined;

function textFormat(parser: DateParser): Format {
  return (value, zone) => {
    if (typeof value !== 'string') return undefined; // Logstash: text formats take strings only
    const ms = parser.parse(value, zone);
    return Number.isNaN(ms) ? undefined : new Timestamp(ms, parser.nanos);
  };
}

function compileFormat(format: string, locale: string | undefined, now: Clock): Format {
  switch (format) {
    case 'ISO8601':
      return textFormat(compileIso8601Parser());
    case 'UNIX':
      return parseUnix;
    case 'UNIX_MS':
      return parseUnixMs;
    case 'TAI64N':
      return parseTai64n;
    default:
      return textFormat(compileJodaParser(format, { locale, now }));
  }
}

export const dateFilter = defineFilter({
  kind: 'filter',
  name: 'date',
  description: 'Parses a date from a field (Joda patterns, ISO8601, UNIX, UNIX_MS, TAI64N) into @timestamp or another target.',
  options: {
    ...COMMON_FILTER_OPTIONS,
    match: { type: 'array', default: [], description: 'The field name, then one or more formats tried in order: Joda patterns, ISO8601, UNIX, UNIX_MS, TAI64N.' },
    timezone: { type: 'string', description: 'Zone for values without an offset: an IANA id (Europe/Paris), UTC or +hh:mm; may be a %{field} template. Default: the system zone.' },
    locale: { type: 'string', description: 'Locale for month and day names (BCP 47 like en-US, or POSIX like en_US). Default: English.' },
    target: { type: 'field_reference', default: '@timestamp', description: 'Where the parsed Timestamp is stored.' },
    tag_on_failure: { type: 'string_list', default: ['_dateparsefailure'], description: 'Tags added when no format matches.' },
  },
  create(options, ctx) {
    const match = options.match.map((m) => (typeof m === 'string' ? m : String(m)));
    if (match.length < 2) {
      throw new ConfigError(
        `date filter: "match" needs a field name and at least one format, got ${JSON.stringify(match)}`,
        ctx.location,
        'match => ["logdate", "MMM dd yyyy HH:mm:ss", "ISO8601"]',
      );
    }
    const [field, ...formatNames] = match as [string, ...string[]];
    const source = fieldRef(field);
    let locale: string | undefined;
    if (options.locale !== undefined) {
      try {
        locale = normalizeLocale(options.locale);
      } catch (e) {
        throw new ConfigError(`date filter: ${(e as Error).message}`, ctx.location);
      }
    }
    const now = defaultClock;
    const formats: Format[] = formatNames.map((format) => {
      try {
        return compileFormat(format, locale, now);
      } catch (e) {
        throw new ConfigError(`date filter: ${(e as Error).message}`, ctx.location);
      }
    });

    // The zone: fixed at create(), or resolved per event from a template (cached per name).
    let staticZone: TimeZone | undefined;
    let zoneOf: ((event: Event) => TimeZone | undefined) | undefined;
    const tz = options.timezone;
    if (tz !== undefined && hasInterpolation(tz)) {
      const template = compileTemplate(tz);
      const cache = new Map<string, TimeZone | null>();
      zoneOf = (event) => {
        const name = template(event);
        let zone = cache.get(name);
        if (zone === undefined) {
          zone = tryResolveZone(name) ?? null;
          if (cache.size >= 1000) cache.clear();
          cache.set(name, zone);
        }
        return zone ?? undefined;
      };
    } else if (tz !== undefined) {
      try {
        staticZone = resolveZone(tz);
      } catch (e) {
        throw new ConfigError(`date filter: ${(e as Error).message}`, ctx.location, 'use an IANA zone id such as "Europe/Paris", "UTC" or an offset such as "+05:30"');
      }
    } else {
      staticZone = systemZone();
    }

    const target = fieldRef(options.target);
    // `@timestamp` (however written) goes through Event.timestamp; other targets get a Timestamp too.
    const targetIsTimestamp = !target.metadata && target.path.length === 1 && target.key === '@timestamp';
    const failureTags = options.tag_on_failure;

    // Consecutive log lines often carry the same timestamp text (second
    // resolution): the last parse is reused, and so is its Timestamp (immutable,
    // so its ISO form is also formatted once).
    let lastText: string | undefined;
    let lastTs: Timestamp | undefined;

    return {
      filter(event: Event): boolean {
        const value = source.get(event);
        // No field (or null): nothing to do, no tag, no decorations, as Logstash.
        if (value === undefined || value === null) return false;
        if (value === lastText && staticZone) {
          if (targetIsTimestamp) event.timestamp = lastTs!;
          else target.set(event, lastTs);
          return true;
        }
        const zone = staticZone ?? zoneOf!(event);
        if (zone) {
          for (const format of formats) {
            let ts = format(value, zone);
            if (ts) {
              // Logstash's date filter parses with Joda: milliseconds only. Keeping the
              // digits below would print them (Timestamp prints sub-millisecond digits).
              if (ts.nanos !== 0) ts = new Timestamp(ts.epochMs);
              if (typeof value === 'string') {
                lastText = value;
                lastTs = ts;
              }
              if (targetIsTimestamp) event.timestamp = ts;
              else target.set(event, ts);
              return true;
            }
          }
        }
        for (const tag of failureTags) event.tag(tag);
        return false;
      },
    };
  },
});
