/**
 * The SQL outputs, one engine under two names:
 *
 *  - `jdbc` takes a Logstash logstash-output-jdbc block unchanged (connection_string,
 *    statement => [sql, fields…], unsafe_statement, the retry knobs); the Java-only options are
 *    accepted and ignored with one info line;
 *  - `sql` is ours: a URL or driver + host/port/user/password/database, either a `statement`
 *    or a `table` + `columns` INSERT with `on_conflict` for idempotent writes.
 *
 * Workers turn events into rows grouped by SQL text (encoder.ts); the main thread writes each
 * batch in one transaction and reports refused rows one by one (sink.ts).
 */
import { ConfigError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { Password } from '../../../config/schema.js';
import { defineOutput, type RetryPolicy } from '../../api.js';
import { describeTarget, parseConnectionString, type ConnectionTarget, type SqlDialectName } from './connection.js';
import { dialectOf, type OnConflict } from './dialects.js';
import { openPool } from './drivers.js';
import { createTableSql, declareTable, type DeclaredTable } from './ddl.js';
import { createSqlEncoder, statementPlan, tablePlan, type RowPlan } from './encoder.js';
import { SqlSink } from './sink.js';

export type { SqlBatch, SqlGroup, SqlValue } from './encoder.js';

const JAVA_ONLY = ['driver_class', 'driver_jar_path', 'driver_auto_commit', 'connection_test', 'connection_test_query'] as const;

export const jdbcOutput = defineOutput({
  kind: 'output',
  name: 'jdbc',
  description: 'Writes events into MySQL/MariaDB, PostgreSQL or SQLite with a Logstash jdbc output configuration (statement => [sql, fields…]).',
  options: {
    connection_string: { type: 'password', required: true, description: 'jdbc:mysql://host:port/db?user=…&password=…, jdbc:mariadb:…, jdbc:postgresql:…, or jdbc:sqlite:<file>. Treated as a secret.' },
    username: { type: 'string', description: 'User, when not in the connection string.' },
    password: { type: 'password', description: 'Password, when not in the connection string.' },
    statement: { type: 'array', required: true, description: 'The SQL with ? placeholders, then one field reference (or %{…} template) per placeholder; an absent field binds NULL.' },
    unsafe_statement: { type: 'boolean', default: false, description: 'Render %{…} in the SQL text per event (e.g. per-day tables); event data becomes SQL text.' },
    max_pool_size: { type: 'number', default: 24, description: 'Most connections open at once.' },
    connection_timeout: { type: 'number', default: 10000, description: 'Milliseconds to wait for a connection.' },
    flush_size: { type: 'number', default: 1000, description: 'Most rows in one multi-row INSERT.' },
    max_flush_exceptions: { type: 'number', default: 10, description: 'Attempts at a batch before its events go to the failure path; below 1, retry until written.' },
    retry_initial_interval: { type: 'number', default: 2, description: 'Seconds before the first retry; doubles after each failure.' },
    retry_max_interval: { type: 'number', default: 128, description: 'Longest wait between retries, in seconds.' },
    retry_sql_states: { type: 'string_list', default: [], description: 'SQLSTATEs (or MySQL error numbers) to retry besides connection, transaction and resource errors.' },
    write_concurrency: { type: 'number', default: 2, description: 'Batches written at once, each on its own connection and transaction (overrides pipeline.output.concurrency for this output). 2 overlaps one batch\'s COMMIT with the next batch\'s INSERT; 1 commits batches in the order they left the workers.' },
    failure_table: { type: 'string', description: 'A table (created if missing) where rows the database refuses are kept: time, output, reason, statement, values and the event as JSON; written in the batch\'s transaction.' },
    failure_table_only: { type: 'boolean', default: true, description: 'With failure_table: rows kept there do not also go to the pipeline\'s failure path (failed_events.path).' },
    driver_class: { type: 'string', ignored: 'logpipe ships its own drivers', description: 'Accepted for compatibility; ignored.' },
    driver_jar_path: { type: 'string', ignored: 'logpipe ships its own drivers', description: 'Accepted for compatibility; ignored.' },
    driver_auto_commit: { type: 'boolean', ignored: 'each batch is one transaction', description: 'Accepted for compatibility; ignored.' },
    connection_test: { type: 'boolean', ignored: 'connections are tested by the first write', description: 'Accepted for compatibility; ignored.' },
    connection_test_query: { type: 'string', ignored: 'connections are tested by the first write', description: 'Accepted for compatibility; ignored.' },
    idle_flush_time: { type: 'number', ignored: 'batches are flushed by pipeline.batch.delay', description: 'Accepted for compatibility; ignored.' },
  },
  createEncoder(options) {
    return createSqlEncoder(statementPlan(options.statement, options.unsafe_statement), options.failure_table !== undefined);
  },
  createSink(options, ctx) {
    statementPlan(options.statement, options.unsafe_statement); // a bad statement stops the start, not the first batch
    const target = parseConnectionString(options.connection_string.reveal());
    if (options.username !== undefined) target.user = options.username;
    if (options.password !== undefined) target.password = options.password.reveal();
    const ignored = JAVA_ONLY.filter((name) => options[name] !== undefined);
    if (ignored.length > 0) ctx.logger.info(`jdbc output: ${ignored.join(', ')} ignored: logpipe uses its own ${target.dialect} driver`, { output: ctx.id });
    return createSink(target, {
      poolSize: options.max_pool_size,
      connectTimeoutMs: options.connection_timeout,
      flushSize: options.flush_size,
      retrySqlStates: options.retry_sql_states,
      retry: {
        initialMs: options.retry_initial_interval * 1000,
        maxMs: options.retry_max_interval * 1000,
        maxAttempts: options.max_flush_exceptions < 1 ? 0 : options.max_flush_exceptions,
      },
      createTable: undefined,
      failureTable: failureTableOf(options),
      writeConcurrency: options.write_concurrency,
    }, ctx.logger, ctx.id);
  },
});

const DRIVERS: Record<string, SqlDialectName> = { mysql: 'mysql', mariadb: 'mysql', postgresql: 'postgres', postgres: 'postgres', sqlite: 'sqlite' };

export const sqlOutput = defineOutput({
  kind: 'output',
  name: 'sql',
  description: 'Writes events into MySQL/MariaDB, PostgreSQL or SQLite: a statement, or a table with columns and idempotent on_conflict.',
  options: {
    url: { type: 'password', description: 'mysql://user:pass@host:port/db, mariadb://…, postgres://…, sqlite:<file> (jdbc: URLs too). Treated as a secret.' },
    driver: { type: 'string', values: Object.keys(DRIVERS), description: 'Database kind, when no url is given.' },
    host: { type: 'string', default: '127.0.0.1', description: 'Server host (without url).' },
    port: { type: 'number', description: 'Server port (without url); default 3306 or 5432.' },
    user: { type: 'string', description: 'User (overrides the url\'s).' },
    password: { type: 'password', description: 'Password (overrides the url\'s).' },
    database: { type: 'string', description: 'Database name (without url); for SQLite, the file.' },
    statement: { type: 'array', description: 'The SQL with ? placeholders, then one field reference (or %{…} template) per placeholder.' },
    table: { type: 'string', description: 'Table for a generated INSERT (with columns); %{…} allowed, rendered per event, must come out as a plain identifier.' },
    columns: { type: 'hash', description: 'Column => field reference (or %{…} template), for the generated INSERT.' },
    on_conflict: { type: 'string', default: 'none', values: ['none', 'ignore', 'update'], description: 'A row whose unique key exists: fail (none), skip (ignore), or update the other columns (update).' },
    conflict_columns: { type: 'string_list', default: [], description: 'The unique key, for on_conflict => update (required on PostgreSQL and SQLite).' },
    create_table: { type: 'boolean', default: false, description: 'Create each table (each per-day table) with CREATE TABLE IF NOT EXISTS before its first row, from column_types and primary_key.' },
    column_types: { type: 'hash', description: 'Column => SQL type (e.g. "VARCHAR(64) NOT NULL"), one per column, for create_table.' },
    primary_key: { type: 'string_list', default: [], description: 'Columns of the created table\'s primary key, for create_table (and for on_conflict).' },
    max_pool_size: { type: 'number', default: 4, description: 'Most connections open at once.' },
    connection_timeout: { type: 'number', default: 10000, description: 'Milliseconds to wait for a connection.' },
    flush_size: { type: 'number', default: 1000, description: 'Most rows in one multi-row INSERT.' },
    max_attempts: { type: 'number', default: 0, description: 'Attempts at a batch before its events go to the failure path; 0 = retry until written.' },
    retry_initial_interval: { type: 'number', default: 1, description: 'Seconds before the first retry; doubles after each failure.' },
    retry_max_interval: { type: 'number', default: 30, description: 'Longest wait between retries, in seconds.' },
    retry_sql_states: { type: 'string_list', default: [], description: 'SQLSTATEs (or MySQL error numbers) to retry besides connection, transaction and resource errors.' },
    write_concurrency: { type: 'number', default: 2, description: 'Batches written at once, each on its own connection and transaction (overrides pipeline.output.concurrency for this output). 2 overlaps one batch\'s COMMIT with the next batch\'s INSERT; 1 commits batches in the order they left the workers.' },
    failure_table: { type: 'string', description: 'A table (created if missing) where rows the database refuses are kept: time, output, reason, statement, values and the event as JSON; written in the batch\'s transaction.' },
    failure_table_only: { type: 'boolean', default: true, description: 'With failure_table: rows kept there do not also go to the pipeline\'s failure path (failed_events.path).' },
  },
  createEncoder(options) {
    return createSqlEncoder(sqlPlan(options, sqlTarget(options)), options.failure_table !== undefined);
  },
  createSink(options, ctx) {
    const target = sqlTarget(options);
    sqlPlan(options, target); // a bad statement or table stops the start, not the first batch
    const declared = declaredTable(options);
    const dialect = dialectOf(target.dialect);
    return createSink(target, {
      poolSize: options.max_pool_size,
      connectTimeoutMs: options.connection_timeout,
      flushSize: options.flush_size,
      retrySqlStates: options.retry_sql_states,
      retry: { initialMs: options.retry_initial_interval * 1000, maxMs: options.retry_max_interval * 1000, maxAttempts: Math.max(0, options.max_attempts) },
      createTable: declared && ((table) => createTableSql(dialect, table, declared)),
      failureTable: failureTableOf(options),
      writeConcurrency: options.write_concurrency,
    }, ctx.logger, ctx.id);
  },
});

interface SqlTargetOptions {
  url: Password | undefined;
  driver: string | undefined;
  host: string;
  port: number | undefined;
  user: string | undefined;
  password: Password | undefined;
  database: string | undefined;
}

function sqlTarget(options: SqlTargetOptions): ConnectionTarget {
  let target: ConnectionTarget;
  if (options.url !== undefined) {
    target = parseConnectionString(options.url.reveal());
  } else {
    const dialect = options.driver !== undefined ? DRIVERS[options.driver] : undefined;
    if (!dialect) throw new ConfigError('sql output needs url, or driver (mysql, mariadb, postgresql, sqlite) and database');
    if (dialect === 'sqlite') {
      if (!options.database) throw new ConfigError('sql output with driver => "sqlite" needs database => "<file>"');
      return { dialect, host: '', port: 0, path: options.database, ignoredParams: [] };
    }
    target = { dialect, host: options.host, port: options.port ?? (dialect === 'mysql' ? 3306 : 5432), database: options.database, ignoredParams: [] };
  }
  if (options.user !== undefined) target.user = options.user;
  if (options.password !== undefined) target.password = options.password.reveal();
  return target;
}

function sqlPlan(
  options: { statement: unknown[] | undefined; table: string | undefined; columns: Record<string, unknown> | undefined; on_conflict: string; conflict_columns: string[]; primary_key: string[] },
  target: ConnectionTarget,
): RowPlan {
  if (options.statement !== undefined) {
    if (options.table !== undefined || options.columns !== undefined) throw new ConfigError('sql output: give either statement, or table with columns, not both');
    if (options.on_conflict !== 'none') throw new ConfigError('sql output: on_conflict applies to the INSERT generated from table and columns; write the clause into your statement instead');
    return statementPlan(options.statement, false);
  }
  if (options.table === undefined || options.columns === undefined) throw new ConfigError('sql output needs statement, or table with columns');
  for (const name of options.primary_key) {
    if (!(name in options.columns)) throw new ConfigError(`primary_key names "${name}", which is not in columns`);
  }
  return tablePlan(dialectOf(target.dialect), options.table, options.columns, options.on_conflict as OnConflict,
    // The declared primary key is the conflict target unless conflict_columns says otherwise.
    options.conflict_columns.length > 0 ? options.conflict_columns : options.primary_key);
}

/** create_table's declared columns, checked at start; undefined without create_table. */
function declaredTable(options: { create_table: boolean; table: string | undefined; columns: Record<string, unknown> | undefined; column_types: Record<string, unknown> | undefined; primary_key: string[] }): DeclaredTable | undefined {
  if (!options.create_table) {
    if (options.column_types !== undefined) throw new ConfigError('column_types applies with create_table => true');
    return undefined;
  }
  if (options.table === undefined || options.columns === undefined) throw new ConfigError('create_table needs table and columns (the INSERT it creates the table for)');
  if (options.column_types === undefined) throw new ConfigError('create_table needs column_types (column => SQL type)', undefined, 'e.g. column_types => { "ip" => "VARCHAR(45)" "ts" => "TIMESTAMP(3)" }');
  return declareTable(Object.keys(options.columns), options.column_types, options.primary_key);
}

function failureTableOf(options: { failure_table: string | undefined; failure_table_only: boolean }): SinkSettings['failureTable'] {
  if (options.failure_table === undefined) return undefined;
  if (!SAFE_TABLE.test(options.failure_table)) throw new ConfigError(`failure_table "${options.failure_table}" is not a plain identifier`, undefined, 'use letters, digits and _ (schema.table allowed)');
  return { name: options.failure_table, only: options.failure_table_only };
}

const SAFE_TABLE = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

interface SinkSettings {
  poolSize: number;
  connectTimeoutMs: number;
  flushSize: number;
  retrySqlStates: string[];
  retry: RetryPolicy;
  createTable: ((table: string) => string) | undefined;
  failureTable: { name: string; only: boolean } | undefined;
  writeConcurrency: number;
}

function createSink(target: ConnectionTarget, settings: SinkSettings, logger: Logger, id: string): SqlSink {
  if (!(settings.writeConcurrency >= 1)) throw new ConfigError(`write_concurrency must be at least 1, got ${settings.writeConcurrency}`);
  if (target.ignoredParams.length > 0) logger.info(`sql output: connection parameters ignored: ${target.ignoredParams.join(', ')}`, { output: id });
  const pool = openPool(target, { maxConnections: settings.poolSize, connectTimeoutMs: settings.connectTimeoutMs, logger });
  return new SqlSink({
    dialect: dialectOf(target.dialect),
    pool,
    flushSize: Math.max(1, settings.flushSize),
    retrySqlStates: settings.retrySqlStates,
    retry: settings.retry,
    target: describeTarget(target),
    logger,
    output: id,
    concurrency: Math.floor(settings.writeConcurrency),
    ...(settings.createTable ? { createTable: settings.createTable } : {}),
    ...(settings.failureTable ? { failureTable: settings.failureTable } : {}),
  });
}
