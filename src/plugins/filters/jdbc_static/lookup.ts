/**
 * One of jdbc_static's `local_lookups`, compiled: its query prepared on the local database, and
 * how each parameter takes its value from the event. As in Logstash, a parameter holding `%{…}`
 * is a sprintf template (missing when nothing in it could be filled), anything else a field
 * reference (missing when the field is absent or holds a hash or a list); a lookup with a missing
 * parameter does not run and counts as failed.
 */
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import type { Logger } from '../../../core/logger.js';
import { compileTemplate } from '../../../core/sprintf.js';
import { Timestamp } from '../../../core/timestamp.js';
import { checkNames, namedStatement } from '../../inputs/jdbc/statement.js';
import { localValue, type LocalDatabase, type LocalQuery, type LocalValue } from './local-db.js';
import type { LookupSettings } from './settings.js';

export type LookupOutcome =
  | { kind: 'rows'; rows: Record<string, unknown>[] }
  | { kind: 'failed'; message: string; fields: Record<string, unknown> };

export interface Lookup {
  id: string;
  target: FieldRef;
  defaultHash: Record<string, unknown> | undefined;
  tagOnFailure: string[];
  tagOnDefaultUse: string[];
  run(event: Event): LookupOutcome;
}

/** A parameter's value from the event, or undefined when it is missing. */
type Binder = { source: string; value(event: Event): LocalValue | undefined };

function binder(source: string, lookupId: string, where: SourceLocation | undefined): Binder {
  if (/%\{[^}]+\}/.test(source)) {
    const template = compileTemplate(source);
    return { source, value: (e) => { const text = template(e); return text === source ? undefined : text; } };
  }
  let ref: FieldRef;
  try {
    ref = fieldRef(source);
  } catch (err) {
    throw new ConfigError(`jdbc_static: lookup "${lookupId}": parameter "${source}" is not a field reference: ${(err as Error).message}`, where);
  }
  return {
    source,
    value: (e) => {
      const v = ref.get(e);
      if (v === undefined || v === null || (typeof v === 'object' && !(v instanceof Timestamp))) return undefined;
      return localValue(v);
    },
  };
}

export function compileLookup(settings: LookupSettings, local: LocalDatabase, logger: Logger, where: SourceLocation | undefined): Lookup {
  let sql = settings.query;
  let binders: Binder[] = [];
  if (settings.preparedParameters) {
    binders = settings.preparedParameters.map((p) => binder(p, settings.id, where));
  } else if (settings.parameters) {
    const statement = namedStatement(settings.query);
    try {
      checkNames(statement, new Set(Object.keys(settings.parameters)), `jdbc_static: lookup "${settings.id}"`);
    } catch (err) {
      throw new ConfigError((err as ConfigError).reason, where, 'add it to the lookup\'s parameters => { "name" => "[field]" }');
    }
    sql = statement.sql;
    binders = statement.names.map((name) => binder(settings.parameters![name]!, settings.id, where));
  }
  // A query the local database refuses (a table no db object made) fails every event, tagged, as
  // in Logstash; said once at start as well.
  let query: LocalQuery | undefined;
  let refused: string | undefined;
  try {
    query = local.prepare(sql);
  } catch (err) {
    refused = (err as Error).message;
    logger.error('jdbc_static: the local database refuses a lookup query; every event will be tagged', { lookup: settings.id, error: refused });
  }
  return {
    id: settings.id,
    target: fieldRef(settings.target),
    defaultHash: settings.defaultHash,
    tagOnFailure: settings.tagOnFailure,
    tagOnDefaultUse: settings.tagOnDefaultUse,
    run(event) {
      if (!query) return { kind: 'failed', message: 'jdbc_static: the lookup query is refused by the local database; the event is tagged', fields: { error: refused } };
      const values: LocalValue[] = [];
      const missing: string[] = [];
      for (const b of binders) {
        const v = b.value(event);
        if (v === undefined) missing.push(b.source);
        else values.push(v);
      }
      if (missing.length > 0) return { kind: 'failed', message: 'jdbc_static: a parameter field is not in the event; the event is tagged', fields: { invalid_parameters: missing } };
      try {
        return { kind: 'rows', rows: query.rows(values) };
      } catch (err) {
        return { kind: 'failed', message: 'jdbc_static: the lookup query failed; the event is tagged', fields: { error: (err as Error).message } };
      }
    },
  };
}
