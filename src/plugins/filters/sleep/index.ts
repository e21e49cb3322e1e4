/**
 * sleep: slows the pipeline down — sleeps `time` seconds every `every` events, or, in `replay`
 * mode, as long as the gap between consecutive events' `@timestamp`s (divided by `time`, a speed
 * factor) so old logs replay at their original pace. Mirrors logstash-filter-sleep 3.0.
 *
 * The worker awaits a timer instead of blocking its thread, and a batch's sleeps are taken
 * together before the batch goes on: the same throughput as sleeping per event, since the batch
 * leaves the filter as a whole either way.
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { compileTemplate } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';

export const sleepFilter = defineFilter({
  kind: 'filter',
  name: 'sleep',
  description: 'Sleeps for a time every N events, or replays events at the pace of their timestamps.',
  options: {
    time: { type: 'string', description: 'Seconds to sleep (may use %{field}); in replay mode, the speed factor (2 = twice as fast).' },
    every: { type: 'string', default: '1', description: 'Sleep once every this many events (may use %{field}).' },
    replay: { type: 'boolean', default: false, description: "Sleep as long as the gap between this event's @timestamp and the previous one's." },
  },
  create(options, ctx) {
    if (options.time === undefined && !options.replay) throw new ConfigError('sleep: set time (seconds to sleep) or replay => true', ctx.location);
    const time = compileTemplate(options.time ?? '1');
    const every = compileTemplate(options.every);
    const number = (text: string, what: string): number => {
      const n = Number(text);
      if (!Number.isFinite(n) || n < 0) throw new Error(`sleep: ${what} "${text}" is not a number of seconds >= 0`);
      return n;
    };
    let count = 0;
    let previousMs: number | undefined;
    /** Milliseconds this event makes the filter sleep. */
    const delayFor = (event: Event): number => {
      if (options.replay) {
        const speed = options.time === undefined ? 1 : number(time(event), 'time');
        const now = event.timestamp.epochMs;
        const gap = previousMs === undefined ? 0 : Math.max(0, now - previousMs);
        previousMs = now;
        return speed > 0 ? gap / speed : 0;
      }
      count++;
      const n = Math.max(1, Math.floor(number(every(event), 'every')));
      if (count % n !== 0) return 0;
      return number(time(event), 'time') * 1000;
    };
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    return {
      filter() {
        // The pipeline always calls filterBatch; a synchronous call has no way to wait.
        throw new Error('sleep: only runs on batches');
      },
      filterBatch(events, matched) {
        let total = 0;
        for (const e of events) {
          total += delayFor(e);
          matched(e);
        }
        return total > 0 ? sleep(total).then(() => events) : events;
      },
    };
  },
});
