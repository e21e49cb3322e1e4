import { Event } from '../../core/event.js';
import { jsonLengthMayExceed, MAX_JSON_DEPTH, nestingExceeds, stringifyLimited } from '../../core/json-depth.js';
import { defineCodec } from '../api.js';
import { CHARSET_OPTION } from './text.js';

export const JSON_PARSE_FAILURE = '_jsonparsefailure';

/**
 * Builds events from parsed JSON: an object is one event, an array one event per element.
 * Text that is not JSON, or nests deeper than MAX_JSON_DEPTH (as Logstash's parser refuses),
 * becomes one event holding the text, tagged _jsonparsefailure.
 */
export function eventsFromJson(text: string, emit: (event: Event) => void, target?: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = FAILED;
  }
  if (parsed === FAILED || (jsonLengthMayExceed(text.length) && nestingExceeds(parsed, MAX_JSON_DEPTH))) {
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
      emit(new Event(item as Record<string, unknown>));
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
  create(options) {
    return {
      decode(text, emit) {
        if (text.trim().length > 0) eventsFromJson(text, emit, options.target);
      },
      // Throws NestingTooDeepError past MAX_JSON_DEPTH; the output's encoder reports the event as rejected.
      encode: (event) => stringifyLimited(event.data),
    };
  },
});
