/** beats_include_fields: Filebeat's include_fields processor (keeps only the listed fields, plus `@timestamp` and `type`). */
import { Event } from '../../../core/event.js';
import { defineFilter } from '../../api.js';
import { dottedRef, processorFilter, WHEN_OPTION } from '../../beats-processors.js';

export const beatsIncludeFieldsFilter = defineFilter({
  kind: 'filter',
  name: 'beats_include_fields',
  description: "Filebeat's include_fields processor: keeps only the listed fields (and always `@timestamp` and `type`); `@metadata` is untouched.",
  options: {
    fields: { type: 'string_list', required: true, description: 'Dotted field names to keep.' },
    when: WHEN_OPTION,
  },
  create(options) {
    const refs = [...new Set([...options.fields, '@timestamp', 'type'])].map(dottedRef);
    return processorFilter(options.when, (event: Event) => {
      const kept = new Event({});
      for (const ref of refs) {
        const value = ref.get(event);
        if (value !== undefined) ref.set(kept, value);
      }
      for (const key of Object.keys(event.data)) delete event.data[key];
      Object.assign(event.data, kept.data);
    });
  },
});
