/**
 * Compiles a Joda-Time style pattern (`dd/MMM/yyyy:HH:mm:ss Z`) into a parser,
 * once: a single anchored RegExp built from the tokens plus a list of field
 * handlers. Parsing an event value is one regex exec and a few integer
 * operations; nothing re-reads the pattern.
 *
 * Semantics follow Joda's DateTimeFormat (what Logstash's date filter uses):
 *  - numbers are read greedily without backtracking (Joda never backtracks),
 *    at most 2 digits for most fields, 3 for `D`, 9 for a year (or the
 *    pattern width when the next token is numeric too, as in `yyyyMMdd`);
 *  - `yy` is a two-digit year in the 100 years around now-30; a lenient `yy`
 *    (not followed by a number) reading other than 2 digits is a full year;
 *  - `S…` reads up to as many digits as letters; digits beyond milliseconds
 *    are kept as nanoseconds (Joda truncates to milliseconds);
 *  - `MMM`/`MMMM`, `E…`, `a`, `G` accept the locale's long or short text,
 *    as written, in lower case or in upper case; literals match case-insensitively;
 *  - `Z` and `ZZ` accept `Z`, `+hh`, `+hhmm` and `+hh:mm`; `ZZZ` a zone id;
 *    `z` (zone names) cannot be parsed, as in Joda;
 *  - a day of week that disagrees with the date moves the date within its
 *    ISO week (Joda's lenient behaviour); out-of-range values fail;
 *  - without an offset or zone in the value, the wall time is resolved in the
 *    given zone (DST gap: no such time, parse fails; overlap: earlier instant);
 *  - without a year in the pattern (`MMM d HH:mm:ss`), the year is guessed the
 *    way Logstash's JodaParser does: the current year, except a December
 *    date read in January is last year's and a January date read in December
 *    is next year's.
 */
import { Timestamp } from '../timestamp.js';
import { MONTHS_EN, WEEKDAYS_EN, tokenizeJoda, type JodaToken } from './joda-tokens.js';
import {
  DAY_MS, UTC, civilFromDays, daysFromCivil, daysInMonth, isLeapYear, isoDayOfWeek, tryResolveZone,
  type CivilDate, type TimeZone,
} from './timezone.js';

export type Clock = () => number;

/** A compiled parser. Not re-entrant: one instance per filter (worker-local). */
export interface DateParser {
  /** Epoch milliseconds of `text`, or NaN when it does not parse. */
  parse(text: string, zone: TimeZone): number;
  /** Nanoseconds within the millisecond of the last successful parse. */
  readonly nanos: number;
}

export interface JodaParserOptions {
  /** BCP 47 / POSIX locale for month and day names; English by default. */
  locale?: string | undefined;
  /** Clock for year guessing and the two-digit-year pivot (tests inject one). */
  now?: Clock | undefined;
}

// ------------------------------------------------------------ parsed fields

/** Fields read from one value; NaN means "not present". Reused between parses. */
class Fields {
  year = NaN;
  yearOfEra = NaN;
  era = NaN;
  weekyear = NaN;
  week = NaN;
  month = NaN;
  day = NaN;
  dayOfYear = NaN;
  dow = NaN;
  halfday = NaN;
  hourOfDay = NaN;
  clockHourOfDay = NaN;
  hourOfHalfday = NaN;
  clockHourOfHalfday = NaN;
  minute = NaN;
  second = NaN;
  millis = NaN;
  nanos = 0;
  offset = NaN;
  zoneId: string | undefined = undefined;

  reset(): void {
    this.year = this.yearOfEra = this.era = this.weekyear = this.week = NaN;
    this.month = this.day = this.dayOfYear = this.dow = NaN;
    this.halfday = this.hourOfDay = this.clockHourOfDay = this.hourOfHalfday = this.clockHourOfHalfday = NaN;
    this.minute = this.second = this.millis = this.offset = NaN;
    this.nanos = 0;
    this.zoneId = undefined;
  }
}

type Handler = (f: Fields, text: string) => boolean;

const civil: CivilDate = { year: 0, month: 0, day: 0 };

function weeksInWeekyear(weekyear: number): number {
  const jan1 = isoDayOfWeek(daysFromCivil(weekyear, 1, 1));
  return jan1 === 4 || (jan1 === 3 && isLeapYear(weekyear)) ? 53 : 52;
}

