/** The file input through bin/logpipe.js: kill -9 and restart resume at the committed offset; SIGTERM and restart re-read nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, runInput } from '../../../tailing/run-input.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

const bin = fileURLToPath(new URL('../../../../../bin/logpipe.js', import.meta.url));

function start(dir: string): ChildProcess {
  const config = `input { file { path => "${dir}/in/*.log" start_position => "beginning" stat_interval => 0.05 discover_interval => 2 } } output { file { path => "${dir}/out.jsonl" } }`;
  return spawn(process.execPath, [bin, 'run', '-e', config, '--path.data', join(dir, 'data'), '--log.level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const ids = (dir: string): string[] => {
  const out = join(dir, 'out.jsonl');
  if (!existsSync(out)) return [];
  return readFileSync(out, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => (JSON.parse(l) as { message: string }).message);
};

test('kill -9 then restart: every line delivered at least once; SIGTERM then restart: no duplicates', async () => {
  const dir = tempDir();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'in'));
  const file = join(dir, 'in', 'app.log');
  const written: string[] = [];
  const write = (n: number): void => {
    const batch = Array.from({ length: n }, () => `id-${written.push(`id-${written.length}`) - 1}`);
    appendFileSync(file, batch.join('\n') + '\n');
  };
  writeFileSync(file, '');
  for (let round = 0; round < 3; round++) {
    const child = start(dir);
    write(3000);
    await waitFor('some lines out', () => ids(dir).length > written.length - 2500, 20_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    write(500);
  }
  const graceful = start(dir);
  await waitFor('every line out', () => new Set(ids(dir)).size === written.length, 20_000);
  await sleep(1200); // past a registry flush
  graceful.kill('SIGTERM');
  assert.equal(await new Promise((r) => graceful.once('exit', r)), 0);
  assert.deepEqual(new Set(ids(dir)), new Set(written), 'nothing lost');
  const before = ids(dir).length;
  const again = start(dir);
  await sleep(1500);
  again.kill('SIGTERM');
  await new Promise((r) => again.once('exit', r));
  assert.equal(ids(dir).length, before, 'after a graceful stop nothing is read twice');
});

test('read mode reads each file once and applies file_completed_action log', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.log'), 'x1\nx2\n');
  const completed = join(dir, 'done.txt');
  const input = runInput('file', { path: [join(dir, '*.log')], mode: 'read', file_completed_action: 'log', file_completed_log_path: completed, stat_interval: 0.05 }, { dataDir: dir, ecs: 'v8' });
  await input.waitEvents(2);
  await waitFor('completion logged', () => existsSync(completed), 5000);
  await input.stop();
  assert.deepEqual(input.messages(), ['x1', 'x2']);
  assert.equal(input.events[0]!.get('[log][file][path]'), join(dir, 'a.log'));
  assert.equal(readFileSync(completed, 'utf8'), `${join(dir, 'a.log')}\n`);
});

test('file_sort_by / file_sort_direction: with one open file at a time, files are read oldest first, or by path', async () => {
  const read = async (options: Record<string, unknown>): Promise<string[]> => {
    const dir = tempDir();
    // Modification times b < c < a; paths a < b < c.
    for (const [name, age] of [['a', 10], ['b', 30], ['c', 20]] as const) {
      const file = join(dir, `${name}.log`);
      writeFileSync(file, `${name}1\n${name}2\n`);
      const when = Date.now() / 1000 - age;
      utimesSync(file, when, when);
    }
    const input = runInput('file', { path: [join(dir, '*.log')], mode: 'read', file_completed_action: 'log', file_completed_log_path: join(dir, 'done.txt'), max_open_files: 1, stat_interval: 0.05, discover_interval: 1, ...options }, { dataDir: dir });
    await input.waitEvents(6);
    await input.stop();
    return input.messages();
  };
  assert.deepEqual(await read({}), ['b1', 'b2', 'c1', 'c2', 'a1', 'a2'], 'default: last_modified, oldest first');
  assert.deepEqual(await read({ file_sort_by: 'path', file_sort_direction: 'desc' }), ['c1', 'c2', 'b1', 'b2', 'a1', 'a2']);
});

test('delimiter and exclude', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.log'), 'r1|r2|');
  writeFileSync(join(dir, 'skip.log'), 'no|');
  const input = runInput('file', { path: [join(dir, '*.log')], exclude: ['skip*'], delimiter: '|', start_position: 'beginning', stat_interval: 0.05 }, { dataDir: dir });
  await input.waitEvents(2);
  await sleep(200);
  await input.stop();
  assert.deepEqual(input.messages(), ['r1', 'r2']);
  assert.equal(input.events[0]!.get('path'), join(dir, 'a.log'));
});
