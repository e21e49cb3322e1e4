/**
 * redis input against the real Redis at 127.0.0.1:6379 (these tests fail, not skip, without it):
 * the decoder, a round trip output → input per mode, acknowledgements (nothing XACKed or LREMed
 * before the outputs wrote), reclaiming a stopped consumer's entries, and sharing one key.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Event } from '../../../../src/core/event.js';
import { defineOutput } from '../../../../src/plugins/api.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { redisInput } from '../../../../src/plugins/inputs/redis/index.js';
import { PayloadBuilder } from '../../../../src/plugins/inputs/redis/payload.js';
import { PluginRegistry } from '../../../../src/plugins/registry.js';
import { registryWith, settingsOf, testContext } from '../../../helpers/harness.js';
import { client, keyPrefix, missing, runPipeline, sequences, startPipeline, tmp } from '../../../helpers/redis.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

const { prefix, cleanup } = keyPrefix('input');
const redis = client();
after(async () => {
  await cleanup();
  redis.disconnect();
});

/** An output that never accepts anything (a store that is down for good). */
const failingOutput = defineOutput({
  kind: 'output',
  name: 'failing',
  description: 'test output: every write fails',
  options: {},
  createEncoder: () => ({ encode: (events) => ({ data: events.length }) }),
  createSink: () => ({
    write: () => Promise.reject(new Error('store down')),
    retry: { initialMs: 20, maxMs: 20, maxAttempts: 0 },
  }),
});
const registry = (): PluginRegistry => {
  const r = new PluginRegistry();
  for (const d of builtinRegistry().all()) r.register(d);
  return r.register(failingOutput);
};

test('redis is reachable (these tests fail, not skip, without it)', async () => {
  assert.equal(await redis.ping(), 'PONG');
});

test('decoder: the codec per message; a body that is not JSON becomes its raw text tagged _jsonparsefailure; channels in @metadata', () => {
  const reg = registryWith(redisInput);
  const decode = (codec: string, messages: string[], channel?: string): Event[] => {
    const options = reg.validate(redisInput, settingsOf({ data_type: 'list', key: 'k', codec }), { file: 't', line: 1, column: 1 });
    const decoder = redisInput.createDecoder(options as never, testContext('redis', { registry: reg }));
    const builder = new PayloadBuilder(125);
    for (const m of messages) builder.add(Buffer.from(m), channel);
    const events: Event[] = [];
    decoder.decode(builder.take().payload.data, (e) => events.push(e));
    return events;
  };
  const events = decode('json', ['{"a":1}', 'not json {', '{"b":"é"}', '[{"c":1},{"c":2}]']);
  assert.deepEqual(events.map((e) => [e.get('a'), e.get('b'), e.get('c'), e.get('message'), e.get('tags')]), [
    [1, undefined, undefined, undefined, undefined],
    [undefined, undefined, undefined, 'not json {', ['_jsonparsefailure']],
    [undefined, 'é', undefined, undefined, undefined],
    [undefined, undefined, 1, undefined, undefined],
    [undefined, undefined, 2, undefined, undefined],
  ]);
  const plain = decode('plain', ['one line', 'two'], 'chan-1');
  assert.deepEqual(plain.map((e) => [e.get('message'), e.get('[@metadata][redis_channel]')]), [['one line', 'chan-1'], ['two', 'chan-1']]);
});

/** Starts a consumer of `input` writing to a file; returns the file and the pipeline. */
async function consumer(input: string, reg?: PluginRegistry, filter = '') {
  const out = join(tmp(), 'out.json');
  const running = await startPipeline(`input { redis { ${input} } } ${filter} output { file { path => "${out}" } }`, { shutdownTimeoutMs: 2000 }, reg);
  return { out, ...running };
}

const N = 2000;

