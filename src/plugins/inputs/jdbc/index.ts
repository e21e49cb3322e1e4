/**
 * jdbc input: runs a SQL statement against MySQL/MariaDB, PostgreSQL or SQLite, once or on a cron
 * schedule, and makes each row an event (column names as fields). The source (main thread,
 * source.ts) queries through the sql output's connection parser and drivers and hands rows over
 * as JSON lines (rows.ts); the decoder (worker, below) builds the events. `:sql_last_value`
 * advances, and is recorded, only once every row of a run was acknowledged.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Cron } from 'croner';
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import { Event } from '../../../core/event.js';
import type { Logger } from '../../../core/logger.js';
import { resolveZone, type TimeZone } from '../../../core/time/timezone.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineInput, type InputSource } from '../../api.js';
import { parseConnectionString, type SqlDialectName } from '../../outputs/sql/connection.js';
import { initialValue, readLastRun, type TrackingType } from './last-run.js';
import type { RowsPayload } from './rows.js';
import { jdbcSource } from './source.js';
import { checkNames, namedStatement } from './statement.js';

/** jdbc_default_timezone as a zone; SQLite keeps timestamps as text, so it is not concerned. */
function databaseZone(id: string | undefined, dialect: SqlDialectName, label: string, logger: Logger, location: SourceLocation | undefined): TimeZone | undefined {
  if (id === undefined) return undefined;
  let zone: TimeZone;
  try {
    zone = resolveZone(id.trim());
  } catch (err) {
    throw new ConfigError(`${label}: jdbc_default_timezone: ${(err as Error).message}`, location, 'an IANA zone name such as "Europe/Paris", or an offset such as "+08:00"');
  }
  if (dialect === 'sqlite') {
    logger.info(`${label}: jdbc_default_timezone ignored: SQLite keeps timestamps as text, read as they are`);
    return undefined;
  }
  return zone;
}

/** Options of Logstash's jdbc input that only make sense for Java drivers. */
const JAVA_ONLY = ['jdbc_driver_class', 'jdbc_driver_library'] as const;

