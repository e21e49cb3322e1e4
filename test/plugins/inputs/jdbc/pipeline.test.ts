/**
 * The jdbc input in whole pipelines (jdbc → file on worker threads) against the real MariaDB and
 * PostgreSQL and SQLite in a temp file: every row becomes one event, incremental runs read only
 * new rows, paging reads every row once, and :sql_last_value is recorded only after the rows
 * were acknowledged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../../src/core/logger.js';
import { Pipeline, type ShutdownOutcome } from '../../../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { Password } from '../../../../src/config/schema.js';
import type { PluginContext } from '../../../../src/plugins/api.js';
import { jdbcInput } from '../../../../src/plugins/inputs/jdbc/index.js';
import { DATABASES, textType, uniqueName, withDb, type Db, type TestDb } from '../../outputs/sql/helpers.js';

const quote = (s: string) => JSON.stringify(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  pipeline: Pipeline;
  done: Promise<ShutdownOutcome>;
}

function startPipeline(config: string, dataDir: string, extra: Partial<ReturnType<typeof defaultSettings>> = {}): Run {
  const settings = { ...defaultSettings(), workers: 2, threads: true, batchSize: 125, batchDelayMs: 5, dataDir, ...extra };
  const pipeline = new Pipeline([{ name: 'jdbc.conf', text: config }], settings, createLogger('fatal'), builtinRegistry());
  const done = pipeline.start().then(() => pipeline.run());
  return { pipeline, done };
}

function events(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function withDirs(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-jdbc-in-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tsType(kind: Db): string {
  return kind === 'mysql' ? 'DATETIME(3)' : kind === 'postgres' ? 'TIMESTAMP(3)' : 'TEXT';
}

/** Rows first..last: id, name "row <id>", ts 2024-01-01 + id seconds. */
async function insertRows(db: TestDb, table: string, first: number, last: number): Promise<void> {
  for (let from = first; from <= last; from += 500) {
    const values: string[] = [];
    for (let id = from; id <= Math.min(last, from + 499); id++) {
      const ts = new Date(Date.UTC(2024, 0, 1) + id * 1000).toISOString().replace('T', ' ').replace('Z', '');
      values.push(`(${id}, 'row ${id}', '${ts}')`);
    }
    await db.exec(`INSERT INTO ${table} (id, Name, ts) VALUES ${values.join(', ')}`);
  }
}

async function createTable(db: TestDb, table: string): Promise<void> {
  await db.exec(`CREATE TABLE ${table} (id INT PRIMARY KEY, Name ${textType(db.kind, 40)}, ts ${tsType(db.kind)})`);
}

function config(url: string, opts: string, out: string): string {
  return `input { jdbc { jdbc_connection_string => ${quote(url)} jdbc_driver_class => "com.mysql.jdbc.Driver" ${opts} } } output { file { path => ${quote(out)} } }`;
}

