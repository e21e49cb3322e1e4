/** Filebeat input options of the tailing core beyond the basics: multiline while_pattern, ndjson target, json.expand_keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInput, tempDir } from './run-input.js';
import { sleep } from '../helpers/wait.js';

const FAST = { scan_frequency: '100ms', backoff: '20ms', max_backoff: '50ms' } as const;

test('multiline.type while_pattern: each run of matching lines is one event, every other line its own; negate inverts (log and filestream parsers)', async () => {
  const dir = tempDir();
  const file = join(dir, 'while.log');
  writeFileSync(file, 'start\n  indented 1\n  indented 2\nplain\nnext\n  indented 3\nlast\n');
  const log = runInput('log', { paths: [file], multiline: { type: 'while_pattern', pattern: '^\\s', timeout: '10s' }, ...FAST }, { dataDir: join(dir, 'a') });
  await log.waitEvents(6);
  await sleep(200);
  await log.stop();
  assert.deepEqual(log.messages(), ['start', '  indented 1\n  indented 2', 'plain', 'next', '  indented 3', 'last']);
  assert.deepEqual(log.events[1]!.get('[log][flags]'), ['multiline']);

  const negated = runInput('filestream', {
    id: 'while-negate', paths: [file], parsers: [{ multiline: { type: 'while_pattern', pattern: '^\\s', negate: true, timeout: '10s' } }], ...FAST,
  }, { dataDir: join(dir, 'b') });
  await negated.waitEvents(5);
  await sleep(200);
  await negated.stop();
  // The last run ("last") waits for a line that ends it, or for the timeout.
  assert.deepEqual(negated.messages(), ['start', '  indented 1', '  indented 2', 'plain\nnext', '  indented 3']);
});

test('filestream ndjson parser: no target or "" puts the keys at the root, a (dotted) target nests them; expand_keys nests dotted keys (log json.* too)', async () => {
  const dir = tempDir();
  const file = join(dir, 'app.ndjson');
  writeFileSync(file, '{"msg":"one","http.status":200,"http.method":"GET"}\n{"msg":"two","a":1,"a.b":2}\nnot json\n');
  const run = async (name: 'log' | 'filestream', settings: Record<string, unknown>, sub: string) => {
    const input = runInput(name, { paths: [file], ...FAST, ...settings } as never, { dataDir: join(dir, sub) });
    await input.waitEvents(3);
    await input.stop();
    return input.events.map((e) => e.data as Record<string, unknown>);
  };
  const root = await run('filestream', { id: 'nd-root', parsers: [{ ndjson: { add_error_key: true } }] }, 'r');
  assert.equal(root[0]!['msg'], 'one');
  assert.equal(root[0]!['http.status'], 200, 'without expand_keys dotted keys stay as they are');
  assert.equal((root[2]!['error'] as { type: string }).type, 'json');
  assert.match((root[2]!['error'] as { message: string }).message, /^Error decoding JSON/);
  assert.equal(root[2]!['message'], 'not json');

  const nested = await run('filestream', { id: 'nd-target', parsers: [{ ndjson: { target: 'doc.parsed', expand_keys: true } }] }, 't');
  assert.deepEqual((nested[0]!['doc'] as Record<string, unknown>)['parsed'], { msg: 'one', http: { status: 200, method: 'GET' } });
  assert.equal(nested[0]!['msg'], undefined);

  const log = await run('log', { json: { keys_under_root: true, expand_keys: true, add_error_key: true } }, 'l');
  assert.deepEqual(log[0]!['http'], { status: 200, method: 'GET' });
  assert.equal(log[1]!['a'], 1, 'the value first there stays');
  assert.match(String((log[1]!['error'] as { message: string }).message), /cannot expand "a\.b"/);
});
