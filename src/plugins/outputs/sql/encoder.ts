/**
 * The worker half of the sql/jdbc outputs: each event becomes a row — the statement's SQL text
 * (rendered per event when it holds sprintf, as with `unsafe_statement` or a per-day `table`)
 * and the values of its parameters — and rows are grouped by SQL text, so the sink on the main
 * thread only executes. What crosses threads is plain strings, numbers, booleans and nulls.
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import { diagnosticJson } from '../../../core/json-depth.js';
import { compileTemplate, hasInterpolation } from '../../../core/sprintf.js';
import { Timestamp } from '../../../core/timestamp.js';
import type { OutputEncoder, OutputPayload } from '../../api.js';
import { encodeEach } from '../encoding.js';
import type { SqlDialect } from './dialects.js';
import type { OnConflict } from './dialects.js';
import { placeholderOffsets } from './statement.js';

/** A bound value: what every driver takes and structured clone carries cheaply. */
export type SqlValue = string | number | boolean | null;

/**
 * Rows sharing one SQL text, with their positions in the payload (encode order). The values of
 * all rows are one flat array (`width` per row): one array to clone across threads instead of
 * one per row, and a multi-row INSERT binds a slice of it as it is.
 */
export interface SqlGroup {
  sql: string;
  /** The table the SQL writes to, when the output generated it from `table` (for create_table). */
  table?: string;
  indexes: number[];
  /** Parameters per row. */
  width: number;
  values: SqlValue[];
  /** Each row's event as JSON, only when a failure table wants the original events. */
  events?: string[];
}

/** What the encoder hands the sink. */
export type SqlBatch = SqlGroup[];

/** Where an event's row goes: the SQL text, and the table when the output generated the SQL. */
export interface RowTarget {
  sql: string;
  table?: string;
}

/** How an event becomes a row: its SQL text and each parameter's value. */
export interface RowPlan {
  target: (event: Event) => RowTarget;
  params: Array<(event: Event) => SqlValue>;
}

/**
 * `statement => [sql, param…]` as logstash-output-jdbc reads it: a string parameter is a field
 * reference (an absent field binds NULL), or, when it holds `%{…}`, a sprintf template; any
 * other value is bound as it is. With `unsafe`, the SQL itself is a sprintf template rendered
 * per event (per-day table names): event data then becomes SQL text, hence the name.
 */
export function statementPlan(statement: readonly unknown[], unsafe: boolean): RowPlan {
  const [sql, ...params] = statement;
  if (typeof sql !== 'string' || sql.trim() === '') {
    throw new ConfigError('statement must start with the SQL text', undefined, 'e.g. statement => ["INSERT INTO t (a, b) VALUES (?, ?)", "a", "b"]');
  }
  const expected = placeholderOffsets(sql).length;
  if (expected !== params.length) {
    throw new ConfigError(`statement has ${expected} placeholder(s) but ${params.length} parameter(s)`, undefined,
      'list one field (or %{…} template) after the SQL for each "?"');
  }
  const fixed: RowTarget = { sql };
  if (!unsafe) return { target: () => fixed, params: params.map(paramGetter) };
  const template = compileTemplate(sql);
  return { target: (event) => ({ sql: template(event) }), params: params.map(paramGetter) };
}

function paramGetter(param: unknown): (event: Event) => SqlValue {
  if (typeof param !== 'string') {
    const value = toSqlValue(param);
    return () => value;
  }
  if (hasInterpolation(param)) {
    const template = compileTemplate(param);
    return (event) => template(event);
  }
  let ref;
  try {
    ref = fieldRef(param);
  } catch (err) {
    throw new ConfigError(`statement parameter "${param}" is not a field reference: ${(err as Error).message}`);
  }
  return (event) => toSqlValue(event.get(ref));
}

/** Identifiers event data may choose (a per-day table): letters, digits, _, $ and a schema dot. */
const SAFE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/**
 * The `sql` output's generated INSERT: `columns` maps each column to a field reference or a
 * sprintf template. A `table` with `%{…}` is rendered per event and must come out as a plain
 * identifier, or the event is refused: event data picks a table, never writes SQL.
 */
