/**
 * elapsed: pairs a task's start event and end event (by tags and a shared id field) and records
 * the time between their `@timestamp`s — on the end event, or on a new "match" event. A start
 * whose end does not come within `timeout` seconds yields an "expired" event at a periodic flush.
 * Mirrors logstash-filter-elapsed 4.1 (field and tag names included).
 *
 * Start events wait in each worker's memory: with several pipeline workers a start and its end
 * must meet in the same worker, so use `pipeline.workers: 1` (Logstash shares them between workers).
 * A crash forgets the waiting starts, as in Logstash.
 */
import { hostname } from 'node:os';
import { Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import type { Timestamp } from '../../../core/timestamp.js';
import { valueToString } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';

const ELAPSED_TAG = 'elapsed';
const MATCH_TAG = 'elapsed_match';
const EXPIRED_TAG = 'elapsed_expired_error';
const END_WITHOUT_START_TAG = 'elapsed_end_without_start';

interface Waiting {
  id: unknown;
  timestamp: Timestamp;
  /** When the start was seen (clock), for the timeout. */
  seenAt: number;
}

const hasTag = (event: Event, tag: string): boolean => {
  const tags = event.data['tags'];
  return Array.isArray(tags) ? tags.includes(tag) : tags === tag;
};

export const elapsedFilter = defineFilter({
  kind: 'filter',
  name: 'elapsed',
  description: 'Measures the time between a start event and an end event of the same task.',
  options: {
    start_tag: { type: 'string', required: true, description: 'Tag of start events.' },
    end_tag: { type: 'string', required: true, description: 'Tag of end events.' },
    unique_id_field: { type: 'field_reference', required: true, description: 'Field holding the task id shared by its start and end events.' },
    timeout: { type: 'number', default: 1800, description: 'Seconds after which a start without an end expires (an expired event is made).' },
    new_event_on_match: { type: 'boolean', default: false, description: 'Make a new "match" event instead of adding the figures to the end event.' },
    keep_start_event: { type: 'string', default: 'first', values: ['first', 'last'], description: 'Which start to keep when a task id starts twice before it ends.' },
  },
  periodicFlush: () => true,
  create(options) {
    const idRef = fieldRef(options.unique_id_field);
    const waiting = new Map<string, Waiting>();
    const host = hostname();
    const timeoutMs = options.timeout * 1000;
    const keepLast = options.keep_start_event === 'last';
    const describe = (event: Event, id: unknown, seconds: number, start: Timestamp, tags: string[]): Event => {
      for (const t of tags) event.tag(t);
      event.set('elapsed_time', seconds);
      idRef.set(event, id);
      event.set('elapsed_timestamp_start', start);
      return event;
    };
    return {
      filter(event, emit) {
        const id = idRef.get(event);
        if (id === undefined || id === null) return false;
        const key = valueToString(id);
        if (hasTag(event, options.start_tag)) {
          if (keepLast || !waiting.has(key)) waiting.set(key, { id, timestamp: event.timestamp, seenAt: Date.now() });
          return true;
        }
        if (!hasTag(event, options.end_tag)) return false;
        const start = waiting.get(key);
        if (start === undefined) {
          event.tag(END_WITHOUT_START_TAG);
          return true;
        }
        waiting.delete(key);
        const end = event.timestamp;
        const seconds = (end.epochMs - start.timestamp.epochMs) / 1000 + (end.nanos - start.timestamp.nanos) / 1e9;
        if (options.new_event_on_match) emit(describe(new Event({ host }), id, seconds, start.timestamp, [ELAPSED_TAG, MATCH_TAG]));
        else describe(event, id, seconds, start.timestamp, [ELAPSED_TAG, MATCH_TAG]);
        return true;
      },
      flush(emit, final) {
        const now = Date.now();
        for (const [key, start] of waiting) {
          // At shutdown the starts still waiting are not expired: Logstash forgets them silently too.
          if (final || now - start.seenAt < timeoutMs) continue;
          waiting.delete(key);
          emit(describe(new Event({ host }), start.id, (now - start.seenAt) / 1000, start.timestamp, [ELAPSED_TAG, EXPIRED_TAG]));
        }
      },
    };
  },
});
