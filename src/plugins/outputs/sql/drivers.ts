/**
 * Connection pools over the three drivers, behind one small interface: take a connection, run
 * statements on it, give it back (or throw it away when it broke). Each driver is loaded on
 * first use (core/lazy.ts): a pipeline without SQL outputs never loads any of them, and one
 * writing to PostgreSQL never loads the MySQL driver. See docs/decisions/0009-sql-drivers.md.
 */
import { resolve } from 'node:path';
import type * as MySql from 'mysql2/promise';
import type { Connection as MySqlCallbackConnection } from 'mysql2';
import type * as Pg from 'pg';
import type BetterSqlite3 from 'better-sqlite3';
import { lazyRequire } from '../../../core/lazy.js';
import type { Logger } from '../../../core/logger.js';
import type { TimeZone } from '../../../core/time/timezone.js';
import type { ConnectionTarget } from './connection.js';
import { wallTextToDate } from './wall-time.js';
import type { SqlValue } from './encoder.js';

const mysqlDriver = lazyRequire<typeof MySql>('mysql2/promise');
const pgDriver = lazyRequire<typeof Pg>('pg');
const sqliteDriver = lazyRequire<typeof BetterSqlite3>('better-sqlite3');
const pgCursor = lazyRequire<PgCursorClass>('pg-cursor');

