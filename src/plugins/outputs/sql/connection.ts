/**
 * Where the sql/jdbc outputs connect: connection strings (JDBC URLs as Logstash configs write
 * them, and plain URLs) parsed into one target. Pure string work, no driver loaded, so the
 * encoder in a worker thread can learn the dialect from the same option.
 */
import { ConfigError } from '../../../core/errors.js';

export type SqlDialectName = 'mysql' | 'postgres' | 'sqlite';

export interface ConnectionTarget {
  dialect: SqlDialectName;
  /** Server databases: host and port (defaults 127.0.0.1 and the dialect's port). */
  host: string;
  port: number;
  user?: string | undefined;
  password?: string | undefined;
  database?: string | undefined;
  /** SQLite: the database file (":memory:" for a private in-memory one). */
  path?: string | undefined;
  /** Query parameters we did not use (useUnicode, autoReconnect, …), so the caller can say so. */
  ignoredParams: string[];
}

const DEFAULT_PORT: Record<Exclude<SqlDialectName, 'sqlite'>, number> = { mysql: 3306, postgres: 5432 };

/** The URL schemes we accept, jdbc: prefix removed; MariaDB speaks MySQL's protocol. */
const SCHEMES: Record<string, SqlDialectName> = {
  mysql: 'mysql',
  mariadb: 'mysql',
  postgresql: 'postgres',
  postgres: 'postgres',
  sqlite: 'sqlite',
};

/** Query parameters that carry credentials, in the spellings JDBC drivers accept. */
const USER_PARAMS = ['user', 'username'];
const PASSWORD_PARAMS = ['password'];

/**
 * Parses `jdbc:mysql://host:port/db?user=u&password=p`, `jdbc:mariadb:…`, `jdbc:postgresql:…`,
 * `jdbc:sqlite:path`, and the same without `jdbc:` (`mysql://u:p@host/db`, `postgres://…`,
 * `sqlite:path`). Throws a ConfigError naming what is wrong; the message never contains the
 * password.
 */
export function parseConnectionString(text: string): ConnectionTarget {
  const trimmed = text.trim();
  const body = trimmed.toLowerCase().startsWith('jdbc:') ? trimmed.slice(5) : trimmed;
  const colon = body.indexOf(':');
  const scheme = colon > 0 ? body.slice(0, colon).toLowerCase() : '';
  const dialect = SCHEMES[scheme];
  if (!dialect) {
    throw new ConfigError(`unsupported connection string scheme "${scheme || redact(trimmed)}"`, undefined,
      'use jdbc:mysql://, jdbc:mariadb://, jdbc:postgresql:// or jdbc:sqlite:<path> (or the same without "jdbc:")');
  }
  const rest = body.slice(colon + 1);
  if (dialect === 'sqlite') return { dialect, host: '', port: 0, path: sqlitePath(rest), ignoredParams: [] };
  if (!rest.startsWith('//')) throw new ConfigError(`connection string for ${scheme} must look like ${scheme}://host:port/database`);
  return serverTarget(dialect, rest.slice(2));
}

/** `jdbc:sqlite:/abs/file.db`, `sqlite:relative.db`, `sqlite:///abs`, `sqlite::memory:`; query parameters dropped. */
function sqlitePath(rest: string): string {
  let path = rest.split('?')[0]!;
  if (path.startsWith('//')) path = path.slice(2); // sqlite:///abs/path → /abs/path; sqlite://rel → rel
  if (path.startsWith('file:')) path = path.slice(5);
  if (path === '') throw new ConfigError('sqlite connection string names no database file', undefined, 'e.g. jdbc:sqlite:/var/lib/logpipe/events.db');
  return decodeURIComponent(path);
}

function serverTarget(dialect: Exclude<SqlDialectName, 'sqlite'>, rest: string): ConnectionTarget {
  const query = rest.indexOf('?');
  const authorityAndPath = query >= 0 ? rest.slice(0, query) : rest;
  const params = new URLSearchParams(query >= 0 ? rest.slice(query + 1) : '');
  const slash = authorityAndPath.indexOf('/');
  let authority = slash >= 0 ? authorityAndPath.slice(0, slash) : authorityAndPath;
  const database = slash >= 0 ? decodeURIComponent(authorityAndPath.slice(slash + 1)) : '';
  let user: string | undefined;
  let password: string | undefined;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userInfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const sep = userInfo.indexOf(':');
    user = decodeURIComponent(sep >= 0 ? userInfo.slice(0, sep) : userInfo);
    if (sep >= 0) password = decodeURIComponent(userInfo.slice(sep + 1));
  }
  if (authority.includes(',')) {
    throw new ConfigError('connection strings with several hosts (failover) are not supported', undefined, 'name one host; put a proxy in front for failover');
  }
  let host = authority;
  let port = DEFAULT_PORT[dialect];
  const bracket = authority.startsWith('[') ? authority.indexOf(']') : -1;
  const portSep = bracket >= 0 ? authority.indexOf(':', bracket) : authority.lastIndexOf(':');
  if (portSep >= 0) {
    host = authority.slice(0, portSep);
    const portText = authority.slice(portSep + 1);
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new ConfigError(`invalid port "${portText}" in connection string`);
  }
  if (bracket >= 0) host = host.slice(1, host.endsWith(']') ? -1 : undefined);
  if (host === '') host = '127.0.0.1';
  const ignoredParams: string[] = [];
  for (const [key, value] of params) {
    if (USER_PARAMS.includes(key)) user = value;
    else if (PASSWORD_PARAMS.includes(key)) password = value;
    else ignoredParams.push(key);
  }
  return { dialect, host, port, user, password, database: database || undefined, ignoredParams };
}

/** The connection string without credentials, for messages and logs. */
export function redact(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//<credentials>@').replace(/([?&;](?:password|pass|pwd)=)[^&;]*/gi, '$1<password>');
}

/** A one-line description of a target for logs: never the password. */
export function describeTarget(target: ConnectionTarget): string {
  if (target.dialect === 'sqlite') return `sqlite:${target.path}`;
  return `${target.dialect}://${target.user ? `${target.user}@` : ''}${target.host}:${target.port}/${target.database ?? ''}`;
}
