/**
 * beats_rename: Filebeat's rename processor. A target that exists or a missing source (unless
 * ignore_missing) is an error: with fail_on_error (the default) the event is restored as it was
 * before the processor and `error.message` says why; without it, the remaining renames go on.
 */
import { ConfigError } from '../../../core/errors.js';
import type { FieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';
import { dottedRef, processorFilter, setErrorMessage, WHEN_OPTION } from '../../beats-processors.js';

export const beatsRenameFilter = defineFilter({
  kind: 'filter',
  name: 'beats_rename',
  description: "Filebeat's rename processor: moves each `from` field to `to`; a target that exists is an error, as in Filebeat.",
  options: {
    fields: { type: 'array', required: true, description: 'List of {from, to} pairs, applied in order.' },
    ignore_missing: { type: 'boolean', default: false, description: 'A missing `from` field is not an error.' },
    fail_on_error: { type: 'boolean', default: true, description: 'On an error, restore the event and set error.message; else go on with the next pair.' },
    when: WHEN_OPTION,
  },
  create(options, ctx) {
    const pairs: { from: FieldRef; to: FieldRef }[] = options.fields.map((p, i) => {
      const pair = p as { from?: unknown; to?: unknown };
      if (pair === null || typeof pair !== 'object' || typeof pair.from !== 'string' || typeof pair.to !== 'string') {
        throw new ConfigError(`beats_rename: fields[${i}] must be {from: "a", to: "b"}`, ctx.location);
      }
      return { from: dottedRef(pair.from), to: dottedRef(pair.to) };
    });
    const { ignore_missing: ignoreMissing, fail_on_error: failOnError } = options;
    return processorFilter(options.when, (event) => {
      const backup = failOnError ? event.clone() : undefined;
      for (const { from, to } of pairs) {
        let problem: string | undefined;
        if (!from.has(event)) {
          if (ignoreMissing) continue;
          problem = `could not fetch value for key: ${from.text}`;
        } else if (to.has(event)) {
          problem = `target field ${to.text} already exists, drop or rename this field first`;
        }
        if (problem === undefined) {
          to.set(event, from.remove(event));
          continue;
        }
        const message = `Failed to rename fields in processor: ${problem}`;
        if (backup) {
          for (const key of Object.keys(event.data)) delete event.data[key];
          Object.assign(event.data, backup.data);
          event.metadata = backup.metadata;
          setErrorMessage(event, message);
          return;
        }
        ctx.logger.debug(message);
      }
    });
  },
});
