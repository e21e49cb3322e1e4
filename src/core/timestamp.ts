/**
 * The type of `@timestamp`: an instant with millisecond precision (plus optional
 * sub-millisecond nanoseconds, kept for formats like TAI64N and ISO8601 with
 * micro/nanoseconds). Serialises as ISO-8601 UTC with milliseconds, as Logstash does.
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

  /** Parses an ISO-8601 string as found in JSON input (`2024-01-02T03:04:05.678Z`). */
  static parseIso(text: string): Timestamp | undefined {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return undefined;
    const frac = /\.(\d{4,9})/.exec(text);
    const nanos = frac ? Number(frac[1]!.slice(3).padEnd(6, '0')) : 0;
    return new Timestamp(ms, nanos);
  }

  get epochSeconds(): number {
    return Math.floor(this.epochMs / 1000);
  }

  toISOString(): string {
    return (this.iso ??= new Date(this.epochMs).toISOString());
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