/**
 * Wall-clock milliseconds (UTC calendar) of the parsed fields, or NaN when a
 * value is out of range. Defaults are Joda's: year 2000, January, day 1, midnight.
 */
function wallOf(f: Fields): number {
  let year = f.year;
  if (Number.isNaN(year)) {
    if (!Number.isNaN(f.yearOfEra)) year = f.era === 0 ? 1 - f.yearOfEra : f.yearOfEra;
    else year = 2000;
  }
  let days: number;
  if (!Number.isNaN(f.week) || !Number.isNaN(f.weekyear)) {
    const wy = Number.isNaN(f.weekyear) ? year : f.weekyear;
    const week = Number.isNaN(f.week) ? 1 : f.week;
    if (week < 1 || week > weeksInWeekyear(wy)) return NaN;
    const jan4 = daysFromCivil(wy, 1, 4);
    days = jan4 - (isoDayOfWeek(jan4) - 1) + (week - 1) * 7 + ((Number.isNaN(f.dow) ? 1 : f.dow) - 1);
  } else {
    const month = Number.isNaN(f.month) ? 1 : f.month;
    if (month < 1 || month > 12) return NaN;
    if (!Number.isNaN(f.dayOfYear) && Number.isNaN(f.month) && Number.isNaN(f.day)) {
      if (f.dayOfYear < 1 || f.dayOfYear > (isLeapYear(year) ? 366 : 365)) return NaN;
      days = daysFromCivil(year, 1, 1) + f.dayOfYear - 1;
    } else {
      const day = Number.isNaN(f.day) ? 1 : f.day;
      if (day < 1 || day > daysInMonth(year, month)) return NaN;
      days = daysFromCivil(year, month, day);
    }
    // Joda sets the day of week last among date fields: the date moves within its ISO week.
    if (!Number.isNaN(f.dow)) days += f.dow - isoDayOfWeek(days);
  }
  // Hours in Joda's field order: halfday, then hour-of-day, then hour-of-halfday.
  let hour = Number.isNaN(f.halfday) ? 0 : f.halfday * 12;
  if (!Number.isNaN(f.hourOfDay)) hour = f.hourOfDay;
  if (!Number.isNaN(f.clockHourOfDay)) hour = f.clockHourOfDay % 24;
  if (!Number.isNaN(f.hourOfHalfday)) hour = (hour >= 12 ? 12 : 0) + f.hourOfHalfday;
  else if (!Number.isNaN(f.clockHourOfHalfday)) hour = (hour >= 12 ? 12 : 0) + (f.clockHourOfHalfday % 12);
  const minute = Number.isNaN(f.minute) ? 0 : f.minute;
  const second = Number.isNaN(f.second) ? 0 : f.second;
  const millis = Number.isNaN(f.millis) ? 0 : f.millis;
  return days * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** Instant of the parsed wall time: the value's own offset/zone wins over `zone`. */
function instantOf(f: Fields, wall: number, zone: TimeZone): number {
  if (!Number.isNaN(f.offset)) return wall - f.offset;
  if (f.zoneId !== undefined) {
    const z = tryResolveZone(f.zoneId);
    if (!z) return NaN;
    return z.instantOf(wall) ?? NaN;
  }
  return zone.instantOf(wall) ?? NaN;
}

/** Replaces the year of a wall time, clamping Feb 29 as Joda's withYear does. */
function withYear(wall: number, year: number): number {
  const days = Math.floor(wall / DAY_MS);
  const timeOfDay = wall - days * DAY_MS;
  civilFromDays(days, civil);
  const day = Math.min(civil.day, daysInMonth(year, civil.month));
  return daysFromCivil(year, civil.month, day) * DAY_MS + timeOfDay;
}

function monthOfWall(wall: number): number {
  return civilFromDays(Math.floor(wall / DAY_MS), civil).month;
}

/** Logstash's rule: this year, but December read in January is last year, January read in December next year. */
export function guessYear(eventMonth: number, nowYear: number, nowMonth: number): number {
  if (eventMonth === 12 && nowMonth === 1) return nowYear - 1;
  if (eventMonth === 1 && nowMonth === 12) return nowYear + 1;
  return nowYear;
}

// ------------------------------------------------------------ locale text

export interface LocaleNames {
  monthsLong: readonly string[];
  monthsShort: readonly string[];
  /** Monday first. */
  daysLong: readonly string[];
  daysShort: readonly string[];
  halfdays: readonly [string, string];
  eras: readonly [string, string];
}

const ENGLISH: LocaleNames = {
  monthsLong: MONTHS_EN,
  monthsShort: MONTHS_EN.map((m) => m.slice(0, 3)),
  daysLong: WEEKDAYS_EN,
  daysShort: WEEKDAYS_EN.map((d) => d.slice(0, 3)),
  halfdays: ['AM', 'PM'],
  eras: ['BC', 'AD'],
};

const localeCache = new Map<string, LocaleNames>();

/** Normalises a Logstash locale (`en_US`, `fr-FR`); throws RangeError when invalid. */
export function normalizeLocale(locale: string): string {
  const tag = locale.replace(/_/g, '-');
  const [canonical] = Intl.getCanonicalLocales(tag);
  if (!canonical) throw new RangeError(`invalid locale "${locale}"`);
  return canonical;
}

/**
 * Month/day/AM-PM/era names of a locale, in their "format" form (as Java's
 * DateFormatSymbols, e.g. Russian genitive month names). English is built in;
 * other locales come from Intl (ICU/CLDR, as recent JDKs).
 */
export function localeNames(locale: string | undefined): LocaleNames {
  if (locale === undefined) return ENGLISH;
  const tag = normalizeLocale(locale);
  if (tag === 'en' || tag.startsWith('en-')) return ENGLISH;
  let names = localeCache.get(tag);
  if (names) return names;
  const part = (options: Intl.DateTimeFormatOptions, type: Intl.DateTimeFormatPartTypes, ms: number): string => {
    const parts = new Intl.DateTimeFormat(tag, { timeZone: 'UTC', ...options }).formatToParts(ms);
    return parts.find((p) => p.type === type)?.value ?? '';
  };
  const months = (style: 'long' | 'short'): string[] =>
    Array.from({ length: 12 }, (_, i) => part({ month: style, day: 'numeric' }, 'month', Date.UTC(2001, i, 15)));
  // 2001-01-01 was a Monday.
  const days = (style: 'long' | 'short'): string[] =>
    Array.from({ length: 7 }, (_, i) => part({ weekday: style, day: 'numeric', month: 'long' }, 'weekday', Date.UTC(2001, 0, 1 + i)));
  const halfday = (hour: number): string => part({ hour: 'numeric', hour12: true }, 'dayPeriod', Date.UTC(2001, 0, 1, hour));
  const era = (year: number): string => {
    const d = new Date(0);
    d.setUTCFullYear(year, 0, 1);
    return part({ era: 'short', year: 'numeric' }, 'era', d.getTime());
  };
  names = {
    monthsLong: months('long'),
    monthsShort: months('short'),
    daysLong: days('long'),
    daysShort: days('short'),
    halfdays: [halfday(9) || 'AM', halfday(21) || 'PM'],
    eras: [era(-5) || 'BC', era(2001) || 'AD'],
  };
  localeCache.set(tag, names);
  return names;
}

// ------------------------------------------------------------ compiling

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A literal that matches case-insensitively, as Joda's literal parsers do. */
function literalRegex(text: string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    out += lower !== upper && lower.length === 1 && upper.length === 1 ? `[${escapeRegex(lower)}${escapeRegex(upper)}]` : escapeRegex(ch);
  }
  return out;
}

