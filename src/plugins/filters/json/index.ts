/**
 * json: parses a field holding JSON text. With `target` the parsed value goes
 * there; without, the parsed object's keys are set at the top level (each key
 * read as a field reference, as Logstash's `event.set(k, v)` does), and a parsed
 * `@timestamp` becomes the event's timestamp — or, when it cannot be parsed,
 * the event gets `_timestampparsefailure` and the raw value in `_@timestamp`.
 * Text nested deeper than MAX_JSON_DEPTH (1000) levels is refused like invalid JSON.
 */
import { TIMESTAMP_FAILURE_FIELD, TIMESTAMP_FAILURE_TAG, type Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import { jsonLengthMayExceed, MAX_JSON_DEPTH, nestingExceeds } from '../../../core/json-depth.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineFilter } from '../../api.js';
import { rubyToS } from '../mutate/convert.js';
import { parseIso8601 } from '../../../core/time/joda-parse.js';
import { rateLimitedWarn } from '../../../core/rate-limit.js';
import { parseJsonKeepingHugeNumbers } from '../../../core/json-huge-numbers.js';

export const jsonFilter = defineFilter({
  kind: 'filter',
  name: 'json',
  description: 'Parses JSON text in a field into event fields (at the top level or under target).',
  options: {
    source: { type: 'field_reference', required: true, description: 'Field holding the JSON text.' },
    target: { type: 'field_reference', description: 'Where to put the parsed value; default: merge into the event root (objects only).' },
    tag_on_failure: { type: 'string_list', default: ['_jsonparsefailure'], description: 'Tags added when the text is not valid JSON (or not an object without target).' },
    skip_on_invalid_json: { type: 'boolean', default: false, description: 'Do not log a warning for invalid JSON (the event is still tagged, as in Logstash).' },
  },
  create(options, ctx) {
    const sourceRef = fieldRef(options.source);
    const targetRef = options.target === undefined ? undefined : fieldRef(options.target);
    const tags = options.tag_on_failure;
    const quiet = options.skip_on_invalid_json;
    // Logstash warns per failing event; here one line per kind of failure per 10 s, with the count held back.
    const warn = rateLimitedWarn(ctx.logger);
    const fail = (event: Event): false => {
      for (const t of tags) event.tag(t);
      return false;
    };

    return {
      filter(event) {
        const source = sourceRef.get(event);
        // Ruby truthiness: a missing, null or false source is a silent no-op.
        if (source === undefined || source === null || source === false) return false;
        if (typeof source !== 'string') {
          if (!quiet) warn('type', 'json: source is not a string', { source: options.source });
          return fail(event);
        }
        let parsed: unknown;
        try {
          // Logstash's JSON loader returns nil for blank input.
          parsed = isBlank(source) ? null : parseJsonKeepingHugeNumbers(source, (literal) =>
            warn('huge', 'json: a number beyond the double range is kept as its text (a string)', { source: options.source, value: literal }));
        } catch (e) {
          if (!quiet) warn('parse', 'Error parsing json', { source: options.source, raw: source.slice(0, 1024), exception: (e as Error).message });
          return fail(event);
        }
        // Refused as Logstash's parser refuses it: deeper nesting would crash whatever walks the event next.
        if (jsonLengthMayExceed(source.length) && nestingExceeds(parsed, MAX_JSON_DEPTH)) {
          if (!quiet) warn('parse', 'Error parsing json', { source: options.source, exception: `nested deeper than ${MAX_JSON_DEPTH} levels` });
          return fail(event);
        }
        if (targetRef) {
          targetRef.set(event, parsed);
          return true;
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          warn('target', 'Parsed JSON object/hash requires a target configuration option', { source: options.source, raw: source.slice(0, 1024) });
          return fail(event);
        }
        try {
          const badTimestamp = mergeIntoRoot(event, parsed as Record<string, unknown>);
          if (badTimestamp !== undefined) {
            warn('timestamp', `Unrecognized @timestamp value, setting current time to @timestamp, original in ${TIMESTAMP_FAILURE_FIELD} field`, { value: badTimestamp });
          }
        } catch (e) {
          warn('exception', 'Exception caught in json filter', { source: options.source, exception: (e as Error).message });
          return fail(event);
        }
        return true;
      },
    };
  },
});

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/** Merges; returns the raw `@timestamp` when it could not be read (the event is then tagged). */
function mergeIntoRoot(event: Event, parsed: Record<string, unknown>): unknown {
  const data = event.data;
  let rawTs: unknown;
  let hasTs = false;
  for (const key of Object.keys(parsed)) {
    const value = parsed[key];
    if (key === '@timestamp') {
      rawTs = value;
      hasTs = true;
    } else if (key.includes('[') || key === '@metadata') {
      fieldRef(key).set(event, value); // a bracketed key is a field reference, as in Logstash
    } else if (key === '__proto__') {
      Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      data[key] = value;
    }
  }
  // Ruby truthiness: a null/false @timestamp is dropped and the event keeps its own.
  if (!hasTs || rawTs === null || rawTs === false) return undefined;
  const ts = typeof rawTs === 'string' ? parseIso8601(rawTs) : undefined;
  if (ts) {
    event.timestamp = ts;
  } else {
    event.timestamp = Timestamp.now();
    event.tag(TIMESTAMP_FAILURE_TAG);
    data[TIMESTAMP_FAILURE_FIELD] = typeof rawTs === 'string' ? rawTs : rubyToS(rawTs);
    return rawTs;
  }
  return undefined;
}
