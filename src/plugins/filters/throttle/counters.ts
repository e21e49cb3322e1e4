/**
 * The throttle filter's bookkeeping: per key, counters per time slot. A key's slots start at the
 * epoch second of its first event and are `period` seconds long; slots older than `maxAge` seconds
 * behind the key's newest slot are dropped, and whole keys not seen for `maxAge` seconds are
 * dropped at each sweep. When more than `maxCounters` counters remain after a sweep, the age limit
 * shrinks 5% of its configured value at a time (down to 5%), and grows back while the counters
 * stay below 80% of the limit — the memory control Logstash's throttle filter documents.
 */
interface KeySlots {
  created: number;
  latest: number;
  /** The newest slot start: older slots are dropped only when it moves. */
  newest: number;
  slots: Map<number, number>;
}

export class ThrottleCounters {
  private readonly keys = new Map<string, KeySlots>();
  private maxAge: number;

  constructor(private readonly configuredMaxAge: number, private readonly maxCounters: number) {
    this.maxAge = configuredMaxAge;
  }

  /** Counts one event of `key` at `epoch` (seconds) and returns the count of its slot. */
  count(key: string, epoch: number, period: number): number {
    let entry = this.keys.get(key);
    if (entry === undefined) {
      entry = { created: epoch, latest: epoch, newest: epoch, slots: new Map() };
      this.keys.set(key, entry);
    }
    if (epoch > entry.latest) entry.latest = epoch;
    const slot = epoch - mod(epoch - entry.created, period);
    const count = (entry.slots.get(slot) ?? 0) + 1;
    entry.slots.set(slot, count);
    if (slot > entry.newest) {
      entry.newest = slot;
      this.prune(entry);
    } else if (slot < entry.newest - this.maxAge) entry.slots.delete(slot); // an old event's slot is not kept
    return count;
  }

  /** Drops the slots more than maxAge behind the key's newest one. */
  private prune(entry: KeySlots): void {
    for (const s of entry.slots.keys()) if (s < entry.newest - this.maxAge) entry.slots.delete(s);
  }

  /** Drops keys not seen within maxAge of the newest one and adjusts maxAge to the counter budget. */
  sweep(): { counters: number; maxAge: number } {
    let newest = 0;
    for (const e of this.keys.values()) if (e.latest > newest) newest = e.latest;
    let counters = 0;
    for (const [key, e] of this.keys) {
      if (e.latest < newest - this.maxAge) this.keys.delete(key);
      else counters += e.slots.size;
    }
    if (this.maxCounters !== -1) {
      const step = this.configuredMaxAge * 0.05;
      if (counters > this.maxCounters && this.maxAge > this.configuredMaxAge * 0.05) {
        this.maxAge -= step;
        for (const e of this.keys.values()) this.prune(e);
      } else if (this.maxAge < this.configuredMaxAge && counters < this.maxCounters * 0.8) this.maxAge += step;
    }
    return { counters, maxAge: this.maxAge };
  }

  get size(): number {
    return this.keys.size;
  }
}

/** Modulo that stays non-negative for events older than the key's first one. */
const mod = (a: number, n: number): number => ((a % n) + n) % n;