/** Joda's DateTimeFormat.isNumericToken. */
function isNumericToken(token: JodaToken | undefined): boolean {
  if (!token || token.kind !== 'field') return false;
  if (token.letter === 'M') return token.width <= 2;
  return 'cCxyYdhHmsSeDFWkKw'.includes(token.letter);
}

/** Text alternatives as Joda accepts them: each name as is, lower-cased, upper-cased; longest first. */
function textField(names: ReadonlyArray<readonly string[]>, set: (f: Fields, value: number) => void): { regex: string; handler: Handler } {
  const values = new Map<string, number>();
  const variants = new Set<string>();
  for (const list of names) {
    list.forEach((name, i) => {
      if (!name) return;
      for (const v of [name, name.toLowerCase(), name.toUpperCase()]) variants.add(v);
      if (!values.has(name.toLowerCase())) values.set(name.toLowerCase(), i);
    });
  }
  const alternatives = [...variants].sort((a, b) => b.length - a.length).map(escapeRegex);
  return {
    regex: alternatives.join('|'),
    handler: (f, text) => {
      const v = values.get(text.toLowerCase());
      if (v === undefined) return false;
      set(f, v);
      return true;
    },
  };
}

function numberHandler(set: (f: Fields, value: number) => void, min: number, max: number): Handler {
  return (f, text) => {
    const v = Number(text);
    if (v < min || v > max) return false;
    set(f, v);
    return true;
  };
}

