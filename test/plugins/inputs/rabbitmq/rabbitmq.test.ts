/**
 * rabbitmq input against the real broker (127.0.0.1:5672), through whole pipelines: messages are
 * acknowledged only once the outputs wrote them, bad bodies become tagged events, and a cut
 * connection loses nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../../src/core/logger.js';
import { defineOutput } from '../../../../src/plugins/api.js';
import { failingOutput } from '../../../helpers/test-outputs.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { PluginRegistry } from '../../../../src/plugins/registry.js';
import { Pipeline } from '../../../../src/pipeline/pipeline.js';
import { defaultSettings, type PipelineSettings } from '../../../../src/pipeline/settings.js';
import { RabbitAdmin, RABBIT_HOST, RABBIT_PORT, uniqueName } from '../../../helpers/rabbitmq.js';
import { waitFor } from '../../../helpers/wait.js';
import { TcpProxy } from '../../../helpers/tcp-proxy.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'logpipe-rabbitmq-'));
const lines = (path: string): Record<string, unknown>[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
const bodies = (from: number, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: from + i }));

/** What the test outputs below saw (inline workers run on this thread). */
const seen = { attempts: 0, written: [] as Record<string, unknown>[] };


/** Writes slowly (5 ms a batch) and records each event's id and redelivery flag. */
const slowOutput = defineOutput({
  kind: 'output',
  name: 'slow',
  description: 'test output that takes its time',
  options: {},
  createEncoder: () => ({
    encode: (events) => ({ data: events.map((e) => ({ id: e.get('id'), redelivered: e.get('[@metadata][rabbitmq_properties][redelivered]') === true })) }),
  }),
  createSink: () => ({
    write: async (data) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.written.push(...(data as Record<string, unknown>[]));
    },
  }),
});

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  for (const d of builtinRegistry().all()) r.register(d);
  return r.register(failingOutput(seen)).register(slowOutput);
}

function pipeline(text: string, settings: Partial<PipelineSettings> = {}, logLines?: string[]): Pipeline {
  const s = { ...defaultSettings(), workers: 1, batchDelayMs: 5, ...settings };
  const logger = logLines ? createLogger('info', 'test', (l) => void logLines.push(l)) : createLogger('fatal');
  return new Pipeline([{ name: 'test.conf', text }], s, logger, settings.threads === false ? registry() : builtinRegistry());
}

/** Resolves once the broker sees no consumer on the queue (the pipeline's connection let go). */
const noConsumer = (admin: RabbitAdmin, queue: string) =>
  waitFor(`no consumer on ${queue}`, async () => (await admin.channel.checkQueue(queue)).consumerCount === 0);

test('round trip: rabbitmq output → exchange → rabbitmq input → file delivers every event once, and acks all', async () => {
  const admin = await RabbitAdmin.open();
  try {
    const exchange = admin.exchange(uniqueName('rt_x'));
    const queue = await admin.queue(uniqueName('rt_q'));
    // Bound up front, with the arguments both plugins use, so no message is published unroutable.
    await admin.channel.assertExchange(exchange, 'topic', { durable: false });
    await admin.channel.bindQueue(queue, exchange, 'ev.#');
    const out = join(tmp(), 'out.json');
    const consumer = pipeline(`input { rabbitmq { host => "${RABBIT_HOST}" port => ${RABBIT_PORT} queue => "${queue}" exchange => "${exchange}" exchange_type => "topic" key => "ev.#" } }
      output { file { path => "${out}" } }`, { workers: 2 });
    await consumer.start();
    const consumed = consumer.run();
    const producer = pipeline(`input { generator { count => 5000 } }
      output { rabbitmq { host => "${RABBIT_HOST}" exchange => "${exchange}" exchange_type => "topic" durable => false key => "ev.%{sequence}" } }`, { workers: 2 });
    await producer.start();
    assert.equal(await producer.run(), 'drained');
    await waitFor('5000 events in the file', () => lines(out).length >= 5000);
    await consumer.stop();
    assert.equal(await consumed, 'drained');
    const events = lines(out);
    assert.equal(events.length, 5000, 'no duplicates without a failure');
    assert.deepEqual(new Set(events.map((e) => e['sequence'])), new Set(Array.from({ length: 5000 }, (_, i) => i)));
    // Every message was acked before the connection closed: none came back to the queue.
    await noConsumer(admin, queue);
    await new Promise((r) => setTimeout(r, 200));
    const left = await admin.ready(queue);
    // Which messages came back says which path failed to ack them.
    const back = left > 0 ? (await admin.take(queue, left, 1000)).map((m) => `${m.content.toString()}${m.fields.redelivered ? ' (redelivered)' : ''}`) : [];
    assert.equal(left, 0, `messages back in the queue: ${back.slice(0, 5).join(', ')}`);
  } finally {
    await admin.close();
  }
});

