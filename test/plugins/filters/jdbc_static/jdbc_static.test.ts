/**
 * jdbc_static against the real MariaDB and PostgreSQL (tables lookups_static_*) and SQLite: loading
 * into the local database, lookups by field, sprintf and prepared parameters, defaults, scheduled
 * reloads that swap whole tables, and the bad cases (unreachable database at start, failing lookup
 * SQL, missing parameter fields, configuration mistakes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { waitFor } from '../../../helpers/wait.js';
import { openDb, uniqueName, withDb, SERVER_DATABASES, type TestDb } from '../../outputs/sql/helpers.js';
import { jdbcStaticFilter } from '../../../../src/plugins/filters/jdbc_static/index.js';
import { Timestamp } from '../../../../src/core/timestamp.js';
import { ConfigError } from '../../../../src/core/errors.js';

const SERVERS_OBJECT = { name: 'servers', index_columns: ['ip'], columns: [['ip', 'varchar(64)'], ['name', 'varchar(64)'], ['location', 'varchar(64)']] };

async function seedServers(db: TestDb, table: string): Promise<void> {
  await db.exec(`CREATE TABLE ${db.q(table)} (ip VARCHAR(64), name VARCHAR(64), location VARCHAR(64))`);
  await db.exec(`INSERT INTO ${db.q(table)} VALUES ('10.0.0.1', 'web-1', 'paris'), ('10.0.0.2', 'web-2', 'berlin'), ('10.0.1.1', 'db-1', 'paris')`);
}

for (const kind of SERVER_DATABASES) {
  test(`jdbc_static (${kind}): loaded rows answer lookups by field, sprintf and prepared parameters; default_hash; empty result`, async () => {
    const table = uniqueName('lookups_static_servers');
    await withDb(kind, [table], async (db) => {
      await seedServers(db, table);
      const f = await makeFilter(jdbcStaticFilter, {
        jdbc_driver_class: 'com.mysql.jdbc.Driver',
        jdbc_connection_string: db.url,
        loaders: [{ id: 'servers_load', query: `SELECT ip, name, location FROM ${db.q(table)}`, local_table: 'servers' }],
        local_db_objects: [SERVERS_OBJECT],
        local_lookups: [
          { id: 'by_ip', query: 'SELECT name, location FROM servers WHERE ip = :ip', parameters: { ip: '[src][ip]' }, target: 'server', default_hash: { name: 'unknown', location: 'unknown' } },
          { id: 'by_prefix', query: 'SELECT name FROM servers WHERE ip LIKE :prefix ORDER BY name', parameters: { prefix: '%{net}%' }, target: 'same_net' },
          { id: 'by_location', query: 'SELECT ip FROM servers WHERE location = ? ORDER BY ip', prepared_parameters: ['site'], target: '[site_servers]' },
        ],
        add_tag: ['enriched'],
      });
      try {
        const [known, unknown] = await f.run([
          { src: { ip: '10.0.0.2' }, net: '10.0.0.', site: 'paris' },
          { src: { ip: '192.168.9.9' }, net: '172.16.', site: 'tokyo' },
        ]);
        assert.deepEqual(known!.get('server'), [{ name: 'web-2', location: 'berlin' }]);
        assert.deepEqual(known!.get('same_net'), [{ name: 'web-1' }, { name: 'web-2' }]);
        assert.deepEqual(known!.get('site_servers'), [{ ip: '10.0.0.1' }, { ip: '10.0.1.1' }]);
        assert.deepEqual(known!.get('tags'), ['enriched']);
        // No row: default_hash where the lookup has one (tagged), an empty list where it has none.
        assert.deepEqual(unknown!.get('server'), [{ name: 'unknown', location: 'unknown' }]);
        assert.deepEqual(unknown!.get('same_net'), []);
        assert.deepEqual(unknown!.get('site_servers'), []);
        assert.deepEqual(unknown!.get('tags'), ['_jdbcstaticdefaultsused', 'enriched']);
      } finally {
        await f.close();
      }
    });
  });

  test(`jdbc_static (${kind}): loader_schedule reloads; a lookup sees the old table or the new one, never a mix`, async () => {
    const table = uniqueName('lookups_static_versions');
    await withDb(kind, [table], async (db) => {
      const rows = 3000;
      await db.exec(`CREATE TABLE ${db.q(table)} (k INTEGER, version VARCHAR(8))`);
      const fill = async (version: string): Promise<void> => {
        await db.exec(`DELETE FROM ${db.q(table)}`);
        const values = Array.from({ length: rows }, (_, i) => `(${i}, '${version}')`).join(', ');
        await db.exec(`INSERT INTO ${db.q(table)} VALUES ${values}`);
      };
      await fill('v1');
      const f = await makeFilter(jdbcStaticFilter, {
        jdbc_connection_string: db.url,
        loaders: [{ query: `SELECT k, version FROM ${db.q(table)}`, local_table: 'versions' }],
        local_db_objects: [{ name: 'versions', columns: [['k', 'INTEGER'], ['version', 'varchar(8)']] }],
        local_lookups: [{ id: 'state', query: 'SELECT COUNT(*) AS n, MIN(version) AS low, MAX(version) AS high FROM versions', target: 'state' }],
        loader_schedule: '* * * * * *',
      });
      try {
        const seen = new Set<string>();
        const observe = async (): Promise<string> => {
          const [e] = await f.one({});
          const [state] = e!.get('state') as Array<{ n: number; low: string; high: string }>;
          assert.equal(state!.n, rows, 'every row of one load, never a half-loaded table');
          assert.equal(state!.low, state!.high, 'rows of one load only');
          seen.add(state!.low);
          return state!.low;
        };
        assert.equal(await observe(), 'v1');
        await fill('v2');
        await waitFor('the scheduled reload to bring v2', async () => (await observe()) === 'v2', 15_000);
        assert.deepEqual([...seen].sort(), ['v1', 'v2']);
      } finally {
        await f.close();
      }
    });
  });
}

test('jdbc_static: an unreachable database at start fails with a clear error (Logstash fails register)', async () => {
  await assert.rejects(
    makeFilter(jdbcStaticFilter, {
      jdbc_connection_string: 'jdbc:mysql://127.0.0.1:1/test?user=root',
      loaders: [{ id: 'servers_load', query: 'SELECT ip, name, location FROM servers', local_table: 'servers' }],
      local_db_objects: [SERVERS_OBJECT],
      local_lookups: [{ query: 'SELECT name FROM servers WHERE ip = :ip', parameters: { ip: 'ip' }, target: 'server' }],
    }),
    (err: Error) => err instanceof ConfigError && /initial load of loader "servers_load" from mysql:\/\/root@127\.0\.0\.1:1\/test failed/.test(err.message) && /test\.conf|:\d+:\d+/.test(err.message),
  );
});

test('jdbc_static: failing lookup SQL and missing parameter fields tag the event (lookup tags win); the other lookups still run', async () => {
  const db = await openDb('sqlite');
  try {
    await seedServers(db, 'remote_servers');
    const f = await makeFilter(jdbcStaticFilter, {
      jdbc_connection_string: db.url,
      loaders: [{ query: 'SELECT ip, name, location FROM remote_servers', local_table: 'servers' }],
      local_db_objects: [SERVERS_OBJECT],
      local_lookups: [
        { id: 'good', query: 'SELECT name FROM servers WHERE ip = :ip', parameters: { ip: 'ip' }, target: 'server' },
        { id: 'no_table', query: 'SELECT name FROM missing_table WHERE ip = :ip', parameters: { ip: 'ip' }, target: 'broken' },
        { id: 'bad_json', query: "SELECT json_extract(:doc, '$.a') AS a", parameters: { doc: 'doc' }, target: 'parsed', tag_on_failure: ['_bad_json'] },
      ],
      add_tag: ['enriched'],
    });
    try {
      const [e, missing] = await f.run([{ ip: '10.0.0.1', doc: '{not json' }, { doc: '{"a": 1}' }]);
      assert.deepEqual(e!.get('server'), [{ name: 'web-1' }], 'a good lookup still runs');
      assert.equal(e!.get('broken'), undefined);
      assert.equal(e!.get('parsed'), undefined);
      assert.deepEqual(e!.get('tags'), ['_jdbcstaticfailure', '_bad_json'], 'failed: no add_tag');
      // No `ip` field: the lookups that need it do not run and tag; the json one runs.
      assert.equal(missing!.get('server'), undefined);
      assert.deepEqual(missing!.get('parsed'), [{ a: 1 }]);
      assert.deepEqual(missing!.get('tags'), ['_jdbcstaticfailure']);
      // A field holding a hash is not a parameter value either (as in Logstash).
      const [hash] = await f.one({ ip: { v4: '10.0.0.1' }, doc: '{}' });
      assert.equal(hash!.get('server'), undefined);
      assert.ok((hash!.get('tags') as string[]).includes('_jdbcstaticfailure'));
    } finally {
      await f.close();
    }
  } finally {
    await db.close();
  }
});

test('jdbc_static: timestamps come back as Timestamps; more than max_rows leaves the table as it was; target defaults to the id', async () => {
  const db = await openDb('sqlite');
  try {
    await db.exec('CREATE TABLE events (id INTEGER, seen TEXT)');
    await db.exec("INSERT INTO events VALUES (1, '2024-01-02 03:04:05.678'), (2, '2024-01-03 00:00:00.000')");
    const f = await makeFilter(jdbcStaticFilter, {
      jdbc_connection_string: db.url,
      loaders: [
        { query: 'SELECT id, seen FROM events', local_table: 'seen_at' },
        { id: 'too_many', query: 'SELECT id FROM events', local_table: 'small', max_rows: 1 },
      ],
      local_db_objects: [
        { name: 'seen_at', columns: [['id', 'INTEGER'], ['seen', 'TIMESTAMP']] },
        { name: 'small', columns: [['id', 'INTEGER']] },
      ],
      local_lookups: [
        { id: 'when', query: 'SELECT seen FROM seen_at WHERE id = :id', parameters: { id: 'id' } },
        { id: 'small_rows', query: 'SELECT COUNT(*) AS n FROM small', target: 'small' },
      ],
    });
    try {
      const [e] = await f.one({ id: 1 });
      const [row] = e!.get('when') as Array<{ seen: unknown }>;
      assert.ok(row!.seen instanceof Timestamp);
      assert.equal((row!.seen as Timestamp).toISOString(), '2024-01-02T03:04:05.678Z');
      assert.deepEqual(e!.get('small'), [{ n: 0 }], 'over max_rows: nothing loaded');
    } finally {
      await f.close();
    }
  } finally {
    await db.close();
  }
});

test('jdbc_static: configuration mistakes are refused together, with the plugin location', async () => {
  await assert.rejects(
    makeFilter(jdbcStaticFilter, {
      jdbc_connection_string: 'jdbc:sqlite::memory:',
      loaders: [{ query: 'SELECT 1' }],
      local_db_objects: [{ name: 'servers', columns: [['ip', 'varchar(64); DROP TABLE x']], index_columns: ['nope'] }],
      local_lookups: [
        { id: 'a', query: 'SELECT 1 WHERE 1 = ?', prepared_parameters: ['x', 'y'], target: 't' },
        { id: 'a', query: 'SELECT 1', target: 't' },
      ],
    }),
    (err: Error) => {
      assert.ok(err instanceof ConfigError);
      for (const part of ['needs local_table', 'column type "varchar(64); DROP TABLE x"', 'index column "nope"', 'prepared_parameters gives 2', 'id "a" is used 2 times', 'the same target "t"']) {
        assert.ok(err.message.includes(part), `${part} in ${err.message}`);
      }
      return true;
    },
  );
  await assert.rejects(
    makeFilter(jdbcStaticFilter, {
      jdbc_connection_string: 'jdbc:sqlite::memory:',
      loaders: [{ query: 'SELECT 1', local_table: 'undefined_table' }],
      local_lookups: [{ query: 'SELECT 1' }],
    }),
    /fills local_table "undefined_table", which local_db_objects does not define/,
  );
  await assert.rejects(
    makeFilter(jdbcStaticFilter, {
      jdbc_connection_string: 'jdbc:sqlite::memory:',
      local_lookups: [{ query: 'SELECT 1 WHERE 1 = :x', parameters: { y: 'y' } }],
    }),
    /uses :x but parameters gives no value/,
  );
});

test('jdbc_static: both ECS modes give the same fields (the plugin names none of its own; target defaults to the id)', async () => {
  const db = await openDb('sqlite');
  try {
    await seedServers(db, 'remote_servers');
    const settings = {
      jdbc_connection_string: db.url,
      loaders: [{ query: 'SELECT ip, name, location FROM remote_servers', local_table: 'servers' }],
      local_db_objects: [SERVERS_OBJECT],
      local_lookups: [{ id: 'server', query: 'SELECT name FROM servers WHERE ip = :ip', parameters: { ip: '[source][ip]' } }],
    };
    const outputs: unknown[] = [];
    for (const ecs of ['disabled', 'v8'] as const) {
      const f = await makeFilter(jdbcStaticFilter, settings, { ecs });
      try {
        outputs.push((await f.one({ source: { ip: '10.0.1.1' } }))[0]!.get('server'));
      } finally {
        await f.close();
      }
    }
    assert.deepEqual(outputs, [[{ name: 'db-1' }], [{ name: 'db-1' }]]);
  } finally {
    await db.close();
  }
});