const OFFSET_REGEX = '[Zz]|[+-]\\d{2}(?::?\\d{2})?';
const ZONE_ID_REGEX = '[A-Za-z][A-Za-z0-9_/+\\-]*';

function parseOffset(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  const hours = Number(text.slice(1, 3));
  const minutes = text.length > 3 ? Number(text.slice(-2)) : 0;
  if (hours > 23 || minutes > 59) return NaN;
  return (text[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

function fractionHandler(f: Fields, text: string): boolean {
  f.millis = Number(text.length >= 3 ? text.slice(0, 3) : text.padEnd(3, '0'));
  f.nanos = text.length > 3 ? Number(text.slice(3, 9).padEnd(6, '0')) : 0;
  return true;
}

function twoDigitYear(text: string, pivot: number): number {
  const yy = Number(text);
  const low = pivot - 50;
  const t = low >= 0 ? low % 100 : 99 + ((low + 1) % 100);
  return yy + low + (yy < t ? 100 : 0) - t;
}

class CompiledJodaParser implements DateParser {
  nanos = 0;
  private readonly fields = new Fields();

  constructor(
    private readonly regex: RegExp,
    private readonly groups: readonly number[],
    private readonly handlers: readonly Handler[],
    private readonly hasYear: boolean,
    private readonly hasZone: boolean,
    private readonly now: Clock,
  ) {}

  parse(text: string, zone: TimeZone): number {
    const m = this.regex.exec(text);
    if (!m) return NaN;
    const f = this.fields;
    f.reset();
    for (let i = 0; i < this.handlers.length; i++) {
      if (!this.handlers[i]!(f, m[this.groups[i]!]!)) return NaN;
    }
    const wall = wallOf(f);
    if (Number.isNaN(wall)) return NaN;
    let instant: number;
    if (this.hasYear) {
      instant = instantOf(f, wall, zone);
    } else {
      const nowMs = this.now();
      const nowMonth = monthOfWall(nowMs + zone.offsetAt(nowMs));
      const nowYear = civil.year;
      if (this.hasZone) {
        // Joda parses (in year 2000) to an instant, views it in the parser's zone, then sets the year.
        const first = instantOf(f, wall, zone);
        if (Number.isNaN(first)) return NaN;
        const local = first + zone.offsetAt(first);
        instant = zone.instantOf(withYear(local, guessYear(monthOfWall(local), nowYear, nowMonth))) ?? NaN;
      } else {
        instant = zone.instantOf(withYear(wall, guessYear(monthOfWall(wall), nowYear, nowMonth))) ?? NaN;
      }
    }
    if (!Number.isNaN(instant)) this.nanos = f.nanos;
    return instant;
  }
}

/**
 * Compiles a Joda pattern for parsing. Throws (an Error with a readable
 * message) for patterns Joda cannot parse with: unknown letters, `z`.
 */
export function compileJodaParser(pattern: string, options: JodaParserOptions = {}): DateParser {
  const tokens = tokenizeJoda(pattern);
  const names = localeNames(options.locale);
  const now = options.now ?? Date.now;
  const pivot = civilFromDays(Math.floor(now() / DAY_MS)).year - 30;
  let source = '^';
  let group = 0;
  const groups: number[] = [];
  const handlers: Handler[] = [];
  // Joda never backtracks into a field. Where the regex could (the next token may start with a
  // digit, letter or ':'), the field is an atomic group, (?=(x))\n; elsewhere a plain group,
  // which is about 3x faster and matches the same texts.
  let atomic = false;
  const addField = (inner: string, handler: Handler): void => {
    group++;
    source += atomic ? `(?=(${inner}))\\${group}` : `(${inner})`;
    groups.push(group);
    handlers.push(handler);
  };
  tokens.forEach((token, index) => {
    if (token.kind === 'literal') {
      source += literalRegex(token.text);
      return;
    }
    const next = tokens[index + 1];
    // Characters that could continue this field's match, so a shorter match might be retried.
    const continues = 'MEaG'.includes(token.letter) && (token.letter !== 'M' || token.width >= 3) ? /^\p{L}/u
      : token.letter === 'Z' ? (token.width <= 2 ? /^[\d:]/ : /^[\w/+-]/) : /^\d/;
    atomic = next !== undefined && (next.kind === 'field' || continues.test(next.text));
    const w = token.width;
    const nextNumeric = isNumericToken(tokens[index + 1]);
    switch (token.letter) {
      case 'y':
      case 'Y':
      case 'x': {
        const set = token.letter === 'y' ? (f: Fields, v: number) => void (f.year = v)
          : token.letter === 'Y' ? (f: Fields, v: number) => void (f.yearOfEra = v)
            : (f: Fields, v: number) => void (f.weekyear = v);
        if (w === 2) {
          if (nextNumeric) addField('\\d{2}', (f, t) => (set(f, twoDigitYear(t, pivot)), true));
          else addField('[+-]?\\d{1,9}', (f, t) => (set(f, /^\d{2}$/.test(t) ? twoDigitYear(t, pivot) : Number(t)), true));
        } else {
          const sign = token.letter === 'Y' ? '' : '[+-]?';
          addField(`${sign}\\d{1,${nextNumeric ? w : 9}}`, (f, t) => (set(f, Number(t)), true));
        }
        break;
      }
      case 'M':
        if (w >= 3) {
          const t = textField([names.monthsLong, names.monthsShort], (f, v) => void (f.month = v + 1));
          addField(t.regex, t.handler);
        } else {
          addField('\\d{1,2}', numberHandler((f, v) => void (f.month = v), 1, 12));
        }
        break;
      case 'd':
        addField('\\d{1,2}', numberHandler((f, v) => void (f.day = v), 1, 31));
        break;
      case 'D':
        addField('\\d{1,3}', numberHandler((f, v) => void (f.dayOfYear = v), 1, 366));
        break;
      case 'w':
        addField('\\d{1,2}', numberHandler((f, v) => void (f.week = v), 1, 53));
        break;
      case 'e':
        addField('\\d', numberHandler((f, v) => void (f.dow = v), 1, 7));
        break;
      case 'E': {
        const t = textField([names.daysLong, names.daysShort], (f, v) => void (f.dow = v + 1));
        addField(t.regex, t.handler);
        break;
      }
      case 'a': {
        const t = textField([names.halfdays], (f, v) => void (f.halfday = v));
        addField(t.regex, t.handler);
        break;
      }
      case 'G': {
        const t = textField([names.eras], (f, v) => void (f.era = v));
        addField(t.regex, t.handler);
        break;
      }
      case 'H':
        addField('\\d{1,2}', numberHandler((f, v) => void (f.hourOfDay = v), 0, 23));
        break;
      case 'k':
        addField('\\d{1,2}', numberHandler((f, v) => void (f.clockHourOfDay = v), 1, 24));
        break;
      case 'K':
        addField('\\d{1,2}', numberHandler((f, v) => void (f.hourOfHalfday = v), 0, 11));
        break;
      case 'h':
        addField('\\d{1,2}', numberHandler((f, v) => void (f.clockHourOfHalfday = v), 1, 12));
        break;
      case 'm':
        addField('\\d{1,2}', numberHandler((f, v) => void (f.minute = v), 0, 59));
        break;
      case 's':
        addField('\\d{1,2}', numberHandler((f, v) => void (f.second = v), 0, 59));
        break;
      case 'S':
        addField(`\\d{1,${w}}`, fractionHandler);
        break;
      case 'Z':
        if (w <= 2) {
          addField(OFFSET_REGEX, (f, t) => {
            f.offset = parseOffset(t);
            return !Number.isNaN(f.offset);
          });
        } else {
          addField(ZONE_ID_REGEX, (f, t) => {
            f.zoneId = t;
            return true;
          });
        }
        break;
      case 'z':
        throw new Error(`time zone names ("z") cannot be parsed, in date pattern "${pattern}"; use Z (offset) or ZZZ (zone id)`);
      default:
        throw new Error(`pattern letter "${token.letter}" is not supported for parsing, in date pattern "${pattern}"`);
    }
  });
  source += '$';
  // Logstash decides these on the raw pattern text (quoted literals included).
  const hasYear = pattern.includes('y') || pattern.includes('Y');
  const hasZone = pattern.includes('Z');
  return new CompiledJodaParser(new RegExp(source), groups, handlers, hasYear, hasZone, now);
}

// ------------------------------------------------------------ ISO8601

/**
 * Logstash's `ISO8601`: Joda's ISODateTimeFormat.dateTimeParser (extended
 * format: calendar `yyyy-MM-dd`, week `yyyy-Www-e` or ordinal `yyyy-DDD` date,
 * optional `T` time `HH[:mm[:ss[.fraction]]]` and offset) plus the fallbacks
 * `yyyy-MM-dd HH:mm:ss.SSS[Z]` (also with `,`). Here the space form takes the
 * same optional parts as the `T` form, and the fraction 1 to 9 digits.
 */
const ISO_REGEX = new RegExp(
  '^([+-]?\\d{1,9})' +
    '(?:-(\\d{2})(?:-(\\d{2}))?|-[Ww](\\d{2})(?:-(\\d))?|-(\\d{3}))?' +
    '(?:[Tt ](\\d{2})(?::(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?)?' +
    '([Zz]|[+-]\\d{2}(?::?\\d{2})?)?)?$',
);

class Iso8601Parser implements DateParser {
  nanos = 0;
  private readonly fields = new Fields();

  parse(text: string, zone: TimeZone): number {
    const m = ISO_REGEX.exec(text);
    if (!m) return NaN;
    const f = this.fields;
    f.reset();
    f.year = Number(m[1]);
    if (m[2] !== undefined) {
      f.month = Number(m[2]);
      if (m[3] !== undefined) f.day = Number(m[3]);
    } else if (m[4] !== undefined) {
      f.weekyear = f.year;
      f.week = Number(m[4]);
      if (m[5] !== undefined) {
        f.dow = Number(m[5]);
        if (f.dow < 1 || f.dow > 7) return NaN;
      }
    } else if (m[6] !== undefined) {
      f.dayOfYear = Number(m[6]);
    }
    if (m[7] !== undefined) {
      f.hourOfDay = Number(m[7]);
      if (f.hourOfDay > 23) return NaN;
      if (m[8] !== undefined) f.minute = Number(m[8]);
      if (m[9] !== undefined) f.second = Number(m[9]);
      if (f.minute > 59 || f.second > 59) return NaN;
      if (m[10] !== undefined) fractionHandler(f, m[10]);
      if (m[11] !== undefined) {
        f.offset = parseOffset(m[11]);
        if (Number.isNaN(f.offset)) return NaN;
      }
    }
    const wall = wallOf(f);
    if (Number.isNaN(wall)) return NaN;
    const instant = instantOf(f, wall, zone);
    if (!Number.isNaN(instant)) this.nanos = f.nanos;
    return instant;
  }
}

export function compileIso8601Parser(): DateParser {
  return new Iso8601Parser();
}

/** One instance for one-shot callers: parse() is synchronous and nanos is read right after it. */
const sharedIso = new Iso8601Parser();

/**
 * ISO8601 text (the grammar above) as a Timestamp, or undefined when it does
 * not parse; a value without an offset is UTC. What the json filter uses for
 * a `@timestamp` in the document, and csv for its date conversions.
 */
export function parseIso8601(text: string): Timestamp | undefined {
  // What Beats and JSON.stringify write: no regular expression, no field walk.
  const canonical = canonicalUtcMs(text);
  if (canonical !== undefined) return new Timestamp(canonical);
  const ms = sharedIso.parse(text, UTC);
  return Number.isNaN(ms) ? undefined : new Timestamp(ms, sharedIso.nanos);
}

const DIGIT_0 = 0x30;

/**
 * `yyyy-MM-ddTHH:mm:ss.SSSZ` (Date#toISOString's form for years 0–9999) as epoch milliseconds;
 * undefined for any other text or an impossible date (left to the full parser, which refuses it
 * the same way).
 */
export function canonicalUtcMs(text: string): number | undefined {
  if (text.length !== 24 || text.charCodeAt(23) !== 0x5a /* Z */ || text.charCodeAt(10) !== 0x54 /* T */) return undefined;
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a || text.charCodeAt(19) !== 0x2e) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const millis = digits(text, 20, 3);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** The decimal number of `count` digits at `at`; -1 if any is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}
