/**
 * Baseline for the SQL scenarios: the raw driver inserting the same rows the pipeline writes
 * (seq, "Hello world!") as multi-row INSERTs of `batch` rows, one transaction each, one after
 * another. No event model, no threads: the floor for "how fast can this server take these rows".
 *
 *   node sql-insert.js <mysql|postgres> <table> <count> <batch>
 */
import { createRequire } from 'node:module';
import type * as MySql from 'mysql2/promise';
import type * as Pg from 'pg';

const require = createRequire(import.meta.url);
const [kind, table, countText, batchText] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countText);
const batch = Number(batchText);

function rowsFrom(start: number): unknown[] {
  const values: unknown[] = [];
  for (let i = start; i < Math.min(count, start + batch); i++) values.push(i, 'Hello world!');
  return values;
}

if (kind === 'mysql') {
  const mysql = require('mysql2/promise') as typeof MySql;
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' });
  for (let start = 0; start < count; start += batch) {
    const values = rowsFrom(start);
    const tuples = new Array<string>(values.length / 2).fill('(?,?)').join(',');
    await conn.query('START TRANSACTION');
    await conn.query(`INSERT INTO ${table} (seq, msg) VALUES ${tuples}`, values);
    await conn.query('COMMIT');
  }
  await conn.end();
} else {
  const pg = require('pg') as typeof Pg;
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  for (let start = 0; start < count; start += batch) {
    const values = rowsFrom(start);
    const tuples = Array.from({ length: values.length / 2 }, (_, i) => `($${2 * i + 1},$${2 * i + 2})`).join(',');
    await client.query('BEGIN');
    await client.query({ text: `INSERT INTO ${table} (seq, msg) VALUES ${tuples}`, values });
    await client.query('COMMIT');
  }
  await client.end();
}
process.stderr.write(`rows=${count}\n`);
