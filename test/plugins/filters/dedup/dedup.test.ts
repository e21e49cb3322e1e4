import { after, test } from 'node:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline } from '../../../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { Event } from '../../../../src/core/event.js';
import type { ConfigValue } from '../../../../src/config/values.js';
import type { EcsCompatibility, Filter } from '../../../../src/plugins/api.js';
import { compileDecorations, filterStep } from '../../../../src/pipeline/filter-runner.js';
import { batchRunner, makeFilter, registryWith, settingsOf, testContext } from '../../../helpers/harness.js';
import { DeferredEffects } from '../../../../src/pipeline/deferred-effects.js';
import { createLogger } from '../../../../src/core/logger.js';
import { createDedup, dedupFilter, MemoryDedupStore, type DedupDeps, type DedupOptions } from '../../../../src/plugins/filters/dedup/index.js';
import { compileKey, templateFields } from '../../../../src/plugins/filters/dedup/key.js';

const prefix = `logpipe-test:dedup:${process.pid}:${Date.now()}:`;

/** Builds the filter like the pipeline does, but keeps the Filter so tests can close it. */
const opened: Filter[] = [];
async function build(settings: Record<string, ConfigValue>, deps: DedupDeps = {}, ecs: EcsCompatibility = 'disabled') {
  const registry = registryWith(dedupFilter);
  const options = registry.validate(dedupFilter, settingsOf(settings), { file: 'test.conf', line: 1, column: 1 });
  const effects = new DeferredEffects(createLogger('error'));
  const filter = createDedup(options as unknown as DedupOptions, testContext('dedup', { registry, ecs, effects }), deps);
  opened.push(filter);
  const batches = batchRunner(effects, filterStep(filter, compileDecorations(options as never)));
  const events = (input: Array<Record<string, unknown>>): Event[] => input.map((d) => new Event(structuredClone(d)));
  /** One batch, acknowledged at once (every output wrote it). */
  const run = (input: Array<Record<string, unknown>>): Promise<Event[]> => batches.run(events(input));
  /** One batch still in flight; acknowledge() says the outputs are done with it. */
  const runUnacknowledged = (input: Array<Record<string, unknown>>) => batches.runUnacknowledged(events(input));
  return { filter, run, runUnacknowledged };
}
after(async () => {
  for (const f of opened) await f.close?.();
  // Remove the keys this run wrote.
  const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, retryStrategy: () => null });
  try {
    await client.connect();
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
  } catch {
    // Redis unreachable: the reachability test already failed.
  } finally {
    client.disconnect();
  }
});

const fp = (...values: string[]) => values.map((v) => ({ fingerprint: v, message: `m-${v}` }));

// ------------------------------------------------------------ memory store

test('MemoryDedupStore: window counted from the first sighting, with an injected clock', () => {
  let now = 1_000_000;
  const store = new MemoryDedupStore(10_000, 100, () => now);
  assert.equal(store.seen('a'), false);
  now += 5_000;
  assert.equal(store.seen('a'), true);
  now += 4_999; // 9.999 s after the first sighting: still inside
  assert.equal(store.seen('a'), true);
  now += 1; // exactly 10 s: expired, and a repeat did not extend the window
  assert.equal(store.seen('a'), false);
  assert.equal(store.seen('a'), true);
});

test('MemoryDedupStore: LRU bound evicts the least recently seen key', () => {
  const now = 0;
  const store = new MemoryDedupStore(60_000, 3, () => now);
  for (const k of ['a', 'b', 'c']) assert.equal(store.seen(k), false);
  assert.equal(store.seen('a'), true); // touch a: b is now the least recently seen
  assert.equal(store.seen('d'), false); // evicts b
  assert.equal(store.size, 3);
  assert.equal(store.seen('a'), true);
  assert.equal(store.seen('c'), true);
  assert.equal(store.seen('d'), true);
  assert.equal(store.seen('b'), false, 'b was evicted');
});

