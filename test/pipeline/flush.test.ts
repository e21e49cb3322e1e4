import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Event } from '../../src/core/event.js';
import { createLogger } from '../../src/core/logger.js';
import { defineFilter } from '../../src/plugins/api.js';
import { WorkerCore, type BatchResult } from '../../src/pipeline/worker-core.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../src/pipeline/settings.js';
import { registryWith, workerInitFor } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** Counts events and, on flush, hands on one event saying how many it saw (and whether the flush was final). */
const countingFilter = defineFilter({
  kind: 'filter',
  name: 'counting',
  description: 'test filter',
  options: { periodic: { type: 'boolean', default: false, description: '' } },
  periodicFlush: (options) => options.periodic,
  create() {
    let seen = 0;
    return {
      filter: () => (seen++, true),
      flush(emit, final) {
        if (seen === 0) return;
        emit(new Event({ message: 'count', seen, final }));
        seen = 0;
      },
    };
  },
});

const written = (r: BatchResult): Record<string, unknown>[] =>
  r.outputs.flatMap((o) => (o.payload.data === undefined ? [] : Buffer.from(o.payload.data as Uint8Array).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)));

async function core(config: string): Promise<WorkerCore> {
  const registry = registryWith(countingFilter);
  return WorkerCore.create(workerInitFor([{ name: 'f.conf', text: config }], defaultSettings(), registry), registry, createLogger('error'));
}

test('flushed events go on through the filters after the flushing one, inside and out of its conditional', async () => {
  const c = await core(`input { stdin {} } filter {
    mutate { add_tag => ["before"] }
    if [message] != "skip" {
      counting {}
      mutate { add_tag => ["same-branch"] }
    } else {
      mutate { add_tag => ["else-branch"] }
    }
    if [message] == "count" { mutate { add_field => { "routed" => "yes" } } }
    mutate { add_tag => ["after"] }
  } output { stdout { codec => json_lines } }`);
  await c.process([{ input: 0, data: new TextEncoder().encode('a\nb\nskip\n') }]);
  const flushed = written(await c.flush(true));
  assert.equal(flushed.length, 1);
  const e = flushed[0]!;
  assert.equal(e['seen'], 2);
  assert.equal(e['final'], true);
  assert.deepEqual(e['tags'], ['same-branch', 'after'], 'not the filters before it, nor the other branch');
  assert.equal(e['routed'], 'yes', 'a later conditional sees it');
  assert.equal(written(await c.flush(true)).length, 0, 'nothing held: nothing flushed');
});

test('a pipeline flushes a filter that asks for it every 5 s while running, and once more at the end', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-flush-'));
  const out = join(dir, 'out.json');
  const settings = { ...defaultSettings(), workers: 1, batchSize: 1, threads: false, dataDir: join(dir, 'data') };
  const registry = registryWith(countingFilter);
  // One event per batch and 100 ms of sleep each: ~7 s of running, so at least one periodic flush happens meanwhile.
  const config = `input { generator { count => 70 } } filter { counting { periodic => true } sleep { time => "0.1" } } output { file { path => "${out}" flush_interval => 0 } }`;
  const p = new Pipeline([{ name: 'p.conf', text: config }], settings, createLogger('error'), registry);
  await p.start();
  const periodic = (): Record<string, unknown>[] => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e['message'] === 'count') : []);
  await waitFor('a periodic flush', () => periodic().length > 0, 9000);
  assert.equal(periodic()[0]!['final'], false);
  await p.run();
  const counts = periodic();
  assert.equal(counts[counts.length - 1]!['final'], true, 'the last flush is the final one');
  assert.equal(counts.reduce((n, e) => n + (e['seen'] as number), 0), 70, 'every event counted exactly once across flushes');
});
