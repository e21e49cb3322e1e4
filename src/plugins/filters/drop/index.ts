/**
 * drop: cancels every event that reaches it (normally inside a conditional).
 * `percentage` drops only that share of events, chosen at random.
 */
import { defineFilter } from '../../api.js';

export const dropFilter = defineFilter({
  kind: 'filter',
  name: 'drop',
  description: 'Drops (cancels) events; with `percentage`, only that random share of them.',
  options: {
    percentage: { type: 'number', default: 100, description: 'Share of events to drop, 0-100 (random per event).' },
  },
  create(options, ctx) {
    const pct = options.percentage;
    // Logstash accepts any number: above 100 drops everything, 0 or below drops nothing.
    if (!(pct >= 0 && pct <= 100)) ctx.logger.warn(`drop: percentage ${pct} is outside 0-100`);
    const share = pct / 100;
    const all = pct === 100;
    return {
      // Logstash calls filter_matched whether or not the event was dropped; the
      // decorations of a cancelled event are invisible, and a kept one gets them.
      filter(event) {
        if (all || Math.random() < share) event.cancel();
        return true;
      },
    };
  },
});
