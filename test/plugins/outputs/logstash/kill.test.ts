/**
 * End to end through real processes: `logpipe run` with generator → logstash output ships to
 * another `logpipe run` with beats input → file output. The receiver is killed with SIGKILL
 * mid-stream and started again; the sender retries until delivered. Every id must arrive at
 * least once (sets, not counts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../helpers/redis.js';
import { waitFor } from '../../../helpers/wait.js';
import { exited } from '../../../helpers/processes.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'bin', 'logpipe.js');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'logpipe-beats-kill-'));

/** The `sequence` of each whole line (a line cut by the kill is left out). */
const sequences = (path: string): number[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => (JSON.parse(l) as { sequence: number }).sequence) : [];

function logpipe(config: string): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'run', '--path.data', tmp(), '--log.level', 'error', '-e', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.setEncoding('utf8');
  return child;
}

/**
 * A generator → logstash output sender shipping 12,000 events to a beats → file receiver, which is
 * stopped with `signal` once 2000 events are written and started again; returns the sequences the
 * receivers wrote once the sender exited 0.
 */
async function receiverRestartedMidStream(signal: 'SIGKILL' | 'SIGTERM', total: number): Promise<number[]> {
  const port = await freePort();
  const out = join(tmp(), 'received.json');
  const receiverConfig = `input { beats { host => "127.0.0.1" port => ${port} } } output { file { path => "${out}" } }`;
  const children: ChildProcess[] = [];
  try {
    const receiver = logpipe(receiverConfig);
    children.push(receiver);
    const sender = logpipe(`input { generator { count => ${total} } } output { logstash { hosts => ["127.0.0.1:${port}"] bulk_max_size => 200 timeout => "5s" backoff => { init => "100ms" max => "400ms" } } }`);
    children.push(sender);
    let senderLog = '';
    sender.stderr!.on('data', (d: string) => (senderLog += d));
    await waitFor('the receiver to write 2000 events', () => sequences(out).length >= 2000, 30_000);
    receiver.kill(signal);
    const code = await exited(receiver);
    if (signal === 'SIGTERM') assert.equal(code, 0, 'the receiver drains and exits cleanly');
    const before = new Set(sequences(out)).size;
    assert.ok(before < total, `the stop must come mid-stream (${before} of ${total} had arrived)`);

    const again = logpipe(receiverConfig);
    children.push(again);
    assert.equal(await exited(sender), 0, `the sender delivers everything and exits cleanly: ${senderLog.slice(-2000)}`);
    again.kill('SIGTERM');
    assert.equal(await exited(again), 0);
    return sequences(out);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

const lostOf = (seen: Set<number>, total: number): number[] => [...Array(total).keys()].filter((i) => !seen.has(i));

test('kill -9 of the beats receiver mid-stream: after its restart every event of the sender has arrived at least once', async () => {
  const total = 12_000;
  const lost = lostOf(new Set(await receiverRestartedMidStream('SIGKILL', total)), total);
  assert.deepEqual(lost.slice(0, 20), [], `${lost.length} events lost`);
});

test('SIGTERM of the beats receiver mid-stream: after its restart every event has arrived exactly once', async () => {
  const total = 12_000;
  const counts = new Map<number, number>();
  for (const s of await receiverRestartedMidStream('SIGTERM', total)) counts.set(s, (counts.get(s) ?? 0) + 1);
  const lost = lostOf(new Set(counts.keys()), total);
  assert.deepEqual(lost.slice(0, 20), [], `${lost.length} events lost`);
  const twice = [...counts].filter(([, n]) => n > 1).map(([s]) => s);
  assert.deepEqual(twice.slice(0, 20), [], `${twice.length} events arrived twice after a graceful stop`);
});
