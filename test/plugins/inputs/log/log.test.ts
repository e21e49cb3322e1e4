/** The log input's event layouts (ecs, legacy), fields, tags, include/exclude_lines and json. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { runInput, tempDir } from '../../../tailing/run-input.js';
import { sleep } from '../../../helpers/wait.js';

test('ecs layout (default) and legacy layout, fields under root or not, tags', async () => {
  const dir = tempDir();
  const file = join(dir, 'a.log');
  writeFileSync(file, 'first\nsecond\n');
  const ecs = runInput('log', { paths: [file], fields: { log_group: 'game' }, tags: ['t1'], scan_frequency: '100ms' }, { dataDir: dir });
  await ecs.waitEvents(2);
  await ecs.stop();
  const e = ecs.events[1]!;
  assert.equal(e.get('[log][file][path]'), file);
  assert.equal(e.get('[log][offset]'), 6);
  assert.equal(e.get('[input][type]'), 'log');
  assert.equal(e.get('[host][name]'), hostname());
  assert.equal(e.get('[agent][type]'), 'filebeat');
  assert.equal(e.get('[ecs][version]'), '8.0.0');
  assert.equal(e.get('[fields][log_group]'), 'game');
  assert.deepEqual(e.get('tags'), ['t1']);
  const dir2 = tempDir();
  writeFileSync(join(dir2, 'b.log'), 'one\n');
  const legacy = runInput('log', { paths: [join(dir2, 'b.log')], field_layout: 'legacy', fields: { kafka_key: 'k' }, fields_under_root: true, scan_frequency: '100ms' }, { dataDir: dir2 });
  await legacy.waitEvents(1);
  await legacy.stop();
  const l = legacy.events[0]!;
  assert.equal(l.get('source'), join(dir2, 'b.log'));
  assert.equal(l.get('offset'), 0);
  assert.equal(l.get('[beat][hostname]'), hostname());
  assert.equal(l.get('type'), 'log');
  assert.equal(l.get('input_type'), 'log');
  assert.equal(l.get('kafka_key'), 'k');
});

test('include_lines, exclude_lines and json decoding', async () => {
  const dir = tempDir();
  const file = join(dir, 'j.log');
  writeFileSync(file, '{"level":"ERROR","msg":"a"}\n{"level":"DEBUG","msg":"b"}\nnot json ERROR\n{"level":"INFO","msg":"c"}\n');
  const input = runInput('log', { paths: [file], include_lines: ['ERROR', 'INFO'], exclude_lines: ['"c"'], json: { keys_under_root: true, add_error_key: true }, scan_frequency: '100ms' }, { dataDir: dir });
  await input.waitEvents(2);
  await sleep(200);
  await input.stop();
  assert.equal(input.events.length, 2);
  assert.equal(input.events[0]!.get('msg'), 'a');
  assert.equal(input.events[1]!.get('message'), 'not json ERROR');
  assert.equal(input.events[1]!.get('[error][type]'), 'json');
});
