/** beats_add_fields: Filebeat's add_fields processor (fields merged under `target`, "" = the root). */
import { ConfigError } from '../../../core/errors.js';
import { defineFilter } from '../../api.js';
import { deepUpdate, dottedRef, processorFilter, WHEN_OPTION } from '../../beats-processors.js';

export const beatsAddFieldsFilter = defineFilter({
  kind: 'filter',
  name: 'beats_add_fields',
  description: "Filebeat's add_fields processor: merges `fields` under `target` (default `fields`; empty string: the event root), overwriting existing values.",
  options: {
    fields: { type: 'hash', required: true, description: 'Fields to add; nested maps merge into existing maps.' },
    target: { type: 'string', default: 'fields', description: 'Field the values go under; "" puts them at the root, "@metadata" in the metadata.' },
    overwrite: { type: 'boolean', default: true, description: "logpipe's: false keeps values the event has (the agent adds the global fields this way, so an input's own fields win, as in Filebeat)." },
    when: WHEN_OPTION,
  },
  create(options, ctx) {
    const fields = options.fields;
    const overwrite = options.overwrite;
    if (Object.keys(fields).length === 0) throw new ConfigError('beats_add_fields: fields is empty', ctx.location);
    const toMetadata = options.target === '@metadata';
    const target = options.target === '' || toMetadata ? undefined : dottedRef(options.target);
    return processorFilter(options.when, (event) => {
      if (toMetadata) {
        deepUpdate((event.metadata ??= {}), fields, overwrite);
        return;
      }
      if (target === undefined) {
        deepUpdate(event.data, fields, overwrite);
        return;
      }
      const current = target.get(event);
      if (current !== null && typeof current === 'object' && !Array.isArray(current)) deepUpdate(current as Record<string, unknown>, fields, overwrite);
      else if (current !== undefined && !overwrite) return;
      else target.set(event, structuredClone(fields));
    });
  },
});
