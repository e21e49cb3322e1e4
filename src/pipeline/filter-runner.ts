/**
 * Runs one filter over a batch and applies the common decorations on success,
 * in Logstash's order: add_field → remove_field → add_tag → remove_tag.
 * Decoration templates are compiled once here.
 */
import type { Event } from '../core/event.js';
import { fieldRef } from '../core/fieldref.js';
import { compileTemplate, type Template } from '../core/sprintf.js';
import type { Filter } from '../plugins/api.js';
import { FILTER_ERROR_TAG } from './plugin-errors.js';

export interface FilterDecorations {
  add_field?: Record<string, unknown> | undefined;
  remove_field?: string[] | undefined;
  add_tag?: string[] | undefined;
  remove_tag?: string[] | undefined;
}

type Decorate = (event: Event) => void;

export function compileDecorations(opts: FilterDecorations): Decorate | undefined {
  const steps: Decorate[] = [];
  for (const [key, raw] of Object.entries(opts.add_field ?? {})) {
    const keyT = compileTemplate(key);
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => compileTemplate(String(v)));
    steps.push((event) => {
      const ref = fieldRef(keyT(event));
      for (const valueT of values) {
        const value = valueT(event);
        const existing = ref.get(event);
        if (existing === undefined) ref.set(event, value);
        else if (Array.isArray(existing)) existing.push(value);
        else ref.set(event, [existing, value]);
      }
    });
  }
  for (const field of opts.remove_field ?? []) {
    const t = compileTemplate(field);
    steps.push((event) => void fieldRef(t(event)).remove(event));
  }
  for (const tag of opts.add_tag ?? []) {
    const t = compileTemplate(tag);
    steps.push((event) => event.tag(t(event)));
  }
  const removeTags: Template[] = (opts.remove_tag ?? []).map(compileTemplate);
  if (removeTags.length > 0) {
    steps.push((event) => {
      const tags = event.data['tags'];
      if (!Array.isArray(tags)) {
        if (typeof tags === 'string' && removeTags.some((t) => t(event) === tags)) delete event.data['tags'];
        return;
      }
      const drop = new Set(removeTags.map((t) => t(event)));
      event.data['tags'] = tags.filter((t) => !drop.has(t as string));
    });
  }
  if (steps.length === 0) return undefined;
  if (steps.length === 1) return steps[0];
  return (event) => {
    for (const step of steps) step(event);
  };
}

/** A filter bound to its decorations: batch in, batch out (cancelled events removed). */
export type BatchStep = (events: Event[]) => Event[] | Promise<Event[]>;

/** What the runner does with an event its filter (or a decoration) threw on, before passing it on. */
export type OnFault = (event: Event, err: unknown) => void;

const tagOnly: OnFault = (event) => event.tag(FILTER_ERROR_TAG);

/**
 * Runs a filter over batches. An exception on one event (the filter, or its decorations)
 * goes to `onFault` for that event, which then flows on; the rest of the batch goes on too.
 * The loops sit inside one try and resume after the failed event, so the common path costs
 * nothing more than before (no per-event closure or allocation).
 */
export function filterStep(filter: Filter, decorate: Decorate | undefined, onFault: OnFault = tagOnly): BatchStep {
  if (filter.filterBatch) return batchStep(filter.filterBatch.bind(filter), decorate, onFault);
  return (events) => {
    const out: Event[] = [];
    // Events a filter creates follow the event that created them, as in Logstash.
    let created: Event[] = [];
    const emit = (e: Event): void => void created.push(e);
    const n = events.length;
    let i = 0;
    while (i < n) {
      try {
        for (; i < n; i++) {
          const event = events[i]!;
          const ok = filter.filter(event, emit);
          if (!event.cancelled) {
            if (ok) decorate?.(event);
            if (!event.cancelled) out.push(event);
          }
          if (created.length > 0) created = release(created, decorate, onFault, out, event.origin);
        }
      } catch (err) {
        // Only the filter or the parent's decorations can throw here (release() catches its own).
        const event = events[i]!;
        onFault(event, err);
        if (!event.cancelled) out.push(event);
        if (created.length > 0) created = release(created, decorate, onFault, out, event.origin);
        i++;
      }
    }
    return out;
  };
}

/**
 * Decorates the events a filter created and passes on those still alive; returns a fresh list.
 * They come from the same input event as their creator (`origin`, for ordered conditionals).
 */
function release(created: Event[], decorate: Decorate | undefined, onFault: OnFault, out: Event[], origin: number): Event[] {
  for (const e of created) {
    e.origin = origin;
    try {
      decorate?.(e);
    } catch (err) {
      onFault(e, err);
    }
    if (!e.cancelled) out.push(e);
  }
  return [];
}

type FilterBatch = NonNullable<Filter['filterBatch']>;

/**
 * filterBatch: decorations apply once the call returned, so when it throws (or rejects)
 * nothing was decorated yet and the batch can run again one event at a time to find the
 * event that fails (re-running is harmless by the contract of rerunSafe filters).
 */
function batchStep(batchFilter: FilterBatch, decorate: Decorate | undefined, onFault: OnFault): BatchStep {
  return (events) => {
    const matched: Event[] = [];
    const onMatch = decorate ? (e: Event): void => void matched.push(e) : noop;
    let result: Event[] | Promise<Event[]>;
    try {
      result = batchFilter(events, onMatch);
      if (!(result instanceof Promise)) return settle(result, matched, decorate, onFault);
    } catch {
      return isolate(batchFilter, events, decorate, onFault);
    }
    return result.then((out) => settle(out, matched, decorate, onFault)).catch(() => isolate(batchFilter, events, decorate, onFault));
  };
}

const noop = (): void => {};

/** Decorates the matched events and drops the cancelled ones; throws (before decorating) when `out` is not a list. */
function settle(out: Event[], matched: Event[], decorate: Decorate | undefined, onFault: OnFault): Event[] {
  if (!Array.isArray(out)) throw new TypeError('filterBatch did not return an array of events');
  if (decorate) {
    const n = matched.length;
    let i = 0;
    while (i < n) {
      try {
        for (; i < n; i++) decorate(matched[i]!);
      } catch (err) {
        onFault(matched[i]!, err);
        i++;
      }
    }
  }
  return out.filter((e) => !e.cancelled);
}

/** Runs each event alone; one that still throws goes to onFault and passes on. Stays synchronous while the filter does. */
function isolate(batchFilter: FilterBatch, events: Event[], decorate: Decorate | undefined, onFault: OnFault): Event[] | Promise<Event[]> {
  const out: Event[] = [];
  const runFrom = (start: number): Event[] | Promise<Event[]> => {
    for (let i = start; i < events.length; i++) {
      const event = events[i]!;
      const matched: Event[] = [];
      let result: Event[] | Promise<Event[]>;
      try {
        result = batchFilter([event], (e) => void matched.push(e));
        if (!(result instanceof Promise)) {
          out.push(...settle(result, matched, decorate, onFault));
          continue;
        }
      } catch (err) {
        failed(event, err);
        continue;
      }
      return result
        .then((one) => void out.push(...settle(one, matched, decorate, onFault)))
        .catch((err: unknown) => failed(event, err))
        .then(() => runFrom(i + 1));
    }
    return out;
  };
  const failed = (event: Event, err: unknown): void => {
    onFault(event, err);
    if (!event.cancelled) out.push(event);
  };
  return runFrom(0);
}
