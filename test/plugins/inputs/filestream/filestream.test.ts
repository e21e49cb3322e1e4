/** filestream: parsers (multiline, ndjson), prospector.scanner.exclude_files, its own registry scope. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInput, tempDir } from '../../../tailing/run-input.js';
import { sleep } from '../../../helpers/wait.js';
import { REGISTRY_FILE, RegistryStore } from '../../../../src/tailing/registry/store.js';

test('parsers: multiline count then ndjson-free lines; scanner excludes; state keyed by the input id', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.log'), 'l1\nl2\nl3\nl4\n');
  writeFileSync(join(dir, 'b.log'), 'excluded\n');
  const input = runInput('filestream', {
    paths: [join(dir, '*.log')],
    parsers: [{ multiline: { type: 'count', count_lines: 2 } }],
    prospector: { scanner: { exclude_files: ['b\\.log$'] } },
    scan_frequency: '100ms',
  }, { dataDir: dir });
  await input.waitEvents(2);
  await sleep(300);
  await input.stop();
  assert.deepEqual(input.messages(), ['l1\nl2', 'l3\nl4']);
  assert.equal(input.events[0]!.get('[input][type]'), 'filestream');
  const entries = new RegistryStore(join(dir, 'registry', REGISTRY_FILE)).all();
  assert.equal(entries.length, 1);
  assert.match(entries[0]!.key, /^filestream::filestream_test::native::/);
  assert.equal(entries[0]!.offset, 12);
});
