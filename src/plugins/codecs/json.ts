import { Event } from '../../core/event.js';
import { defineCodec } from '../api.js';
import { CHARSET_OPTION } from './text.js';

export const JSON_PARSE_FAILURE = '_jsonparsefailure';

/** Builds events from parsed JSON: an object is one event, an array one event per element. */
export function eventsFromJson(text: string, emit: (event: Event) => void, target?: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
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
      encode: (event) => JSON.stringify(event.data),
    };
  },
});
