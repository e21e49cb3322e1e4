/**
 * The sql/jdbc outputs against the real MariaDB and PostgreSQL and an SQLite file, through
 * their encoder and sink as the pipeline uses them (test/helpers/harness.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeOutput } from '../../../helpers/harness.js';
import { jdbcOutput, sqlOutput } from '../../../../src/plugins/outputs/sql/index.js';
import { OutputError, type WriteResult } from '../../../../src/plugins/api.js';
import { Event } from '../../../../src/core/event.js';
import { createSqlEncoder, tablePlan, type SqlBatch } from '../../../../src/plugins/outputs/sql/encoder.js';
import { dialectOf } from '../../../../src/plugins/outputs/sql/dialects.js';
import { DATABASES, SERVER_DATABASES, textType, uniqueName, withDb, type Db } from './helpers.js';

const SEED_COLUMNS = 'log_uuid_fp,log_uuid,log_time,ymd,network,active_time,ip,longitude,latitude,region_name,city_name,source_host';
const SEED_PARAMS = ['log_uuid_fp', 'log_uuid', 'log_time', 'ymd', 'network', 'active_time', 'ip', 'geoip[longitude]', 'geoip[latitude]', 'geoip[region_name]', 'geoip[city_name]', 'beat[hostname]'];

function seedTable(kind: Db, name: string): string {
  const real = kind === 'mysql' ? 'DOUBLE' : kind === 'postgres' ? 'DOUBLE PRECISION' : 'REAL';
  const t = (n: number) => textType(kind, n);
  return `CREATE TABLE ${name} (log_uuid_fp ${t(64)}, log_uuid ${t(36)}, log_time BIGINT, ymd INT, network ${t(32)}, active_time BIGINT, ip ${t(45)},
    longitude ${real}, latitude ${real}, region_name ${t(64)}, city_name ${t(64)}, source_host ${t(64)})`;
}

function seedEvent(ymd: number, n: number, geo = true): Record<string, unknown> {
  return {
    log_uuid_fp: `fp-${ymd}-${n}`, log_uuid: `uuid-${n}`, log_time: 1554076800 + n, ymd, network: n % 2 ? 'wifi' : '4g', active_time: 30 + n, ip: `1.2.3.${n}`,
    ...(geo ? { geoip: { longitude: 121.5 + n, latitude: 31.25, region_name: 'Shanghai', city_name: 'Shanghai' } } : {}),
    beat: { hostname: 'game-01' }, message: 'ignored',
  };
}

const num = (v: unknown): number | null => (v === null ? null : Number(v));

for (const kind of DATABASES) {
  test(`${kind}: jdbc with the seed's statement writes each row column by column, one table per day (unsafe_statement); an absent field binds NULL`, async () => {
    const prefix = uniqueName('for_bar');
    const days = [20190401, 20190402];
    await withDb(kind, days.map((d) => `${prefix}_${d}`), async (db) => {
      for (const d of days) await db.exec(seedTable(kind, `${prefix}_${d}`));
      const out = await makeOutput(jdbcOutput, {
        connection_string: db.url,
        unsafe_statement: true,
        max_flush_exceptions: 10,
        retry_initial_interval: 2,
        retry_max_interval: 128,
        retry_sql_states: ['100', 'HY00', '2015'],
        driver_class: 'com.mysql.jdbc.Driver',
        statement: [`INSERT INTO ${prefix}_%{ymd} (${SEED_COLUMNS}) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)`, ...SEED_PARAMS],
      });
      const events = [seedEvent(20190401, 1), seedEvent(20190402, 2), seedEvent(20190401, 3, false), seedEvent(20190402, 4)];
      const result = await out.sink.write(out.encode(events));
      assert.equal(result, undefined, 'every row written');
      await out.sink.close?.();
      const day1 = await db.rows(`SELECT * FROM ${prefix}_20190401 ORDER BY log_time`);
      const day2 = await db.rows(`SELECT * FROM ${prefix}_20190402 ORDER BY log_time`);
      assert.deepEqual(day1.map((r) => r['log_uuid_fp']), ['fp-20190401-1', 'fp-20190401-3']);
      assert.deepEqual(day2.map((r) => r['log_uuid_fp']), ['fp-20190402-2', 'fp-20190402-4']);
      const r = day1[0]!;
      assert.deepEqual(
        [r['log_uuid'], num(r['log_time']), num(r['ymd']), r['network'], num(r['active_time']), r['ip'], num(r['longitude']), num(r['latitude']), r['region_name'], r['city_name'], r['source_host']],
        ['uuid-1', 1554076801, 20190401, 'wifi', 31, '1.2.3.1', 122.5, 31.25, 'Shanghai', 'Shanghai', 'game-01'],
      );
      // The event without geoip: those four columns are NULL, as logstash-output-jdbc binds them.
      const noGeo = day1[1]!;
      assert.deepEqual([noGeo['longitude'], noGeo['latitude'], noGeo['region_name'], noGeo['city_name']], [null, null, null, null]);
      assert.equal(noGeo['source_host'], 'game-01');
    });
  });

  test(`${kind}: a constraint violation in the middle of a batch: that row is failed with the reason, the others are committed`, async () => {
    const table = uniqueName('lp_constraint');
    await withDb(kind, [table], async (db) => {
      await db.exec(`CREATE TABLE ${table} (id INT PRIMARY KEY, msg ${textType(kind, 20)} NOT NULL)`);
      await db.exec(`INSERT INTO ${table} (id, msg) VALUES (3, 'there before')`);
      const out = await makeOutput(jdbcOutput, { connection_string: db.url, statement: [`INSERT INTO ${table} (id, msg) VALUES (?, ?)`, 'id', 'msg'] });
      const events = [{ id: 1, msg: 'a' }, { id: 2, msg: 'b' }, { id: 3, msg: 'duplicate' }, { id: 4 }, { id: 5, msg: 'e' }];
      const result = (await out.sink.write(out.encode(events))) as WriteResult;
      await out.sink.close?.();
      assert.ok(result?.failed, 'the refused rows are reported');
      assert.deepEqual(result.failed.map((f) => f.index), [2, 3]);
      assert.match(result.failed[0]!.reason, /duplicate|unique/i);
      assert.match(result.failed[1]!.reason, /null/i);
      assert.match(result.failed[0]!.event!, /"values":\[3,"duplicate"\]/);
      const rows = await db.rows(`SELECT id, msg FROM ${table} ORDER BY id`);
      assert.deepEqual(rows.map((r) => [Number(r['id']), r['msg']]), [[1, 'a'], [2, 'b'], [3, 'there before'], [5, 'e']]);
    });
  });

  test(`${kind}: sql output, on_conflict => ignore: the same events written twice leave no duplicate rows`, async () => {
    const table = uniqueName('lp_idem');
    await withDb(kind, [table], async (db) => {
      await db.exec(`CREATE TABLE ${table} (fp ${textType(kind, 64)} PRIMARY KEY, msg ${textType(kind, 64)}, ts ${kind === 'postgres' ? 'TIMESTAMP(3)' : kind === 'mysql' ? 'DATETIME(3)' : 'TEXT'})`);
      const out = await makeOutput(sqlOutput, {
        url: db.url, table, on_conflict: 'ignore',
        columns: { fp: '[@metadata][fingerprint]', msg: 'message', ts: '@timestamp' },
      });
      const events = Array.from({ length: 50 }, (_, i) => ({ message: `m${i}`, '@timestamp': new Date(Date.UTC(2026, 0, 2, 3, 4, 5, i)).toISOString() }));
      // The fingerprint recipe: a key computed from the event's content (the fingerprint filter
      // puts it in [@metadata][fingerprint]; given directly here) in a unique column.
      const batch = () => events.map((e, i) => ({ ...e, '@metadata': { fingerprint: `fp${i}` } }));
      assert.equal(await out.sink.write(out.encode(batch())), undefined);
      assert.equal(await out.sink.write(out.encode(batch())), undefined, 'a redelivery is not an error');
      await out.sink.close?.();
      const rows = await db.rows(`SELECT COUNT(*) AS n, COUNT(DISTINCT fp) AS d FROM ${table}`);
      assert.equal(Number(rows[0]!['n']), 50);
      assert.equal(Number(rows[0]!['d']), 50);
      const first = await db.rows(`SELECT msg, ts FROM ${table} WHERE fp = 'fp7'`);
      assert.equal(first[0]!['msg'], 'm7');
      const ts = first[0]!['ts'];
      const iso = ts instanceof Date ? (kind === 'mysql' || kind === 'postgres' ? localAsUtc(ts) : ts.toISOString()) : String(ts);
      assert.match(iso, /^2026-01-02[T ]03:04:05\.007/);
    });
  });

  test(`${kind}: sql output, on_conflict => update: a second write of a key updates its other columns`, async () => {
    const table = uniqueName('lp_upsert');
    await withDb(kind, [table], async (db) => {
      await db.exec(`CREATE TABLE ${table} (k ${textType(kind, 32)} PRIMARY KEY, v INT)`);
      const out = await makeOutput(sqlOutput, { url: db.url, table, on_conflict: 'update', conflict_columns: ['k'], columns: { k: 'key', v: 'value' } });
      assert.equal(await out.sink.write(out.encode([{ key: 'a', value: 1 }, { key: 'b', value: 2 }])), undefined);
      assert.equal(await out.sink.write(out.encode([{ key: 'a', value: 10 }, { key: 'c', value: 3 }])), undefined);
      await out.sink.close?.();
      const rows = await db.rows(`SELECT k, v FROM ${table} ORDER BY k`);
      assert.deepEqual(rows.map((r) => [r['k'], Number(r['v'])]), [['a', 10], ['b', 2], ['c', 3]]);
    });
  });

  test(`${kind}: a batch larger than flush_size is split into several multi-row INSERTs and every row lands once`, async () => {
    const table = uniqueName('lp_many');
    await withDb(kind, [table], async (db) => {
      await db.exec(`CREATE TABLE ${table} (id INT PRIMARY KEY, msg ${textType(kind, 20)})`);
      const out = await makeOutput(jdbcOutput, { connection_string: db.url, flush_size: 300, statement: [`INSERT INTO ${table} (id, msg) VALUES (?, ?)`, 'id', 'msg'] });
      const events = Array.from({ length: 1001 }, (_, id) => ({ id, msg: `m${id}` }));
      assert.equal(await out.sink.write(out.encode(events)), undefined);
      await out.sink.close?.();
      const rows = await db.rows(`SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d, MAX(id) AS m FROM ${table}`);
      assert.deepEqual([Number(rows[0]!['n']), Number(rows[0]!['d']), Number(rows[0]!['m'])], [1001, 1001, 1000]);
    });
  });
}

/** mysql2 and pg read DATETIME/TIMESTAMP as local-time Dates; the column holds the UTC wall time we wrote. */
function localAsUtc(d: Date): string {
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString();
}

