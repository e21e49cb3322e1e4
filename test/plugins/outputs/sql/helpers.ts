/**
 * The real databases the SQL tests write to: the shared MariaDB (127.0.0.1:3306, root, database
 * `test`) and PostgreSQL (127.0.0.1:5432, trust auth, database `test`), and SQLite in a temp
 * file. A server that is not there fails the test (the first query throws): it is never skipped.
 * Each test uses its own table names (unique per process and call) and drops them afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as MySql from 'mysql2/promise';
import type * as Pg from 'pg';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

export type Db = 'mysql' | 'postgres' | 'sqlite';
export const DATABASES: Db[] = ['mysql', 'postgres', 'sqlite'];
export const SERVER_DATABASES: Db[] = ['mysql', 'postgres'];

export const MYSQL_URL = 'jdbc:mysql://127.0.0.1:3306/test?user=root&password=&useUnicode=true&characterEncoding=UTF-8&autoReconnect=true';
export const PG_URL = 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres';

let counter = 0;
/** A table name no other test (or concurrent test process) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now() % 100000}_${counter++}`;
}

/** Plain access to one database, for setting tables up and reading what the output wrote. */
export interface TestDb {
  kind: Db;
  /** The jdbc connection string the outputs under test use. */
  url: string;
  exec(sql: string): Promise<void>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** Identifier quoting of this dialect. */
  q(name: string): string;
  close(): Promise<void>;
}

export async function openDb(kind: Db): Promise<TestDb> {
  if (kind === 'mysql') {
    const mysql = require('mysql2/promise') as typeof MySql;
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test', charset: 'utf8mb4' });
    return {
      kind, url: MYSQL_URL,
      exec: async (sql) => void (await conn.query(sql)),
      rows: async (sql) => (await conn.query(sql))[0] as Record<string, unknown>[],
      q: (n) => `\`${n}\``,
      close: () => conn.end(),
    };
  }
  if (kind === 'postgres') {
    const pg = require('pg') as typeof Pg;
    const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await client.connect();
    return {
      kind, url: PG_URL,
      exec: async (sql) => void (await client.query(sql)),
      rows: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
      q: (n) => `"${n}"`,
      close: () => client.end(),
    };
  }
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-sql-'));
  const path = join(dir, 'test.db');
  const db = new Database(path);
  return {
    kind, url: `jdbc:sqlite:${path}`,
    exec: async (sql) => void db.exec(sql),
    rows: async (sql) => db.prepare(sql).all() as Record<string, unknown>[],
    q: (n) => `"${n}"`,
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens `kind`, runs `fn`, drops `tables` and closes, whatever happened. */
export async function withDb(kind: Db, tables: string[], fn: (db: TestDb) => Promise<void>): Promise<void> {
  const db = await openDb(kind);
  try {
    await fn(db);
  } finally {
    for (const t of tables) await db.exec(`DROP TABLE IF EXISTS ${db.q(t)}`).catch(() => {});
    await db.close();
  }
}

/** Column types that read the same on every dialect. */
export function textType(kind: Db, length: number): string {
  return kind === 'sqlite' ? 'TEXT' : `VARCHAR(${length})`;
}
