/**
 * beats_decode_json_fields: Filebeat's decode_json_fields processor. Each listed field holding a
 * JSON object (an array too with process_array) is decoded; strings inside it that are JSON
 * themselves are decoded down to max_depth levels. Without `target` the decoded value replaces
 * the field; with target "" an object merges into the root (overwrite_keys decides conflicts).
 * A field that is not JSON is left as it is; add_error_key sets error.message then.
 */
import { expandDottedKeys } from '../../../core/dotted-keys.js';
import { ConfigError } from '../../../core/errors.js';
import { defineFilter } from '../../api.js';
import { deepUpdate, dottedRef, processorFilter, setErrorMessage, WHEN_OPTION } from '../../beats-processors.js';

export const beatsDecodeJsonFieldsFilter = defineFilter({
  kind: 'filter',
  name: 'beats_decode_json_fields',
  description: "Filebeat's decode_json_fields processor: decodes JSON held in string fields, in place, under `target`, or into the root.",
  options: {
    fields: { type: 'string_list', required: true, description: 'Fields holding JSON text.' },
    target: { type: 'string', description: 'Where the decoded value goes: unset replaces the field, "" merges an object into the root.' },
    overwrite_keys: { type: 'boolean', default: false, description: 'With target "": decoded keys replace existing fields.' },
    add_error_key: { type: 'boolean', default: false, description: 'On a decoding error, set error.message.' },
    expand_keys: { type: 'boolean', default: false, description: 'Keys with dots become nested objects ({"a.b": 1} → {a: {b: 1}}); a clash keeps the first value (with add_error_key: error.message).' },
    max_depth: { type: 'number', default: 1, description: 'Levels of JSON-in-JSON strings decoded (1: only the field itself).' },
    process_array: { type: 'boolean', default: false, description: 'Also decode JSON arrays (else only objects).' },
    document_id: { type: 'string', description: 'Decoded key whose value becomes @metadata._id (removed from the document).' },
    when: WHEN_OPTION,
  },
  create(options, ctx) {
    if (!(options.max_depth >= 1)) throw new ConfigError('beats_decode_json_fields: max_depth must be at least 1', ctx.location);
    const sources = options.fields.map(dottedRef);
    const target = options.target === undefined || options.target === '' ? undefined : dottedRef(options.target);
    const toRoot = options.target === '';
    const { overwrite_keys: overwrite, add_error_key: addErrorKey, max_depth: maxDepth, process_array: processArray } = options;
    const documentId = options.document_id;
    const decodable = (v: unknown): boolean => v !== null && typeof v === 'object' && (processArray || !Array.isArray(v));
    const decodeNested = (value: unknown, depth: number): unknown => {
      if (depth >= maxDepth || value === null || typeof value !== 'object') return value;
      const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
      for (const [k, v] of entries) {
        let decoded: unknown = v;
        if (typeof v === 'string') {
          try {
            const parsed: unknown = JSON.parse(v);
            if (decodable(parsed)) decoded = parsed;
          } catch {
            // not JSON: left as text, as Filebeat does
          }
        }
        (value as Record<string | number, unknown>)[k] = decodeNested(decoded, depth + 1);
      }
      return value;
    };
    return processorFilter(options.when, (event) => {
      for (const source of sources) {
        const text = source.get(event);
        if (typeof text !== 'string') continue;
        let decoded: unknown;
        try {
          decoded = JSON.parse(text);
        } catch (err) {
          if (addErrorKey) setErrorMessage(event, `decode_json_fields: cannot decode ${source.text}: ${(err as Error).message}`);
          continue;
        }
        if (!decodable(decoded)) continue;
        decoded = decodeNested(decoded, 1);
        if (options.expand_keys && !Array.isArray(decoded)) {
          const expanded = expandDottedKeys(decoded as Record<string, unknown>);
          decoded = expanded.value;
          if (expanded.conflicts.length > 0 && addErrorKey) setErrorMessage(event, `decode_json_fields: cannot expand ${expanded.conflicts.join(', ')} of ${source.text}: a value is already there`);
        }
        if (documentId && !Array.isArray(decoded)) {
          const obj = decoded as Record<string, unknown>;
          if (typeof obj[documentId] === 'string') {
            dottedRef('@metadata._id').set(event, obj[documentId]);
            delete obj[documentId];
          }
        }
        if (toRoot) {
          if (Array.isArray(decoded)) {
            if (addErrorKey) setErrorMessage(event, `decode_json_fields: cannot merge an array into the root (${source.text})`);
            continue;
          }
          deepUpdate(event.data, decoded as Record<string, unknown>, overwrite);
        } else {
          (target ?? source).set(event, decoded);
        }
      }
    });
  },
});
