/**
 * Fault tests of the at-least-once modes: a consumer process killed with kill -9 while it holds
 * messages (the shared Redis), and a private redis-server (AOF, fsync always) restarted while
 * events flow through the output and the input. Every event id must arrive at least once.
 * And the plain list's documented window: a consumer killed loses what it popped and had not
 * written, nothing else.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { client, keyPrefix, missing, PrivateRedis, runPipeline, sequences, startPipeline, tmp } from '../../../helpers/redis.js';
import { waitFor } from '../../../helpers/wait.js';
import { exited } from '../../../helpers/processes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');
const BIN = join(ROOT, 'bin', 'logpipe.js');

const { prefix, cleanup } = keyPrefix('fault');
const redis = client();
after(async () => {
  await cleanup();
  redis.disconnect();
});

/** About 1 ms per event, in a worker thread: keeps a pipeline mid-stream long enough to hurt it. */
const SLOW = 'filter { js { code => "const t = Date.now(); while (Date.now() - t < 1) {}" } }';

function logpipe(config: string): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'run', '-e', config, '--path.data', tmp(), '--log.level', 'error', '-w', '1', '-b', '20'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

for (const mode of ['reliable_list', 'stream'] as const) {
  test(`${mode}: a consumer process killed with kill -9 mid-stream; a second process takes over what it held and every event arrives`, async () => {
    const key = `${prefix}killed-${mode}`;
    const n = 3000;
    await runPipeline(`input { generator { count => ${n} } } output { redis { data_type => "${mode === 'stream' ? 'stream' : 'list'}" key => "${key}" batch => true } }`);
    const [outA, outB] = [join(tmp(), 'a.json'), join(tmp(), 'b.json')];
    const input = `input { redis { data_type => "${mode}" key => "${key}" consumer_timeout => 1 claim_idle_time => 1 claim_interval => 0.3 batch_count => 20 } }`;
    const a = logpipe(`${input} ${SLOW} output { file { path => "${outA}" } }`);
    try {
      await waitFor('the first consumer to write 300 events', () => sequences(outA).length >= 300, 30_000);
      a.kill('SIGKILL');
      await exited(a);
    } finally {
      a.kill('SIGKILL');
    }
    assert.ok(sequences(outA).length < n, 'the first consumer was killed mid-stream');
    let dead: string | undefined;
    if (mode === 'reliable_list') {
      [dead] = await redis.smembers(`${key}:consumers`);
      assert.ok(dead, 'the killed consumer is still registered');
      assert.ok((await redis.llen(`${key}:processing:${dead}`)) > 0, 'the killed consumer held messages in progress');
    } else {
      assert.ok(((await redis.xpending(key, 'logpipe')) as [number])[0] > 0, 'the killed consumer left entries pending');
    }

    const b = logpipe(`${input} output { file { path => "${outB}" } }`);
    try {
      await waitFor('every event', () => missing([...sequences(outA), ...sequences(outB)], n).length === 0, 30_000);
      b.kill('SIGTERM');
      await exited(b);
    } finally {
      b.kill('SIGKILL');
    }
    assert.deepEqual(missing([...sequences(outA), ...sequences(outB)], n), []);
    if (mode === 'reliable_list') {
      assert.equal(await redis.exists(`${key}:processing:${dead}`), 0, "the dead consumer's in-progress list was re-queued");
      assert.equal(await redis.llen(key), 0);
      assert.equal(await redis.scard(`${key}:consumers`), 0, 'the second consumer unregistered at its clean stop');
    } else {
      assert.equal(((await redis.xpending(key, 'logpipe')) as [number])[0], 0, 'every entry acknowledged in the end');
    }
  });
}