for (const kind of DATABASES) {
  test(`${kind}: a table of N rows becomes N events (run once, the input ends); columns are fields, timestamps stay timestamps`, async () => {
    const table = uniqueName('lp_jin');
    await withDb(kind, [table], async (db) => {
      await createTable(db, table);
      await insertRows(db, table, 1, 1234);
      await withDirs(async (dir) => {
        const out = join(dir, 'out.jsonl');
        const { done } = startPipeline(config(db.url, `statement => "SELECT id, Name, ts FROM ${table} ORDER BY id" last_run_metadata_path => ${quote(join(dir, 'last'))}`, out), join(dir, 'data'));
        assert.equal(await done, 'drained');
        const got = events(out);
        assert.equal(got.length, 1234);
        assert.deepEqual(new Set(got.map((e) => e['id'])).size, 1234);
        const e7 = got.find((e) => e['id'] === 7)!;
        assert.equal(e7['name'], 'row 7', 'column names are lowercased');
        if (kind !== 'sqlite') assert.equal(e7['ts'], '2024-01-01T00:00:07.000Z');
        // Without use_column_value the recorded value is the run's start time.
        const recorded = readFileSync(join(dir, 'last'), 'utf8');
        assert.match(recorded, /^--- \d{4}-\d\d-\d\dT/);
      });
    });
  });

  test(`${kind}: incremental runs with tracking_column pick up only new rows; :sql_last_value recorded after the ack`, async () => {
    const table = uniqueName('lp_jinc');
    await withDb(kind, [table], async (db) => {
      await createTable(db, table);
      await insertRows(db, table, 1, 300);
      await withDirs(async (dir) => {
        const last = join(dir, 'last');
        const opts = `statement => "SELECT * FROM ${table} WHERE id > :sql_last_value AND name <> :skip ORDER BY id"
          parameters => { "skip" => "row 5" } use_column_value => true tracking_column => "id" last_run_metadata_path => ${quote(last)}`;
        const out1 = join(dir, 'out1.jsonl');
        assert.equal(await startPipeline(config(db.url, opts, out1), join(dir, 'data')).done, 'drained');
        assert.equal(events(out1).length, 299);
        assert.equal(readFileSync(last, 'utf8'), '--- 300\n');
        await insertRows(db, table, 301, 350);
        const out2 = join(dir, 'out2.jsonl');
        assert.equal(await startPipeline(config(db.url, opts, out2), join(dir, 'data')).done, 'drained');
        assert.deepEqual(events(out2).map((e) => e['id']), Array.from({ length: 50 }, (_, i) => 301 + i));
        assert.equal(readFileSync(last, 'utf8'), '--- 350\n');
        // clean_run starts again from 0.
        const out3 = join(dir, 'out3.jsonl');
        assert.equal(await startPipeline(config(db.url, `${opts} clean_run => true`, out3), join(dir, 'data')).done, 'drained');
        assert.equal(events(out3).length, 349);
      });
    });
  });

  test(`${kind}: a timestamp tracking column picks up only newer rows`, async () => {
    const table = uniqueName('lp_jts');
    await withDb(kind, [table], async (db) => {
      await createTable(db, table);
      await insertRows(db, table, 1, 40);
      await withDirs(async (dir) => {
        const last = join(dir, 'last');
        const opts = `statement => "SELECT id, ts FROM ${table} WHERE ts > :sql_last_value ORDER BY ts"
          use_column_value => true tracking_column => "ts" tracking_column_type => "timestamp" last_run_metadata_path => ${quote(last)}`;
        const out1 = join(dir, 'out1.jsonl');
        assert.equal(await startPipeline(config(db.url, opts, out1), join(dir, 'data')).done, 'drained');
        assert.equal(events(out1).length, 40);
        assert.equal(readFileSync(last, 'utf8'), '--- 2024-01-01T00:00:40.000Z\n');
        await insertRows(db, table, 41, 45);
        const out2 = join(dir, 'out2.jsonl');
        assert.equal(await startPipeline(config(db.url, opts, out2), join(dir, 'data')).done, 'drained');
        assert.deepEqual(events(out2).map((e) => e['id']), [41, 42, 43, 44, 45]);
      });
    });
  });

  test(`${kind}: paging returns every row once`, async () => {
    const table = uniqueName('lp_jpg');
    await withDb(kind, [table], async (db) => {
      await createTable(db, table);
      await insertRows(db, table, 1, 1001);
      await withDirs(async (dir) => {
        const out = join(dir, 'out.jsonl');
        const opts = `statement => "SELECT id FROM ${table} ORDER BY id" jdbc_paging_enabled => true jdbc_page_size => 100 last_run_metadata_path => ${quote(join(dir, 'last'))}`;
        assert.equal(await startPipeline(config(db.url, opts, out), join(dir, 'data')).done, 'drained');
        const ids = events(out).map((e) => e['id'] as number).sort((a, b) => a - b);
        assert.deepEqual(ids, Array.from({ length: 1001 }, (_, i) => i + 1));
      });
    });
  });

  test(`${kind}: :sql_last_value is not advanced when the output never acknowledges; the next start reads the rows again`, async () => {
    const table = uniqueName('lp_jna');
    await withDb(kind, [table], async (db) => {
      await createTable(db, table);
      await insertRows(db, table, 1, 200);
      await withDirs(async (dir) => {
        const last = join(dir, 'last');
        writeFileSync(join(dir, 'blocker'), 'a file, not a directory');
        const opts = `statement => "SELECT id FROM ${table} WHERE id > :sql_last_value ORDER BY id" use_column_value => true tracking_column => "id" last_run_metadata_path => ${quote(last)}`;
        // The output's directory is a file: every write fails and is retried; nothing is acknowledged.
        const stuck = startPipeline(config(db.url, opts, join(dir, 'blocker', 'out.jsonl')), join(dir, 'data'), { shutdownTimeoutMs: 300 });
        await sleep(1500);
        await stuck.pipeline.stop();
        assert.notEqual(await stuck.done, 'drained');
        assert.equal(existsSync(last), false, 'nothing recorded');
        const out = join(dir, 'out.jsonl');
        assert.equal(await startPipeline(config(db.url, opts, out), join(dir, 'data')).done, 'drained');
        assert.equal(events(out).length, 200, 'every row read again');
        assert.equal(readFileSync(last, 'utf8'), '--- 200\n');
      });
    });
  });
}