for (const kind of SERVER_DATABASES) {
  test(`${kind}: a value too long for its column is a failed row with the reason (strict mode); the rest is committed`, async () => {
    const table = uniqueName('lp_long');
    await withDb(kind, [table], async (db) => {
      await db.exec(`CREATE TABLE ${table} (id INT, code VARCHAR(4))`);
      const out = await makeOutput(jdbcOutput, { connection_string: db.url, statement: [`INSERT INTO ${table} (id, code) VALUES (?, ?)`, 'id', 'code'] });
      const result = (await out.sink.write(out.encode([{ id: 1, code: 'ok' }, { id: 2, code: 'much too long' }, { id: 3, code: 'fine' }]))) as WriteResult;
      await out.sink.close?.();
      assert.deepEqual(result?.failed?.map((f) => f.index), [1]);
      assert.match(result.failed![0]!.reason, /too long/i);
      const rows = await db.rows(`SELECT id, code FROM ${table} ORDER BY id`);
      assert.deepEqual(rows.map((r) => [Number(r['id']), r['code']]), [[1, 'ok'], [3, 'fine']]);
    });
  });

  test(`${kind}: a server that cannot be reached makes the write fail as retryable`, async () => {
    const url = kind === 'mysql' ? 'jdbc:mysql://127.0.0.1:1/test?user=root' : 'jdbc:postgresql://127.0.0.1:1/test?user=postgres';
    const out = await makeOutput(jdbcOutput, { connection_string: url, connection_timeout: 2000, statement: ['INSERT INTO nowhere (a) VALUES (?)', 'a'] });
    await assert.rejects(out.sink.write(out.encode([{ a: 1 }])), (err: unknown) => {
      assert.ok(err instanceof OutputError);
      assert.equal(err.failure, 'retryable');
      assert.match(err.message, /cannot connect/);
      return true;
    });
    await out.sink.close?.();
  });
}