for (const [mode, outputType] of [['list', 'list'], ['reliable_list', 'list'], ['stream', 'stream']] as const) {
  test(`round trip ${outputType} → ${mode}: every event arrives once, as written`, async () => {
    const key = `${prefix}rt-${mode}`;
    await runPipeline(`input { generator { count => ${N} } } output { redis { data_type => "${outputType}" key => "${key}" batch => true } }`);
    const c = await consumer(`data_type => "${mode}" key => "${key}" batch_count => 60`);
    await waitFor(`${N} events`, () => sequences(c.out).length >= N);
    await c.pipeline.stop();
    assert.equal(await c.done, 'drained');
    const seen = sequences(c.out);
    assert.equal(seen.length, N, 'no duplicates');
    assert.deepEqual(missing(seen, N), []);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'one worker keeps the order');
    if (mode === 'stream') {
      const [pending] = (await redis.xpending(key, 'logpipe')) as [number];
      assert.equal(pending, 0, 'every entry acknowledged');
      // A clean stop takes its consumers out of the group.
      await waitFor('consumers gone', async () => ((await redis.xinfo('CONSUMERS', key, 'logpipe')) as unknown[]).length === 0, 5000);
    } else {
      assert.equal(await redis.llen(key), 0);
    }
    if (mode === 'reliable_list') {
      // A clean stop leaves nothing behind: no in-progress list, no registration.
      await waitFor('unregistered', async () => (await redis.scard(`${key}:consumers`)) === 0, 5000);
      assert.deepEqual(await redis.keys(`${key}:*`), []);
    }
  });
}

