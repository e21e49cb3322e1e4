/**
 * create_table (tables made from the declared columns, one per rendered name) and failure_table
 * (refused rows kept with their reason and event) on the real MariaDB and PostgreSQL and an
 * SQLite file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeOutput } from '../../../helpers/harness.js';
import { jdbcOutput, sqlOutput } from '../../../../src/plugins/outputs/sql/index.js';
import type { WriteResult } from '../../../../src/plugins/api.js';
import { DATABASES, uniqueName, withDb } from './helpers.js';

const TYPES = { id: 'INT NOT NULL', code: 'VARCHAR(8) NOT NULL', ymd: 'INT' };

for (const kind of DATABASES) {
  test(`${kind}: create_table makes each per-day table once from column_types; refused rows go to the failure table with reason and event; the rest is written`, async () => {
    const base = uniqueName('lp_ct');
    const failures = `${base}_failed`;
    const days = [`${base}_20190401`, `${base}_20190402`];
    await withDb(kind, [...days, failures], async (db) => {
      const out = await makeOutput(sqlOutput, {
        url: db.url.replace(/&useUnicode.*$/, ''),
        table: `${base}_%{ymd}`,
        columns: { id: 'id', code: 'code', ymd: 'ymd' },
        create_table: true, column_types: TYPES, primary_key: ['id'],
        on_conflict: 'ignore',
        failure_table: failures,
      });
      try {
        const events = [
          { id: 1, code: 'a', ymd: 20190401 },
          { id: 2, ymd: 20190401, note: 'no code' }, // NOT NULL violated
          { id: 3, code: 'b', ymd: 20190402 },
          { id: 4, code: 'c', ymd: 20190402 },
        ];
        const first = (await out.sink.write(out.encode(events))) as WriteResult | undefined;
        assert.equal(first?.failed, undefined, 'rows kept in the failure table do not also go to the failure path');
        // The same events again (a redelivery): the tables exist, the keys skip the duplicates.
        await out.sink.write(out.encode(events));
      } finally {
        await out.sink.close?.();
      }
      const ids = async (t: string) => (await db.rows(`SELECT id FROM ${db.q(t)} ORDER BY id`)).map((r) => Number(r['id']));
      assert.deepEqual(await ids(days[0]!), [1]);
      assert.deepEqual(await ids(days[1]!), [3, 4]);
      // The declared primary key is there: a duplicate written by hand is refused.
      await assert.rejects(db.exec(`INSERT INTO ${db.q(days[1]!)} (id, code, ymd) VALUES (3, 'x', 1)`));

      const kept = await db.rows(`SELECT failed_at, output, reason, statement, row_values, event FROM ${db.q(failures)} ORDER BY id`);
      assert.equal(kept.length, 2, 'the refused row, once per delivery');
      for (const row of kept) {
        assert.match(String(row['reason']), /null/i);
        assert.match(String(row['statement']), new RegExp(`INSERT INTO .${base}_20190401.`));
        assert.deepEqual(JSON.parse(String(row['row_values'])), [2, null, 20190401]);
        const event = JSON.parse(String(row['event'])) as Record<string, unknown>;
        assert.equal(event['id'], 2);
        assert.equal(event['note'], 'no code');
        assert.ok(row['failed_at'] !== null);
      }
    });
  });
}

for (const kind of ['mysql', 'postgres'] as const) {
  test(`${kind}: jdbc with failure_table_only => false: a value too long goes to the failure table and to the failure path`, async () => {
    const table = uniqueName('lp_ft');
    const failures = `${table}_failed`;
    await withDb(kind, [table, failures], async (db) => {
      await db.exec(`CREATE TABLE ${table} (id INT, code VARCHAR(4))`);
      const out = await makeOutput(jdbcOutput, {
        connection_string: db.url,
        statement: [`INSERT INTO ${table} (id, code) VALUES (?, ?)`, 'id', 'code'],
        failure_table: failures, failure_table_only: false,
      });
      let result: WriteResult | undefined;
      try {
        result = (await out.sink.write(out.encode([{ id: 1, code: 'ok' }, { id: 2, code: 'much too long' }, { id: 3, code: 'fine' }]))) as WriteResult;
      } finally {
        await out.sink.close?.();
      }
      assert.deepEqual(result?.failed?.map((f) => f.index), [1]);
      assert.equal((JSON.parse(result!.failed![0]!.event!) as Record<string, unknown>)['code'], 'much too long', 'the failure path gets the original event');
      assert.deepEqual((await db.rows(`SELECT id FROM ${table} ORDER BY id`)).map((r) => Number(r['id'])), [1, 3]);
      const kept = await db.rows(`SELECT reason, event FROM ${db.q(failures)}`);
      assert.equal(kept.length, 1);
      assert.match(String(kept[0]!['reason']), /too long/i);
      assert.equal((JSON.parse(String(kept[0]!['event'])) as Record<string, unknown>)['id'], 2);
    });
  });
}

test('sqlite: a failure table whose own columns refuse the records leaves the rows to the failure path', async () => {
  const table = uniqueName('lp_fb');
  const failures = `${table}_failed`;
  await withDb('sqlite', [table, failures], async (db) => {
    await db.exec(`CREATE TABLE ${table} (id INT, code TEXT NOT NULL)`);
    // A table of that name already exists with other columns: CREATE IF NOT EXISTS keeps it, the insert fails.
    await db.exec(`CREATE TABLE ${failures} (something_else TEXT)`);
    const out = await makeOutput(jdbcOutput, { connection_string: db.url, statement: [`INSERT INTO ${table} (id, code) VALUES (?, ?)`, 'id', 'code'], failure_table: failures });
    let result: WriteResult | undefined;
    try {
      result = (await out.sink.write(out.encode([{ id: 1, code: 'x' }, { id: 2 }]))) as WriteResult;
    } finally {
      await out.sink.close?.();
    }
    assert.deepEqual(result?.failed?.map((f) => f.index), [1]);
    assert.match(result!.failed![0]!.reason, /NOT NULL/);
    assert.deepEqual((await db.rows(`SELECT id FROM ${table}`)).map((r) => Number(r['id'])), [1]);
  });
});

test('create_table options are checked at start', async () => {
  const base = { url: 'sqlite::memory:', table: 't', columns: { a: 'a', b: 'b' } };
  await assert.rejects(makeOutput(sqlOutput, { ...base, create_table: true }), /needs column_types/);
  await assert.rejects(makeOutput(sqlOutput, { ...base, create_table: true, column_types: { a: 'INT' } }), /column "b" has no type/);
  await assert.rejects(makeOutput(sqlOutput, { ...base, create_table: true, column_types: { a: 'INT', b: 'TEXT); DROP TABLE x; --' } }), /not a plain SQL type/);
  await assert.rejects(makeOutput(sqlOutput, { ...base, create_table: true, column_types: { a: 'INT', b: 'TEXT', c: 'INT' } }), /"c", which is not in columns/);
  await assert.rejects(makeOutput(sqlOutput, { ...base, create_table: true, column_types: { a: 'INT', b: 'TEXT' }, primary_key: ['z'] }), /primary_key names "z"/);
  await assert.rejects(makeOutput(sqlOutput, { ...base, column_types: { a: 'INT', b: 'TEXT' } }), /applies with create_table/);
  await assert.rejects(makeOutput(sqlOutput, { ...base, failure_table: 'x; DROP' }), /not a plain identifier/);
  const ok = await makeOutput(sqlOutput, { ...base, create_table: true, column_types: { a: 'DECIMAL(10, 2) NOT NULL', b: 'VARCHAR(64)' }, primary_key: ['a'] });
  await ok.sink.close?.();
});
