/** beats_drop_event: Filebeat's drop_event processor (drops the events its condition matches). */
import { defineFilter } from '../../api.js';
import { processorFilter, WHEN_OPTION } from '../../beats-processors.js';

export const beatsDropEventFilter = defineFilter({
  kind: 'filter',
  name: 'beats_drop_event',
  description: "Filebeat's drop_event processor: drops every event its `when` condition matches (every event without one).",
  options: {
    when: WHEN_OPTION,
  },
  create(options) {
    return processorFilter(options.when, (event) => event.cancel());
  },
});