for (const mode of ['stream', 'reliable_list'] as const) {
  test(`${mode}: a private Redis (AOF) restarted mid-stream; every event arrives at least once`, async () => {
    const server = await PrivateRedis.start();
    const key = `${prefix}restart-${mode}`;
    const n = 3000;
    const out = join(tmp(), 'out.json');
    try {
      const consumer = await startPipeline(`input { redis { data_type => "${mode}" port => ${server.port} key => "${key}" claim_idle_time => 1 claim_interval => 0.3 consumer_timeout => 1 } }
        output { file { path => "${out}" } }`);
      const producer = await startPipeline(`input { generator { count => ${n} } } ${SLOW}
        output { redis { data_type => "${mode === 'stream' ? 'stream' : 'list'}" port => ${server.port} key => "${key}" reconnect_interval => 0.1 batch => true } }`, { threads: true });
      await waitFor('800 events through', () => sequences(out).length >= 800, 30_000);
      const before = sequences(out).length;
      await server.restart(300);
      assert.equal(await producer.done, 'drained');
      assert.ok(before < n, 'the restart came mid-stream');
      await waitFor('every event', () => missing(sequences(out), n).length === 0, 30_000);
      await consumer.pipeline.stop();
      await consumer.done;
      assert.deepEqual(missing(sequences(out), n), []);
    } finally {
      await server.stop();
    }
  });
}

test('list (at most once): a consumer killed with kill -9 loses at most what it had popped and not yet written; everything still in the list arrives', async (t) => {
  const server = await PrivateRedis.start();
  const key = `${prefix}plain-list`;
  const n = 3000;
  // Small and explicit, so the window has a known bound: the memory queue, the payload the input
  // is waiting to hand over, and the two batches past the queue (with one worker at most two are
  // being filtered or written); a payload, and so a batch, holds at most 4 × batch messages.
  const [batch, queueMax] = [20, 100];
  const payloadMax = 4 * batch;
  const bound = queueMax + payloadMax + 2 * payloadMax;
  const local = client(server.port);
  try {
    await runPipeline(`input { generator { count => ${n} } } output { redis { data_type => "list" port => ${server.port} key => "${key}" batch => true } }`);
    assert.equal(await local.llen(key), n);
    const [outA, outB] = [join(tmp(), 'a.json'), join(tmp(), 'b.json')];
    const input = `input { redis { data_type => "list" port => ${server.port} key => "${key}" batch_count => ${batch} } }`;
    const a = spawn(process.execPath, [BIN, 'run', '-e', `${input} ${SLOW} output { file { path => "${outA}" } }`, '--path.data', tmp(), '--log.level', 'error',
      '-w', '1', '-b', String(batch), '--queue.max_events', String(queueMax)], { stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      await waitFor('the first consumer to write 300 events', () => sequences(outA).length >= 300, 30_000);
      a.kill('SIGKILL');
      await exited(a);
    } finally {
      a.kill('SIGKILL');
    }
    // What the list still held when the consumer died: the second consumer must get all of it.
    const left = new Set((await local.lrange(key, 0, -1)).map((body) => (JSON.parse(body) as { sequence: number }).sequence));
    const written = new Set(sequences(outA));
    assert.ok(written.size < n && left.size > 0, 'the kill came mid-stream');

    const b = logpipe(`${input} output { file { path => "${outB}" } }`);
    try {
      await waitFor('the list drained', async () => (await local.llen(key)) === 0 && sequences(outB).length >= left.size, 30_000);
      b.kill('SIGTERM');
      await exited(b);
    } finally {
      b.kill('SIGKILL');
    }
    const second = new Set(sequences(outB));
    assert.deepEqual([...left].filter((s) => !second.has(s)), [], 'everything left in the list arrived');
    const lost = missing([...written, ...second], n);
    t.diagnostic(`${lost.length} lost of ${n} (bound ${bound}); ${written.size} written before the kill, ${left.size} left in the list`);
    // The lost ones are exactly those popped by the dead consumer and not yet written, all
    // between what it wrote (in order: one worker) and what was still in the list…
    const lastWritten = Math.max(...written);
    const firstLeft = Math.min(...left);
    assert.ok(lost.every((s) => s > lastWritten && s < firstLeft), `lost ${lost.length} outside the popped window`);
    // …and no more than the pipeline can hold (here it held some: the window is real).
    assert.ok(lost.length > 0 && lost.length <= bound, `lost ${lost.length}; the window is at most ${bound}`);
  } finally {
    local.disconnect();
    await server.stop();
  }
});
