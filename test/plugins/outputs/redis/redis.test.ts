/**
 * redis output against the real Redis at 127.0.0.1:6379 (these tests fail, not skip, without it),
 * and a private redis-server for failover.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../../src/core/event.js';
import { OutputError } from '../../../../src/plugins/api.js';
import { redisOutput, type KeyChunk } from '../../../../src/plugins/outputs/redis/index.js';
import { makeOutput } from '../../../helpers/harness.js';
import { client, freePort, keyPrefix, PrivateRedis, runPipeline, startPipeline } from '../../../helpers/redis.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

const { prefix, cleanup } = keyPrefix('output');
const redis = client();
after(async () => {
  await cleanup();
  redis.disconnect();
});

const parse = (values: string[]): Array<Record<string, unknown>> => values.map((v) => JSON.parse(v) as Record<string, unknown>);

test('redis is reachable (these tests fail, not skip, without it)', async () => {
  assert.equal(await redis.ping(), 'PONG');
});

test('encoder: values grouped by rendered key, with their positions in the write', async () => {
  const out = await makeOutput(redisOutput, { data_type: 'list', key: `${prefix}%{app}` });
  const chunks = out.encode([{ app: 'a', n: 0 }, { app: 'b', n: 1 }, { app: 'a', n: 2 }]) as KeyChunk[];
  assert.deepEqual(chunks.map((c) => c.key), [`${prefix}a`, `${prefix}b`]);
  assert.deepEqual([...chunks[0]!.positions], [0, 2]);
  assert.deepEqual([...chunks[1]!.positions], [1]);
  const text = new TextDecoder().decode(chunks[0]!.bytes);
  assert.deepEqual(parse([text.slice(0, chunks[0]!.ends[0]), text.slice(chunks[0]!.ends[0])]).map((e) => e['n']), [0, 2]);
  await out.sink.close?.();
});

test('list: every event RPUSHed as JSON to the key its fields render, in order (batch: many values per RPUSH)', async () => {
  for (const batch of [false, true]) {
    const key = `${prefix}list-${batch}`;
    await runPipeline(`input { generator { count => 150 lines => ["even", "odd"] } }
      output { redis { data_type => "list" key => "${key}-%{message}" batch => ${batch} batch_events => 7 } }`);
    const even = parse(await redis.lrange(`${key}-even`, 0, -1));
    const odd = parse(await redis.lrange(`${key}-odd`, 0, -1));
    assert.deepEqual(even.map((e) => e['sequence']), Array.from({ length: 150 }, (_, i) => i));
    assert.deepEqual(odd.map((e) => e['sequence']), Array.from({ length: 150 }, (_, i) => i));
    assert.ok(even.every((e) => e['message'] === 'even') && odd.every((e) => e['message'] === 'odd'));
  }
});

test('channel: every event PUBLISHed to its channel', async () => {
  const channel = `${prefix}chan`;
  const subscriber = client();
  const received: string[] = [];
  subscriber.on('message', (_c: string, m: string) => received.push(m));
  await subscriber.subscribe(channel);
  try {
    await runPipeline(`input { generator { count => 200 } } output { redis { data_type => "channel" key => "${channel}" } }`);
    await waitFor('200 messages', () => received.length === 200);
    assert.deepEqual(parse(received).map((e) => e['sequence']), Array.from({ length: 200 }, (_, i) => i));
  } finally {
    subscriber.disconnect();
  }
});

test('stream: one XADD per event in stream_field; stream_maxlen trims about that many', async () => {
  const key = `${prefix}stream`;
  await runPipeline(`input { generator { count => 1000 } } output { redis { data_type => "stream" key => "${key}" stream_field => "doc" } }`);
  const entries = await redis.xrange(key, '-', '+');
  assert.equal(entries.length, 1000);
  assert.equal(entries[0]![1][0], 'doc');
  assert.deepEqual(entries.map(([, f]) => (JSON.parse(f[1]!) as { sequence: number }).sequence), Array.from({ length: 1000 }, (_, i) => i));

  const trimmed = `${prefix}stream-trimmed`;
  await runPipeline(`input { generator { count => 5000 } } output { redis { data_type => "stream" key => "${trimmed}" stream_maxlen => 500 } }`);
  const length = await redis.xlen(trimmed);
  // "~" trims whole macro nodes (100 entries by default): a little above the bound, far below 5000.
  assert.ok(length >= 500 && length < 1000, `XLEN ${length}`);
});

test('a key of another type: its events fail for good with the reason, the rest of the write stands', async () => {
  const wrong = `${prefix}wrongtype`;
  await redis.set(wrong, 'a string');
  const out = await makeOutput(redisOutput, { data_type: 'list', key: `${prefix}%{k}`, batch: true });
  const data = out.encode([{ k: 'ok', n: 0 }, { k: 'wrongtype', n: 1 }, { k: 'ok', n: 2 }, { k: 'wrongtype', n: 3 }]);
  const result = await out.sink.write(data);
  assert.ok(result && result.failed);
  assert.deepEqual(result.failed.map((f) => f.index).sort(), [1, 3]);
  assert.match(result.failed[0]!.reason, /WRONGTYPE/);
  assert.deepEqual(parse(await redis.lrange(`${prefix}ok`, 0, -1)).map((e) => e['n']), [0, 2]);
  await out.sink.close?.();
});

test('server away: the write rejects as retryable (the pipeline retries it every reconnect_interval)', async () => {
  const port = await freePort();
  const out = await makeOutput(redisOutput, { data_type: 'list', key: `${prefix}x`, host: [`127.0.0.1:${port}`], reconnect_interval: 0.25 });
  assert.deepEqual(out.sink.retry, { initialMs: 250, maxMs: 250, maxAttempts: 0 });
  await assert.rejects(out.sink.write(out.encode([{ a: 1 }])), (err: unknown) => err instanceof OutputError && err.failure === 'retryable' && /ECONNREFUSED/.test(err.message));
  await out.sink.close?.();
});

test('host list: a server that refuses is skipped for the next one', async () => {
  const dead = await freePort();
  const key = `${prefix}failover`;
  const out = await makeOutput(redisOutput, { data_type: 'list', key, host: [`127.0.0.1:${dead}`, '127.0.0.1:6379'], shuffle_hosts: false });
  await out.sink.write(out.encode([{ n: 1 }]));
  assert.deepEqual(parse(await redis.lrange(key, 0, -1)).map((e) => e['n']), [1]);
  await out.sink.close?.();
});

test('a batch is acknowledged only once Redis replied: while the server is down the pipeline retries, then delivers every event', async () => {
  const server = new PrivateRedis(await freePort());
  const key = `${prefix}late`;
  // The server starts only after the pipeline: nothing can be acknowledged before.
  const { pipeline, done } = await startPipeline(`input { generator { count => 500 } }
    output { redis { data_type => "list" key => "${key}" port => ${server.port} reconnect_interval => 0.1 batch => true } }`);
  let finished = false;
  void done.then(() => (finished = true));
  await sleep(500);
  assert.equal(finished, false, 'the pipeline finished while Redis was down');
  assert.equal(pipeline.stats.acked, 0);
  await server.start();
  try {
    assert.equal(await done, 'drained');
    assert.equal(pipeline.stats.acked, 500);
    const c = client(server.port);
    const values = parse(await c.lrange(key, 0, -1)).map((e) => e['sequence'] as number);
    c.disconnect();
    assert.equal(new Set(values).size, 500);
  } finally {
    await server.stop();
  }
});

test('congestion_threshold holds the output back: the list never exceeds the threshold by more than one batch', async () => {
  const key = `${prefix}congested`;
  const threshold = 100;
  const batchSize = 50;
  const { done } = await startPipeline(`input { generator { count => 1500 } }
    output { redis { data_type => "list" key => "${key}" batch => true batch_events => 50 congestion_threshold => ${threshold} congestion_interval => 0.02 } }`, { batchSize });
  let finished = false;
  void done.then(() => (finished = true));
  let maxLength = 0;
  let popped = 0;
  // A slow consumer: 20 values every 10 ms, sampling the length before each pop.
  while (!finished || (await redis.llen(key)) > 0) {
    maxLength = Math.max(maxLength, await redis.llen(key));
    popped += (await redis.lpop(key, 20))?.length ?? 0;
    await sleep(10);
  }
  assert.equal(await done, 'drained');
  assert.equal(popped, 1500);
  assert.ok(maxLength <= threshold + batchSize, `the list reached ${maxLength} values`);
  assert.ok(maxLength > threshold / 2, `the output was held back too hard (${maxLength})`);
});

test('an event the codec cannot encode is left out; positions count only the events written', async () => {
  const out = await makeOutput(redisOutput, { data_type: 'list', key: `${prefix}rejected` });
  const cyclic = new Event({ n: 1 });
  const loop: Record<string, unknown> = {};
  loop['self'] = loop;
  cyclic.set('loop', loop);
  const chunks = out.encode([{ n: 0 }, cyclic, { n: 2 }]) as KeyChunk[];
  assert.deepEqual([...chunks[0]!.ends].length, 2);
  assert.deepEqual([...chunks[0]!.positions], [0, 1]);
  await out.sink.close?.();
});

test('a server that hangs: the write fails as retryable after `timeout`, and the next one reconnects once it answers again', async () => {
  const server = await PrivateRedis.start();
  const key = `${prefix}hung`;
  const out = await makeOutput(redisOutput, { data_type: 'list', key, port: server.port, timeout: 0.5 });
  try {
    await out.sink.write(out.encode([{ n: 0 }]));
    server.pause();
    await assert.rejects(out.sink.write(out.encode([{ n: 1 }])), (err: unknown) => err instanceof OutputError && err.failure === 'retryable' && /timed? ?out/i.test(err.message));
    server.resume();
    await out.sink.write(out.encode([{ n: 2 }]));
    const c = client(server.port);
    const values = parse(await c.lrange(key, 0, -1)).map((e) => e['n']);
    c.disconnect();
    // The timed-out push may still have happened once the server woke up: at least once.
    assert.deepEqual(values.filter((n) => n !== 1), [0, 2]);
  } finally {
    server.resume();
    await out.sink.close?.();
    await server.stop();
  }
});
