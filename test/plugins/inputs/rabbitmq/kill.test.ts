/**
 * kill -9 mid-stream: a real `logpipe run` consuming a queue is killed with SIGKILL while it is
 * reading; a second one finishes the queue. Nothing the first had not acknowledged may be lost:
 * the broker redelivers it (duplicates allowed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RabbitAdmin, RABBIT_HOST, uniqueName } from '../../../helpers/rabbitmq.js';
import { waitFor } from '../../../helpers/wait.js';
import { exited } from '../../../helpers/processes.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'bin', 'logpipe.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'logpipe-rabbitmq-kill-'));

const ids = (path: string): number[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => (JSON.parse(l) as { id: number }).id) : [];

function logpipe(queue: string, out: string): ChildProcess {
  const config = `input { rabbitmq { host => "${RABBIT_HOST}" queue => "${queue}" prefetch_count => 50 } } output { file { path => "${out}" } }`;
  const child = spawn(process.execPath, [BIN, 'run', '--path.data', tmp(), '-b', '25', '--log.level', 'warn', '-e', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.setEncoding('utf8');
  return child;
}

test('kill -9 while consuming: a second logpipe receives every message the first had not acknowledged', async () => {
  const admin = await RabbitAdmin.open();
  const children: ChildProcess[] = [];
  try {
    const queue = await admin.queue(uniqueName('kill_q'));
    const total = 20_000;
    await admin.publish(queue, Array.from({ length: total }, (_, i) => JSON.stringify({ id: i, pad: 'x'.repeat(100) })));
    const firstOut = join(tmp(), 'first.json');
    const first = logpipe(queue, firstOut);
    children.push(first);
    await waitFor('the first logpipe to write 1000 events', () => ids(firstOut).length >= 1000, 30_000);
    first.kill('SIGKILL');
    await exited(first);
    const before = ids(firstOut).length;
    assert.ok(before < total, `the kill must come mid-stream (the first wrote ${before} of ${total})`);

    const secondOut = join(tmp(), 'second.json');
    const second = logpipe(queue, secondOut);
    children.push(second);
    await waitFor(`all ${total} ids across both runs`, () => new Set([...ids(firstOut), ...ids(secondOut)]).size === total, 60_000);
    second.kill('SIGTERM');
    assert.equal(await exited(second), 0, 'the second logpipe drains and exits cleanly');
    const all = new Set([...ids(firstOut), ...ids(secondOut)]);
    for (let id = 0; id < total; id++) assert.ok(all.has(id), `id ${id} lost`);
    assert.equal(await admin.ready(queue), 0, 'the second run acknowledged what it wrote');
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await admin.close();
  }
});