test('MemoryDedupStore: expired entries are swept so they do not take up room', () => {
  let now = 0;
  const store = new MemoryDedupStore(1_000, 1_000, () => now);
  for (let i = 0; i < 500; i++) store.seen(`k${i}`);
  now = 2_000;
  store.seen('fresh');
  assert.equal(store.size, 1);
});

test('dedup memory: drops repeats of the default key (fingerprint) within the window', async () => {
  let now = 0;
  const { run } = await build({ ttl: 60 }, { now: () => now });
  const out = await run(fp('a', 'b', 'a', 'c', 'b'));
  assert.deepEqual(out.map((e) => e.get('message')), ['m-a', 'm-b', 'm-c']);
  now = 59_999;
  assert.equal((await run(fp('a'))).length, 0);
  now = 60_000;
  assert.equal((await run(fp('a'))).length, 1, 'after the window the key is new again');
});

test('dedup memory: tag_on_duplicate keeps duplicates, tags them and applies the decorations', async () => {
  const { run } = await build({ tag_on_duplicate: ['duplicate'], add_field: { dup: 'yes' } });
  const out = await run(fp('x', 'x'));
  assert.equal(out.length, 2);
  assert.equal(out[0]!.hasTag('duplicate'), false);
  assert.equal(out[0]!.has('dup'), false);
  assert.ok(out[1]!.hasTag('duplicate'));
  assert.equal(out[1]!.get('dup'), 'yes');
});

test('dedup memory: custom key template over several fields', async () => {
  const { run } = await build({ key: '%{host}|%{[log][offset]}' });
  const out = await run([
    { host: 'h1', log: { offset: 1 }, n: 1 },
    { host: 'h1', log: { offset: 2 }, n: 2 },
    { host: 'h2', log: { offset: 1 }, n: 3 },
    { host: 'h1', log: { offset: 1 }, n: 4 },
  ]);
  assert.deepEqual(out.map((e) => e.get('n')), [1, 2, 3]);
});

test('dedup: a missing key field passes the event through, tagged, never colliding', async () => {
  const { run } = await build({});
  const out = await run([{ message: 'a' }, { message: 'b' }, { fingerprint: null, message: 'c' }]);
  assert.equal(out.length, 3);
  for (const e of out) assert.ok(e.hasTag('_dedup_key_missing'));
});

test('dedup: ECS mode defaults the key to [event][hash]', async () => {
  const { run } = await build({}, {}, 'v8');
  const out = await run([{ event: { hash: 'h' } }, { event: { hash: 'h' } }, { fingerprint: 'h' }]);
  assert.equal(out.length, 2);
  assert.ok(out[1]!.hasTag('_dedup_key_missing'));
});

test('dedup: memory stores of two instances are separate (one per worker)', async () => {
  const a = await build({});
  const b = await build({});
  assert.equal((await a.run(fp('k'))).length, 1);
  assert.equal((await b.run(fp('k'))).length, 1, 'the other instance has not seen the key');
});

test('dedup: configuration errors', async () => {
  await assert.rejects(makeFilter(dedupFilter, { ttl: 0 }), /ttl must be a number of seconds > 0/);
  await assert.rejects(makeFilter(dedupFilter, { max_entries: 0 }), /max_entries must be a whole number >= 1/);
  await assert.rejects(makeFilter(dedupFilter, { store: 'redis', ttl: 1.5 }), /ttl must be whole seconds/);
  await assert.rejects(makeFilter(dedupFilter, { store: 'memcached' }), /invalid value "memcached"/);
});

test('templateFields/compileKey', () => {
  assert.deepEqual(templateFields('%{a}-%{[b][c]}-%{+yyyy}-%{{HH}}').map((r) => r.path), [['a'], ['b', 'c']]);
  const key = compileKey('%{a}:%{b}');
  assert.equal(key(new Event({ a: 1, b: [2, 3] })), '1:2,3');
  assert.equal(key(new Event({ a: 1 })), undefined);
  assert.equal(compileKey('%{a}')(new Event({ a: '' })), undefined, 'an empty key is no key');
});

