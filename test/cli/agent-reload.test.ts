/**
 * `logpipe agent` with `filebeat.config.inputs` + `reload.enabled` as a process: input files added,
 * changed, broken, removed and added back while it runs, shipping to output.file. Asserted on
 * the set of messages delivered (each exactly once) and the fields the current input config adds.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, waitFor } from '../helpers/wait.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'logpipe.js');
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

type Event = Record<string, unknown> & { message: string; rev?: number };
const events = (path: string): Event[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Event) : [];
const has = (path: string, message: string): boolean => events(path).some((e) => e.message === message);

test('reload.enabled: inputs added, changed, removed and added back while running; a broken file keeps the running inputs; nothing re-shipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-agent-reload-'));
  const inputsDir = join(dir, 'inputs.d');
  mkdirSync(inputsDir);
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  writeFileSync(a, 'a0\na1\n');
  writeFileSync(b, 'b0\nb1\n');
  const input = (log: string, rev: number) => `- type: log\n  paths: [${log}]\n  scan_frequency: 200ms\n  backoff: 100ms\n  max_backoff: 200ms\n  fields: {rev: ${rev}}\n  fields_under_root: true\n`;
  writeFileSync(join(inputsDir, 'a.yml'), input(a, 1));
  const out = join(dir, 'out');
  const file = join(out, 'events');
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, `filebeat.config.inputs:\n  path: \${path.config}/inputs.d/*.yml\n  reload.enabled: true\n  reload.period: 1s\n`
    + `queue.mem.flush.timeout: 20ms\noutput.file: {path: ${out}, filename: events}\n`);
  const child = spawn(process.execPath, [BIN, 'agent', '-c', yml, '--path.data', join(dir, 'data'), '--log.level', 'info'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const reloads = (): number => stderr.split('filebeat.config.inputs reloaded').length - 1;

  await waitFor('a0, a1 from the file loaded at start', () => has(file, 'a1'));

  // Added: its input starts.
  writeFileSync(join(inputsDir, 'b.yml'), input(b, 1));
  await waitFor('b0, b1 from the added input', () => has(file, 'b1'));

  // Changed: the input restarts from its registry offset with the new settings.
  writeFileSync(join(inputsDir, 'a.yml'), input(a, 2));
  await waitFor('the reload of the changed file', () => reloads() === 2);
  appendFileSync(a, 'a2\n');
  await waitFor('a2', () => has(file, 'a2'));
  assert.equal(events(file).find((e) => e.message === 'a2')!.rev, 2, 'the changed input config applies');

  // Broken: logged, the running inputs are kept.
  writeFileSync(join(inputsDir, 'c.yml'), '- type: log\n  paths: [/nowhere.log]\n  close_inactive: soon\n');
  await waitFor('the reload error', () => /reload failed; the running inputs are kept/.test(stderr));
  assert.match(stderr, /c\.yml:3:\d+: .*close_inactive/);
  rmSync(join(inputsDir, 'c.yml'));

  // Removed: its harvester stops, its registry entry stays.
  rmSync(join(inputsDir, 'b.yml'));
  await waitFor('the reload of the removed file', () => reloads() === 3);
  appendFileSync(b, 'b2\n');
  appendFileSync(a, 'a3\n');
  await waitFor('a3', () => has(file, 'a3'));
  await sleep(1500); // several of b's scan and backoff periods
  assert.ok(!has(file, 'b2'), 'no input reads b.log any more');
  const registry = JSON.parse(readFileSync(join(dir, 'data', 'registry', 'logpipe-registry.json'), 'utf8')) as { entries: { path: string; offset: number }[] };
  assert.equal(registry.entries.find((e) => e.path === b)?.offset, 6, "the removed input's entry is kept at its offset");

  // Added back: resumes at the registry offset, so b2 arrives and b0, b1 are not shipped again.
  writeFileSync(join(inputsDir, 'b.yml'), input(b, 3));
  await waitFor('b2 after b.yml came back', () => has(file, 'b2'), 30_000);

  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);
  const delivered = events(file);
  assert.deepEqual(delivered.map((e) => e.message).sort(), ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2'], 'every line exactly once');
  assert.deepEqual(Object.fromEntries(delivered.map((e) => [e.message, e.rev])), { a0: 1, a1: 1, a2: 2, a3: 2, b0: 1, b1: 1, b2: 3 });
});