for (const mode of ['channel', 'pattern_channel'] as const) {
  test(`round trip channel → ${mode}: every event published while subscribed arrives, with its channel in @metadata`, async () => {
    const channel = `${prefix}ch-${mode}.events`;
    const pattern = mode === 'channel' ? channel : `${prefix}ch-${mode}.*`;
    const c = await consumer(`data_type => "${mode}" key => "${pattern}"`, undefined, 'filter { mutate { add_field => { "channel" => "%{[@metadata][redis_channel]}" } } }');
    await waitFor('the subscription', async () => {
      if (mode === 'channel') return ((await redis.pubsub('NUMSUB', channel)) as [string, number])[1] > 0;
      return ((await redis.pubsub("NUMPAT")) as unknown as number) > 0;
    });
    await runPipeline(`input { generator { count => ${N} } } output { redis { data_type => "channel" key => "${channel}" } }`);
    await waitFor(`${N} events`, () => sequences(c.out).length >= N);
    await c.pipeline.stop();
    await c.done;
    assert.deepEqual(missing(sequences(c.out), N), []);
    const { readFileSync } = await import('node:fs');
    const first = JSON.parse(readFileSync(c.out, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    assert.equal(first['channel'], channel);
  });
}

test('stream: with an output that never succeeds nothing is XACKed; after a forced stop another consumer claims every entry', async () => {
  const key = `${prefix}stream-unacked`;
  await runPipeline(`input { generator { count => 300 } } output { redis { data_type => "stream" key => "${key}" } }`);
  const failing = await startPipeline(`input { redis { data_type => "stream" key => "${key}" claim_idle_time => 3600 } } output { failing { } }`, { shutdownTimeoutMs: 200 }, registry());
  // XPENDING fails (NOGROUP) until the consumer created its group.
  await waitFor('300 entries read', async () => ((await redis.xpending(key, 'logpipe').catch(() => [0])) as [number])[0] === 300);
  await sleep(300);
  assert.equal(((await redis.xpending(key, 'logpipe')) as [number])[0], 300, 'an entry was acknowledged though no output wrote it');
  await failing.pipeline.stop();
  assert.equal(await failing.done, 'timeout');
  assert.equal(((await redis.xpending(key, 'logpipe')) as [number])[0], 300, 'a nack leaves the entries pending');

  // A second consumer takes over what the first left pending once it is idle for 0.2 s.
  const c = await consumer(`data_type => "stream" key => "${key}" claim_idle_time => 0.2 claim_interval => 0.1`);
  await waitFor('300 events', () => sequences(c.out).length >= 300);
  await c.pipeline.stop();
  await c.done;
  assert.deepEqual(missing(sequences(c.out), 300), []);
  assert.equal(((await redis.xpending(key, 'logpipe')) as [number])[0], 0);
});

test('reliable_list: with an output that never succeeds nothing is LREMed; a forced stop moves the messages back to the list', async () => {
  const key = `${prefix}rl-unacked`;
  await runPipeline(`input { generator { count => 300 } } output { redis { data_type => "list" key => "${key}" batch => true } }`);
  const failing = await startPipeline(`input { redis { data_type => "reliable_list" key => "${key}" } } output { failing { } }`, { shutdownTimeoutMs: 200 }, registry());
  const inProgress = async (): Promise<number> => {
    const [member] = await redis.smembers(`${key}:consumers`);
    return member === undefined ? 0 : redis.llen(`${key}:processing:${member}`);
  };
  await waitFor('300 messages in progress', async () => (await inProgress()) === 300);
  await sleep(300);
  assert.equal(await inProgress(), 300, 'a message was removed though no output wrote it');
  assert.equal(await redis.llen(key), 0);
  await failing.pipeline.stop();
  assert.equal(await failing.done, 'timeout');
  await waitFor('the messages back in the list', async () => (await redis.llen(key)) === 300, 5000);
  const back = (await redis.lrange(key, 0, -1)).map((v) => (JSON.parse(v) as { sequence: number }).sequence);
  // Each payload goes back to the head in its order; payloads handed back later come before.
  assert.deepEqual([...back].sort((a, b) => a - b), Array.from({ length: 300 }, (_, i) => i));
  await waitFor('unregistered', async () => (await redis.scard(`${key}:consumers`)) === 0, 5000);
});

for (const mode of ['reliable_list', 'stream'] as const) {
  test(`${mode}: two pipelines of two reader threads each consuming one key share the work; together they deliver every event once`, async () => {
    const key = `${prefix}shared-${mode}`;
    const slow = 'filter { js { code => "const t = Date.now(); while (Date.now() - t < 1) {}" } }';
    const a = await consumer(`data_type => "${mode}" key => "${key}" batch_count => 10 threads => 2`, undefined, slow);
    const b = await consumer(`data_type => "${mode}" key => "${key}" batch_count => 10 threads => 2`, undefined, slow);
    await runPipeline(`input { generator { count => 600 } } output { redis { data_type => "${mode === 'stream' ? 'stream' : 'list'}" key => "${key}" batch => true } }`);
    await waitFor('600 events', () => sequences(a.out).length + sequences(b.out).length >= 600, 30_000);
    await Promise.all([a.pipeline.stop(), b.pipeline.stop()]);
    await Promise.all([a.done, b.done]);
    const [fromA, fromB] = [sequences(a.out), sequences(b.out)];
    assert.ok(fromA.length > 0 && fromB.length > 0, `shared: ${fromA.length} + ${fromB.length}`);
    assert.equal(fromA.length + fromB.length, 600, 'no duplicates');
    assert.deepEqual(missing([...fromA, ...fromB], 600), []);
  });
}

test('list: a message that is not JSON (json codec) arrives as its raw text tagged _jsonparsefailure, between good ones; the pipeline goes on', async () => {
  const key = `${prefix}badjson`;
  await redis.rpush(key, JSON.stringify({ n: 1 }), 'not json {', Buffer.from([0xff, 0xfe, 0x7b]), JSON.stringify({ n: 2 }));
  const out = join(tmp(), 'out.json');
  const { pipeline, done } = await startPipeline(`input { redis { data_type => "list" key => "${key}" } } output { file { path => "${out}" } }`);
  const lines = (): Record<string, unknown>[] => {
    try {
      return readFileSync(out, 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch {
      return [];
    }
  };
  await waitFor('four events', () => lines().length >= 4);
  await pipeline.stop();
  assert.equal(await done, 'drained');
  const events = lines();
  assert.deepEqual(events.map((e) => e['n'] ?? null), [1, null, null, 2]);
  assert.equal(events[1]!['message'], 'not json {');
  for (const bad of [events[1]!, events[2]!]) assert.deepEqual(bad['tags'], ['_jsonparsefailure']);
  assert.equal(await redis.llen(key), 0);
});
