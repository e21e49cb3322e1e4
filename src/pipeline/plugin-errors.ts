/**
 * What happens when a plugin (or a conditional) throws on one event: the event is tagged and
 * flows on, the failure is counted in the plugin's figures, and it is logged with the plugin
 * id and its place in the config, at most one line per plugin per interval.
 */
import { formatLocation, type SourceLocation } from '../core/errors.js';
import type { Event } from '../core/event.js';
import type { Logger } from '../core/logger.js';
import type { FilterDefinition } from '../plugins/api.js';
import { LogRateLimiter } from '../core/rate-limit.js';

/** A filter threw (filter(), filterBatch() or a decoration) and has no failure tag of its own. */
export const FILTER_ERROR_TAG = '_filter_error';
/** A conditional's evaluation threw; it counted as false. */
export const CONDITION_ERROR_TAG = '_condition_error';
/** An input's decoder or codec threw on a payload or an event (shared with the line codecs). */
export { DECODE_ERROR_TAG } from '../plugins/codecs/text.js';

/** The tags a filter's exception puts on the event: the filter's own (FilterDefinition.exceptionTags) or _filter_error. */
export function filterErrorTags(definition: FilterDefinition, options: Record<string, unknown>): string[] {
  const own = definition.exceptionTags?.(options as never)?.filter((t) => typeof t === 'string' && t !== '');
  return own && own.length > 0 ? own : [FILTER_ERROR_TAG];
}

/** Where a failure is counted (the plugin's figures slot); conditionals have none. */
export type CountFailure = (events: number) => void;

export interface FaultReporterInit {
  /** Plugin id, or a description such as `conditional` for an `if`. */
  id: string;
  /** What failed, for the log line: "filter", "output encoder", ... */
  what: string;
  location?: SourceLocation | undefined;
  logger: Logger;
  limiter: LogRateLimiter;
  tags: readonly string[];
  count?: CountFailure | undefined;
}

export class FaultReporter {
  private readonly key: string;

  constructor(private readonly init: FaultReporterInit) {
    this.key = `${init.id}@${formatLocation(init.location)}`;
  }

  /** Tags `event` (when given), counts one failure and logs at a limited rate. Never throws. */
  fail(event: Event | undefined, err: unknown): void {
    if (event) tagSafely(event, this.init.tags);
    this.init.count?.(1);
    this.log(err, 1);
  }

  /** Counts `events` failures without tagging (rejected by an encoder), logging at a limited rate. */
  rejected(events: number, err: unknown): void {
    this.init.count?.(events);
    this.log(err, events);
  }

  private log(err: unknown, events: number): void {
    const suppressed = this.init.limiter.allow(this.key);
    if (suppressed === undefined) return;
    const fields: Record<string, unknown> = {
      plugin: this.init.id,
      at: formatLocation(this.init.location),
      error: errorText(err),
    };
    if (this.init.tags.length > 0) fields['tagged'] = this.init.tags.join(',');
    if (events > 1) fields['events'] = events;
    if (suppressed > 0) fields['suppressed'] = suppressed;
    try {
      this.init.logger.error(`${this.init.what} failed on an event; it goes on`, fields);
    } catch {
      /* a logger that throws must not turn one bad event into a lost batch */
    }
  }
}

/** `tags` may hold anything a filter put there; tagging must not throw again. */
function tagSafely(event: Event, tags: readonly string[]): void {
  try {
    for (const t of tags) event.tag(t);
  } catch {
    event.data['tags'] = [...tags];
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  try {
    return String(err);
  } catch {
    return 'unprintable error';
  }
}
