import { Event, TAGS, TAGS_FAILURE_FIELD, TAGS_FAILURE_TAG, TIMESTAMP, TIMESTAMP_FAILURE_FIELD } from '../../core/event.js';
import { jsonLengthMayExceed, MAX_JSON_DEPTH, nestingExceeds, stringifyLimited } from '../../core/json-depth.js';
import { defineCodec } from '../api.js';
import { charsetMember, CHARSET_OPTION } from './text.js';
import { LogRateLimiter, rateLimitedWarn } from '../../core/rate-limit.js';
import { parseJsonKeepingHugeNumbers } from '../../core/json-huge-numbers.js';
import type { PluginContext } from '../api.js';

export const JSON_PARSE_FAILURE = '_jsonparsefailure';

/**
 * What the JSON codecs report, as Logstash's do (a warning per event there;
 * here one line per kind per 10 s with the count held back).
 */
export interface JsonWarnings {
  parseFailure(text: string, reason: string): void;
  badTimestamp(value: unknown): void;
  badTags(value: unknown): void;
  hugeNumber(literal: string): void;
}

export function jsonWarnings(ctx: PluginContext): JsonWarnings {
  const warn = rateLimitedWarn(ctx.logger, new LogRateLimiter());
  return {
    parseFailure: (text, reason) => warn('parse', 'JSON parse error, original data now in message field', { codec: ctx.name, error: reason, data: text.slice(0, 1024) }),
    badTimestamp: (value) => warn('timestamp', `Unrecognized ${TIMESTAMP} value, setting current time to ${TIMESTAMP}, original in ${TIMESTAMP_FAILURE_FIELD} field`, { codec: ctx.name, value }),
    badTags: (value) => warn('tags', `"tags" is not a string or a list of strings: moved to ${TAGS_FAILURE_FIELD}, tagged ${TAGS_FAILURE_TAG}`, { codec: ctx.name, value }),
    hugeNumber: (literal) => warn('huge', 'a JSON number beyond the double range is kept as its text (a string)', { codec: ctx.name, value: literal.slice(0, 64) }),
  };
}

/**
 * Builds events from parsed JSON: an object is one event, an array one event per element.
 * Text that is not JSON, or nests deeper than MAX_JSON_DEPTH (as Logstash's parser refuses),
 * becomes one event holding the text, tagged _jsonparsefailure.
 */
export function eventsFromJson(text: string, emit: (event: Event) => void, target?: string, warnings?: JsonWarnings): void {
  let parsed: unknown;
  let reason = '';
  try {
    parsed = parseJsonKeepingHugeNumbers(text, warnings?.hugeNumber);
  } catch (err) {
    parsed = FAILED;
    reason = (err as Error).message;
  }
  if (parsed === FAILED || (jsonLengthMayExceed(text.length) && nestingExceeds(parsed, MAX_JSON_DEPTH))) {
    warnings?.parseFailure(text, parsed === FAILED ? reason : `nested deeper than ${MAX_JSON_DEPTH} levels`);
    const failed = new Event({ message: text });
    failed.tag(JSON_PARSE_FAILURE);
    emit(failed);
    return;
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  for (const item of items) {
    if (target !== undefined) {
      const e = new Event({});
      e.set(target, item);
      emit(e);
    } else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const fields = item as Record<string, unknown>;
      const rawTimestamp = fields[TIMESTAMP];
      const rawTags = fields[TAGS];
      const event = new Event(fields);
      if (warnings && event.data[TIMESTAMP_FAILURE_FIELD] !== undefined && event.data[TIMESTAMP_FAILURE_FIELD] === rawTimestamp) warnings.badTimestamp(rawTimestamp);
      if (warnings && rawTags !== undefined && event.data[TAGS_FAILURE_FIELD] === rawTags) warnings.badTags(rawTags);
      emit(event);
    } else {
      // A scalar is not an event: keep it as the message, tagged, as Logstash does.
      const failed = new Event({ message: text });
      failed.tag(JSON_PARSE_FAILURE);
      emit(failed);
      return;
    }
  }
}

const FAILED = Symbol('not JSON');

export const jsonCodec = defineCodec({
  kind: 'codec',
  name: 'json',
  description: 'A whole chunk is one JSON document (an array gives one event per element). Encodes events as JSON without a newline.',
  streamingEquivalent: 'json_lines',
  options: {
    charset: CHARSET_OPTION,
    target: { type: 'field_reference', description: 'Put the decoded document under this field instead of the top level.' },
  },
  create(options, ctx) {
    const warnings = jsonWarnings(ctx);
    return {
      decode(text, emit) {
        if (text.trim().length > 0) eventsFromJson(text, emit, options.target, warnings);
      },
      // Throws NestingTooDeepError past MAX_JSON_DEPTH; the output's encoder reports the event as rejected.
      encode: (event) => stringifyLimited(event.data),
      ...charsetMember(options.charset, ctx),
    };
  },
});
