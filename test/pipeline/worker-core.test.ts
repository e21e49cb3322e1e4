import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerCore } from '../../src/pipeline/worker-core.js';
import { defaultSettings } from '../../src/pipeline/settings.js';
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

test('grok "match" written twice for the same field tries both patterns, as Logstash merges repeated hash options', async () => {
  const sources = [{ name: 't', text: [
    'input { stdin {} }',
    'filter { grok { match => { "message" => "^a=%{INT:a:int}$" } match => { "message" => "^b=%{WORD:b}$" } } }',
    'output { stdout { codec => json_lines } }',
  ].join('\n') }];
  const core = await WorkerCore.create(workerInitFor(sources, defaultSettings()));
  const result = await core.process([{ input: 0, data: new TextEncoder().encode('a=12\nb=xy\nc=1\n') }]);
  const written = result.outputs.map((o) => Buffer.from(o.payload.data as Uint8Array).toString()).join('');
  const events = written.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events.map((e) => [e['a'], e['b'], e['tags']]), [[12, undefined, undefined], [undefined, 'xy', undefined], [undefined, undefined, ['_grokparsefailure']]]);
  await core.close();
});
