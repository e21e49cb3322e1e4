/**
 * The roll-back logic of the file output's writer pool, on real files with a
 * fake disk budget: write(2) succeeds until the budget is spent, returns a
 * short count when a write only partly fits, then throws ENOSPC — what a full
 * disk does. test/plugins/outputs/file/enospc.test.ts checks the same against
 * a real full filesystem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../../src/core/logger.js';
import { FileWriterPool, systemFileIo, type FileChunk, type FileIo, type WriterPoolOptions } from '../../../../src/plugins/outputs/file/writer.js';

const enc = new TextEncoder();

/** Real system calls, with a byte budget for write(2) and an optional fsync failure. */
class BudgetIo implements FileIo {
  syncFailures = 0;
  truncations: Array<{ fd: number; length: number }> = [];
  constructor(public budget: number) {}
  write(fd: number, bytes: Uint8Array, offset: number, length: number): number {
    if (this.budget <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const n = systemFileIo.write(fd, bytes, offset, Math.min(length, this.budget));
    this.budget -= n;
    return n;
  }
  size = systemFileIo.size;
  truncate(fd: number, length: number): void {
    this.truncations.push({ fd, length });
    systemFileIo.truncate(fd, length);
  }
  async sync(fd: number): Promise<void> {
    if (this.syncFailures > 0) {
      this.syncFailures--;
      throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    }
    return systemFileIo.sync(fd);
  }
}

function setup(io: FileIo, options: Partial<WriterPoolOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-writer-'));
  const pool = new FileWriterPool({
    fsyncEachWrite: false, fsyncIntervalMs: 60_000, createIfDeleted: true, dirMode: -1, fileMode: -1,
    overwrite: false, idleCloseMs: 60_000, logger: createLogger('fatal'), io, ...options,
  });
  return { dir, pool, cleanup: async () => { await pool.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const lines = (prefix: string, n: number): string => Array.from({ length: n }, (_, i) => `{"id":"${prefix}${i}"}\n`).join('');
const chunk = (path: string, text: string): FileChunk => ({ path, bytes: enc.encode(text) });

test('a write that fails part-way is truncated back; the retry appends each line once', async () => {
  const batch1 = lines('a', 10);
  const batch2 = lines('b', 10);
  const io = new BudgetIo(batch1.length + 25); // batch 2 gets 25 bytes in, then ENOSPC
  const { dir, pool, cleanup } = setup(io);
  const path = join(dir, 'out.log');
  try {
    await pool.write([chunk(path, batch1)]);
    await assert.rejects(pool.write([chunk(path, batch2)]), { code: 'ENOSPC' });
    assert.equal(io.truncations.length, 1, 'the partial write was rolled back');
    assert.equal(readFileSync(path, 'utf8'), batch1, 'no partial line left behind');
    io.budget = Infinity; // space is back
    await pool.write([chunk(path, batch2)]);
    assert.equal(readFileSync(path, 'utf8'), batch1 + batch2);
  } finally {
    await cleanup();
  }
});

test('when the second file of a batch fails, the first is rolled back too, so the retry duplicates nothing', async () => {
  const a1 = lines('a', 5);
  const b1 = lines('b', 5);
  const a2 = lines('A', 5);
  const b2 = lines('B', 5);
  const io = new BudgetIo(a1.length + b1.length + a2.length + 7); // a2 fits, b2 is cut after 7 bytes
  const { dir, pool, cleanup } = setup(io);
  const a = join(dir, 'a.log');
  const b = join(dir, 'sub', 'b.log');
  try {
    await pool.write([chunk(a, a1), chunk(b, b1)]);
    await assert.rejects(pool.write([chunk(a, a2), chunk(b, b2)]), { code: 'ENOSPC' });
    assert.equal(readFileSync(a, 'utf8'), a1, 'file 1 is back where it was');
    assert.equal(readFileSync(b, 'utf8'), b1, 'file 2 is back where it was');
    io.budget = Infinity;
    await pool.write([chunk(a, a2), chunk(b, b2)]);
    assert.equal(readFileSync(a, 'utf8'), a1 + a2);
    assert.equal(readFileSync(b, 'utf8'), b1 + b2);
  } finally {
    await cleanup();
  }
});

test('an fsync failure (flush_interval => 0) also rolls the batch back before the error reaches the pipeline', async () => {
  const io = new BudgetIo(Infinity);
  const { dir, pool, cleanup } = setup(io, { fsyncEachWrite: true });
  const path = join(dir, 'out.log');
  try {
    await pool.write([chunk(path, lines('a', 3))]);
    io.syncFailures = 1;
    await assert.rejects(pool.write([chunk(path, lines('b', 3))]), { code: 'EIO' });
    assert.equal(readFileSync(path, 'utf8'), lines('a', 3));
    await pool.write([chunk(path, lines('b', 3))]);
    assert.equal(readFileSync(path, 'utf8'), lines('a', 3) + lines('b', 3));
  } finally {
    await cleanup();
  }
});

test('the roll-back goes to the size the file had, including what others wrote before', async () => {
  const io = new BudgetIo(Infinity);
  const { dir, pool, cleanup } = setup(io);
  const path = join(dir, 'out.log');
  writeFileSync(path, 'written by someone else\n');
  try {
    io.budget = 10;
    await assert.rejects(pool.write([chunk(path, lines('a', 3))]), { code: 'ENOSPC' });
    assert.equal(readFileSync(path, 'utf8'), 'written by someone else\n');
  } finally {
    await cleanup();
  }
});

test('overwrite: a failed write leaves an empty file, never a cut-off line; the retry writes the whole content', async () => {
  const io = new BudgetIo(Infinity);
  const { dir, pool, cleanup } = setup(io, { overwrite: true });
  const path = join(dir, 'state.json');
  try {
    await pool.write([chunk(path, lines('old', 4))]);
    io.budget = 12;
    await assert.rejects(pool.write([chunk(path, lines('new', 4))]), { code: 'ENOSPC' });
    assert.equal(statSync(path).size, 0);
    io.budget = Infinity;
    await pool.write([chunk(path, lines('new', 4))]);
    assert.equal(readFileSync(path, 'utf8'), lines('new', 4));
  } finally {
    await cleanup();
  }
});

test('writes started together run one after another, so a roll-back never cuts a later write', async () => {
  const io = new BudgetIo(Infinity);
  const { dir, pool, cleanup } = setup(io, { fsyncEachWrite: true });
  const path = join(dir, 'out.log');
  try {
    io.syncFailures = 1; // the first write's fsync fails after the second write could have appended
    const first = pool.write([chunk(path, lines('a', 3))]);
    const second = pool.write([chunk(path, lines('b', 3))]);
    await assert.rejects(first, { code: 'EIO' });
    await second;
    assert.equal(readFileSync(path, 'utf8'), lines('b', 3));
  } finally {
    await cleanup();
  }
});
