/**
 * urldecode: decodes `%XX` escapes in one field, or in every top-level field
 * (`all_fields`). Strings are decoded, arrays and hashes recursively, other
 * values are left alone. Mirrors logstash-filter-urldecode 3.0.6.
 */
import { ConfigError } from '../../../core/errors.js';
import { fieldRef } from '../../../core/fieldref.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineFilter } from '../../api.js';
import { fileEncoding } from '../../../tailing/encoding.js';
import { urlDecode, type BytesToText } from './decode.js';

/** Decodes strings, recursing into arrays and hashes; returns the same object when nothing changed. */
export function decodeValue(value: unknown, toText?: BytesToText): unknown {
  if (typeof value === 'string') return urlDecode(value, toText);
  if (value === null || typeof value !== 'object' || value instanceof Timestamp) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeValue(value[i], toText);
    return value;
  }
  const hash = value as Record<string, unknown>;
  for (const key in hash) hash[key] = decodeValue(hash[key], toText);
  return hash;
}

const UTF8_NAMES = new Set(['UTF8', 'CP65001']);

export const urldecodeFilter = defineFilter({
  kind: 'filter',
  name: 'urldecode',
  description: 'Decodes URL-encoded (%XX) text in a field or in all fields.',
  options: {
    field: { type: 'field_reference', default: 'message', description: 'The field to decode.' },
    all_fields: { type: 'boolean', default: false, description: 'Decode every top-level field (strings, and strings inside arrays and hashes) instead of `field`.' },
    charset: { type: 'string', default: 'UTF-8', description: 'Character set of the decoded bytes (UTF-8, ISO-8859-1, Windows-1252, Shift_JIS, GBK, …: every charset iconv-lite knows).' },
    tag_on_failure: { type: 'string_list', default: ['_urldecodefailure'], description: 'Tags added when decoding fails unexpectedly.' },
  },
  exceptionTags: (options) => options.tag_on_failure,
  create(options, ctx) {
    let toText: BytesToText | undefined;
    if (!UTF8_NAMES.has(options.charset.toUpperCase().replace(/[-_]/g, ''))) {
      try {
        const encoding = fileEncoding(options.charset);
        toText = (bytes) => encoding.decode(bytes, 0, bytes.length);
      } catch {
        throw new ConfigError(`urldecode: unknown charset "${options.charset}"`, ctx.location, 'use a charset name such as UTF-8, ISO-8859-1, Windows-1252, Shift_JIS or GBK');
      }
    }
    const ref = fieldRef(options.field);
    const allFields = options.all_fields;
    const failureTags = options.tag_on_failure;
    const logger = ctx.logger;
    return {
      filter(event) {
        try {
          if (allFields) {
            const data = event.data;
            for (const key in data) data[key] = decodeValue(data[key], toText);
          } else {
            const value = ref.get(event);
            // Logstash would create the field with a nil value; we leave it absent.
            if (value !== undefined) {
              const decoded = decodeValue(value, toText);
              if (decoded !== value) ref.set(event, decoded);
            }
          }
        } catch (e) {
          logger.warn('urldecode failed', { error: e as Error });
          for (const tag of failureTags) event.tag(tag);
        }
        // Logstash decorates the event even after a failure.
        return true;
      },
    };
  },
});
