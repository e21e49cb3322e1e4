/**
 * Time zones without a tz database download: IANA names are resolved through
 * Intl (Node ships ICU with the zone data), fixed offsets (`+05:30`, `UTC`) are
 * handled directly. A zone answers two questions:
 *
 *  - offsetAt(instant): the UTC offset in effect at an instant;
 *  - instantOf(wallClock): the instant of a local wall-clock time, following
 *    Joda-Time (what Logstash uses): a wall time inside a DST gap does not
 *    exist (undefined: Joda throws "Illegal instant due to time zone offset
 *    transition"), a wall time inside an overlap resolves to the earlier
 *    instant (the offset in effect before the transition, i.e. summer time).
 *
 * Intl is slow (~µs per call), so offsets are cached per UTC day: when the
 * offset is the same at both ends of a day it is taken as constant over that
 * day (zones change offset at most a few times a year, never twice a day);
 * only transition days are computed exactly each time.
 */

export const DAY_MS = 86_400_000;

export interface TimeZone {
  readonly id: string;
  /** Offset in milliseconds to add to an instant to get local wall-clock time. */
  offsetAt(epochMs: number): number;
  /**
   * The instant of a wall-clock time given as milliseconds of a UTC calendar
   * (see {@link wallMs}); undefined when the time falls in a DST gap.
   */
  instantOf(wall: number): number | undefined;
}

// ------------------------------------------------------------ civil calendar

/** Days since 1970-01-01 of a proleptic Gregorian date (any year, no 1900 quirk). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number;
}

export function civilFromDays(days: number, out: CivilDate = { year: 0, month: 0, day: 0 }): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  out.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** Wall-clock fields as milliseconds of a UTC calendar (the form instantOf takes). */
export function wallMs(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** ISO day of week (1 = Monday .. 7 = Sunday) of a day count since the epoch. */
export function isoDayOfWeek(days: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

// ------------------------------------------------------------ zones

class FixedZone implements TimeZone {
  constructor(readonly id: string, private readonly offset: number) {}
  offsetAt(): number {
    return this.offset;
  }
  instantOf(wall: number): number {
    return wall - this.offset;
  }
}

class IanaZone implements TimeZone {
  private readonly format: Intl.DateTimeFormat;
  /** Offset per UTC day index; NaN marks a transition day (computed exactly). */
  private readonly byDay = new Map<number, number>();

  constructor(readonly id: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Exact offset from Intl, at second precision (zone offsets never have ms). */
  private exactOffset(epochMs: number): number {
    const seconds = Math.floor(epochMs / 1000) * 1000;
    let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, bc = false;
    for (const part of this.format.formatToParts(seconds)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        case 'era': bc = part.value.startsWith('B'); break;
        default: break;
      }
    }
    if (bc) year = 1 - year;
    return wallMs(year, month, day, hour, minute, second, 0) - seconds;
  }

  offsetAt(epochMs: number): number {
    const dayIndex = Math.floor(epochMs / DAY_MS);
    let cached = this.byDay.get(dayIndex);
    if (cached === undefined) {
      const start = this.exactOffset(dayIndex * DAY_MS);
      const end = this.exactOffset(dayIndex * DAY_MS + DAY_MS - 1000);
      cached = start === end ? start : NaN;
      if (this.byDay.size >= 4096) this.byDay.clear();
      this.byDay.set(dayIndex, cached);
    }
    return Number.isNaN(cached) ? this.exactOffset(epochMs) : cached;
  }

  instantOf(wall: number): number | undefined {
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    const a = wall - before;
    const aValid = this.offsetAt(a) === before;
    if (before === after) return aValid ? a : undefined;
    const b = wall - after;
    const bValid = this.offsetAt(b) === after;
    if (aValid && bValid) return Math.min(a, b); // overlap: the earlier instant, as Joda
    if (aValid) return a;
    if (bValid) return b;
    return undefined; // gap
  }
}

const UTC_ZONE = new FixedZone('UTC', 0);
const zones = new Map<string, TimeZone>();
const OFFSET_ID = /^([+-])(\d{2})(?::?(\d{2}))?$/;

/**
 * Resolves a zone id: an IANA name (`Europe/Paris`), `UTC`/`Z`, or a fixed
 * offset (`+05:30`, `-0800`, `+05`). Throws RangeError for an unknown id.
 */
export function resolveZone(id: string): TimeZone {
  let zone = zones.get(id);
  if (zone) return zone;
  const m = OFFSET_ID.exec(id);
  if (id === 'UTC' || id === 'Z' || id === 'Etc/UTC' || id === 'GMT') {
    zone = UTC_ZONE;
  } else if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3] ?? '0');
    if (hours > 23 || minutes > 59) throw new RangeError(`invalid time zone offset "${id}"`);
    const offset = (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
    zone = new FixedZone(id, offset);
  } else {
    try {
      zone = new IanaZone(id);
    } catch {
      throw new RangeError(`unknown time zone "${id}"`);
    }
  }
  if (zones.size < 1000) zones.set(id, zone);
  return zone;
}

/** Like resolveZone, but undefined instead of throwing. */
export function tryResolveZone(id: string): TimeZone | undefined {
  try {
    return resolveZone(id);
  } catch {
    return undefined;
  }
}

/** The process's zone (Logstash uses the JVM default zone when `timezone` is unset). */
export function systemZone(): TimeZone {
  const id = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return tryResolveZone(id ?? 'UTC') ?? UTC_ZONE;
}

export const UTC: TimeZone = UTC_ZONE;
