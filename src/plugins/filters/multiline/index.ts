/**
 * multiline (filter): Logstash's deprecated logstash-filter-multiline 3.x, still found in real
 * configs. Joins consecutive events of one stream (`stream_identity`) whose `source` field
 * continues the one before (`what => previous`) or the one after (`what => next`), by the same
 * continuation rule as the multiline codec. Accepted with a warning: joining at the source (the
 * multiline codec, the file input's multiline settings) is the supported way, as in Logstash.
 *
 * An event waiting for its continuation lines is held in the worker's memory (cancelled in its
 * batch, handed on later): so `pipeline.workers: 1`, and a crash loses what was held, as in
 * Logstash. Held events older than `max_age` come out at the periodic flush, the rest at shutdown.
 */
import { ConfigError } from '../../../core/errors.js';
import { Event } from '../../../core/event.js';
import { compileTemplate } from '../../../core/sprintf.js';
import { GrokCompileError } from '../grok/index.js';
import { multilineRule, type MultilineRule } from '../../codecs/multiline.js';
import { defineFilter } from '../../api.js';

const MULTILINE_TAG = 'multiline';
/** Fields an appended event never changes (the first event's stand). */
const KEPT = new Set(['@timestamp', '@version']);

interface Held {
  event: Event;
  since: number;
}

export const multilineFilter = defineFilter({
  kind: 'filter',
  name: 'multiline',
  description: 'Deprecated (as in Logstash): joins consecutive events of a stream by a pattern. Prefer the multiline codec or the inputs\' multiline settings.',
  options: {
    pattern: { type: 'string', required: true, description: 'Regular expression (grok patterns allowed) the source field is matched against.' },
    what: { type: 'string', required: true, values: ['previous', 'next'], description: 'A matching event belongs to the previous event, or to the next.' },
    negate: { type: 'boolean', default: false, description: 'An event continues when it does NOT match pattern.' },
    source: { type: 'string', default: 'message', description: 'The field matched and joined (with newlines).' },
    stream_identity: { type: 'string', default: '%{host}.%{path}.%{type}', description: 'Which events belong together (one stream per value).' },
    patterns_dir: { type: 'string_list', default: [], description: 'Directories of grok pattern files for pattern.' },
    max_age: { type: 'number', default: 5, description: 'Seconds an event waits for continuation lines before it is handed on at a periodic flush.' },
    allow_duplicates: { type: 'boolean', default: true, description: 'When joining, keep repeated values of other fields (false: each value once).' },
  },
  periodicFlush: () => true,
  // Running a batch twice appends its lines to the held events twice.
  rerunSafe: false,
  create(options, ctx) {
    ctx.logger.warn('multiline filter: deprecated in Logstash and here; it needs pipeline.workers: 1. Join lines at the source instead (the multiline codec, or the file input\'s multiline settings)', { plugin: ctx.id });
    let rule: MultilineRule;
    try {
      rule = multilineRule({ pattern: options.pattern, negate: options.negate, what: options.what, patterns_dir: options.patterns_dir, max_lines: Number.MAX_SAFE_INTEGER }, ctx);
    } catch (err) {
      if (err instanceof GrokCompileError) throw new ConfigError(`multiline: ${err.message}`, ctx.location);
      throw err;
    }
    const source = options.source;
    if (source.includes('[')) {
      throw new ConfigError(`multiline: source must be a top-level field, got "${source}"`, ctx.location, 'copy the field to a top-level one with mutate first');
    }
    const streamOf = compileTemplate(options.stream_identity);
    const pending = new Map<string, Held>();
    const maxAgeMs = options.max_age * 1000;

    /** Adds `other`'s fields to `into` (arrays for differing values), as Logstash's Event#append. */
    const append = (into: Event, other: Event): void => {
      for (const [key, value] of Object.entries(other.data)) {
        if (KEPT.has(key)) continue;
        const mine = into.data[key];
        if (mine === undefined) into.data[key] = value;
        // Tags stay a set; the source's lines all count.
        else if (key === source) into.data[key] = [...asList(mine), ...asList(value)];
        else into.data[key] = mergeValues(mine, value, key !== 'tags' && options.allow_duplicates);
      }
    };
    /** The source field as one string (lines joined with newlines). */
    const collapse = (event: Event): void => {
      const value = event.data[source];
      if (Array.isArray(value)) event.data[source] = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');
    };
    const release = (held: Held): Event => {
      collapse(held.event);
      return held.event;
    };

    return {
      filter(event) {
        const raw = event.data[source];
        const text = Array.isArray(raw) ? raw[0] : raw;
        if (typeof text !== 'string') return false;
        const continues = rule.continues(text);
        const key = streamOf(event);
        const held = pending.get(key);
        if (continues) {
          event.tag(MULTILINE_TAG);
          if (held) append(held.event, event);
          else pending.set(key, { event: event.clone(), since: Date.now() });
          event.cancelled = true;
          return false;
        }
        if (rule.what === 'previous') {
          // This event starts a new one: the held one is done and takes this event's place
          // in the batch; this one waits for its own continuation lines.
          pending.set(key, { event: event.clone(), since: Date.now() });
          if (!held) {
            event.cancelled = true;
            return false;
          }
          const done = release(held);
          event.data = done.data;
          event.metadata = done.metadata;
          return true;
        }
        // what => next: this event ends the held one.
        if (held) {
          pending.delete(key);
          append(held.event, event);
          const done = release(held);
          event.data = done.data;
          event.metadata = done.metadata;
        }
        return true;
      },
      flush(emit, final) {
        const now = Date.now();
        for (const [key, held] of pending) {
          if (!final && now - held.since < maxAgeMs) continue;
          pending.delete(key);
          emit(release(held));
        }
      },
    };
  },
});

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** Logstash's merge of a field both events have: equal single values stay one value, else a list. */
function mergeValues(mine: unknown, theirs: unknown, duplicates: boolean): unknown {
  if (!Array.isArray(mine) && !Array.isArray(theirs) && JSON.stringify(mine) === JSON.stringify(theirs)) return mine;
  const list = [...asList(mine), ...asList(theirs)];
  if (duplicates) return list;
  const seen = new Set<string>();
  return list.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
