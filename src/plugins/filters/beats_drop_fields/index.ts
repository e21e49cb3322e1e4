/** beats_drop_fields: Filebeat's drop_fields processor (`@timestamp` and `type` are never dropped). */
import { defineFilter } from '../../api.js';
import { dottedRef, processorFilter, WHEN_OPTION } from '../../beats-processors.js';

const KEPT = new Set(['@timestamp', 'type']);

export const beatsDropFieldsFilter = defineFilter({
  kind: 'filter',
  name: 'beats_drop_fields',
  description: "Filebeat's drop_fields processor: removes the listed fields; `@timestamp` and `type` are kept as Filebeat keeps them.",
  options: {
    fields: { type: 'string_list', required: true, description: 'Dotted field names to remove.' },
    ignore_missing: { type: 'boolean', default: false, description: 'Accepted as in Filebeat; a missing field is skipped either way (Filebeat only logs it).' },
    when: WHEN_OPTION,
  },
  create(options, ctx) {
    const refs = options.fields.filter((f) => !KEPT.has(f)).map(dottedRef);
    const ignoreMissing = options.ignore_missing;
    let reported = false;
    return processorFilter(options.when, (event) => {
      for (const ref of refs) {
        if (ref.has(event)) ref.remove(event);
        else if (!ignoreMissing && !reported) {
          // Filebeat logs this as an error for every event; once is enough to tell the user.
          reported = true;
          ctx.logger.warn(`drop_fields: field "${ref.text}" is missing (set ignore_missing: true to silence this; logged once)`);
        }
      }
    });
  },
});
