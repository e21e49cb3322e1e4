/**
 * What the elasticsearch filter copies from a search response into the event, as Logstash's
 * filter does: `fields` from each hit's `_source`, `docinfo_fields` from the hit itself (`_id`,
 * `_index`, …), `aggregation_fields` from the aggregations; one hit gives the value itself,
 * several give a list of values (a hit without the field contributes null). Names in `[a][b]`
 * form walk into objects; a plain name is one key, dots included.
 */
import type { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';

export interface SearchResponse {
  hits?: { total?: number | { value?: number }; hits?: Array<Record<string, unknown> & { _source?: Record<string, unknown> }> };
  aggregations?: Record<string, unknown>;
  _shards?: { failures?: unknown[] };
}

/** One copy: where to read in a hit (path) and which event field receives it. */
interface Copy {
  path: string[];
  to: FieldRef;
}

export interface ResultCopier {
  /** Copies into the event; whether anything matched (hits or aggregations), which decides the decorations. */
  apply(event: Event, response: SearchResponse): boolean;
}

function pathOf(name: string): string[] {
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1).split('][') : [name];
}

function valueAt(source: unknown, path: string[]): unknown {
  let at = source;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !(key in at)) return null;
    at = (at as Record<string, unknown>)[key];
  }
  return at ?? null;
}

export function resultCopier(settings: {
  fields: Record<string, unknown>;
  docinfoFields: Record<string, unknown>;
  aggregationFields: Record<string, unknown>;
  /** Field the copies go under; undefined: the event's top level. */
  target: string | undefined;
}): ResultCopier {
  const destination = (name: string): FieldRef => fieldRef(settings.target === undefined ? name : `[${settings.target.replace(/^\[(.*)\]$/, '$1')}]${name.startsWith('[') ? name : `[${name}]`}`);
  const copies = (pairs: Record<string, unknown>): Copy[] => Object.entries(pairs).map(([from, to]) => ({ path: pathOf(from), to: destination(String(to)) }));
  const fields = copies(settings.fields);
  const docinfo = copies(settings.docinfoFields);
  const aggregations = Object.entries(settings.aggregationFields).map(([name, to]) => ({ name, to: destination(String(to)) }));
  const totalHits = fieldRef('[@metadata][total_hits]');
  return {
    apply(event, response) {
      const total = response.hits?.total;
      totalHits.set(event, typeof total === 'object' && total !== null ? total.value ?? null : total ?? null);
      let matched = false;
      const hits = response.hits?.hits ?? [];
      if (hits.length > 0) {
        matched = true;
        const copy = (list: Copy[], from: (hit: (typeof hits)[number]) => unknown): void => {
          for (const c of list) {
            const values = hits.map((hit) => valueAt(from(hit), c.path));
            c.to.set(event, values.length > 1 ? values : values[0]);
          }
        };
        copy(fields, (hit) => hit._source);
        copy(docinfo, (hit) => hit);
      }
      const found = response.aggregations;
      if (found && Object.keys(found).length > 0) {
        matched = true;
        for (const a of aggregations) a.to.set(event, found[a.name] ?? null);
      }
      return matched;
    },
  };
}
