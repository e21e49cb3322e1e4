/**
 * The ruby filter inside real pipelines: worker threads (the interpreter runs in the watched
 * thread) and the watchdog cutting off a script that never returns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../../src/core/logger.js';
import { Pipeline } from '../../../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-ruby-pipeline-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

async function runPipeline(name: string, filter: string, input: string, workers: number) {
  const out = join(dir, `${name}.json`);
  const logs: string[] = [];
  const config = `input { generator { ${input} } }\nfilter { ${filter} }\noutput { file { path => "${out}" } }`;
  const p = new Pipeline([{ name: `${name}.conf`, text: config }], { ...defaultSettings(), workers, batchSize: 50, batchDelayMs: 5, threads: true },
    createLogger('warn', 'test', (l) => logs.push(l)));
  await p.start();
  assert.equal(await p.run(), 'drained');
  const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { p, events, logs };
}

test('ruby in worker threads: every event goes through the snippet once, init state is per worker', async () => {
  const { events, p, logs } = await runPipeline('threads',
    `ruby { init => "@n = 0" code => "@n += 1; event.set('len', event.get('message').length); event.set('n', @n)" }`,
    'lines => ["a", "bb", "ccc"] count => 200', 2);
  assert.equal(events.length, 600);
  assert.equal(p.stats.acked, 600);
  assert.ok(events.every((e) => e['len'] === (e['message'] as string).length));
  // Two interpreters, each counting its own events (a worker cut off on a busy machine starts
  // counting afresh): every count from 1 up appears at most once per interpreter.
  const restarts = logs.filter((l) => l.includes('restarting it')).length;
  const seen = new Map<number, number>();
  for (const e of events) seen.set(e['n'] as number, (seen.get(e['n'] as number) ?? 0) + 1);
  assert.equal(seen.get(1)! >= 1, true);
  assert.ok([...seen.values()].every((c) => c <= 2 + restarts), 'no count appears more often than there were interpreters');
  assert.ok([...seen.keys()].every((n) => Number.isInteger(n) && n >= 1 && n <= 600));
});

test('a ruby script looping forever on one event: the worker is cut off, the batch re-run, that event tagged _rubytimeout, nothing lost', async () => {
  const { events, logs, p } = await runPipeline('loop',
    `ruby { code => "loop { } if event.get('message') == 'loop'\nevent.set('seen', true)" timeout_ms => 2000 }`,
    'lines => ["one", "loop", "two"] count => 1', 1);
  assert.deepEqual(events.map((e) => [e['message'], e['seen'] ?? e['tags']]), [['one', true], ['loop', ['_rubytimeout']], ['two', true]]);
  assert.equal(logs.filter((l) => l.includes('restarting it')).length, 1);
  assert.equal(p.stats.acked, 3);
});

