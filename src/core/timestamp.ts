/**
 * The type of `@timestamp`: an instant with millisecond precision (plus optional
 * sub-millisecond nanoseconds, kept for formats like TAI64N and ISO8601 with
 * micro/nanoseconds). Serialises as ISO-8601 UTC as Logstash 8 does: milliseconds at
 * least, and the sub-millisecond digits when there are any (6 digits for whole
 * microseconds, else 9), as Logstash's Timestamp#toString (ISO_INSTANT beyond millis).
 * Immutable, so events may share instances.
 */
export class Timestamp {
  private iso: string | undefined;

  constructor(
    /** Milliseconds since the Unix epoch. */
    readonly epochMs: number,
    /** Nanoseconds within the millisecond (0..999999), usually 0. */
    readonly nanos: number = 0,
  ) {}

  /**
   * The current time. Events made within the same millisecond share one
   * (immutable) instance, so its ISO form is computed once, not per event.
   */
  static now(): Timestamp {
    const ms = Date.now();
    if (ms !== lastNow.epochMs) lastNow = new Timestamp(ms);
    return lastNow;
  }

  get epochSeconds(): number {
    return Math.floor(this.epochMs / 1000);
  }

  toISOString(): string {
    return (this.iso ??= this.nanos === 0 ? formatIso(this.epochMs) : withSubMillis(formatIso(this.epochMs), this.nanos));
  }

  toJSON(): string {
    return this.toISOString();
  }

  toString(): string {
    return this.toISOString();
  }

  equals(other: Timestamp): boolean {
    return this.epochMs === other.epochMs && this.nanos === other.nanos;
  }
}

let lastNow = new Timestamp(0);

/** "…SS.mmmZ" + the nanoseconds within the millisecond: ".mmmuuu" or ".mmmuuunnn". */
function withSubMillis(millisIso: string, nanos: number): string {
  const digits = nanos % 1000 === 0 ? String(nanos / 1000).padStart(3, '0') : String(nanos).padStart(6, '0');
  return millisIso.slice(0, -1) + digits + 'Z';
}

/**
 * ISO-8601 with milliseconds. Log timestamps cluster within the same second,
 * so the "YYYY-MM-DDTHH:MM:SS" part is cached per second and only the
 * milliseconds are appended.
 */
let cachedSecond = NaN;
let cachedPrefix = '';

function formatIso(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const full = new Date(epochMs).toISOString();
    // Years outside 0..9999 have a longer, signed form: leave those to Date.
    if (full.length !== 24) return full;
    cachedSecond = second;
    cachedPrefix = full.slice(0, 20);
  }
  const ms = epochMs - second * 1000;
  return cachedPrefix + (ms < 10 ? '00' : ms < 100 ? '0' : '') + ms + 'Z';
}
