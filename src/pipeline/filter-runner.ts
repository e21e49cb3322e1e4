/**
 * Runs one filter over a batch and applies the common decorations on success,
 * in Logstash's order: add_field → remove_field → add_tag → remove_tag.
 * Decoration templates are compiled once here.
 */
import type { Event } from '../core/event.js';
import { fieldRef } from '../core/fieldref.js';
import { compileTemplate, type Template } from '../core/sprintf.js';
import type { Filter } from '../plugins/api.js';

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

export function filterStep(filter: Filter, decorate: Decorate | undefined): BatchStep {
  if (filter.filterBatch) {
    const batchFilter = filter.filterBatch.bind(filter);
    const matched = decorate ?? (() => {});
    const live = (events: Event[]): Event[] => events.filter((e) => !e.cancelled);
    return (events) => {
      const out = batchFilter(events, matched);
      return out instanceof Promise ? out.then(live) : live(out);
    };
  }
  return (events) => {
    const out: Event[] = [];
    // Events a filter creates follow the event that created them, as in Logstash.
    let created: Event[] = [];
    const emit = (e: Event): void => void created.push(e);
    for (const event of events) {
      const ok = filter.filter(event, emit);
      if (!event.cancelled) {
        if (ok) decorate?.(event);
        if (!event.cancelled) out.push(event);
      }
      if (created.length > 0) {
        for (const e of created) {
          decorate?.(e);
          if (!e.cancelled) out.push(e);
        }
        created = [];
      }
    }
    return out;
  };
}