// ------------------------------------------------------------ redis store (real server at 127.0.0.1:6379)

test('redis is reachable (these tests fail, not skip, without it)', async () => {
  const client = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 0, connectTimeout: 2000, lazyConnect: true, retryStrategy: () => null });
  try {
    await client.connect();
    assert.equal(await client.ping(), 'PONG');
  } finally {
    client.disconnect();
  }
});

test('dedup redis: two filter instances share the store and see each other\'s keys', async () => {
  const a = await build({ store: 'redis', key_prefix: `${prefix}shared:`, ttl: 60 });
  const b = await build({ store: 'redis', key_prefix: `${prefix}shared:`, ttl: 60 });
  const outA = await a.run(fp('k1', 'k2', 'k1'));
  assert.deepEqual(outA.map((e) => e.get('fingerprint')), ['k1', 'k2'], 'a repeat within one batch is a duplicate');
  const outB = await b.run(fp('k2', 'k3', 'k1'));
  assert.deepEqual(outB.map((e) => e.get('fingerprint')), ['k3'], 'instance b sees keys written by instance a');
  for (const e of [...outA, ...outB]) assert.equal(e.hasTag('_dedup_store_error'), false);
  // The keys are really in Redis, with the TTL set.
  const client = new Redis({ host: '127.0.0.1', port: 6379 });
  try {
    const ttl = await client.ttl(`${prefix}shared:k1`);
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
    await client.del(`${prefix}shared:k1`, `${prefix}shared:k2`, `${prefix}shared:k3`);
  } finally {
    client.disconnect();
  }
});

test('dedup redis: a different key_prefix is a different window', async () => {
  const a = await build({ store: 'redis', key_prefix: `${prefix}p1:` });
  const b = await build({ store: 'redis', key_prefix: `${prefix}p2:` });
  assert.equal((await a.run(fp('same'))).length, 1);
  assert.equal((await b.run(fp('same'))).length, 1);
});

test('dedup redis: keys expire after ttl (1 s)', async () => {
  const { run } = await build({ store: 'redis', key_prefix: `${prefix}ttl:`, ttl: 1 });
  assert.equal((await run(fp('t'))).length, 1);
  assert.equal((await run(fp('t'))).length, 0);
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal((await run(fp('t'))).length, 1, 'seen again after the ttl');
});

test('dedup redis: tag_on_duplicate and decorations on duplicates', async () => {
  const { run } = await build({ store: 'redis', key_prefix: `${prefix}tag:`, tag_on_duplicate: ['dup'], add_tag: ['seen_before'] });
  const out = await run(fp('z', 'z'));
  assert.equal(out.length, 2);
  assert.deepEqual(out[0]!.tags, []);
  assert.deepEqual(out[1]!.tags, ['dup', 'seen_before']);
});

test('dedup redis: missing key fields are tagged and not sent', async () => {
  const { run } = await build({ store: 'redis', key_prefix: `${prefix}missing:` });
  const out = await run([{ message: 'no fp' }, { message: 'no fp' }, ...fp('m')]);
  assert.equal(out.length, 3);
  assert.ok(out[0]!.hasTag('_dedup_key_missing') && out[1]!.hasTag('_dedup_key_missing'));
  assert.equal(out[2]!.hasTag('_dedup_key_missing'), false);
});

test('dedup redis: store errors fail open (nothing dropped, events tagged)', async () => {
  // Nothing listens on port 1.
  const { run } = await build({ store: 'redis', port: 1, timeout: 0.5, key_prefix: `${prefix}down:` });
  const out = await run(fp('d', 'd', 'e'));
  assert.equal(out.length, 3, 'duplicates are not dropped when the store cannot answer');
  for (const e of out) assert.ok(e.hasTag('_dedup_store_error'));
  // While disconnected, later batches fail at once.
  const again = await run(fp('d'));
  assert.ok(again[0]!.hasTag('_dedup_store_error'));
});

