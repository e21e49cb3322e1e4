/**
 * The jdbc input streams a big result without paging: while the output holds everything back,
 * the process holds only what the queue admits (the rest waits with the server), and once the
 * output lets go every row arrives once. On MariaDB, PostgreSQL and SQLite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../../src/core/logger.js';
import { Pipeline } from '../../../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';
import { defineOutput } from '../../../../src/plugins/api.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { PluginRegistry } from '../../../../src/plugins/registry.js';
import { sleep, waitFor } from '../../../helpers/wait.js';
import { DATABASES, withDb, type Db } from '../../outputs/sql/helpers.js';

const ROWS = 50_000;
const PAD = 3000; // 150 MB of text in all: far more than the bound asserted below

/** What the gated output saw; it writes nothing until `open` is resolved. */
const gate = { ids: new Set<number>(), writes: 0, open: Promise.resolve(), release: () => {} };

const gatedOutput = defineOutput({
  kind: 'output',
  name: 'gated',
  description: 'test output that holds every write until the test opens the gate',
  options: {},
  createEncoder: () => ({ encode: (events) => ({ data: events.map((e) => Number(e.get('id'))) }) }),
  createSink: () => ({
    write: async (data) => {
      gate.writes++;
      await gate.open;
      for (const id of data as number[]) gate.ids.add(id);
    },
  }),
});

function bigQuery(kind: Db): string {
  switch (kind) {
    case 'mysql':
      return `SELECT seq AS id, REPEAT('x', ${PAD}) AS pad FROM seq_1_to_${ROWS}`;
    case 'postgres':
      return `SELECT g AS id, repeat('x', ${PAD}) AS pad FROM generate_series(1, ${ROWS}) AS g`;
    case 'sqlite':
      return `WITH RECURSIVE s(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM s WHERE id < ${ROWS}) SELECT id, replace(hex(zeroblob(${PAD / 2})), '0', 'x') AS pad FROM s`;
  }
}

for (const kind of DATABASES) {
  test(`${kind}: a ${ROWS}-row result is streamed: memory stays bounded while the output holds back, then every row arrives once`, { timeout: 60_000 }, async (t) => {
    await withDb(kind, [], async (db) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'logpipe-jdbc-stream-'));
      gate.ids = new Set();
      gate.writes = 0;
      gate.open = new Promise<void>((r) => (gate.release = r));
      const registry = new PluginRegistry();
      for (const d of builtinRegistry().all()) registry.register(d);
      registry.register(gatedOutput);
      const config = `input { jdbc { id => "in" jdbc_connection_string => ${JSON.stringify(db.url)} statement => ${JSON.stringify(bigQuery(kind))} } } output { gated { } }`;
      const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 125, batchDelayMs: 5, dataDir };
      const p = new Pipeline([{ name: 'stream.conf', text: config }], settings, createLogger('fatal'), registry);
      const heapBefore = process.memoryUsage().heapUsed;
      await p.start();
      const run = p.run();
      try {
        await waitFor('the first write', () => gate.writes > 0, 30_000);
        await sleep(1500); // the input reads on until the queue is full, then waits
        const read = p.pluginFigures()['in']?.eventsOut ?? 0;
        const grown = process.memoryUsage().heapUsed - heapBefore;
        t.diagnostic(`while held back: ${read} rows decoded, heap +${(grown / 1048576).toFixed(1)} MB`);
        assert.ok(read < ROWS / 2, `${read} rows were taken in while the output held back`);
        assert.ok(grown < 64 * 1024 * 1024, `the heap grew by ${(grown / 1048576).toFixed(1)} MB`);
        gate.release();
        await waitFor(`all ${ROWS} rows`, () => gate.ids.size >= ROWS, 45_000);
      } finally {
        gate.release();
        await p.stop();
        await run;
        rmSync(dataDir, { recursive: true, force: true });
      }
      assert.equal(gate.ids.size, ROWS);
      assert.equal(Math.min(...gate.ids), 1);
      assert.equal(Math.max(...gate.ids), ROWS);
    });
  });
}