/** The part of pg-cursor we use (it ships no types): read() resolves with up to n rows, [] at the end. */
interface PgCursor extends Pg.Submittable {
  read(rows: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}
type PgCursorClass = new (text: string, values?: unknown[]) => PgCursor;

export interface SqlConnection {
  /** Runs one statement, in the driver's placeholder form, with its values. */
  run(sql: string, values?: readonly SqlValue[]): Promise<void>;
  /** Runs one query and returns its rows (column name → the driver's value: Date for timestamps). */
  query(sql: string, values?: readonly QueryValue[]): Promise<Record<string, unknown>[]>;
  /**
   * Runs one query and yields its rows in chunks of at most `chunkRows` without holding the whole
   * result: the server (MySQL: the paused socket; PostgreSQL: a cursor) waits while the caller is
   * busy with a chunk. A caller that stops early must release the connection as broken.
   */
  stream(sql: string, values: readonly QueryValue[], chunkRows: number): AsyncIterable<Record<string, unknown>[]>;
  /** Gives the connection back; `broken` closes it instead (it lost its server, or its state is unknown). */
  release(broken: boolean): void;
}

/** A bound value of a query: a Date binds as the dialect's timestamp (SQLite: UTC text, "YYYY-MM-DD HH:MM:SS.SSS"). */
export type QueryValue = SqlValue | Date;

export interface SqlPool {
  acquire(): Promise<SqlConnection>;
  close(): Promise<void>;
}

export interface PoolOptions {
  maxConnections: number;
  connectTimeoutMs: number;
  logger: Logger;
  /**
   * Read timestamps without a zone (MySQL DATETIME/TIMESTAMP, PostgreSQL `timestamp`) as wall
   * times in this zone; default: the process's zone, as the drivers do.
   */
  wallClockZone?: TimeZone | undefined;
}

export function openPool(target: ConnectionTarget, options: PoolOptions): SqlPool {
  switch (target.dialect) {
    case 'mysql':
      return mysqlPool(target, options);
    case 'postgres':
      return pgPool(target, options);
    case 'sqlite':
      return sqlitePool(target);
  }
}

function mysqlPool(target: ConnectionTarget, options: PoolOptions): SqlPool {
  const pool = mysqlDriver().createPool({
    host: target.host,
    port: target.port,
    ...(target.user !== undefined ? { user: target.user } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.database !== undefined ? { database: target.database } : {}),
    connectionLimit: Math.max(1, options.maxConnections),
    connectTimeout: options.connectTimeoutMs,
    charset: 'utf8mb4',
    // Idle connections through a NAT or a proxy are cut silently; keep-alives find out.
    enableKeepAlive: true,
    ...(options.wallClockZone ? { typeCast: mysqlWallClock(options.wallClockZone) } : {}),
  });
  return {
    async acquire() {
      const conn = await pool.getConnection();
      return {
        // query(), not execute(): values are escaped by the driver on the text protocol. A
        // server-side prepared statement per distinct multi-row INSERT (one per row count) would
        // fill the server's max_prepared_stmt_count, which all clients share.
        run: async (sql, values) => void (await conn.query(sql, values as SqlValue[] | undefined)),
        query: async (sql, values) => (await conn.query(sql, values as QueryValue[] | undefined))[0] as Record<string, unknown>[],
        async *stream(sql, values, chunkRows) {
          // The callback connection's query stream reads rows as they arrive and pauses the socket
          // while its buffer (highWaterMark rows) is full.
          const callbackConn = (conn as unknown as { connection: MySqlCallbackConnection }).connection;
          const rows = callbackConn.query(sql, values as QueryValue[]).stream({ highWaterMark: chunkRows });
          try {
            yield* chunked(rows as AsyncIterable<Record<string, unknown>>, chunkRows);
          } finally {
            rows.destroy();
          }
        },
        release: (broken) => (broken ? conn.destroy() : conn.release()),
      };
    },
    close: () => pool.end(),
  };
}

function pgPool(target: ConnectionTarget, options: PoolOptions): SqlPool {
  const pool = new (pgDriver().Pool)({
    host: target.host,
    port: target.port,
    ...(target.user !== undefined ? { user: target.user } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.database !== undefined ? { database: target.database } : {}),
    max: Math.max(1, options.maxConnections),
    connectionTimeoutMillis: options.connectTimeoutMs,
    keepAlive: true,
    ...(options.wallClockZone ? { types: pgWallClock(options.wallClockZone) } : {}),
  });
  // An idle pooled client whose server goes away emits 'error' on the pool; unheard, it would
  // crash the process. The pool drops that client; the next write connects afresh.
  pool.on('error', (err) => options.logger.warn('an idle PostgreSQL connection failed', { error: err.message }));
  return {
    async acquire() {
      const client = await pool.connect();
      // Likewise while we hold it between two statements; the statement that follows fails.
      const onError = (): void => {};
      client.on('error', onError);
      return {
        // A parameterised query goes through the extended protocol (parse/bind): values never
        // become SQL text.
        run: async (sql, values) => void (await client.query({ text: sql, values: values as SqlValue[] | undefined })),
        query: async (sql, values) => (await client.query({ text: sql, values: values as QueryValue[] | undefined })).rows as Record<string, unknown>[],
        async *stream(sql, values, chunkRows) {
          const Cursor = pgCursor();
          const cursor = client.query(new Cursor(sql, values as QueryValue[]));
          try {
            for (;;) {
              const rows = await cursor.read(chunkRows);
              if (rows.length === 0) return;
              yield rows;
            }
          } finally {
            await cursor.close().catch(() => {});
          }
        },
        release: (broken) => {
          client.off('error', onError);
          client.release(broken);
        },
      };
    },
    close: () => pool.end(),
  };
}

/**
 * SQLite: one connection, used by one write at a time. The driver is synchronous, but a write
 * spans several statements (BEGIN … COMMIT) and the sink awaits between them, so a second write
 * must wait for the first to give the connection back.
 */
function sqlitePool(target: ConnectionTarget): SqlPool {
  const Database = sqliteDriver();
  // Wait up to 5 s for another process's write lock before SQLITE_BUSY (retried then).
  const db = new Database(target.path === ':memory:' ? ':memory:' : resolve(target.path!), { timeout: 5000 });
  const statements = new Map<string, BetterSqlite3.Statement>();
  let holder: Promise<void> = Promise.resolve();
  const prepare = (sql: string): BetterSqlite3.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      // Per-day tables make new SQL every day; keep the cache from growing without bound.
      if (statements.size >= 500) statements.clear();
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    async acquire() {
      const previous = holder;
      let free!: () => void;
      holder = new Promise<void>((r) => (free = r));
      await previous;
      let released = false;
      return {
        async run(sql, values) {
          // SQLite has no boolean type; bind true/false as 1/0 as its own docs advise.
          const bound = values ? values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)) : [];
          const statement = prepare(sql);
          if (statement.reader) statement.all(...bound);
          else statement.run(...bound);
        },
        async query(sql, values) {
          const bound = values ? values.map(sqliteValue) : [];
          return prepare(sql).all(...bound) as Record<string, unknown>[];
        },
        async *stream(sql, values, chunkRows) {
          // Not from the cache: an iterating statement cannot run again until it is done.
          yield* chunked(db.prepare(sql).iterate(...values.map(sqliteValue)) as Iterable<Record<string, unknown>>, chunkRows);
        },
        release() {
          if (released) return;
          released = true;
          free();
        },
      };
    },
    async close() {
      await holder;
      db.close();
    },
  };
}

/** mysql2 field conversion: DATETIME and TIMESTAMP text read in `zone`; everything else as the driver does. */
function mysqlWallClock(zone: TimeZone): MySql.TypeCast {
  return (field, next) => {
    if (field.type !== 'DATETIME' && field.type !== 'TIMESTAMP') return next();
    const text = field.string();
    return text === null ? null : wallTextToDate(text, zone);
  };
}

/** PostgreSQL type parsers: `timestamp` (without time zone, OID 1114) read in `zone`; the rest as pg does. */
function pgWallClock(zone: TimeZone): Pg.CustomTypesConfig {
  const { types } = pgDriver();
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === 1114 && format !== 'binary' ? (text: string) => wallTextToDate(text, zone) : types.getTypeParser(oid, format as 'text')) as Pg.CustomTypesConfig['getTypeParser'],
  };
}

/** Rows of a (sync or async) iterable in arrays of at most `size`. */
async function* chunked<T>(rows: Iterable<T> | AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const row of rows) {
    chunk.push(row);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** SQLite has no boolean or timestamp type: true/false bind as 1/0, a Date as UTC text in SQLite's own form. */
function sqliteValue(v: QueryValue): SqlValue {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  return v;
}