export const jdbcInput = defineInput({
  kind: 'input',
  name: 'jdbc',
  description: 'Runs a SQL query against MySQL/MariaDB, PostgreSQL or SQLite, once or on a cron schedule; each row becomes an event. :sql_last_value advances only after the rows were acknowledged.',
  options: {
    jdbc_connection_string: { type: 'password', required: true, description: 'jdbc:mysql://host:port/db, jdbc:mariadb://…, jdbc:postgresql://…, jdbc:sqlite:<file> (credentials may be in the query string). Treated as a secret.' },
    jdbc_user: { type: 'string', description: 'User (overrides the connection string\'s).' },
    jdbc_password: { type: 'password', description: 'Password (overrides the connection string\'s).' },
    jdbc_driver_class: { type: 'string', description: 'Accepted for compatibility; ignored (logpipe ships its own drivers).' },
    jdbc_driver_library: { type: 'string', description: 'Accepted for compatibility; ignored (logpipe ships its own drivers).' },
    statement: { type: 'string', description: 'The SQL to run; :name parameters come from parameters, :sql_last_value from the last run.' },
    statement_filepath: { type: 'path', description: 'A file holding the SQL (instead of statement).' },
    parameters: { type: 'hash', default: {}, description: 'Values of the statement\'s :name parameters (bound, never pasted into the SQL).' },
    schedule: { type: 'string', description: 'Cron expression (5 fields, or 6 with seconds first) for repeated runs; absent = run once, then the input ends.' },
    use_column_value: { type: 'boolean', default: false, description: 'Set :sql_last_value from tracking_column of the last row (else: the start time of the last acknowledged run).' },
    tracking_column: { type: 'string', description: 'The column whose value becomes :sql_last_value (with use_column_value).' },
    tracking_column_type: { type: 'string', default: 'numeric', values: ['numeric', 'timestamp'], description: 'Type of tracking_column.' },
    last_run_metadata_path: { type: 'path', description: 'File keeping :sql_last_value between starts; default sql_last_run in the plugin\'s data directory.' },
    record_last_run: { type: 'boolean', default: true, description: 'Whether to record :sql_last_value in last_run_metadata_path.' },
    clean_run: { type: 'boolean', default: false, description: 'Ignore the recorded value at start (start from 0 or 1970-01-01).' },
    jdbc_paging_enabled: { type: 'boolean', default: false, description: 'Run the statement page by page (as a LIMIT/OFFSET subquery); give it an ORDER BY.' },
    jdbc_page_size: { type: 'number', default: 100000, description: 'Rows per page, with jdbc_paging_enabled.' },
    lowercase_column_names: { type: 'boolean', default: true, description: 'Lowercase column names in events.' },
    connection_timeout: { type: 'number', default: 10000, description: 'Milliseconds to wait for a connection.' },
    jdbc_default_timezone: { type: 'string', description: 'Zone of the database\'s timestamps without a zone (e.g. "Asia/Shanghai", "+08:00"): MySQL DATETIME/TIMESTAMP and PostgreSQL timestamp columns are read as wall times there, and a timestamp :sql_last_value is bound as that zone\'s wall time. Default: the process\'s zone.' },
  },
  createSource(options, ctx): InputSource {
    const label = 'jdbc input';
    const target = parseConnectionString(options.jdbc_connection_string.reveal());
    if (options.jdbc_user !== undefined) target.user = options.jdbc_user;
    if (options.jdbc_password !== undefined) target.password = options.jdbc_password.reveal();
    const ignored = JAVA_ONLY.filter((name) => options[name] !== undefined);
    if (ignored.length > 0) ctx.logger.info(`jdbc input: ${ignored.join(', ')} ignored: logpipe uses its own ${target.dialect} driver`, { input: ctx.id });

    if ((options.statement === undefined) === (options.statement_filepath === undefined)) {
      throw new ConfigError(`${label}: give exactly one of statement and statement_filepath`, ctx.location);
    }
    let text = options.statement;
    if (text === undefined) {
      try {
        text = readFileSync(options.statement_filepath!, 'utf8');
      } catch (err) {
        throw new ConfigError(`${label}: cannot read statement_filepath ${options.statement_filepath}: ${(err as Error).message}`, ctx.location);
      }
    }
    const statement = namedStatement(text);
    for (const [name, value] of Object.entries(options.parameters)) {
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        throw new ConfigError(`${label}: parameter "${name}" must be a string, number or boolean`, ctx.location);
      }
    }
    checkNames(statement, new Set([...Object.keys(options.parameters), 'sql_last_value']), label);

    let schedule: Cron | undefined;
    if (options.schedule !== undefined) {
      try {
        schedule = new Cron(options.schedule.trim(), { paused: true });
      } catch (err) {
        throw new ConfigError(`${label}: invalid schedule "${options.schedule}": ${(err as Error).message}`, ctx.location);
      }
    }
    if (options.use_column_value && options.tracking_column === undefined) {
      throw new ConfigError(`${label}: use_column_value needs tracking_column`, ctx.location);
    }
    if (options.jdbc_paging_enabled && !(options.jdbc_page_size >= 1)) {
      throw new ConfigError(`${label}: jdbc_page_size must be at least 1`, ctx.location);
    }
    // Without use_column_value the value is a run's start time, whatever tracking_column_type says.
    const trackingType: TrackingType = options.use_column_value ? (options.tracking_column_type as TrackingType) : 'timestamp';
    const lastRunPath = resolve(options.last_run_metadata_path ?? join(ctx.dataDir, 'sql_last_run'));
    const stored = options.clean_run ? undefined : readLastRun(lastRunPath, trackingType);
    const trackingColumn = options.use_column_value
      ? (options.lowercase_column_names ? options.tracking_column!.toLowerCase() : options.tracking_column!)
      : undefined;
    return jdbcSource({
      target,
      statement,
      parameters: options.parameters,
      schedule,
      useColumnValue: options.use_column_value,
      trackingColumn,
      trackingType,
      lastRunPath,
      recordLastRun: options.record_last_run,
      startValue: stored ?? initialValue(trackingType),
      pageSize: options.jdbc_paging_enabled ? Math.floor(options.jdbc_page_size) : undefined,
      lowercase: options.lowercase_column_names,
      connectTimeoutMs: options.connection_timeout,
      zone: databaseZone(options.jdbc_default_timezone, target.dialect, label, ctx.logger, ctx.location),
    }, ctx);
  },
  createDecoder() {
    const text = new TextDecoder('utf-8');
    return {
      decode(data, emit) {
        const { bytes, timestamps } = data as RowsPayload;
        if (bytes.length === 0) return;
        for (const line of text.decode(bytes).split('\n')) {
          const row = JSON.parse(line) as Record<string, unknown>;
          for (const column of timestamps) {
            const v = row[column];
            if (typeof v === 'string') {
              const ms = Date.parse(v);
              if (!Number.isNaN(ms)) row[column] = new Timestamp(ms);
            }
          }
          emit(new Event(row));
        }
      },
    };
  },
});
