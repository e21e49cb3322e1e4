/**
 * What differs between MySQL/MariaDB, PostgreSQL and SQLite in the SQL we write: identifier
 * quoting, placeholder style, bound-parameter limits, whether a failed statement spoils its
 * transaction, and the INSERT generated from `table` + `columns` with `on_conflict`.
 */
import type { SqlDialectName } from './connection.js';
import { numberPlaceholders } from './statement.js';

export type OnConflict = 'none' | 'ignore' | 'update';

export interface SqlDialect {
  name: SqlDialectName;
  quoteIdent(name: string): string;
  /** The statement as the driver takes it (from our `?` form). */
  driverSql(sql: string): string;
  /** Most parameters one statement may bind. */
  maxParams: number;
  /**
   * Whether a failed statement aborts the whole transaction (PostgreSQL: "current transaction
   * is aborted"), so that going on after a bad row needs a SAVEPOINT around each row. MySQL and
   * SQLite roll back only the failed statement.
   */
  statementErrorAbortsTransaction: boolean;
  /** Starts a batch's transaction. */
  begin: string;
  /** INSERT INTO table (columns) VALUES (?, …) with the conflict clause, in `?` form. */
  insert(table: string, columns: string[], onConflict: OnConflict, conflictColumns: string[]): string;
}

const quoteWith = (q: string) => (name: string): string =>
  // A dotted name is schema.table; each part is quoted, quotes inside doubled.
  name.split('.').map((part) => q + part.split(q).join(q + q) + q).join('.');

const placeholders = (n: number): string => new Array<string>(n).fill('?').join(', ');

const mysql: SqlDialect = {
  name: 'mysql',
  quoteIdent: quoteWith('`'),
  driverSql: (sql) => sql,
  // The prepared-statement protocol counts parameters in 16 bits; the text protocol has no
  // limit but max_allowed_packet: stay well inside both.
  maxParams: 65_535,
  statementErrorAbortsTransaction: false,
  begin: 'START TRANSACTION',
  insert(table, columns, onConflict, conflictColumns) {
    const q = mysql.quoteIdent;
    const base = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${placeholders(columns.length)})`;
    if (onConflict === 'none') return base;
    if (onConflict === 'ignore') {
      // Not INSERT IGNORE: that also turns data errors (a value too long, a bad date) into
      // warnings and writes truncated rows. A no-op update skips duplicate keys only.
      const first = q(columns[0]!);
      return `${base} ON DUPLICATE KEY UPDATE ${first} = ${first}`;
    }
    const updated = columns.filter((c) => !conflictColumns.includes(c));
    const set = (updated.length > 0 ? updated : columns).map((c) => `${q(c)} = VALUES(${q(c)})`).join(', ');
    return `${base} ON DUPLICATE KEY UPDATE ${set}`;
  },
};

const postgres: SqlDialect = {
  name: 'postgres',
  quoteIdent: quoteWith('"'),
  driverSql: (sql) => numberPlaceholders(sql),
  maxParams: 65_535,
  statementErrorAbortsTransaction: true,
  begin: 'BEGIN',
  insert: (table, columns, onConflict, conflictColumns) => standardInsert(postgres, table, columns, onConflict, conflictColumns),
};

const sqlite: SqlDialect = {
  name: 'sqlite',
  quoteIdent: quoteWith('"'),
  driverSql: (sql) => sql,
  // SQLITE_MAX_VARIABLE_NUMBER's default since SQLite 3.32.
  maxParams: 32_766,
  statementErrorAbortsTransaction: false,
  // Take the write lock now: a deferred transaction that must upgrade its lock later can fail
  // with SQLITE_BUSY half-way instead of waiting for it.
  begin: 'BEGIN IMMEDIATE',
  insert: (table, columns, onConflict, conflictColumns) => standardInsert(sqlite, table, columns, onConflict, conflictColumns),
};

/** PostgreSQL and SQLite share the ON CONFLICT clause (SQLite since 3.24). */
function standardInsert(d: SqlDialect, table: string, columns: string[], onConflict: OnConflict, conflictColumns: string[]): string {
  const q = d.quoteIdent;
  const base = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${placeholders(columns.length)})`;
  // DO NOTHING without a target skips a row conflicting with any unique constraint, and only
  // those: unlike INSERT OR IGNORE in SQLite, a NOT NULL or CHECK violation still fails the row.
  if (onConflict === 'ignore') return `${base} ON CONFLICT DO NOTHING`;
  if (onConflict === 'update') {
    const updated = columns.filter((c) => !conflictColumns.includes(c));
    const action = updated.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updated.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
    return `${base} ON CONFLICT (${conflictColumns.map(q).join(', ')}) ${action}`;
  }
  return base;
}

const DIALECTS: Record<SqlDialectName, SqlDialect> = { mysql, postgres, sqlite };

export function dialectOf(name: SqlDialectName): SqlDialect {
  return DIALECTS[name];
}
