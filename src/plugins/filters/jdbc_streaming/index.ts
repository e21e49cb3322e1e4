/**
 * jdbc_streaming: per event, runs a SQL query with values from the event and stores the rows (a
 * list of hashes) in `target` — enrichment from MySQL/MariaDB, PostgreSQL or SQLite. Mirrors
 * logstash-filter-jdbc_streaming 5.x on the sql output's connection parser and drivers: `:name`
 * parameters bound from event fields (or prepared statements with `?` and bind values), an LRU
 * cache of results keyed by the bound values, `default_hash` when nothing matches, failures tagged.
 * Each worker keeps its own small connection pool, opened at its first lookup.
 */
import { ConfigError } from '../../../core/errors.js';
import { deepCopy, type Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import { LruCache } from '../../../core/lru.js';
import { rateLimitedWarn } from '../../../core/rate-limit.js';
import { defineFilter } from '../../api.js';
import { dialectOf } from '../../outputs/sql/dialects.js';
import { openPool, type QueryValue, type SqlPool } from '../../outputs/sql/drivers.js';
import { boundValue, eventValue } from '../../outputs/sql/event-values.js';
import { JDBC_LOOKUP_CONNECTION_OPTIONS, lookupTarget } from '../../outputs/sql/lookup-connection.js';
import { checkNames, namedStatement } from '../../inputs/jdbc/statement.js';

/** A bind value: "[field]" (or a bare field name in `parameters`) reads the event; anything else is a literal. */
type Binder = (event: Event) => QueryValue;

export const jdbcStreamingFilter = defineFilter({
  kind: 'filter',
  name: 'jdbc_streaming',
  description: 'Enriches events with rows of a SQL query whose parameters come from the event (MySQL/MariaDB, PostgreSQL, SQLite).',
  options: {
    ...JDBC_LOOKUP_CONNECTION_OPTIONS,
    jdbc_validate_connection: { type: 'boolean', default: false, ignored: 'a broken connection is dropped and the next lookup opens a new one', description: 'Accepted for compatibility.' },
    jdbc_validation_timeout: { type: 'number', default: 3600, ignored: 'see jdbc_validate_connection', description: 'Accepted for compatibility.' },
    sequel_opts: { type: 'hash', default: {}, ignored: 'Ruby Sequel options have no meaning here', description: 'Accepted for compatibility.' },
    statement: { type: 'string', required: true, description: 'The query; :name parameters take their values from `parameters` (or `?` with prepared_statement_bind_values).' },
    parameters: { type: 'hash', default: {}, description: 'Parameter name → event field holding its value.' },
    use_prepared_statements: { type: 'boolean', default: false, description: 'Use `?` placeholders bound by prepared_statement_bind_values.' },
    prepared_statement_name: { type: 'string', default: '', description: 'Accepted: statements are prepared by the driver.' },
    prepared_statement_bind_values: { type: 'array', default: [], description: 'Values for the `?` placeholders, in order: "[field]" reads the event, anything else is a literal.' },
    target: { type: 'field_reference', required: true, description: 'Field that receives the rows (a list of hashes).' },
    default_hash: { type: 'hash', default: {}, description: 'Row used when the query returns none (target becomes [default_hash]).' },
    tag_on_failure: { type: 'string_list', default: ['_jdbcstreamingfailure'], description: 'Tags added when the query fails.' },
    tag_on_default_use: { type: 'string_list', default: ['_jdbcstreamingdefaultsused'], description: 'Tags added when default_hash was used.' },
    use_cache: { type: 'boolean', default: true, description: 'Cache results by their bound values.' },
    cache_expiration: { type: 'number', default: 5, description: 'Seconds a cached result is used.' },
    cache_size: { type: 'number', default: 500, description: 'Results kept in the cache.' },
  },
  create(options, ctx) {
    const fail = (message: string, hint?: string): never => {
      throw new ConfigError(`jdbc_streaming: ${message}`, ctx.location, hint);
    };
    const target = lookupTarget(options, 'jdbc_streaming', ctx.location);
    const dialect = dialectOf(target.dialect);
    let sql: string;
    let binders: Binder[];
    if (options.use_prepared_statements) {
      sql = options.statement;
      const fieldOf = (v: unknown): string | undefined => (typeof v === 'string' && /^\[.+\]$/.test(v) ? v : undefined);
      binders = (options.prepared_statement_bind_values as unknown[]).map((v) => {
        const field = fieldOf(v);
        if (field === undefined) return () => boundValue(v);
        const ref = fieldRef(field);
        return (e: Event) => boundValue(ref.get(e));
      });
      const placeholders = (sql.match(/\?/g) ?? []).length;
      if (placeholders !== binders.length) fail(`the statement has ${placeholders} "?" but prepared_statement_bind_values gives ${binders.length} value(s)`);
    } else {
      const statement = namedStatement(options.statement);
      const parameters = options.parameters as Record<string, unknown>;
      try {
        checkNames(statement, new Set(Object.keys(parameters)), 'jdbc_streaming');
      } catch (err) {
        return fail((err as Error).message.replace(/^jdbc_streaming: /, ''), 'add it to parameters => { "name" => "field" }');
      }
      sql = statement.sql;
      binders = statement.names.map((name) => {
        const ref = fieldRef(String(parameters[name]));
        return (e: Event) => boundValue(ref.get(e));
      });
    }
    const driverSql = dialect.driverSql(sql);
    const targetRef = fieldRef(options.target);
    const defaultRows = [options.default_hash as Record<string, unknown>];
    const cache = options.use_cache && options.cache_size > 0 ? new LruCache<string, { rows: Record<string, unknown>[]; until: number }>(options.cache_size) : undefined;
    const ttlMs = options.cache_expiration * 1000;
    const warn = rateLimitedWarn(ctx.logger);
    let pool: SqlPool | undefined;

    const lookup = async (values: QueryValue[]): Promise<Record<string, unknown>[]> => {
      const key = cache ? JSON.stringify(values) : '';
      const cached = cache?.get(key);
      if (cached && cached.until > Date.now()) return cached.rows;
      pool ??= openPool(target, { maxConnections: 2, connectTimeoutMs: 5000, logger: ctx.logger });
      const conn = await pool.acquire();
      let rows: Record<string, unknown>[];
      try {
        rows = (await conn.query(driverSql, values)).map((row) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(row)) out[k] = eventValue(v);
          return out;
        });
      } catch (err) {
        conn.release(true);
        throw err;
      }
      conn.release(false);
      cache?.set(key, { rows, until: Date.now() + ttlMs });
      return rows;
    };
    const process = async (event: Event): Promise<boolean> => {
      let rows: Record<string, unknown>[];
      try {
        rows = await lookup(binders.map((b) => b(event)));
      } catch (err) {
        warn('query', 'jdbc_streaming: the lookup failed; the event is tagged', { error: (err as Error).message });
        for (const t of options.tag_on_failure) event.tag(t);
        return false;
      }
      if (rows.length === 0) {
        targetRef.set(event, deepCopy(defaultRows));
        for (const t of options.tag_on_default_use) event.tag(t);
        return true;
      }
      // Cached rows are shared: each event gets its own copy to change.
      targetRef.set(event, cache ? deepCopy(rows) : rows);
      return true;
    };
    return {
      filter() {
        throw new Error('jdbc_streaming: only runs on batches');
      },
      async filterBatch(events, matched) {
        // One query at a time per worker: the pool is small, and cache hits from earlier events of the batch count.
        for (const e of events) if (await process(e)) matched(e);
        return events;
      },
      async close() {
        await pool?.close();
      },
    };
  },
});
