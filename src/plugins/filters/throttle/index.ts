/**
 * throttle: counts events per key within time slots (by the event's `@timestamp`) and "matches"
 * — so the common decorations apply, typically `add_tag => "throttled"` and a later `drop` — the
 * events counted below `before_count` or above `after_count`. Mirrors logstash-filter-throttle 4.0.
 *
 * The counters live in each worker: with more than one pipeline worker each counts the events it
 * filters, so set `pipeline.workers: 1` where counts must be exact (Logstash shares them).
 */
import { compileTemplate } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';
import { ThrottleCounters } from './counters.js';

const SWEEP_INTERVAL_MS = 5000;

export const throttleFilter = defineFilter({
  kind: 'filter',
  name: 'throttle',
  description: 'Matches events of a key counted below before_count or above after_count within a period.',
  options: {
    key: { type: 'string', required: true, description: 'What groups events (may use %{field}).' },
    before_count: { type: 'number', default: -1, description: 'Events counted below this are throttled (-1: no lower bound).' },
    after_count: { type: 'number', default: -1, description: 'Events counted above this are throttled (-1: no upper bound).' },
    period: { type: 'string', default: '60', description: 'Seconds per time slot, from the first event of a key (may use %{field}; unparsable → 60).' },
    max_age: { type: 'number', default: 3600, description: 'Seconds a time slot is kept behind the newest one of its key.' },
    max_counters: { type: 'number', default: 100000, description: 'Counters kept before max_age is shortened (-1: no limit).' },
    periodic_flush: { type: 'boolean', default: true, ignored: 'the counters are swept every 5 s while events arrive', description: 'Accepted for compatibility.' },
  },
  create(options, ctx) {
    const key = compileTemplate(options.key);
    const period = compileTemplate(options.period);
    const counters = new ThrottleCounters(options.max_age, options.max_counters);
    const { before_count: before, after_count: after } = options;
    let nextSweep = Date.now() + SWEEP_INTERVAL_MS;
    let lastMaxAge = options.max_age;
    return {
      filter(event) {
        const seconds = Math.trunc(Number.parseInt(period(event), 10)) || 60;
        const count = counters.count(key(event), Math.floor(event.timestamp.epochMs / 1000), seconds);
        if (Date.now() >= nextSweep) {
          nextSweep = Date.now() + SWEEP_INTERVAL_MS;
          const { counters: n, maxAge } = counters.sweep();
          if (maxAge !== lastMaxAge) {
            ctx.logger.warn(`throttle: time slot max_age is now ${maxAge} s (${n} counters, max_counters ${options.max_counters}); a key with fewer distinct values needs fewer counters`);
            lastMaxAge = maxAge;
          }
        }
        return (before !== -1 && count < before) || (after !== -1 && count > after);
      },
    };
  },
});
