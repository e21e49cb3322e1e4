import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { DATABASES, openDb, uniqueName } from '../../outputs/sql/helpers.js';
import { jdbcStreamingFilter } from '../../../../src/plugins/filters/jdbc_streaming/index.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

for (const kind of DATABASES) {
  test(`jdbc_streaming (${kind}): rows for the event's values into target; default_hash when none; cache`, async () => {
    const db = await openDb(kind);
    const table = uniqueName('lp_users');
    try {
      await db.exec(`CREATE TABLE ${db.q(table)} (id INTEGER, name VARCHAR(40), country VARCHAR(8))`);
      await db.exec(`INSERT INTO ${db.q(table)} VALUES (1, 'alice', 'FR'), (2, 'bob', 'DE'), (2, 'bob-alt', 'AT')`);
      const f = await makeFilter(jdbcStreamingFilter, {
        jdbc_connection_string: db.url,
        statement: `SELECT name, country FROM ${db.q(table)} WHERE id = :uid ORDER BY name`,
        parameters: { uid: '[user][id]' },
        target: 'user_rows',
        default_hash: { name: 'unknown' },
        add_tag: ['looked_up'],
      });
      const [one, two, none] = await f.run([{ user: { id: 1 } }, { user: { id: 2 } }, { user: { id: 99 } }]);
      assert.deepEqual(one!.get('user_rows'), [{ name: 'alice', country: 'FR' }]);
      assert.deepEqual(two!.get('user_rows'), [{ name: 'bob', country: 'DE' }, { name: 'bob-alt', country: 'AT' }]);
      assert.deepEqual(none!.get('user_rows'), [{ name: 'unknown' }]);
      assert.deepEqual(none!.get('tags'), ['_jdbcstreamingdefaultsused', 'looked_up']);
      // Cached for cache_expiration (5 s): a row changed meanwhile is not seen yet.
      await db.exec(`UPDATE ${db.q(table)} SET name = 'alicia' WHERE id = 1`);
      assert.deepEqual((await f.one({ user: { id: 1 } }))[0]!.get('user_rows'), [{ name: 'alice', country: 'FR' }]);
      await f.close();
    } finally {
      await db.exec(`DROP TABLE ${db.q(table)}`).catch(() => {});
      await db.close();
    }
  });
}

test('jdbc_streaming: prepared statements with field and literal bind values; timestamps come back as Timestamps', async () => {
  const db = await openDb('sqlite');
  try {
    await db.exec(`CREATE TABLE t (k TEXT, v TEXT, at TEXT)`);
    await db.exec(`INSERT INTO t VALUES ('a', 'x', '2024-01-02T03:04:05.000Z'), ('a', 'y', '2024-01-02T03:04:05.000Z')`);
    const f = await makeFilter(jdbcStreamingFilter, {
      jdbc_connection_string: db.url,
      statement: 'SELECT v FROM t WHERE k = ? AND v <> ? ORDER BY v',
      use_prepared_statements: true,
      prepared_statement_bind_values: ['[key]', 'y'],
      target: 'found',
      use_cache: false,
    });
    assert.deepEqual((await f.one({ key: 'a' }))[0]!.get('found'), [{ v: 'x' }]);
    await f.close();
  } finally {
    await db.close();
  }
  const mysql = await openDb('mysql');
  const table = uniqueName('lp_ts');
  try {
    await mysql.exec(`CREATE TABLE ${table} (id INT, seen DATETIME(3))`);
    await mysql.exec(`INSERT INTO ${table} VALUES (1, '2024-01-02 03:04:05.678')`);
    const f = await makeFilter(jdbcStreamingFilter, { jdbc_connection_string: mysql.url, statement: `SELECT seen FROM ${table} WHERE id = :id`, parameters: { id: 'id' }, target: 'r' });
    const seen = ((await f.one({ id: 1 }))[0]!.get('r') as Record<string, unknown>[])[0]!['seen'];
    assert.ok(seen instanceof Timestamp, 'a DATETIME column is a Timestamp');
    await f.close();
  } finally {
    await mysql.exec(`DROP TABLE ${table}`).catch(() => {});
    await mysql.close();
  }
});

test('jdbc_streaming: a failing query tags _jdbcstreamingfailure; the events go on', async () => {
  const f = await makeFilter(jdbcStreamingFilter, {
    jdbc_connection_string: 'jdbc:mysql://127.0.0.1:1/test?user=root',
    statement: 'SELECT 1 AS one WHERE 1 = :x', parameters: { x: 'x' }, target: 'r', add_tag: ['ok'],
  });
  const out = await f.run([{ x: 1 }, { x: 2 }]);
  assert.equal(out.length, 2);
  assert.ok(out.every((e) => JSON.stringify(e.get('tags')) === '["_jdbcstreamingfailure"]'));
  await f.close();
});

test('jdbc_streaming: parameters the statement needs, and bind value counts, are checked at start', async () => {
  const url = 'jdbc:sqlite::memory:';
  await assert.rejects(makeFilter(jdbcStreamingFilter, { jdbc_connection_string: url, statement: 'SELECT :a', target: 'r' }), /:a/);
  await assert.rejects(makeFilter(jdbcStreamingFilter, { jdbc_connection_string: url, statement: 'SELECT ?, ?', use_prepared_statements: true, prepared_statement_bind_values: ['[a]'], target: 'r' }), /2 "\?" but prepared_statement_bind_values gives 1/);
});
