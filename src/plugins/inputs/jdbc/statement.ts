/**
 * The jdbc input's SQL: `:name` parameters (Logstash's form, `:sql_last_value` among them) turned
 * into the driver's bound placeholders, and the paging wrapper. Quotes, comments and PostgreSQL
 * `::type` casts are left alone.
 */
import { ConfigError } from '../../../core/errors.js';
import { scanSqlCode } from '../../outputs/sql/statement.js';

export interface NamedStatement {
  /** The SQL with `?` placeholders (the dialect numbers them for PostgreSQL). */
  sql: string;
  /** The parameter name of each placeholder, in order. */
  names: string[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

export function namedStatement(text: string): NamedStatement {
  const names: string[] = [];
  let sql = '';
  let copied = 0;
  scanSqlCode(text, (at) => {
    if (text[at] !== ':') return at + 1;
    if (text[at + 1] === ':') return at + 2; // a PostgreSQL cast (x::int)
    if (at > 0 && text[at - 1] === ':') return at + 1;
    NAME.lastIndex = at + 1;
    const m = NAME.exec(text);
    if (!m) return at + 1;
    sql += text.slice(copied, at) + '?';
    copied = at + 1 + m[0].length;
    names.push(m[0]);
    return copied;
  });
  return { sql: sql + text.slice(copied), names };
}

/** Checks every `:name` has a value (from `parameters`, or `sql_last_value`). */
export function checkNames(statement: NamedStatement, known: Set<string>, pluginLabel: string): void {
  const missing = [...new Set(statement.names.filter((n) => !known.has(n)))];
  if (missing.length > 0) {
    throw new ConfigError(`${pluginLabel}: the statement uses ${missing.map((n) => `:${n}`).join(', ')} but parameters gives no value for it`, undefined,
      'add it to parameters => { "name" => value }, or use :sql_last_value');
  }
}

/** One page of the statement, as Logstash pages it: the statement as a subquery with LIMIT/OFFSET. */
export function pageSql(sql: string, pageSize: number, offset: number): string {
  return `SELECT * FROM (${stripTrailingSemicolon(sql)}) AS t1 LIMIT ${pageSize} OFFSET ${offset}`;
}

function stripTrailingSemicolon(sql: string): string {
  return sql.replace(/;\s*$/, '');
}
