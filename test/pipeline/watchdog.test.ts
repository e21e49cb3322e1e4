import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { BUDGET_MS, HEARTBEAT_BYTES, STEP, WorkerHeartbeat } from '../../src/pipeline/heartbeat.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../src/pipeline/settings.js';
import { Watchdog } from '../../src/pipeline/watchdog.js';

function fakeClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

test('heartbeat: unwatched without shared cells; enter/step/leave write the cells; a guarded batch is not watched', () => {
  const lone = new WorkerHeartbeat();
  lone.arm();
  assert.equal(lone.watched, false);
  assert.equal(lone.used, false);
  lone.enter(50); // no cells: nothing to do, no throw
  lone.leave();

  const shared = new SharedArrayBuffer(HEARTBEAT_BYTES);
  const cells = new Int32Array(shared);
  const hb = new WorkerHeartbeat(shared);
  assert.equal(hb.watched, true);
  assert.equal(hb.used, false, 'not used until a plugin arms it');
  hb.arm();
  assert.equal(hb.used, true);
  hb.enter(250.5);
  assert.equal(cells[BUDGET_MS], 251);
  const s = cells[STEP]!;
  hb.step();
  hb.step();
  assert.equal(cells[STEP], s + 2);
  hb.leave();
  assert.equal(cells[BUDGET_MS], 0);
  hb.setGuarded(true);
  assert.equal(hb.watched, false);
  hb.setGuarded(false);
  assert.equal(hb.watched, true);
});

test('watchdog: reports a worker whose step outlasts its budget, once; progress and idle time never count', () => {
  const clock = fakeClock();
  const stuck: Array<[number, number]> = [];
  const dog = new Watchdog((i, budget) => stuck.push([i, budget]), clock.now, 1_000_000);
  const a = new SharedArrayBuffer(HEARTBEAT_BYTES);
  const b = new SharedArrayBuffer(HEARTBEAT_BYTES);
  const ha = new WorkerHeartbeat(a);
  const hb = new WorkerHeartbeat(b);
  dog.watch(0, a);
  dog.watch(1, b);
  try {
    // Idle for a long time: outside a watched stretch nothing is reported.
    clock.advance(10_000);
    dog.check();
    assert.deepEqual(stuck, []);

    // Worker 0 keeps stepping (many quick events), worker 1 enters and stays on one step.
    ha.enter(100);
    hb.enter(100);
    for (let i = 0; i < 5; i++) {
      dog.check();
      clock.advance(60);
      ha.step();
    }
    assert.deepEqual(stuck, [[1, 100]]);
    ha.leave();

    // Reported once; the replacement is watched again with fresh state.
    clock.advance(1000);
    dog.check();
    assert.deepEqual(stuck, [[1, 100]]);
    dog.watch(1, b);
    hb.leave();
    clock.advance(1000);
    dog.check();
    assert.equal(stuck.length, 1);

    // A step just under its budget is fine; leaving and re-entering starts over.
    ha.enter(100);
    dog.check();
    clock.advance(99);
    dog.check();
    ha.leave();
    dog.check();
    clock.advance(500);
    dog.check();
    ha.enter(100);
    dog.check();
    clock.advance(99);
    dog.check();
    assert.equal(stuck.length, 1);
    clock.advance(1);
    dog.check();
    assert.deepEqual(stuck, [[1, 100], [0, 100]]);
  } finally {
    dog.stop();
  }
});

const EVIL = 'a'.repeat(40) + 'b';
// The lookbehind keeps V8's linear-time engine out: only a cut-off can stop this match.
const RUNAWAY = '(?<!x)^(?<x>(a+)+)$';

async function runGrok(lines: string[], count: number) {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-watchdog-'));
  const out = join(dir, 'out.json');
  const logs: string[] = [];
  const config = `
input { generator { lines => ${JSON.stringify(lines)} count => ${count} } }
filter { grok { match => { "message" => "${RUNAWAY}" } timeout_millis => 300 } }
output { file { path => "${out}" } }`;
  const p = new Pipeline([{ name: 'grok.conf', text: config }], { ...defaultSettings(), workers: 1, batchDelayMs: 5, threads: true },
    createLogger('warn', 'test', (l) => logs.push(l)));
  await p.start();
  assert.equal(await p.run(), 'drained');
  const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { p, events, restarts: logs.filter((l) => l.includes('restarting it')).length };
}

test('a worker stuck in a runaway grok match is cut off, restarted, and its batch re-run: the line is tagged _groktimeout, nothing is lost', async () => {
  const { p, events, restarts } = await runGrok(['aa', EVIL, 'aaa'], 2);
  assert.equal(restarts, 1);
  assert.deepEqual(events.map((e) => e['message']), ['aa', EVIL, 'aaa', 'aa', EVIL, 'aaa'], 'every event, in order');
  assert.deepEqual(events.map((e) => e['x'] ?? e['tags']), ['aa', ['_groktimeout'], 'aaa', 'aa', ['_groktimeout'], 'aaa']);
  assert.equal(p.stats.acked, 6);

  // The replacement thread is watched too, and a clean batch never triggers a cut-off.
  const clean = await runGrok(['aa', 'aaab'], 500);
  assert.equal(clean.restarts, 0);
  assert.equal(clean.events.length, 1000);
  assert.equal(clean.events.filter((e) => Array.isArray(e['tags']) && (e['tags'] as string[]).includes('_grokparsefailure')).length, 500);
});

test('a js script looping forever on one event: the worker is cut off, the batch re-run, that event tagged _jstimeout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-watchdog-'));
  const out = join(dir, 'out.json');
  const logs: string[] = [];
  const config = `
input { generator { lines => ["one", "loop", "two"] count => 1 } }
filter { js { code => "if (event.get('message') === 'loop') { for (;;) {} } event.set('seen', true)" timeout_ms => 200 } }
output { file { path => "${out}" } }`;
  const p = new Pipeline([{ name: 'js.conf', text: config }], { ...defaultSettings(), workers: 1, batchDelayMs: 5, threads: true },
    createLogger('warn', 'test', (l) => logs.push(l)));
  await p.start();
  assert.equal(await p.run(), 'drained');
  const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events.map((e) => [e['message'], e['seen'] ?? e['tags']]), [['one', true], ['loop', ['_jstimeout']], ['two', true]]);
  assert.equal(logs.filter((l) => l.includes('restarting it')).length, 1);
});

test('with two workers, one cut off and restarted while the other goes on: every event arrives once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-watchdog-'));
  const out = join(dir, 'out.json');
  const logs: string[] = [];
  const config = `
input { generator { lines => ["a", "b"] count => 300 } }
filter { js { code => "if (event.get('sequence') === 57 && event.get('message') === 'b') { for (;;) {} }" timeout_ms => 200 } }
output { file { path => "${out}" } }`;
  const p = new Pipeline([{ name: 'js2.conf', text: config }], { ...defaultSettings(), workers: 2, batchSize: 20, batchDelayMs: 5, threads: true },
    createLogger('warn', 'test', (l) => logs.push(l)));
  await p.start();
  assert.equal(await p.run(), 'drained');
  const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(events.length, 600);
  assert.equal(new Set(events.map((e) => `${e['sequence']}/${e['message']}`)).size, 600, 'no event lost or duplicated');
  const tagged = events.filter((e) => Array.isArray(e['tags']));
  assert.deepEqual(tagged.map((e) => [e['sequence'], e['message'], e['tags']]), [[57, 'b', ['_jstimeout']]]);
  assert.equal(logs.filter((l) => l.includes('restarting it')).length, 1);
  assert.equal(p.stats.acked, 600);
});