export function tablePlan(dialect: SqlDialect, table: string, columns: Record<string, unknown>, onConflict: OnConflict, conflictColumns: string[]): RowPlan {
  const names = Object.keys(columns);
  if (names.length === 0) throw new ConfigError('columns must name at least one column', undefined, 'e.g. columns => { "ip" => "[client][ip]" "ts" => "@timestamp" }');
  if (onConflict === 'update' && conflictColumns.length === 0 && dialect.name !== 'mysql') {
    throw new ConfigError('on_conflict => "update" needs conflict_columns (the unique key) on PostgreSQL and SQLite');
  }
  for (const c of conflictColumns) if (!names.includes(c)) throw new ConfigError(`conflict_columns names "${c}", which is not in columns`);
  const params = names.map((name) => paramGetter(columns[name]));
  if (!hasInterpolation(table)) {
    if (!SAFE_IDENTIFIER.test(table)) throw new ConfigError(`table "${table}" is not a plain identifier`, undefined, 'use letters, digits and _ (schema.table allowed)');
    const fixed: RowTarget = { sql: dialect.insert(table, names, onConflict, conflictColumns), table };
    return { target: () => fixed, params };
  }
  const template = compileTemplate(table);
  const cache = new Map<string, RowTarget>();
  return {
    params,
    target(event) {
      const rendered = template(event);
      let target = cache.get(rendered);
      if (target === undefined) {
        if (!SAFE_IDENTIFIER.test(rendered)) throw new Error(`table name "${rendered}" rendered from "${table}" is not a plain identifier`);
        target = { sql: dialect.insert(rendered, names, onConflict, conflictColumns), table: rendered };
        if (cache.size > 1000) cache.clear();
        cache.set(rendered, target);
      }
      return target;
    },
  };
}

/**
 * A field value as logstash-output-jdbc binds it: @timestamp (and any Timestamp) as
 * "YYYY-MM-DD HH:MM:SS.mmm" in UTC, numbers and booleans as they are, hashes and arrays as JSON,
 * absent or null as NULL.
 */
export function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
  }
  if (value instanceof Timestamp) return formatTimestamp(value.epochMs);
  if (value instanceof Date) return formatTimestamp(value.getTime());
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error(`cannot bind a value of type ${typeof value}`);
  return json;
}

function formatTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2026-01-02T03:04:05.678Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/**
 * With `withEvents` each row also carries its event as JSON (a failure table keeps the original
 * event): a second serialisation per event, paid only by outputs that asked for it.
 */
export function createSqlEncoder(plan: RowPlan, withEvents = false): OutputEncoder {
  const { params } = plan;
  const width = params.length;
  const row = new Array<SqlValue>(width);
  return {
    encode(events: Event[]): OutputPayload | undefined {
      const groups = new Map<string, SqlGroup>();
      // Positions count the rows handed to the sink (encode order); an event whose SQL or values
      // cannot be made is left out by encodeEach and reported as rejected instead.
      let written = 0;
      const rejected = encodeEach(events, (event) => {
        const target = plan.target(event);
        // Every value first: an event that throws half-way must add nothing to its group.
        for (let k = 0; k < width; k++) row[k] = params[k]!(event);
        const json = withEvents ? diagnosticJson(event.data) : undefined;
        let group = groups.get(target.sql);
        if (!group) {
          group = { sql: target.sql, indexes: [], width, values: [] };
          if (target.table !== undefined) group.table = target.table;
          if (withEvents) group.events = [];
          groups.set(target.sql, group);
        }
        group.indexes.push(written++);
        for (let k = 0; k < width; k++) group.values.push(row[k]!);
        if (json !== undefined) group.events!.push(json);
      });
      if (groups.size === 0) return rejected ? { data: undefined, rejected } : undefined;
      const data: SqlBatch = [...groups.values()];
      return rejected ? { data, rejected } : { data };
    },
  };
}
