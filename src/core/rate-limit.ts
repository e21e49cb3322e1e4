/**
 * One log line per key per interval. A plugin failing on every event of a flood would
 * otherwise write a line per event and bury everything else (and cost more than the work);
 * the next line that gets through says how many were held back.
 */
export class LogRateLimiter {
  private readonly keys = new Map<string, { lastAt: number; suppressed: number }>();

  constructor(
    readonly intervalMs = 10_000,
    /** Injected in tests. */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether a line for `key` may be written now. Returns undefined when it must be held
   * back (it is counted), otherwise the number held back since the last line written.
   */
  allow(key: string): number | undefined {
    const t = this.now();
    const state = this.keys.get(key);
    if (state === undefined) {
      this.keys.set(key, { lastAt: t, suppressed: 0 });
      return 0;
    }
    if (t - state.lastAt < this.intervalMs) {
      state.suppressed++;
      return undefined;
    }
    const suppressed = state.suppressed;
    state.lastAt = t;
    state.suppressed = 0;
    return suppressed;
  }
}

/** What a rate-limited warning writes through (a plugin's logger). */
export interface WarnSink {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A warning that is written at most once per `key` per interval; the line that gets
 * through carries `suppressed`, the count held back since the previous one.
 */
export function rateLimitedWarn(logger: WarnSink, limiter: LogRateLimiter = new LogRateLimiter()): (key: string, message: string, fields: Record<string, unknown>) => void {
  return (key, message, fields) => {
    const suppressed = limiter.allow(key);
    if (suppressed === undefined) return;
    logger.warn(message, suppressed > 0 ? { ...fields, suppressed } : fields);
  };
}