for (const kind of ['mysql', 'postgres'] as const) {
  test(`${kind}: jdbc_default_timezone reads zone-less timestamps as wall times in that zone and binds :sql_last_value the same way`, async () => {
    const table = uniqueName('lp_jtz');
    /** Rows whose ts is 2024-01-01 08:00:00 + id s in Shanghai (UTC+8): midnight UTC + id s. */
    const insert = async (db: TestDb, first: number, last: number): Promise<void> => {
      const values: string[] = [];
      for (let id = first; id <= last; id++) values.push(`(${id}, '2024-01-01 08:00:${String(id).padStart(2, '0')}')`);
      await db.exec(`INSERT INTO ${table} (id, ts) VALUES ${values.join(', ')}`);
    };
    await withDb(kind, [table], async (db) => {
      await db.exec(`CREATE TABLE ${table} (id INT PRIMARY KEY, ts ${tsType(kind)})`);
      await insert(db, 1, 40);
      await withDirs(async (dir) => {
        const last = join(dir, 'last');
        const opts = `statement => "SELECT id, ts FROM ${table} WHERE ts > :sql_last_value ORDER BY ts" jdbc_default_timezone => "Asia/Shanghai"
          use_column_value => true tracking_column => "ts" tracking_column_type => "timestamp" last_run_metadata_path => ${quote(last)}`;
        const out1 = join(dir, 'out1.jsonl');
        assert.equal(await startPipeline(config(db.url, opts, out1), join(dir, 'data')).done, 'drained');
        const first = events(out1);
        assert.equal(first.length, 40);
        assert.equal(first.find((e) => e['id'] === 7)!['ts'], '2024-01-01T00:00:07.000Z');
        assert.equal(readFileSync(last, 'utf8'), '--- 2024-01-01T00:00:40.000Z\n');
        await insert(db, 41, 45);
        const out2 = join(dir, 'out2.jsonl');
        assert.equal(await startPipeline(config(db.url, opts, out2), join(dir, 'data')).done, 'drained');
        // Bound as 08:00:40 Shanghai wall time: only the newer rows (as UTC wall text, all 45 would match).
        assert.deepEqual(events(out2).map((e) => e['id']), [41, 42, 43, 44, 45]);
      });
    });
  });
}

test('sqlite: a schedule runs the statement again; each new row arrives once', async () => {
  const table = uniqueName('lp_jsch');
  await withDb('sqlite', [table], async (db) => {
    await createTable(db, table);
    await insertRows(db, table, 1, 10);
    await withDirs(async (dir) => {
      const out = join(dir, 'out.jsonl');
      const opts = `statement => "SELECT id FROM ${table} WHERE id > :sql_last_value ORDER BY id" schedule => "* * * * * *"
        use_column_value => true tracking_column => "id" last_run_metadata_path => ${quote(join(dir, 'last'))}`;
      const run = startPipeline(config(db.url, opts, out), join(dir, 'data'));
      for (let i = 0; i < 100 && events(out).length < 10; i++) await sleep(50);
      await insertRows(db, table, 11, 15);
      for (let i = 0; i < 100 && events(out).length < 15; i++) await sleep(50);
      await sleep(1200);
      await run.pipeline.stop();
      assert.equal(await run.done, 'drained');
      assert.deepEqual(events(out).map((e) => e['id']), Array.from({ length: 15 }, (_, i) => i + 1));
    });
  });
});

test('config errors: an unknown :name, both statement options, a bad schedule, use_column_value without a column, an unknown zone', () => {
  const base = { jdbc_connection_string: new Password('jdbc:sqlite::memory:'), parameters: {}, use_column_value: false, tracking_column_type: 'numeric',
    record_last_run: true, clean_run: false, jdbc_paging_enabled: false, jdbc_page_size: 100, lowercase_column_names: true, connection_timeout: 1000 };
  const ctx = { id: 'jdbc_1', name: 'jdbc', pipelineId: 'main', logger: createLogger('fatal'), dataDir: tmpdir(), batchSize: 125 } as unknown as PluginContext;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ statement: 'SELECT :nope' }, /:nope/],
    [{ statement: 'SELECT 1', statement_filepath: '/tmp/x.sql' }, /exactly one of statement and statement_filepath/],
    [{ statement: 'SELECT 1', schedule: 'every day' }, /invalid schedule/],
    [{ statement: 'SELECT 1', use_column_value: true }, /needs tracking_column/],
    [{ statement: 'SELECT 1', jdbc_default_timezone: 'Mars/Olympus' }, /jdbc_default_timezone: unknown time zone "Mars\/Olympus"/],
  ];
  for (const [opts, message] of cases) {
    assert.throws(() => jdbcInput.createSource({ ...base, ...opts } as never, ctx), message);
  }
});
