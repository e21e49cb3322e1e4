import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { FailedEventsLog } from '../../src/queue/dead-letter.js';

test('failed events are appended as JSON lines with pipeline, plugin id, reason and the event', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'logpipe-dlq-')), 'sub', 'failed.jsonl');
  const log = new FailedEventsLog('main', createLogger('fatal'), path, () => Date.UTC(2026, 0, 2, 3, 4, 5));
  await log.record([
    { output: 'es_1', reason: 'mapping conflict', event: '{"message":"a","n":1}' },
    { output: 'es_1', reason: 'gave up after 3 attempts' },
    { output: 'file_2', reason: 'cannot encode', event: 'not json' },
  ]);
  const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines, [
    { '@timestamp': '2026-01-02T03:04:05.000Z', pipeline: 'main', plugin_id: 'es_1', reason: 'mapping conflict', event: { message: 'a', n: 1 } },
    { '@timestamp': '2026-01-02T03:04:05.000Z', pipeline: 'main', plugin_id: 'es_1', reason: 'gave up after 3 attempts', event: null },
    { '@timestamp': '2026-01-02T03:04:05.000Z', pipeline: 'main', plugin_id: 'file_2', reason: 'cannot encode', event: 'not json' },
  ]);
  assert.deepEqual([...log.counts], [['es_1', 2], ['file_2', 1]]);
});

test('the log says it once per output per interval, with how many more came meanwhile', async () => {
  const lines: string[] = [];
  let now = 0;
  const log = new FailedEventsLog('main', createLogger('error', 't', (l) => lines.push(l)), undefined, () => now);
  for (let i = 0; i < 5; i++) await log.record([{ output: 'o', reason: `r${i}` }]);
  assert.equal(lines.length, 1);
  now = 10_001;
  await log.record([{ output: 'o', reason: 'later' }]);
  assert.equal(lines.length, 2);
  assert.match(lines[1]!, /reason="later" more_since_last_report=4/);
  assert.equal(log.counts.get('o'), 6);
});

test('when the file cannot be written, the events go to the log instead of vanishing', async () => {
  const lines: string[] = [];
  // A directory that cannot exist: its parent is a regular file.
  const blocker = join(mkdtempSync(join(tmpdir(), 'logpipe-dlq-')), 'a-file');
  writeFileSync(blocker, '');
  const log = new FailedEventsLog('main', createLogger('error', 't', (l) => lines.push(l)), join(blocker, 'sub', 'failed.jsonl'));
  await log.record([{ output: 'o', reason: 'bad', event: '{"id":"evt-42"}' }]);
  const report = lines.find((l) => l.includes('could not write failed events'));
  assert.ok(report, lines.join('\n'));
  assert.match(report, /evt-42/);
});
