/** beats_file (Filebeat's output.file): size rotation into name.1 … name.<number_of_files - 1>, rotate_on_startup once per process, permissions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beatsFileOutput } from '../../../../src/plugins/outputs/beats_file/index.js';
import { makeOutput } from '../../../helpers/harness.js';

const messages = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { message: string }).message) : [];

test('rotates before a write would pass rotate_every_kb, keeps number_of_files files (the oldest deleted), never splits an event', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-beats-file-'));
  const out = await makeOutput(beatsFileOutput, { path: dir, filename: 'events', rotate_every_kb: 1, number_of_files: 3, permissions: 0o640 });
  // ~170-byte events once encoded (with @timestamp and @metadata): about 6 per KiB file.
  const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ message: `m${String(from + i).padStart(3, '0')}-${'x'.repeat(60)}` }));
  for (let b = 0; b < 5; b++) await out.sink.write(out.encode(batch(b * 10, 10)));
  await out.sink.close?.();
  assert.deepEqual(readdirSync(dir).sort(), ['events', 'events.1', 'events.2']);
  const files = ['events.2', 'events.1', 'events'].map((f) => join(dir, f));
  for (const f of files) assert.ok(statSync(f).size <= 1024, `${f} is at most 1 KiB`);
  const kept = files.flatMap(messages);
  // The newest events, in order, each whole; the oldest went with the deleted files.
  const all = batch(0, 50).map((e) => e.message);
  assert.deepEqual(kept, all.slice(all.length - kept.length));
  assert.ok(kept.length >= 12 && kept.length < 50, String(kept.length));
  assert.equal(statSync(join(dir, 'events')).mode & 0o777, 0o640);
});

test('rotate_on_startup: a file left by an earlier run becomes name.1 (once per process); false appends to it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-beats-file-'));
  writeFileSync(join(dir, 'filebeat'), '{"message":"old"}\n');
  const first = await makeOutput(beatsFileOutput, { path: dir });
  await first.sink.write(first.encode([{ message: 'new' }]));
  await first.sink.close?.();
  assert.deepEqual(messages(join(dir, 'filebeat.1')), ['old']);
  assert.deepEqual(messages(join(dir, 'filebeat')), ['new']);
  assert.equal(statSync(join(dir, 'filebeat')).mode & 0o777, 0o600, "Filebeat's default permissions");
  // The same file opened again in this process (an agent reload): no second rotation.
  const again = await makeOutput(beatsFileOutput, { path: dir });
  await again.sink.write(again.encode([{ message: 'after reload' }]));
  await again.sink.close?.();
  assert.deepEqual(messages(join(dir, 'filebeat')), ['new', 'after reload']);

  const other = mkdtempSync(join(tmpdir(), 'logpipe-beats-file-'));
  writeFileSync(join(other, 'filebeat'), '{"message":"old"}\n');
  const append = await makeOutput(beatsFileOutput, { path: other, rotate_on_startup: false });
  await append.sink.write(append.encode([{ message: 'new' }]));
  await append.sink.close?.();
  assert.deepEqual(messages(join(other, 'filebeat')), ['old', 'new']);
  assert.equal(existsSync(join(other, 'filebeat.1')), false);
});

test('number_of_files outside 2..1024 is a configuration error', async () => {
  await assert.rejects(makeOutput(beatsFileOutput, { path: tmpdir(), number_of_files: 1 }), /number_of_files must be an integer from 2 to 1024/);
});
