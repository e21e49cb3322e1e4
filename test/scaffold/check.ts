/**
 * Shared by the scaffold tests (split in files so each stays within the test timeout): `logpipe scaffold` on sample logs of eleven public formats: the generated config, run by a real
 * `logpipe run`, must parse at least 95% of the lines with the time of each in @timestamp, and the
 * generated DDL must take the events through the real sql output into SQLite and MariaDB.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type * as MySql from 'mysql2/promise';
import { waitFor } from '../helpers/wait.js';
import { exited } from '../helpers/processes.js';

const require = createRequire(import.meta.url);
const mysql = require('mysql2/promise') as typeof MySql;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'logpipe.js');
export const SAMPLES = join(ROOT, 'test', 'scaffold', 'samples');
const MARIADB = 'mysql://root@127.0.0.1:3306/test';

const pad = (n: string): string => n.padStart(2, '0');
const MONTHS: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Per format: the format name scaffold must report, and the instant written in a line (ISO), or
 * for year-less formats the "MM-DDTHH:MM:SS" part @timestamp must contain.
 */
export const FORMATS: Record<string, { format: RegExp; time: (line: string) => string | undefined; multiline?: boolean }> = {
  'apache-access.log': { format: /Apache\/Nginx access log \(combined\)/, time: (l) => {
    const m = /\[(\d\d)\/(\w{3})\/(\d{4}):(\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)\]/.exec(l);
    return m ? iso(Date.parse(`${m[3]}-${MONTHS[m[2]!]}-${m[1]}T${m[4]}${m[5]}:${m[6]}`)) : undefined;
  } },
  'apache-error.log': { format: /Apache error log/, time: (l) => {
    const m = /^\[\w{3} (\w{3}) (\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{3})\d*)? (\d{4})\]/.exec(l);
    return m ? `${m[5]}-${MONTHS[m[1]!]}-${m[2]}T${m[3]}.${m[4] ?? '000'}Z` : undefined;
  } },
  'nginx-json.log': { format: /JSON lines/, time: (l) => iso(Date.parse((JSON.parse(l) as { time_iso8601: string }).time_iso8601)) },
  'linux-syslog.log': { format: /syslog \(RFC 3164\)/, time: (l) => {
    const m = /^(\w{3}) +(\d+) (\d\d:\d\d:\d\d)/.exec(l);
    return m ? `-${MONTHS[m[1]!]}-${pad(m[2]!)}T${m[3]}.000Z` : undefined;
  } },
  'openssh.log': { format: /OpenSSH/, time: (l) => {
    const m = /^(\w{3}) +(\d+) (\d\d:\d\d:\d\d)/.exec(l);
    return m ? `-${MONTHS[m[1]!]}-${pad(m[2]!)}T${m[3]}.000Z` : undefined;
  } },
  'hdfs.log': { format: /HDFS/, time: (l) => {
    const m = /^(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d)/.exec(l);
    return m ? `20${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : undefined;
  } },
  'zookeeper.log': { format: /Zookeeper \(log4j\)/, multiline: true, time: (l) => {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3})/.exec(l);
    return m ? `${m[1]}T${m[2]}.${m[3]}Z` : undefined;
  } },
  'windows-cbs.log': { format: /Windows CBS/, time: (l) => {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),/.exec(l);
    return m ? `${m[1]}T${m[2]}.000Z` : undefined;
  } },
  'android-logcat.log': { format: /Android logcat/, time: (l) => {
    const m = /^(\d\d)-(\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(l);
    return m ? `-${m[1]}-${m[2]}T${m[3]}Z` : undefined;
  } },
  'transactions.csv': { format: /CSV with a header/, time: (l) => {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),/.exec(l);
    return m ? `${m[1]}T${m[2]}.000Z` : undefined;
  } },
  'audit.log': { format: /Linux audit/, time: (l) => {
    const m = /msg=audit\((\d+)\.(\d{3}):/.exec(l);
    return m ? iso(Number(m[1]) * 1000 + Number(m[2])) : undefined;
  } },
};

export function scaffold(sample: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'scaffold', sample, ...args], { encoding: 'utf8', timeout: 90_000 });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

/** Runs a generated config over the sample; a file input never ends, so it is stopped once `until(stdout)` holds. */
async function runPipeline(conf: string, sample: string, env: Record<string, string>, fileInput: boolean, until: (stdout: string) => boolean | Promise<boolean>): Promise<string> {
  const args = [BIN, 'run', '-f', conf, '--path.data', mkdtempSync(join(tmpdir(), 'lp-scaffold-data-')), '--log.level', 'error'];
  const child = spawn(process.execPath, args, { stdio: [fileInput ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  if (fileInput) {
    try {
      await waitFor(`the pipeline to take in ${sample}`, () => until(out), 60_000);
    } finally {
      child.kill('SIGTERM');
    }
  } else {
    child.stdin!.end(readFileSync(sample));
  }
  assert.equal(await exited(child), 0, err);
  return out;
}

const FAILURE = /^_/;

/** Scaffolds one sample, runs the result for real and loads it into SQLite and MariaDB. */
export async function checkFormat(file: string): Promise<void> {
  const spec = FORMATS[file]!;
  const sample = join(SAMPLES, file);
  const lines = readFileSync(sample, 'utf8').split('\n').filter((l) => l !== '');
  const dir = mkdtempSync(join(tmpdir(), 'lp-scaffold-'));
  const input = spec.multiline ? ['--input', 'file'] : [];
  const expectedTimes = lines.map((l) => spec.time(l)).filter((t): t is string => t !== undefined);
  // Lines that belong to an event: every line, or for multi-line events, the lines up to the next event.
  const eventLines = spec.multiline ? lines.length : expectedTimes.length;

  // 1. The config with the default stdout output (JSON lines): parse rate and @timestamp.
  const r = scaffold(sample, [...input, '-o', join(dir, 'stdout.conf'), '--test', join(dir, 'tests.yaml'), '--es-template', join(dir, 'template.json')]);
  assert.match(r.stderr, spec.format);
  const reported = /parsed (\d+) of (\d+) sample lines/.exec(r.stderr)!;
  assert.equal(Number(reported[2]), lines.length);
  assert.ok(Number(reported[1]) >= 0.95 * lines.length, r.stderr);
  const count = (out: string): number => out.split('\n').filter((l) => l !== '').length;
  const stdout = await runPipeline(join(dir, 'stdout.conf'), sample, {}, spec.multiline === true, (out) => count(out) >= expectedTimes.length);
  const events = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { '@timestamp': string; tags?: string[] });
  const unused = [...expectedTimes];
  let good = 0;
  const year = new Date().getUTCFullYear();
  for (const e of events) {
    if ((e.tags ?? []).some((t) => FAILURE.test(t))) continue;
    const ts = e['@timestamp'];
    const at = unused.findIndex((t) => (t.startsWith('-') ? ts.includes(t) && [year, year - 1].includes(Number(ts.slice(0, 4))) : t === ts));
    if (at >= 0) {
      unused.splice(at, 1);
      good++;
    }
  }
  const goodLines = spec.multiline ? Math.round((good / expectedTimes.length) * eventLines) : good;
  assert.ok(goodLines >= 0.95 * eventLines, `${good} of ${expectedTimes.length} events have the right @timestamp; missing e.g. ${unused.slice(0, 3).join(', ')}`);

  // The generated test file passes against the generated config; the template is valid JSON with the time mapped.
  const t = spawnSync(process.execPath, [BIN, 'test', join(dir, 'tests.yaml'), join(dir, 'stdout.conf')], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stdout + t.stderr);
  assert.match(t.stdout, /^5 passed, 0 failed, 5 total$/m);
  const template = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as { template: { mappings: { properties: Record<string, { type?: string }> } } };
  assert.equal(template.template.mappings.properties['@timestamp']!.type, 'date');

  // 2. SQL: the DDL creates the table, the generated sql output fills it, one row per event.
  const table = `scaffold_${file.replace(/\W/g, '_')}_${process.pid}_${Date.now() % 100000}`;
  for (const dialect of ['sqlite', 'mysql'] as const) {
    const s = scaffold(sample, [...input, '--output', 'sql', '--table', table, '--sql', dialect, '--sql-out', join(dir, `${dialect}.sql`), '-o', join(dir, `${dialect}.conf`)]);
    void s;
    const ddl = readFileSync(join(dir, `${dialect}.sql`), 'utf8');
    if (dialect === 'sqlite') {
      const dbFile = join(dir, 'events.db');
      const db = new Database(dbFile);
      db.exec(ddl);
      const rows = (): number => (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
      await runPipeline(join(dir, 'sqlite.conf'), sample, { LOGPIPE_SQL_URL: `sqlite:${dbFile}` }, spec.multiline === true, () => rows() >= events.length);
      assert.equal(rows(), events.length);
      const nullTs = (db.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE ts IS NULL`).get() as { n: number }).n;
      assert.equal(nullTs, 0);
      db.close();
    } else {
      const conn = await mysql.createConnection(MARIADB);
      try {
        await conn.query(ddl);
        const rows = async (): Promise<number> => ((await conn.query(`SELECT COUNT(*) AS n FROM \`${table}\``))[0] as { n: number }[])[0]!.n;
        await runPipeline(join(dir, 'mysql.conf'), sample, { LOGPIPE_SQL_URL: MARIADB }, spec.multiline === true, async () => (await rows()) >= events.length);
        assert.equal(await rows(), events.length);
        const [[first]] = (await conn.query(`SELECT MIN(ts) AS t FROM \`${table}\``)) as unknown as [{ t: Date }[]];
        assert.ok(first!.t instanceof Date && first!.t.getUTCFullYear() >= 2025, `MIN(ts) = ${String(first?.t)}`);
      } finally {
        await conn.query(`DROP TABLE IF EXISTS \`${table}\``);
        await conn.end();
      }
    }
  }
}
