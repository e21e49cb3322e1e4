import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../../src/core/logger.js';
import { WorkerCore, type BatchResult } from '../../../../src/pipeline/worker-core.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';
import { workerInitFor } from '../../../helpers/harness.js';
import { Meter, quantile, Timer } from '../../../../src/plugins/filters/metrics/meters.js';

const written = (r: BatchResult): Record<string, any>[] =>
  r.outputs.flatMap((o) => (o.payload.data === undefined ? [] : Buffer.from(o.payload.data as Uint8Array).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>)));

test('meter: count, and 1-minute rate converging on the steady rate (EWMA, 5 s ticks)', () => {
  const m = new Meter([1, 5, 15]);
  m.mark(50);
  m.tick();
  const first: Record<string, number> = {};
  m.report(first);
  assert.equal(first['count'], 50);
  assert.equal(first['rate_1m'], 10, 'the first tick takes the instant rate: 50 events / 5 s');
  for (let i = 0; i < 120; i++) {
    m.mark(5);
    m.tick();
  }
  const later: Record<string, number> = {};
  m.report(later);
  assert.ok(Math.abs(later['rate_1m']! - 1) < 0.01, `1m rate ≈ 1/s after 10 min at 1/s: ${later['rate_1m']}`);
  assert.ok(later['rate_15m']! > later['rate_1m']!, 'the 15-minute rate still remembers the burst');
});

test('timer: min, max, mean, stddev and percentiles', () => {
  const t = new Timer([1], [50, 90, 100]);
  for (let v = 1; v <= 100; v++) t.record(v);
  const r: Record<string, number> = {};
  t.report(r);
  assert.equal(r['count'], 100);
  assert.equal(r['min'], 1);
  assert.equal(r['max'], 100);
  assert.equal(r['mean'], 50.5);
  assert.ok(Math.abs(r['stddev']! - 29.011) < 0.001);
  assert.equal(r['p50'], 50.5);
  assert.equal(r['p90'], 90.9);
  assert.equal(r['p100'], 100);
  assert.equal(quantile([], 0.5), 0);
});

test('metrics filter: meters and timers by name, reported at the flush interval as one decorated event', async () => {
  const config = `input { stdin { codec => json_lines } } filter {
    metrics { meter => ["events", "%{status}"] timer => { "rt" => "%{ms}" } flush_interval => 10 add_tag => ["metric"] }
  } output { stdout { codec => json_lines } }`;
  const core = await WorkerCore.create(workerInitFor([{ name: 'm.conf', text: config }], defaultSettings()), undefined, createLogger('error'));
  const lines = [{ status: 200, ms: 10 }, { status: 200, ms: 20 }, { status: 500, ms: 30 }, { status: 200, ms: 'n/a' }];
  const passed = written(await core.process([{ input: 0, data: new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join('\n') + '\n') }]));
  assert.equal(passed.length, 4);
  assert.ok(passed.every((e) => e['tags'] === undefined), 'counted events are not decorated');
  assert.equal(written(await core.flush(false)).length, 0, '5 s: not yet the 10 s interval');
  const [metric] = written(await core.flush(false));
  assert.ok(metric);
  assert.deepEqual(metric['tags'], ['metric']);
  assert.equal(typeof metric['message'], 'string');
  assert.equal(metric['events']['count'], 4);
  assert.equal(metric['200']['count'], 3);
  assert.equal(metric['500']['count'], 1);
  assert.equal(metric['rt']['count'], 3, 'a value that is not a number is skipped');
  assert.equal(metric['rt']['max'], 30);
  assert.equal(metric['rt']['mean'], 20);
  assert.ok(metric['events']['rate_1m'] > 0);
  assert.ok('p99' in metric['rt'] && 'rate_15m' in metric['rt']);
});

test('metrics filter: bad rates, percentiles or intervals are refused', async () => {
  const attempt = (opts: string): Promise<unknown> => WorkerCore.create(workerInitFor([{ name: 'm.conf', text: `input { stdin {} } filter { metrics { meter => "a" ${opts} } } output { stdout {} }` }], defaultSettings()), undefined, createLogger('fatal'));
  await assert.rejects(attempt('rates => [2]'), /rates must be among 1, 5 and 15/);
  await assert.rejects(attempt('percentiles => [101]'), /percentiles/);
  await assert.rejects(attempt('flush_interval => 7'), /multiple of 5/);
});
