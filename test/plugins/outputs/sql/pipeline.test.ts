/**
 * Whole pipelines (generator → jdbc/sql) on worker threads, as `logpipe run` starts them:
 * every event lands exactly once, and rows the database refuses go to the failure path without
 * holding the pipeline up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../../src/core/logger.js';
import { Pipeline } from '../../../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { DATABASES, SERVER_DATABASES, textType, uniqueName, withDb } from './helpers.js';

async function runPipeline(config: string, extra: { failedEventsPath?: string } = {}): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logpipe-sql-data-'));
  try {
    const settings = { ...defaultSettings(), workers: 2, threads: true, batchSize: 125, batchDelayMs: 5, dataDir, failedEventsPath: extra.failedEventsPath };
    const p = new Pipeline([{ name: 'sql.conf', text: config }], settings, createLogger('fatal'), builtinRegistry());
    await p.start();
    return await p.run();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const quote = (s: string) => JSON.stringify(s);

for (const kind of DATABASES) {
  test(`${kind}: generator → jdbc on two worker threads: every event lands exactly once`, async () => {
    const table = uniqueName('lp_pipe');
    await withDb(kind, [table], async (db) => {
      await db.exec(`CREATE TABLE ${table} (seq INT PRIMARY KEY, msg ${textType(kind, 40)}, host ${textType(kind, 64)})`);
      const statement = [`INSERT INTO ${table} (seq, msg, host) VALUES (?, ?, ?)`, 'sequence', 'message', 'host'].map(quote).join(', ');
      const outcome = await runPipeline(`input { generator { count => 3000 message => "hello %{x}" } } output { jdbc { connection_string => ${quote(db.url)} statement => [${statement}] } }`);
      assert.equal(outcome, 'drained');
      const rows = await db.rows(`SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d, MIN(seq) AS lo, MAX(seq) AS hi FROM ${table}`);
      assert.deepEqual([rows[0]!['n'], rows[0]!['d'], rows[0]!['lo'], rows[0]!['hi']].map(Number), [3000, 3000, 0, 2999]);
      const one = await db.rows(`SELECT msg FROM ${table} WHERE seq = 7`);
      assert.equal(one[0]!['msg'], 'hello %{x}');
    });
  });
}

for (const kind of SERVER_DATABASES) {
  test(`${kind}: rows the database refuses go to the failure path with the reason; the pipeline drains and writes the rest`, async () => {
    const table = uniqueName('lp_refuse');
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-sql-failed-'));
    const failedPath = join(dir, 'failed.jsonl');
    try {
      await withDb(kind, [table], async (db) => {
        // Every 10th event has a code longer than the column allows.
        await db.exec(`CREATE TABLE ${table} (seq INT PRIMARY KEY, code VARCHAR(3) NOT NULL)`);
        const statement = [`INSERT INTO ${table} (seq, code) VALUES (?, ?)`, 'sequence', 'code'].map(quote).join(', ');
        const config = `input { generator { count => 500 } }
          filter { js { code => "event.set('code', event.get('sequence') % 10 === 0 ? 'too long' : 'ok')" } }
          output { sql { url => ${quote(db.url)} statement => [${statement}] } }`;
        assert.equal(await runPipeline(config, { failedEventsPath: failedPath }), 'drained');
        const rows = await db.rows(`SELECT COUNT(*) AS n FROM ${table}`);
        assert.equal(Number(rows[0]!['n']), 450);
        const failed = readFileSync(failedPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        assert.equal(failed.length, 50);
        assert.ok(failed.every((f) => /too long/i.test(JSON.stringify(f))), 'each failure carries the reason');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
