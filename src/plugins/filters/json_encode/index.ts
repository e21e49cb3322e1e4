/**
 * json_encode: serialises a field's value to a JSON string, into `target` or in place.
 * Mirrors logstash-filter-json_encode 3.0: a missing field becomes the text "null".
 */
import { fieldRef } from '../../../core/fieldref.js';
import { NestingTooDeepError, stringifyLimited } from '../../../core/json-depth.js';
import { defineFilter } from '../../api.js';

export const jsonEncodeFilter = defineFilter({
  kind: 'filter',
  name: 'json_encode',
  description: 'Serialises a field to a JSON string.',
  options: {
    source: { type: 'field_reference', required: true, description: 'The field to serialise.' },
    target: { type: 'field_reference', description: 'Where the JSON text goes; default: replaces the source field.' },
    tag_on_failure: { type: 'string_list', default: ['_jsonencodefailure'], description: 'Tags added when the value cannot be serialised (nested deeper than 1000 levels). logpipe extension.' },
  },
  create(options) {
    const source = fieldRef(options.source);
    const target = fieldRef(options.target ?? options.source);
    const failureTags = options.tag_on_failure;
    return {
      filter(event) {
        let text: string;
        try {
          text = stringifyLimited(source.get(event) ?? null);
        } catch (err) {
          if (!(err instanceof NestingTooDeepError)) throw err;
          for (const t of failureTags) event.tag(t);
          return false;
        }
        target.set(event, text);
        return true;
      },
    };
  },
});