test('a statement whose placeholders and parameters do not match is refused at start', async () => {
  await assert.rejects(makeOutput(jdbcOutput, { connection_string: 'jdbc:sqlite::memory:', statement: ['INSERT INTO t (a, b) VALUES (?, ?)', 'a'] }), /2 placeholder\(s\) but 1 parameter/);
});

test('sql output: a per-day table name rendered from event data must be a plain identifier, or the event is rejected', () => {
  const encoder = createSqlEncoder(tablePlan(dialectOf('postgres'), 't_%{ymd}', { a: 'a' }, 'none', []));
  const payload = encoder.encode([new Event({ ymd: '20190401', a: 'x' }), new Event({ ymd: '1; DROP TABLE x', a: 'y' }), new Event({ ymd: '20190402', a: 'z' })])!;
  const groups = payload.data as SqlBatch;
  assert.deepEqual(groups.map((g) => [g.sql, g.indexes, g.width, g.values]), [
    ['INSERT INTO "t_20190401" ("a") VALUES (?)', [0], 1, ['x']],
    ['INSERT INTO "t_20190402" ("a") VALUES (?)', [1], 1, ['z']],
  ]);
  assert.equal(payload.rejected?.length, 1);
  assert.match(payload.rejected![0]!.reason, /not a plain identifier/);
});
