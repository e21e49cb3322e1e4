import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../../src/core/logger.js';
import { WorkerCore, type BatchResult } from '../../../../src/pipeline/worker-core.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';
import { workerInitFor } from '../../../helpers/harness.js';

type Fields = Record<string, unknown>;

const written = (r: BatchResult): Fields[] =>
  r.outputs.flatMap((o) => (o.payload.data === undefined ? [] : Buffer.from(o.payload.data as Uint8Array).toString().trim().split('\n').map((l) => JSON.parse(l) as Fields)));

async function pipeline(filter: string): Promise<WorkerCore> {
  const config = `input { stdin { codec => json_lines } } filter { ${filter} } output { stdout { codec => json_lines } }`;
  return WorkerCore.create(workerInitFor([{ name: 'm.conf', text: config }], defaultSettings()), undefined, createLogger('error'));
}

async function send(core: WorkerCore, lines: Fields[]): Promise<Fields[]> {
  const data = new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return written(await core.process([{ input: 0, data }]));
}

test('multiline filter: what => previous joins indented lines onto the event before, per stream, across batches', async () => {
  const core = await pipeline('multiline { pattern => "^\\s" what => "previous" stream_identity => "%{file}" add_tag => ["joined"] }');
  const first = await send(core, [
    { file: 'a', message: 'Exception in thread main' },
    { file: 'b', message: 'other stream' },
    { file: 'a', message: '  at com.example.A' },
    { file: 'a', message: '  at com.example.B' },
  ]);
  assert.equal(first.length, 0, 'everything waits for the next line of its stream');
  const second = await send(core, [{ file: 'a', message: 'next event' }, { file: 'a', message: '  at X' }]);
  assert.equal(second.length, 1);
  assert.equal(second[0]!['message'], 'Exception in thread main\n  at com.example.A\n  at com.example.B');
  assert.deepEqual(second[0]!['tags'], ['multiline', 'joined']);
  assert.equal(second[0]!['file'], 'a');
  const rest = written(await core.flush(true));
  assert.deepEqual(rest.map((e) => e['message']).sort(), ['next event\n  at X', 'other stream']);
  await core.close();
});

test('multiline filter: what => next with negate, a grok pattern, and the periodic flush after max_age', async () => {
  const core = await pipeline('multiline { pattern => "%{WORD};$" negate => true what => "next" max_age => 0 }');
  const out = await send(core, [{ message: 'part one \\' }, { message: 'part two \\' }, { message: 'end;' }, { message: 'dangling \\' }]);
  assert.equal(out.length, 1);
  assert.equal(out[0]!['message'], 'part one \\\npart two \\\nend;');
  assert.deepEqual(out[0]!['tags'], ['multiline']);
  const flushed = written(await core.flush(false));
  assert.deepEqual(flushed.map((e) => e['message']), ['dangling \\'], 'older than max_age: handed on');
  await core.close();
});

test('multiline filter: a bad pattern and a nested source are configuration errors', async () => {
  await assert.rejects(pipeline('multiline { pattern => "%{NOPE_NOT_A_PATTERN}" what => "previous" }'), /multiline/);
  await assert.rejects(pipeline('multiline { pattern => "^x" what => "previous" source => "[a][b]" }'), /source must be a top-level field/);
});

test('multiline filter: other fields of joined events merge as Logstash\'s: equal values stay one, others become a list; allow_duplicates false keeps each value once', async () => {
  const core = await pipeline('multiline { pattern => "^-" what => "previous" allow_duplicates => false }');
  const out = await send(core, [
    { message: 'head', level: 'INFO', code: 1 },
    { message: '- a', level: 'INFO', code: 2 },
    { message: '- b', level: 'WARN', code: 2 },
    { message: 'next' },
  ]);
  assert.equal(out.length, 1);
  assert.equal(out[0]!['message'], 'head\n- a\n- b');
  assert.deepEqual(out[0]!['level'], ['INFO', 'WARN']);
  assert.deepEqual(out[0]!['code'], [1, 2]);
  await core.close();
});
