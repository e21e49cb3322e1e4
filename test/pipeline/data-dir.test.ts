import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataDirLock } from '../../src/pipeline/data-dir.js';
import { DEFAULT_DATA_DIR, pluginDataDir } from '../../src/pipeline/settings.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, 'bin', 'logpipe.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'logpipe-datadir-'));

test('path.data defaults to data/ in the install directory, with a directory per pipeline and plugin', () => {
  assert.equal(DEFAULT_DATA_DIR, join(ROOT, 'data'));
  assert.equal(pluginDataDir({ dataDir: '/var/lib/logpipe', id: 'main' }, 'file_input_1'), '/var/lib/logpipe/pipelines/main/plugins/file_input_1');
});

test('the lock holds the pid, is released on release(), and a lock left by a dead process is taken over', () => {
  const dir = join(tmp(), 'nested', 'data');
  const lock = DataDirLock.acquire(dir);
  assert.equal(readFileSync(join(dir, '.lock'), 'utf8').trim(), String(process.pid));
  lock.release();
  assert.equal(existsSync(join(dir, '.lock')), false);
  // A pid that cannot be alive: a finished child's.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(join(dir, '.lock'), `${dead}\n`);
  const again = DataDirLock.acquire(dir);
  assert.equal(readFileSync(join(dir, '.lock'), 'utf8').trim(), String(process.pid));
  again.release();
});

function startLogpipe(dataDir: string): { child: ChildProcess; started: Promise<void>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, 'run', '-e', 'input { stdin {} } output { null {} }', '-w', '1', '--path.data', dataDir], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('pipeline started')) resolve();
    });
    child.on('exit', () => reject(new Error(`exited before starting: ${err}`)));
  });
  return { child, started, stderr: () => err };
}

test('two processes cannot share path.data; after a kill -9 the next process takes the directory over', async () => {
  const dataDir = tmp();
  const first = startLogpipe(dataDir);
  await first.started;
  try {
    const second = spawnSync(process.execPath, [BIN, 'run', '-e', 'input { generator { count => 1 } } output { null {} }', '--path.data', dataDir], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(second.status, 1);
    assert.match(second.stderr, new RegExp(`path.data ${dataDir} is in use by another logpipe process \\(pid ${first.child.pid}\\)`));
  } finally {
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
  }
  assert.equal(readFileSync(join(dataDir, '.lock'), 'utf8').trim(), String(first.child.pid), 'a killed process leaves its lock behind');
  const third = spawnSync(process.execPath, [BIN, 'run', '-e', 'input { generator { count => 1 } } output { null {} }', '--path.data', dataDir], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(third.status, 0, third.stderr);
  assert.equal(existsSync(join(dataDir, '.lock')), false, 'released at exit');
});
