/**
 * beats_drop_fields: Filebeat's drop_fields processor (`@timestamp` and `type` are never dropped).
 * A name written between slashes (`/^kubernetes\\.labels\\./`) is a regular expression matched
 * against every leaf field's dotted name, as Filebeat matches it.
 */
import type { Event } from '../../../core/event.js';
import { compileBeatsRegex } from '../../../tailing/options.js';
import { defineFilter } from '../../api.js';
import { dottedRef, processorFilter, WHEN_OPTION } from '../../beats-processors.js';

const KEPT = new Set(['@timestamp', 'type']);

const isPattern = (f: string): boolean => f.length > 2 && f.startsWith('/') && f.endsWith('/');

export const beatsDropFieldsFilter = defineFilter({
  kind: 'filter',
  name: 'beats_drop_fields',
  description: "Filebeat's drop_fields processor: removes the listed fields (or those whose dotted name matches a /regexp/); `@timestamp` and `type` are kept as Filebeat keeps them.",
  options: {
    fields: { type: 'string_list', required: true, description: 'Dotted field names to remove, or /regular expressions/ on dotted names.' },
    ignore_missing: { type: 'boolean', default: false, description: 'Accepted as in Filebeat; a missing field is skipped either way (Filebeat only logs it).' },
    when: WHEN_OPTION,
  },
  create(options, ctx) {
    const refs = options.fields.filter((f) => !KEPT.has(f) && !isPattern(f)).map(dottedRef);
    const patterns = options.fields.filter(isPattern).map((f) => compileBeatsRegex(f.slice(1, -1)));
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
      if (patterns.length > 0) {
        for (const name of leafNames(event)) if (!KEPT.has(name) && patterns.some((p) => p.test(name))) dottedRef(name).remove(event);
      }
    });
  },
});

/** Every leaf field's dotted name (an object's keys are walked; arrays and values are leaves). */
function leafNames(event: Event): string[] {
  const out: string[] = [];
  const walk = (value: Record<string, unknown>, prefix: string): void => {
    for (const [key, v] of Object.entries(value)) {
      if (v !== null && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v as object).length > 0) walk(v as Record<string, unknown>, `${prefix}${key}.`);
      else out.push(prefix + key);
    }
  };
  walk(event.data, '');
  return out;
}
