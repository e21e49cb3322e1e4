/**
 * The metrics filter's instruments, as the Metriks/Dropwizard ones Logstash's filter reports:
 * a meter (count and exponentially weighted 1/5/15-minute rates, ticked every 5 s) and a timer
 * (a meter plus a sample of values for min/max/mean/stddev/percentiles). The sample is a uniform
 * reservoir of 1028 values (Vitter's algorithm R) — Metriks keeps an exponentially decaying one
 * of the same size; both give every value's percentile on short runs and a sample on long ones.
 */
export const TICK_SECONDS = 5;

/** Exponentially weighted moving average of a rate per second, ticked every TICK_SECONDS. */
class Ewma {
  private readonly alpha: number;
  private rate = 0;
  private started = false;

  constructor(minutes: number) {
    this.alpha = 1 - Math.exp(-TICK_SECONDS / 60 / minutes);
  }

  tick(count: number): void {
    const instant = count / TICK_SECONDS;
    if (this.started) this.rate += this.alpha * (instant - this.rate);
    else {
      this.rate = instant;
      this.started = true;
    }
  }

  get perSecond(): number {
    return this.rate;
  }
}

export class Meter {
  count = 0;
  private uncounted = 0;
  private readonly rates: Map<number, Ewma>;

  constructor(minutes: readonly number[]) {
    this.rates = new Map(minutes.map((m) => [m, new Ewma(m)]));
  }

  mark(n = 1): void {
    this.count += n;
    this.uncounted += n;
  }

  tick(): void {
    const n = this.uncounted;
    this.uncounted = 0;
    for (const r of this.rates.values()) r.tick(n);
  }

  report(into: Record<string, number>): void {
    into['count'] = this.count;
    for (const [m, r] of this.rates) into[`rate_${m}m`] = r.perSecond;
  }
}

const RESERVOIR = 1028;

export class Timer extends Meter {
  private readonly sample: number[] = [];
  private seen = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private sumSquares = 0;

  constructor(minutes: readonly number[], private readonly percentiles: readonly number[], private readonly random: () => number = Math.random) {
    super(minutes);
  }

  record(value: number): void {
    this.mark();
    this.seen++;
    if (this.sample.length < RESERVOIR) this.sample.push(value);
    else {
      const slot = Math.floor(this.random() * this.seen);
      if (slot < RESERVOIR) this.sample[slot] = value;
    }
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.sum += value;
    this.sumSquares += value * value;
  }

  override report(into: Record<string, number>): void {
    super.report(into);
    const n = this.seen;
    into['min'] = n > 0 ? this.min : 0;
    into['max'] = n > 0 ? this.max : 0;
    const mean = n > 0 ? this.sum / n : 0;
    into['mean'] = mean;
    into['stddev'] = n > 1 ? Math.sqrt(Math.max(0, (this.sumSquares - n * mean * mean) / (n - 1))) : 0;
    const sorted = [...this.sample].sort((a, b) => a - b);
    for (const p of this.percentiles) into[`p${p}`] = quantile(sorted, p / 100);
  }
}

/** The Dropwizard snapshot quantile: linear between the two values around q·(n+1). */
export function quantile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = q * (n + 1);
  if (pos < 1) return sorted[0]!;
  if (pos >= n) return sorted[n - 1]!;
  const lower = sorted[Math.floor(pos) - 1]!;
  const upper = sorted[Math.floor(pos)]!;
  return lower + (pos - Math.floor(pos)) * (upper - lower);
}