test('nothing is acked while the output fails: the messages go to the next consumer, marked redelivered', async () => {
  const admin = await RabbitAdmin.open();
  try {
    const queue = await admin.queue(uniqueName('noack_q'));
    await admin.publish(queue, bodies(0, 50));
    seen.attempts = 0;
    const first = pipeline(`input { rabbitmq { host => "${RABBIT_HOST}" queue => "${queue}" prefetch_count => 100 } } output { failing { } }`,
      { threads: false, shutdownTimeoutMs: 300 });
    await first.start();
    const firstRun = first.run();
    await waitFor('the failing output to be retried', () => seen.attempts >= 3);
    // Every message is with the first consumer, unacknowledged: another consumer gets none.
    assert.equal(await admin.ready(queue), 0);
    assert.equal((await admin.take(queue, 1, 300)).length, 0);
    await first.stop();
    assert.equal(await firstRun, 'timeout', 'the failing output never drains');
    await noConsumer(admin, queue);

    const out = join(tmp(), 'second.json');
    const second = pipeline(`input { rabbitmq { host => "${RABBIT_HOST}" queue => "${queue}" } }
      filter { mutate { copy => { "[@metadata][rabbitmq_properties][redelivered]" => "redelivered" } } }
      output { file { path => "${out}" } }`);
    await second.start();
    const secondRun = second.run();
    await waitFor('50 events', () => lines(out).length >= 50);
    await second.stop();
    assert.equal(await secondRun, 'drained');
    const events = lines(out);
    assert.deepEqual(events.map((e) => e['id']).sort((a, b) => Number(a) - Number(b)), Array.from({ length: 50 }, (_, i) => i));
    assert.ok(events.every((e) => e['redelivered'] === true), 'each was delivered before and never acked');
  } finally {
    await admin.close();
  }
});

test('bad bodies: not JSON with the json codec, and binary, become tagged events; the pipeline goes on and acks them', async () => {
  const admin = await RabbitAdmin.open();
  try {
    const queue = await admin.queue(uniqueName('bad_q'));
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
    await admin.publish(queue, ['{"id":1}', 'not json {', binary, '{"id":2}']);
    const out = join(tmp(), 'bad.json');
    const p = pipeline(`input { rabbitmq { host => "${RABBIT_HOST}" queue => "${queue}" } } output { file { path => "${out}" } }`);
    await p.start();
    const run = p.run();
    await waitFor('4 events', () => lines(out).length >= 4);
    await p.stop();
    assert.equal(await run, 'drained');
    const events = lines(out);
    assert.deepEqual(events.map((e) => e['id'] ?? null), [1, null, null, 2]);
    assert.equal(events[1]!['message'], 'not json {');
    assert.deepEqual(events[1]!['tags'], ['_jsonparsefailure']);
    assert.equal(events[2]!['message'], binary.toString('base64'), 'the binary body is kept whole');
    assert.deepEqual(events[2]!['tags'], ['_rabbitmq_binary_body']);
    await noConsumer(admin, queue);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await admin.ready(queue), 0, 'the bad messages were acknowledged too');
  } finally {
    await admin.close();
  }
});

test('metadata_enabled => basic puts properties and headers under @metadata, as Logstash names them', async () => {
  const admin = await RabbitAdmin.open();
  try {
    const queue = await admin.queue(uniqueName('meta_q'));
    await admin.publish(queue, ['hello'], { contentType: 'text/plain', appId: 'billing', timestamp: 1_700_000_000, headers: { 'x-trace': 'abc', n: 5 } });
    const out = join(tmp(), 'meta.json');
    const p = pipeline(`input { rabbitmq { host => "${RABBIT_HOST}" queue => "${queue}" codec => plain metadata_enabled => basic } }
      filter { mutate { copy => { "[@metadata][rabbitmq_properties]" => "props" "[@metadata][rabbitmq_headers]" => "headers" } } }
      output { file { path => "${out}" } }`);
    await p.start();
    const run = p.run();
    await waitFor('the event', () => lines(out).length >= 1);
    await p.stop();
    assert.equal(await run, 'drained');
    const [event] = lines(out);
    assert.equal(event!['message'], 'hello');
    const props = event!['props'] as Record<string, unknown>;
    assert.equal(props['content-type'], 'text/plain');
    assert.equal(props['app-id'], 'billing');
    assert.equal(props['timestamp'], 1_700_000_000);
    assert.equal(props['routing-key'], queue);
    assert.equal(props['redeliver'], false);
    assert.deepEqual(event!['headers'], { 'x-trace': 'abc', n: 5 });
  } finally {
    await admin.close();
  }
});

test('connection cut mid-stream: the input reconnects, unacked messages are redelivered, none lost', async () => {
  const admin = await RabbitAdmin.open();
  const proxy = await TcpProxy.start(RABBIT_HOST, RABBIT_PORT);
  try {
    const queue = await admin.queue(uniqueName('cut_q'));
    const total = 2000;
    await admin.publish(queue, bodies(0, total));
    seen.written = [];
    const log: string[] = [];
    const p = pipeline(`input { rabbitmq { host => "127.0.0.1:${proxy.port}" queue => "${queue}" prefetch_count => 100 connect_retry_interval => 0.1 } }
      output { slow { } }`, { threads: false, batchSize: 50 }, log);
    await p.start();
    const run = p.run();
    await waitFor('300 events written', () => seen.written.length >= 300);
    assert.ok(seen.written.length < total, 'the cut must come mid-stream');
    proxy.cut();
    await waitFor(`all ${total} ids`, () => new Set(seen.written.map((e) => e['id'])).size === total, 30_000);
    await p.stop();
    assert.equal(await run, 'drained');
    const ids = new Set(seen.written.map((e) => e['id']));
    for (let id = 0; id < total; id++) assert.ok(ids.has(id), `id ${id} lost`);
    assert.ok(seen.written.some((e) => e['redelivered']), 'messages unacked at the cut came back, marked redelivered');
    assert.ok(log.some((l) => l.includes('lost the RabbitMQ subscription')), 'the loss is logged');
    assert.ok(log.some((l) => l.includes('reconnected to RabbitMQ')), 'the reconnection is logged');
    await noConsumer(admin, queue);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await admin.ready(queue), 0, 'everything was acked in the end');
  } finally {
    await proxy.close();
    await admin.close();
  }
});
