/**
 * A private MariaDB stopped for 30 s under load and started again, with `bin/logpipe.js run`
 * writing an endless generator into it: the output retries, the pipeline holds its input back
 * (the process's RSS stays bounded while nothing can be written), and once the server is back
 * every event the generator produced up to the stop is in the table exactly once (by sequence
 * number: the set 0..max, without a hole).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrivateMariaDb } from '../../../helpers/mariadb.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');
const BIN = join(ROOT, 'bin', 'logpipe.js');
const OUTAGE_MS = 30_000;

/** Resident memory of a process, from /proc (kB → bytes). */
function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

test('mariadb stopped for 30 s under load: the output retries, memory stays bounded, every event lands once after the restart', { timeout: 120_000 }, async (t) => {
  const db = await PrivateMariaDb.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'logpipe-sql-stop-'));
  const config = `input { generator { count => 0 message => "m" } }
    output { sql { id => "db" url => "${db.url}" connection_timeout => 1000 retry_initial_interval => 0.2 retry_max_interval => 1
      table => "lp_stop" columns => { "seq" => "sequence" "msg" => "message" }
      create_table => true column_types => { "seq" => "BIGINT" "msg" => "VARCHAR(16)" } primary_key => ["seq"] on_conflict => "ignore" } }`;
  const child = spawn(process.execPath, [BIN, 'run', '-e', config, '--path.data', dataDir, '--log.level', 'error', '-w', '2', '-b', '125'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const conn = await db.connect();
  const rows = async (): Promise<number> => {
    const [result] = await conn.query('SELECT COUNT(*) AS n FROM lp_stop');
    return Number((result as Array<{ n: unknown }>)[0]!.n);
  };
  let reader = conn;
  try {
    await waitFor('the first 5000 rows', async () => (await rows().catch(() => 0)) >= 5000, 30_000);
    await sleep(500);
    const rssBefore = rssOf(child.pid!);
    await conn.end().catch(() => {});
    await db.stop();

    // While the server is away: sample the pipeline's RSS every 500 ms.
    let rssMax = 0;
    const until = Date.now() + OUTAGE_MS;
    while (Date.now() < until) {
      assert.equal(child.exitCode, null, `logpipe exited during the outage:\n${log}`);
      rssMax = Math.max(rssMax, rssOf(child.pid!));
      await sleep(500);
    }
    t.diagnostic(`RSS before the outage ${(rssBefore / 1048576).toFixed(1)} MB, at most ${(rssMax / 1048576).toFixed(1)} MB during it`);
    // An unbounded queue fed by an endless generator would take hundreds of MB in 30 s.
    assert.ok(rssMax - rssBefore < 64 * 1024 * 1024, `RSS grew by ${((rssMax - rssBefore) / 1048576).toFixed(1)} MB while the database was away`);
    assert.match(log, /output failed; retrying/, 'the output said it retries');

    await db.start();
    reader = await db.connect();
    const [before] = await reader.query('SELECT COUNT(*) AS n FROM lp_stop');
    const atRestart = Number((before as Array<{ n: unknown }>)[0]!.n);
    await waitFor('rows written after the restart', async () => {
      const [r] = await reader.query('SELECT COUNT(*) AS n FROM lp_stop');
      return Number((r as Array<{ n: unknown }>)[0]!.n) >= atRestart + 5000;
    }, 30_000);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `logpipe exit status; log:\n${log}`);

    const [summary] = await reader.query('SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d, MIN(seq) AS lo, MAX(seq) AS hi FROM lp_stop');
    const { n, d, lo, hi } = (summary as Array<Record<string, unknown>>)[0]!;
    assert.equal(Number(n), Number(d));
    assert.equal(Number(lo), 0);
    // Every sequence from 0 to the last one written is there: nothing was lost across the outage.
    assert.equal(Number(n), Number(hi) + 1, 'no sequence missing');
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await reader.end().catch(() => {});
    await db.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
