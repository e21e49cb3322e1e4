/**
 * jdbc_static's local database: an in-memory SQLite (better-sqlite3) per filter instance, which
 * takes the place of Logstash's embedded Derby. Tables come from `local_db_objects`; the loaders'
 * rows replace their contents in one transaction, and better-sqlite3 is synchronous, so a lookup
 * (also synchronous, on the same thread) sees either the old or the new contents of every table,
 * never a half-loaded one. See docs/decisions/0025.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { lazyRequire } from '../../../core/lazy.js';
import { Timestamp } from '../../../core/timestamp.js';
import type { DbObjectSettings } from './settings.js';

const sqliteDriver = lazyRequire<typeof BetterSqlite3>('better-sqlite3');

/** What SQLite stores: it has no boolean or timestamp type. */
export type LocalValue = string | number | bigint | Buffer | null;

/** Declared column types read back as timestamps (stored as UTC text). */
const TIMESTAMP_TYPE = /^\s*(timestamp|datetime|date)\b/i;

/** A value for SQLite: Dates and Timestamps as UTC text "YYYY-MM-DD HH:MM:SS.SSS", booleans as 1/0, structures as JSON. */
export function localValue(value: unknown): LocalValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Timestamp) return sqliteTime(value.epochMs);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : sqliteTime(value.getTime());
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return JSON.stringify(value);
}

function sqliteTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** A SQLite value as an event value: timestamp columns as Timestamp, big integers as numbers when exact. */
function eventValue(value: unknown, timestamp: boolean): unknown {
  if (timestamp && typeof value === 'string') {
    const ms = Date.parse(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
    return Number.isNaN(ms) ? value : new Timestamp(ms);
  }
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return value;
}

export interface LocalQuery {
  /** The rows for these bound values; keys lowercased, as Logstash's Derby connection gives them. */
  rows(values: LocalValue[]): Record<string, unknown>[];
}

export class LocalDatabase {
  private readonly db: BetterSqlite3.Database;

  constructor(objects: DbObjectSettings[]) {
    const Database = sqliteDriver();
    this.db = new Database(':memory:');
    for (const object of objects) {
      const columns = object.columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
      this.db.exec(`CREATE TABLE ${object.preserveExisting ? 'IF NOT EXISTS ' : ''}"${object.name}" (${columns})`);
      if (object.indexColumns.length > 0) {
        this.db.exec(`CREATE INDEX IF NOT EXISTS "${object.name}_${object.indexColumns.join('_')}_index" ON "${object.name}" (${object.indexColumns.map((c) => `"${c}"`).join(', ')})`);
      }
    }
  }

  /** Whether a table of that name exists (a loader's local_table must). */
  hasTable(name: string): boolean {
    return this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`).get(name) !== undefined;
  }

  /**
   * Replaces the rows of each given table, all in one transaction. Rows go in by position (the
   * loader query's column order is the table's), as Logstash's import does. Throws, changing
   * nothing, when a row does not fit its table.
   */
  replace(tables: ReadonlyMap<string, Record<string, unknown>[]>): void {
    const load = this.db.transaction(() => {
      for (const [table, rows] of tables) {
        this.db.prepare(`DELETE FROM "${table}"`).run();
        if (rows.length === 0) continue;
        const width = Object.keys(rows[0]!).length;
        const insert = this.db.prepare(`INSERT INTO "${table}" VALUES (${Array.from({ length: width }, () => '?').join(', ')})`);
        for (const row of rows) insert.run(...Object.values(row).map(localValue));
      }
    });
    load();
  }

  /** Prepares a lookup query (positional `?` placeholders); throws on SQL the local database refuses. */
  prepare(sql: string): LocalQuery {
    const statement = this.db.prepare(sql);
    if (!statement.reader) throw new Error('a lookup query must return rows (SELECT)');
    const columns = statement.columns().map((c) => ({ key: c.name.toLowerCase(), timestamp: c.type !== null && TIMESTAMP_TYPE.test(c.type) }));
    statement.raw(true);
    return {
      rows(values) {
        const rows = statement.all(...values) as unknown[][];
        return rows.map((row) => {
          const out: Record<string, unknown> = {};
          columns.forEach((c, i) => (out[c.key] = eventValue(row[i], c.timestamp)));
          return out;
        });
      },
    };
  }

  close(): void {
    this.db.close();
  }
}
