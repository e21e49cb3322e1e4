/**
 * The file output on a really full filesystem: a small tmpfs is mounted (this
 * needs root, as on the CI machine), filled, and the output's sink writes
 * batches into it until one fails with ENOSPC; space is freed and the failed
 * batch retried, as the pipeline does. Every line must then be valid JSON and
 * every event id appear exactly once. A refused mount fails the test: a skip
 * would hide that the roll-back is not being checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeOutput } from '../../../helpers/harness.js';
import { fileOutput } from '../../../../src/plugins/outputs/file/index.js';
import { fileIo, systemFileIo } from '../../../../src/plugins/outputs/file/writer.js';

/** Fills the filesystem with one file, then gives `free` bytes back; returns the filler's path. */
function fill(dir: string, free: number): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024, 0x2e);
  let size = 0;
  try {
    for (;;) size += writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
  ftruncateSync(fd, Math.max(0, size - free));
  closeSync(fd);
  return path;
}

test('a full disk: the failed batch is rolled back in every file, and after space returns each event is written exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-enospc-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    assert.fail(`this test needs to mount a tmpfs (run as root): mount exited ${mount.status}: ${mount.stderr || mount.error?.message}`);
  }
  // Count the bytes write(2) accepted during the batch that fails: they are what the roll-back removes.
  let written = 0;
  fileIo.current = { ...systemFileIo, write: (fd, b, o, l) => {
    const n = systemFileIo.write(fd, b, o, l);
    written += n;
    return n;
  } };
  const out = await makeOutput(fileOutput, { path: join(dir, '%{f}.log') });
  try {
    const filler = fill(dir, 64 * 1024);
    const N = 3000;
    const BATCH = 100;
    const event = (i: number) => ({ id: i, f: i % 2 ? 'odd' : 'even', message: `event ${i} ${'x'.repeat(i % 37)}` });
    const paths = [join(dir, 'odd.log'), join(dir, 'even.log')];
    const sizes = () => paths.map((p) => (existsSync(p) ? statSync(p).size : 0));
    let failures = 0;
    for (let start = 0; start < N; start += BATCH) {
      const data = out.encode(Array.from({ length: BATCH }, (_, k) => event(start + k)));
      const before = sizes();
      written = 0;
      try {
        await out.sink.write(data);
      } catch (err) {
        assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
        failures++;
        assert.ok(written > 0, 'the failing batch had written part of itself, which must be rolled back');
        assert.deepEqual(sizes(), before, 'every file of the batch is back at its size before the write');
        if (existsSync(filler)) unlinkSync(filler); // space returns
        await out.sink.write(data); // the pipeline retries the same payload
      }
    }
    assert.equal(failures, 1, 'the disk filled up exactly once');
    const seen = new Map<number, number>();
    for (const path of paths) {
      const text = readFileSync(path, 'utf8');
      assert.ok(text.endsWith('\n'), `${path} ends with a whole line`);
      for (const line of text.slice(0, -1).split('\n')) {
        const id = (JSON.parse(line) as { id: number }).id; // throws on a cut-off line
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
    }
    assert.equal(seen.size, N, 'every event is there');
    assert.deepEqual([...seen].filter(([, n]) => n !== 1), [], 'no event twice');
  } finally {
    fileIo.current = systemFileIo;
    await out.sink.close?.();
    const umount = spawnSync('umount', [dir], { encoding: 'utf8' });
    if (umount.status === 0) rmSync(dir, { recursive: true, force: true });
    else console.error(`umount ${dir} failed: ${umount.stderr}`);
  }
});
