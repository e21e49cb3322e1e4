/**
 * A frozen clock for `logpipe test`: every `Date.now()` and `new Date()` without arguments
 * returns the same instant, so `@timestamp` of events without a date filter, `%{+YYYY.MM.dd}`
 * sprintf and year-less dates (syslog) give the same result on every run.
 * Replacing the global `Date` reaches every caller (Timestamp.now, the date filter's current
 * year) without a clock parameter threaded through the product code.
 */
export function freezeClock(epochMs: number): () => void {
  const RealDate = globalThis.Date;
  class FrozenDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(epochMs);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return epochMs;
    }
  }
  globalThis.Date = FrozenDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
  };
}

/** `--now` accepts an ISO-8601 instant or epoch milliseconds. */
export function parseNow(text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`--now must be an ISO-8601 time (2024-05-01T12:00:00Z) or epoch milliseconds, got "${text}"`);
  return ms;
}
