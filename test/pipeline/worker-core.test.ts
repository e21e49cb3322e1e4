import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerCore } from '../../src/pipeline/worker-core.js';
import { defaultSettings, type PipelineSettings } from '../../src/pipeline/settings.js';
import { workerInitFor } from '../helpers/harness.js';

test('a payload larger than a batch is filtered in batches, outputs keep the event order', async () => {
  const settings = { ...defaultSettings(), batchSize: 10 };
  const sources = [{ name: 't', text: 'input { stdin {} } filter { if [message] =~ /7$/ { drop {} } } output { stdout { codec => line { format => "%{message}" } } }' }];
  const core = await WorkerCore.create(workerInitFor(sources, settings));
  const lines = Array.from({ length: 95 }, (_, i) => `m${i}`);
  const result = await core.process([{ input: 0, data: new TextEncoder().encode(lines.join('\n') + '\n') }]);
  assert.equal(result.eventsIn, 95);
  const kept = lines.filter((l) => !l.endsWith('7'));
  assert.equal(result.eventsOut, kept.length);
  assert.equal(result.outputs.length, 10, 'one encoded payload per batch of 10');
  const written = result.outputs.map((o) => Buffer.from(o.payload.data as Uint8Array).toString()).join('');
  assert.equal(written, kept.map((l) => l + '\n').join(''));
});

/** Runs stdin lines through a config (filters and outputs) in one worker core; returns what the outputs wrote, line by line. */
async function linesThrough(filterAndOutput: string[], input: string, settings: Partial<PipelineSettings> = {}): Promise<string[]> {
  const sources = [{ name: 't', text: ['input { stdin {} }', ...filterAndOutput].join('\n') }];
  const core = await WorkerCore.create(workerInitFor(sources, { ...defaultSettings(), ...settings }));
  const result = await core.process([{ input: 0, data: new TextEncoder().encode(input) }]);
  await core.close();
  return result.outputs.map((o) => Buffer.from(o.payload.data as Uint8Array).toString()).join('').trim().split('\n');
}

test('grok "match" written twice for the same field tries both patterns, as Logstash merges repeated hash options', async () => {
  const written = await linesThrough([
    'filter { grok { match => { "message" => "^a=%{INT:a:int}$" } match => { "message" => "^b=%{WORD:b}$" } } }',
    'output { stdout { codec => json_lines } }',
  ], 'a=12\nb=xy\nc=1\n');
  const events = written.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events.map((e) => [e['a'], e['b'], e['tags']]), [[12, undefined, undefined], [undefined, 'xy', undefined], [undefined, undefined, ['_grokparsefailure']]]);
});

const orderThroughClone = (workers: number, ordered: 'auto' | 'true' | 'false'): Promise<string[]> => linesThrough([
  'filter {',
  '  clone { clones => ["clone1", "clone2"] }',
  '  if [type] == "clone1" { mutate { add_field => { "b" => "1" } } }',
  '  else if [type] == "clone2" { mutate { add_field => { "b" => "2" } } }',
  '}',
  'output { stdout { codec => line { format => "%{message}:%{[type]}" } } }',
], 'a\nb\n', { workers, ordered });

test('after a conditional, events are grouped by branch as in Logstash: per input event when ordered (one worker)', async () => {
  // Logstash's ordered execution runs one input event at a time: clone1, clone2, then the original, per input line.
  const expected = ['a:clone1', 'a:clone2', 'a:%{[type]}', 'b:clone1', 'b:clone2', 'b:%{[type]}'];
  assert.deepEqual(await orderThroughClone(1, 'auto'), expected);
  assert.deepEqual(await orderThroughClone(1, 'true'), expected);
});

test('after a conditional, events are grouped by branch per batch when unordered (several workers)', async () => {
  // Unordered, Logstash computes each branch's dataset for the whole batch and joins them in branch order.
  const expected = ['a:clone1', 'b:clone1', 'a:clone2', 'b:clone2', 'a:%{[type]}', 'b:%{[type]}'];
  assert.deepEqual(await orderThroughClone(2, 'auto'), expected);
  assert.deepEqual(await orderThroughClone(1, 'false'), expected);
});

test('ordered: input order is kept across branches, nested conditionals included', async () => {
  const lines = await linesThrough([
    'filter { if [message] =~ /^x/ { if [message] =~ /1/ { clone { clones => ["c"] } } } else { mutate { add_tag => ["y"] } } }',
    'output { stdout { codec => line { format => "%{message}/%{[type]}" } } }',
  ], 'x1\ny2\nx3\ny4\nx15\n', { workers: 1 });
  assert.deepEqual(lines, ['x1/%{[type]}', 'x1/c', 'y2/%{[type]}', 'x3/%{[type]}', 'y4/%{[type]}', 'x15/%{[type]}', 'x15/c']);
});
