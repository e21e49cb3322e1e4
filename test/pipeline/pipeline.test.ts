import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { defaultSettings, type PipelineSettings } from '../../src/pipeline/settings.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'logpipe-pipeline-'));

async function runConfig(text: string, settings: Partial<PipelineSettings> = {}): Promise<Pipeline> {
  const s = { ...defaultSettings(), workers: 1, batchDelayMs: 5, ...settings };
  const p = new Pipeline([{ name: 'test.conf', text }], s, createLogger('error'));
  await p.start();
  assert.equal(await p.run(), 'drained');
  return p;
}

const readJsonLines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

for (const threads of [true, false]) {
  test(`generator → file delivers and acknowledges every event (threads: ${threads})`, async () => {
    const out = join(tmp(), 'out.json');
    const p = await runConfig(`input { generator { count => 1000 message => "hello" } } output { file { path => "${out}" } }`, { threads, workers: 2 });
    const events = readJsonLines(out);
    assert.equal(events.length, 1000);
    assert.deepEqual(new Set(events.map((e) => e['sequence'])).size, 1000);
    assert.equal(events[0]!['message'], 'hello');
    assert.match(String(events[0]!['@timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(p.stats.acked, 1000);
    assert.equal(p.stats.eventsOut, 1000);
  });
}

test('conditionals route events; else-branches and nested ifs work in filter and output', async () => {
  const dir = tmp();
  await runConfig(`
input { generator { lines => ["alpha", "beta", "gamma"] count => 2 } }
filter {
  if [message] == "alpha" { drop {} }
  else if [message] =~ /^b/ { mutate { add_tag => ["b"] } }
}
output {
  if "b" in [tags] { file { path => "${dir}/b.json" } }
  else {
    if [sequence] == 0 { file { path => "${dir}/first.json" } } else { file { path => "${dir}/rest.json" } }
  }
}`);
  assert.deepEqual(readJsonLines(join(dir, 'b.json')).map((e) => e['message']), ['beta', 'beta']);
  assert.deepEqual(readJsonLines(join(dir, 'first.json')).map((e) => e['message']), ['gamma']);
  assert.deepEqual(readJsonLines(join(dir, 'rest.json')).map((e) => e['message']), ['gamma']);
});

test('one worker keeps order across batches and branches', async () => {
  const out = join(tmp(), 'ordered.json');
  await runConfig(`
input { generator { count => 3000 } }
filter { if [sequence] in [1, 5, 7] { mutate { add_field => { "odd" => "yes" } } } }
output { file { path => "${out}" } }`, { batchSize: 50, ordered: 'true' });
  const seqs = readJsonLines(out).map((e) => e['sequence'] as number);
  assert.deepEqual(seqs, Array.from({ length: 3000 }, (_, i) => i));
});

test('pipeline.ordered => true with several workers is refused at start', async () => {
  const p = new Pipeline([{ name: 't', text: 'input { generator { count => 1 } } output { null {} }' }],
    { ...defaultSettings(), workers: 2, ordered: 'true' }, createLogger('error'));
  await assert.rejects(p.start(), /pipeline\.ordered => true needs pipeline\.workers => 1/);
});

test('file output: dynamic paths stay under the fixed root', async () => {
  const dir = tmp();
  await runConfig(`
input { generator { lines => ["ok", "../../etc/evil", "/abs/olute", "sub/dir"] count => 1 } }
output { file { path => "${dir}/out/%{message}.log" codec => line { format => "%{message}" } } }`);
  assert.equal(readFileSync(join(dir, 'out', 'ok.log'), 'utf8'), 'ok\n');
  assert.equal(readFileSync(join(dir, 'out', 'sub', 'dir.log'), 'utf8'), 'sub/dir\n');
  assert.deepEqual(readFileSync(join(dir, 'out', '_filepath_failures'), 'utf8').split('\n').filter(Boolean).sort(), ['../../etc/evil', '/abs/olute']);
  assert.deepEqual(readdirSync(dir), ['out']);
});

test('a slow output holds the inputs back: memory stays bounded by the queue', async () => {
  // 200k events through a 1-event-per-batch pipeline with a tiny queue: the
  // generator can only run ahead by the queue bound, so the run completes with
  // every event acknowledged and the queue never over its bound.
  const out = join(tmp(), 'bp.json');
  const p = new Pipeline([{ name: 't', text: `input { generator { count => 20000 } } output { file { path => "${out}" flush_interval => 0 } }` }],
    { ...defaultSettings(), workers: 1, batchSize: 100, queueMaxEvents: 200, batchDelayMs: 1 }, createLogger('error'));
  await p.start();
  let maxQueued = 0;
  const probe = setInterval(() => {
    maxQueued = Math.max(maxQueued, (p as unknown as { queue: { events: number } }).queue.events);
  }, 1);
  await p.run();
  clearInterval(probe);
  assert.ok(maxQueued <= 200, `queue held ${maxQueued} events`);
  assert.equal(readJsonLines(out).length, 20000);
});

test('file output: dir_mode and file_mode written in octal digits', async () => {
  const dir = tmp();
  const old = process.umask(0);
  try {
    await runConfig(`input { generator { count => 1 } } output { file { path => "${dir}/sub/%{sequence}.log" dir_mode => 0750 file_mode => 0640 } }`);
  } finally {
    process.umask(old);
  }
  const { statSync } = await import('node:fs');
  assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o750);
  assert.equal(statSync(join(dir, 'sub', '0.log')).mode & 0o777, 0o640);
});