test('dedup redis: redis_url and password options are accepted; the URL is redacted', async () => {
  const { run } = await build({ store: 'redis', redis_url: 'redis://127.0.0.1:6379/0', key_prefix: `${prefix}url:` });
  assert.equal((await run(fp('u', 'u'))).length, 1);
  const registry = registryWith(dedupFilter);
  const options = registry.validate(dedupFilter, settingsOf({ redis_url: 'redis://:secret@h:1/0', password: 'secret' }), { file: 't', line: 1, column: 1 }) as Record<string, unknown>;
  assert.equal(String(options['redis_url']), '<password>');
  assert.equal(JSON.stringify(options).includes('secret'), false);
});

// ------------------------------------------------------------ re-runs and redeliveries

for (const store of ['memory', 'redis'] as const) {
  test(`dedup ${store}: keys count only once their batch is acknowledged; repeats in flight are still duplicates`, async () => {
    const { run, runUnacknowledged } = await build({ store, key_prefix: `${prefix}inflight-${store}:`, ttl: 60 });
    const first = await runUnacknowledged(fp('a', 'b', 'a'));
    assert.deepEqual(first.out.map((e) => e.get('fingerprint')), ['a', 'b'], 'a repeat within the batch is a duplicate');
    // Batch 1 is still in flight: its keys are held by this instance, so their repeats are duplicates.
    assert.deepEqual((await run(fp('a', 'c'))).map((e) => e.get('fingerprint')), ['c']);
    await first.acknowledge();
    assert.deepEqual((await run(fp('a', 'b', 'c', 'd'))).map((e) => e.get('fingerprint')), ['d'], 'acknowledged keys are recorded');
  });
}

test('dedup redis: a redelivery after a crash is not dropped as its own duplicate', async () => {
  const key_prefix = `${prefix}crash:`;
  // Process 1 filters a batch; it crashes before any output acknowledged it.
  const crashed = await build({ store: 'redis', key_prefix, ttl: 60 });
  const lost = await crashed.runUnacknowledged(fp('r1', 'r2'));
  assert.equal(lost.out.length, 2);
  // Process 2 receives the same events again (the input redelivers what was not acknowledged).
  const restarted = await build({ store: 'redis', key_prefix, ttl: 60 });
  assert.deepEqual((await restarted.run(fp('r1', 'r2'))).map((e) => e.get('fingerprint')), ['r1', 'r2']);
  // Once acknowledged there, repeats are duplicates for everyone sharing the store.
  assert.deepEqual((await crashed.run(fp('r1', 'r2', 'r3'))).map((e) => e.get('fingerprint')), ['r3']);
});

test('dedup redis before a runaway grok: the watchdog re-run of the batch delivers every event exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-dedup-rerun-'));
  const out = join(dir, 'out.json');
  const evil = 'a'.repeat(40) + 'b';
  const lines = ['aa', evil, 'aaa', 'aaaa'];
  const config = `
input { generator { lines => ${JSON.stringify(lines)} count => 1 } }
filter {
  fingerprint { source => "message" method => "SHA1" }
  dedup { store => "redis" key_prefix => "${prefix}rerun:" ttl => 60 }
  grok { match => { "message" => "(?<!x)^(?<x>(a+)+)$" } timeout_millis => 300 }
}
output { file { path => "${out}" } }`;
  const logs: string[] = [];
  const p = new Pipeline([{ name: 'rerun.conf', text: config }], { ...defaultSettings(), workers: 1, batchDelayMs: 5, threads: true, dataDir: dir },
    createLogger('warn', 'test', (l) => logs.push(l)));
  await p.start();
  assert.equal(await p.run(), 'drained');
  assert.equal(logs.filter((l) => l.includes('restarting it')).length, 1, 'the worker was cut off once');
  const messages = readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { message: string }).message);
  assert.deepEqual(messages, lines, 'every event once, none dropped as a duplicate of itself');
});
