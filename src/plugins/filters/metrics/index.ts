/**
 * metrics: counts events (meters) and aggregates numeric values (timers) by name, and every
 * `flush_interval` seconds hands on one event carrying the figures — `[name][count]`,
 * `[name][rate_1m]`…, and for timers `min`, `max`, `mean`, `stddev`, `p<N>` — with the host name in
 * `message`. Mirrors logstash-filter-metrics 4.0. Use `add_tag => "metric"` to route those events.
 *
 * The instruments live in each worker: with several pipeline workers each reports its own share
 * (as separate events); use `pipeline.workers: 1` for one set of figures.
 */
import { hostname } from 'node:os';
import { ConfigError } from '../../../core/errors.js';
import { Event } from '../../../core/event.js';
import { compileTemplate } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';
import { Meter, TICK_SECONDS, Timer } from './meters.js';

export const metricsFilter = defineFilter({
  kind: 'filter',
  name: 'metrics',
  description: 'Counts events and aggregates values by name, and periodically emits an event with the figures.',
  options: {
    meter: { type: 'string_list', default: [], description: 'Names to count events under (may use %{field}).' },
    timer: { type: 'hash', default: {}, description: 'Name → value (may use %{field}): the values are aggregated.' },
    flush_interval: { type: 'number', default: 5, description: 'Seconds between metric events (a multiple of 5).' },
    clear_interval: { type: 'number', default: -1, description: 'Seconds after which all instruments restart from zero (-1: never; a multiple of 5).' },
    rates: { type: 'array', default: [1, 5, 15], description: 'Rate windows in minutes (1, 5, 15).' },
    percentiles: { type: 'array', default: [1, 5, 10, 90, 95, 99, 100], description: 'Percentiles reported for timers.' },
    ignore_older_than: { type: 'number', default: 0, description: 'Skip events whose @timestamp is older than this many seconds (0: never).' },
  },
  periodicFlush: () => true,
  create(options, ctx) {
    const rates = (options.rates as unknown[]).map(Number);
    if (rates.some((r) => ![1, 5, 15].includes(r))) throw new ConfigError(`metrics: rates must be among 1, 5 and 15, got ${JSON.stringify(options.rates)}`, ctx.location);
    const percentiles = (options.percentiles as unknown[]).map(Number);
    if (percentiles.some((p) => !(p >= 0 && p <= 100))) throw new ConfigError('metrics: percentiles must be numbers from 0 to 100', ctx.location);
    for (const [name, value] of [['flush_interval', options.flush_interval], ['clear_interval', options.clear_interval]] as const) {
      if (value > 0 && value % TICK_SECONDS !== 0) throw new ConfigError(`metrics: ${name} must be a multiple of ${TICK_SECONDS} seconds, got ${value}`, ctx.location);
    }
    const meterNames = options.meter.map(compileTemplate);
    const timerSpecs = Object.entries(options.timer as Record<string, unknown>).map(([name, value]) => [compileTemplate(name), compileTemplate(String(value))] as const);
    let meters = new Map<string, Meter>();
    let timers = new Map<string, Timer>();
    const host = hostname();
    let sinceFlush = 0;
    let sinceClear = 0;
    return {
      filter(event) {
        if (options.ignore_older_than > 0 && Date.now() - event.timestamp.epochMs > options.ignore_older_than * 1000) return false;
        for (const name of meterNames) {
          const key = name(event);
          let m = meters.get(key);
          if (!m) meters.set(key, (m = new Meter(rates)));
          m.mark();
        }
        for (const [name, value] of timerSpecs) {
          const v = Number.parseFloat(value(event));
          if (Number.isNaN(v)) continue;
          const key = name(event);
          let t = timers.get(key);
          if (!t) timers.set(key, (t = new Timer(rates, percentiles)));
          t.record(v);
        }
        // The counted event itself is not decorated: Logstash decorates only the metric events.
        return false;
      },
      flush(emit, final) {
        if (!final) {
          for (const m of meters.values()) m.tick();
          for (const t of timers.values()) t.tick();
          sinceFlush += TICK_SECONDS;
          sinceClear += TICK_SECONDS;
        }
        if ((final || sinceFlush >= options.flush_interval) && (meters.size > 0 || timers.size > 0)) {
          sinceFlush = 0;
          const event = new Event({ message: host });
          for (const [name, m] of meters) {
            const figures: Record<string, number> = {};
            m.report(figures);
            event.set(`[${name}]`, figures);
          }
          for (const [name, t] of timers) {
            const figures: Record<string, number> = {};
            t.report(figures);
            event.set(`[${name}]`, figures);
          }
          emit(event);
        }
        if (options.clear_interval > 0 && sinceClear >= options.clear_interval) {
          sinceClear = 0;
          meters = new Map();
          timers = new Map();
        }
      },
    };
  },
});
