/**
 * Which database errors are worth retrying. Two kinds only:
 *
 *  - `retryable`: the connection or the server is in trouble (connection lost or refused, the
 *    server shutting down, a deadlock, a lock timeout, the SQLSTATE classes logstash-output-jdbc
 *    retries, or a state listed in `retry_sql_states`): nothing of the write is kept and the
 *    whole write is tried again later;
 *  - `row`: the server refused this statement with these values (a constraint, a value too long,
 *    a bad value, a missing table): trying again can never succeed, so the row goes to the
 *    failure path and the rest of the batch is written.
 *
 * An error without a server-reported state (a socket error, a driver timeout) is a connection
 * problem, so retryable: mistaking a lost connection for a bad row would divert good events.
 */
import type { SqlDialectName } from './connection.js';

export type ErrorKind = 'retryable' | 'row';

/** SQLSTATE classes logstash-output-jdbc retries (connection, transaction, resources, operator, system). */
const RETRYABLE_CLASSES = new Set(['08', '24', '25', '40', '53', '54', '55', '57', '58']);

/** MySQL/MariaDB errors reported with the generic state HY000 that are transient all the same. */
const MYSQL_RETRYABLE_ERRNOS = new Set([
  1205, // lock wait timeout
  1213, // deadlock
  1040, // too many connections
  1053, // server shutdown in progress
  1317, // query interrupted
  1927, // connection killed (MariaDB)
  2006, // server has gone away
  2013, // lost connection during query
]);

/** SQLite result codes that mean "not now" rather than "never". */
const SQLITE_RETRYABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL|NOMEM|INTERRUPT)/;

interface DriverError {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  fatal?: unknown;
  severity?: unknown;
}

/** The SQLSTATE an error carries, if the server reported one. */
export function sqlStateOf(err: unknown, dialect: SqlDialectName): string | undefined {
  const e = (err ?? {}) as DriverError;
  if (dialect === 'mysql') return typeof e.sqlState === 'string' ? e.sqlState : undefined;
  // node-postgres puts the SQLSTATE in `code` on errors the server sent (they carry a severity).
  if (dialect === 'postgres') return typeof e.code === 'string' && e.severity !== undefined ? e.code : undefined;
  return undefined;
}

export function classifyError(err: unknown, dialect: SqlDialectName, retrySqlStates: readonly string[]): ErrorKind {
  const e = (err ?? {}) as DriverError;
  const state = sqlStateOf(err, dialect);
  const listed = (value: unknown): boolean => value !== undefined && retrySqlStates.includes(String(value));
  if (listed(state) || listed(e.errno) || listed(e.code)) return 'retryable';
  // A driver refusing the values themselves (a type it cannot bind) before sending anything.
  if (err instanceof TypeError || err instanceof RangeError) return 'row';
  switch (dialect) {
    case 'mysql':
      if (e.fatal === true) return 'retryable'; // mysql2: the connection is unusable
      if (typeof e.errno === 'number' && MYSQL_RETRYABLE_ERRNOS.has(e.errno)) return 'retryable';
      if (state === undefined) return 'retryable';
      return RETRYABLE_CLASSES.has(state.slice(0, 2)) ? 'retryable' : 'row';
    case 'postgres':
      if (state === undefined) return 'retryable';
      return RETRYABLE_CLASSES.has(state.slice(0, 2)) ? 'retryable' : 'row';
    case 'sqlite': {
      // Embedded: there is no connection to lose, so only the "not now" codes are worth a retry.
      const code = typeof e.code === 'string' ? e.code : '';
      return SQLITE_RETRYABLE.test(code) ? 'retryable' : 'row';
    }
  }
}

/** A short reason for the failure path: the server's message with its code and state. */
export function errorReason(err: unknown, dialect: SqlDialectName): string {
  const e = (err ?? {}) as DriverError & { message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  const state = sqlStateOf(err, dialect);
  const code = dialect === 'postgres' ? undefined : e.code;
  const parts = [code !== undefined ? String(code) : undefined, state !== undefined ? `SQLSTATE ${state}` : undefined].filter(Boolean);
  return parts.length > 0 ? `${message} (${parts.join(', ')})` : message;
}
