/**
 * age: how old the event is — seconds (with a fraction) between its `@timestamp` and now — so a
 * later conditional can drop stale events. Mirrors logstash-filter-age 1.0.
 */
import { fieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';

export const ageFilter = defineFilter({
  kind: 'filter',
  name: 'age',
  description: "Sets the event's age in seconds (now minus @timestamp).",
  options: {
    target: { type: 'field_reference', default: '[@metadata][age]', description: 'Field that receives the age in seconds.' },
  },
  create(options) {
    const target = fieldRef(options.target);
    return {
      filter(event) {
        const ts = event.timestamp;
        target.set(event, (Date.now() - ts.epochMs) / 1000 - ts.nanos / 1e9);
        return true;
      },
    };
  },
});
