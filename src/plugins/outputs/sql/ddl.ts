/**
 * The DDL the sql/jdbc outputs may run themselves: a table made from a declared column list
 * (`create_table` with `column_types`), and the failure table (`failure_table`) where refused
 * rows are kept with their reason. Pure text, no driver: `CREATE TABLE IF NOT EXISTS` on all
 * three databases, so running it again (another process, a restart) is harmless.
 */
import { ConfigError } from '../../../core/errors.js';
import type { SqlDialect } from './dialects.js';

/** A column's declared type: SQL text from the configuration (never from event data). */
const TYPE_TEXT = /^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?( [A-Za-z0-9_ ]+)?$/;

/** The declared shape of the table(s) the output writes, checked once at start. */
export interface DeclaredTable {
  columns: Array<{ name: string; type: string }>;
  primaryKey: string[];
}

/**
 * Checks `column_types` against the INSERT's `columns`: every column needs a type, and a type
 * is a type name with an optional (n) or (p, s) and modifiers (`VARCHAR(64) NOT NULL`) — no
 * quotes, semicolons or comments, so a typo cannot smuggle a second statement in.
 */
export function declareTable(columns: readonly string[], types: Record<string, unknown>, primaryKey: readonly string[]): DeclaredTable {
  const declared: DeclaredTable['columns'] = [];
  for (const name of columns) {
    const type = types[name];
    if (type === undefined) {
      throw new ConfigError(`create_table: column "${name}" has no type in column_types`, undefined, `e.g. column_types => { "${name}" => "VARCHAR(255)" }`);
    }
    if (typeof type !== 'string' || !TYPE_TEXT.test(type.trim())) {
      throw new ConfigError(`create_table: the type of column "${name}" is not a plain SQL type: ${JSON.stringify(type)}`, undefined,
        'e.g. "BIGINT", "VARCHAR(64) NOT NULL", "DECIMAL(10, 2)"');
    }
    declared.push({ name, type: type.trim() });
  }
  for (const name of Object.keys(types)) {
    if (!columns.includes(name)) throw new ConfigError(`column_types names "${name}", which is not in columns`);
  }
  for (const name of primaryKey) {
    if (!columns.includes(name)) throw new ConfigError(`primary_key names "${name}", which is not in columns`);
  }
  return { columns: declared, primaryKey: [...primaryKey] };
}

export function createTableSql(dialect: SqlDialect, table: string, declared: DeclaredTable): string {
  const q = dialect.quoteIdent;
  const parts = declared.columns.map((c) => `${q(c.name)} ${c.type}`);
  if (declared.primaryKey.length > 0) parts.push(`PRIMARY KEY (${declared.primaryKey.map(q).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${q(table)} (${parts.join(', ')})${tableSuffix(dialect)}`;
}

/** MySQL: utf8mb4 whatever the server's default, so any event text fits. */
function tableSuffix(dialect: SqlDialect): string {
  return dialect.name === 'mysql' ? ' DEFAULT CHARSET=utf8mb4' : '';
}

/** The failure table's columns, in the order the insert binds them. */
export const FAILURE_COLUMNS = ['failed_at', 'output', 'reason', 'statement', 'row_values', 'event'] as const;

export function createFailureTableSql(dialect: SqlDialect, table: string): string {
  const q = dialect.quoteIdent;
  const [id, time, text, longText] = {
    mysql: ['BIGINT AUTO_INCREMENT PRIMARY KEY', 'DATETIME(3) NOT NULL', 'VARCHAR(255)', 'LONGTEXT'],
    postgres: ['BIGSERIAL PRIMARY KEY', 'TIMESTAMP(3) NOT NULL', 'VARCHAR(255)', 'TEXT'],
    sqlite: ['INTEGER PRIMARY KEY AUTOINCREMENT', 'TEXT NOT NULL', 'TEXT', 'TEXT'],
  }[dialect.name];
  const columns = [
    `${q('id')} ${id}`,
    `${q('failed_at')} ${time}`,
    `${q('output')} ${text}`,
    `${q('reason')} ${longText} NOT NULL`,
    `${q('statement')} ${longText}`,
    `${q('row_values')} ${longText}`,
    `${q('event')} ${longText}`,
  ];
  return `CREATE TABLE IF NOT EXISTS ${q(table)} (${columns.join(', ')})${tableSuffix(dialect)}`;
}

/** One multi-row INSERT into the failure table, `?` form, for `rows` records. */
export function failureInsertSql(dialect: SqlDialect, table: string, rows: number): string {
  const q = dialect.quoteIdent;
  const tuple = '(' + FAILURE_COLUMNS.map(() => '?').join(', ') + ')';
  return `INSERT INTO ${q(table)} (${FAILURE_COLUMNS.map(q).join(', ')}) VALUES ${new Array<string>(rows).fill(tuple).join(', ')}`;
}

/**
 * Errors a `CREATE TABLE IF NOT EXISTS` may raise when another session created the same table
 * at the same moment (PostgreSQL checks the catalog before it locks it): the table is there.
 */
export function isConcurrentCreate(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === '42P07' || code === 'ER_TABLE_EXISTS_ERROR';
}
