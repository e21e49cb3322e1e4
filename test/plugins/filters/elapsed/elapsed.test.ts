import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../../src/core/logger.js';
import { WorkerCore, type BatchResult } from '../../../../src/pipeline/worker-core.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';
import { workerInitFor } from '../../../helpers/harness.js';

const written = (r: BatchResult): Record<string, unknown>[] =>
  r.outputs.flatMap((o) => (o.payload.data === undefined ? [] : Buffer.from(o.payload.data as Uint8Array).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)));

async function run(options: string, lines: Record<string, unknown>[]): Promise<{ core: WorkerCore; out: Record<string, unknown>[] }> {
  const config = `input { stdin { codec => json_lines } } filter { elapsed { start_tag => "start" end_tag => "end" unique_id_field => "task" ${options} } } output { stdout { codec => json_lines } }`;
  const core = await WorkerCore.create(workerInitFor([{ name: 'e.conf', text: config }], defaultSettings()), undefined, createLogger('error'));
  const data = new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return { core, out: written(await core.process([{ input: 0, data }])) };
}

test('elapsed: the end event gets elapsed_time, elapsed_timestamp_start and the match tags', async () => {
  const { out } = await run('add_tag => ["seen"]', [
    { task: 't1', tags: ['start'], '@timestamp': '2024-05-01T10:00:00.000Z' },
    { task: 't1', tags: ['end'], '@timestamp': '2024-05-01T10:00:02.500Z' },
    { task: 't2', tags: ['end'], '@timestamp': '2024-05-01T10:00:03.000Z' },
    { task: 't3', message: 'neither' },
  ]);
  assert.deepEqual(out[0]!['tags'], ['start', 'seen']);
  assert.equal(out[1]!['elapsed_time'], 2.5);
  assert.equal(out[1]!['elapsed_timestamp_start'], '2024-05-01T10:00:00.000Z');
  assert.deepEqual(out[1]!['tags'], ['end', 'elapsed', 'elapsed_match', 'seen']);
  assert.deepEqual(out[2]!['tags'], ['end', 'elapsed_end_without_start', 'seen']);
  assert.equal(out[3]!['tags'], undefined, 'neither start nor end: untouched, not decorated');
});

test('elapsed: new_event_on_match makes a separate match event; keep_start_event last', async () => {
  const { out } = await run('new_event_on_match => true keep_start_event => "last"', [
    { task: 7, tags: ['start'], '@timestamp': '2024-05-01T10:00:00.000Z' },
    { task: 7, tags: ['start'], '@timestamp': '2024-05-01T10:00:01.000Z' },
    { task: 7, tags: ['end'], '@timestamp': '2024-05-01T10:00:04.000Z' },
  ]);
  assert.equal(out.length, 4);
  assert.equal(out[2]!['elapsed_time'], undefined, 'the end event is left as it was');
  const match = out[3]!;
  assert.equal(match['elapsed_time'], 3, 'measured from the last start');
  assert.equal(match['task'], 7);
  assert.deepEqual(match['tags'], ['elapsed', 'elapsed_match']);
  assert.equal(typeof match['host'], 'string');
});

test('elapsed: a start without an end expires at a periodic flush (not at the final one)', async () => {
  const { core } = await run('timeout => 0 add_field => { "flushed" => "yes" }', [{ task: 'lost', tags: ['start'], '@timestamp': '2024-05-01T10:00:00.000Z' }]);
  assert.equal(written(await core.flush(true)).length, 0, 'the final flush does not invent expiries');
  const [expired] = written(await core.flush(false));
  assert.ok(expired);
  assert.deepEqual(expired['tags'], ['elapsed', 'elapsed_expired_error']);
  assert.equal(expired['task'], 'lost');
  assert.equal(expired['elapsed_timestamp_start'], '2024-05-01T10:00:00.000Z');
  assert.equal(expired['flushed'], 'yes', 'decorations apply to flushed events');
  assert.equal(written(await core.flush(false)).length, 0, 'expired once');
});
