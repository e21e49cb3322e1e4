import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readSharedFile, shareFile, sharedFiles } from '../../src/core/shared-files.js';

test('a shared file is read once by the main thread and read in place by workers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-shared-'));
  const path = join(dir, 'db.bin');
  writeFileSync(path, Buffer.from('shared database content'));
  shareFile(path);
  rmSync(path); // from now on only the shared copy exists
  assert.equal(readSharedFile(path).toString(), 'shared database content');

  const moduleUrl = new URL('../../src/core/shared-files.js', import.meta.url).href;
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     import(workerData.moduleUrl).then((m) => {
       m.adoptSharedFiles(workerData.files);
       const buf = m.readSharedFile(workerData.path);
       buf[0] = 83; // 'S': writes are visible to every thread (same memory)
       parentPort.postMessage(buf.toString());
     });`,
    { eval: true, workerData: { moduleUrl, files: sharedFiles(), path } },
  );
  const text = await new Promise<string>((resolve, reject) => worker.once('message', resolve).once('error', reject));
  await worker.terminate();
  assert.equal(text, 'Shared database content');
  assert.equal(readSharedFile(path).toString(), 'Shared database content', 'the worker saw the same memory, not a copy');
});
