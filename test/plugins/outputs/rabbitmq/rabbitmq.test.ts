/**
 * rabbitmq output against the real broker (127.0.0.1:5672): a write resolves only once every
 * message is confirmed, refused messages come back for a retry, a lost connection is a
 * retryable failure and the next write reconnects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeOutput } from '../../../helpers/harness.js';
import { RabbitAdmin, RABBIT_HOST, RABBIT_PORT, uniqueName } from '../../../helpers/rabbitmq.js';
import { TcpProxy } from '../../../helpers/tcp-proxy.js';
import { rabbitmqOutput } from '../../../../src/plugins/outputs/rabbitmq/index.js';
import { messagesOf, type MessageBatch } from '../../../../src/plugins/outputs/rabbitmq/message-batch.js';
import { OutputError, type WriteResult } from '../../../../src/plugins/api.js';

const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: from + i, route: (from + i) % 2 === 0 ? 'even' : 'odd' }));

test('the encoder renders the routing key and properties per event and groups the bodies', async () => {
  const out = await makeOutput(rabbitmqOutput, {
    host: RABBIT_HOST, exchange: 'unused', exchange_type: 'direct', key: 'k.%{route}', message_properties: { priority: '%{p}', app_id: 'logpipe' },
  });
  const batch = out.encode([{ id: 1, route: 'a', p: 1 }, { id: 2, route: 'b', p: 1 }, { id: 3, route: 'a', p: 1 }, { id: 4, route: 'a', p: 2 }]) as MessageBatch;
  const messages = messagesOf(batch);
  assert.deepEqual(messages.map((m) => [m.key, JSON.parse(m.body.toString()).id, m.properties?.priority, m.properties?.app_id]), [
    ['k.a', 1, 1, 'logpipe'], ['k.a', 3, 1, 'logpipe'], ['k.b', 2, 1, 'logpipe'], ['k.a', 4, 2, 'logpipe'],
  ]);
  await out.sink.close?.();
});

test('an event whose numeric property does not render as a number is rejected, the rest encoded', async () => {
  const { Event } = await import('../../../../src/core/event.js');
  const { testContext, registryWith, settingsOf } = await import('../../../helpers/harness.js');
  const registry = registryWith(rabbitmqOutput);
  const options = registry.validate(rabbitmqOutput, settingsOf({ host: RABBIT_HOST, exchange: 'x', exchange_type: 'direct', message_properties: { priority: '%{p}' } }), undefined);
  const encoder = rabbitmqOutput.createEncoder(options as never, testContext('rabbitmq', { registry }));
  const payload = encoder.encode([new Event({ p: 3 }), new Event({ p: 'high' })])!;
  assert.equal(messagesOf(payload.data as MessageBatch).length, 1);
  assert.equal(payload.rejected?.length, 1);
  assert.match(payload.rejected![0]!.reason, /priority must be a non-negative integer/);
});

test('published messages reach the bound queue, confirmed, with their properties and routing keys', async () => {
  const admin = await RabbitAdmin.open();
  try {
    const exchange = admin.exchange(uniqueName('out_x'));
    const out = await makeOutput(rabbitmqOutput, {
      host: RABBIT_HOST, port: RABBIT_PORT, exchange, exchange_type: 'direct', durable: false, key: '%{route}', message_properties: { priority: '5' },
    });
    // Declared here with the output's arguments so the queue is bound before the first publish.
    const even = await admin.queue(uniqueName('out_even'));
    await admin.channel.assertExchange(exchange, 'direct', { durable: false });
    await admin.channel.bindQueue(even, exchange, 'even');
    assert.equal(await out.sink.write(out.encode(ids(100))), undefined, 'every message confirmed');
    // Confirmed means routed and enqueued: the 50 even ids are in the queue at once.
    assert.equal(await admin.ready(even), 50);
    const got = await admin.take(even, 50);
    assert.deepEqual(got.map((m) => JSON.parse(m.content.toString()).id), ids(100).filter((e) => e.id % 2 === 0).map((e) => e.id));
    assert.equal(got[0]!.properties.deliveryMode, 2, 'persistent by default');
    assert.equal(got[0]!.properties.priority, 5);
    assert.equal(got[0]!.properties.contentType, 'application/json');
    await out.sink.close?.();
  } finally {
    await admin.close();
  }
});

test('messages the broker refuses (basic.nack) come back as a retry of exactly those', async () => {
  const admin = await RabbitAdmin.open();
  try {
    // A queue that takes one message and refuses the rest: the broker nacks those publishes.
    const queue = await admin.queue(uniqueName('out_full'), { durable: false, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } });
    const out = await makeOutput(rabbitmqOutput, { host: RABBIT_HOST, exchange: '', exchange_type: 'direct', key: queue });
    const result = (await out.sink.write(out.encode(ids(3)))) as WriteResult;
    assert.deepEqual(result.retry?.indexes, [1, 2]);
    assert.deepEqual(messagesOf(result.retry!.data as MessageBatch).map((m) => JSON.parse(m.body.toString()).id), [1, 2]);
    // Room again: the retry goes through.
    await admin.take(queue, 1);
    const again = (await out.sink.write(result.retry!.data)) as WriteResult;
    assert.deepEqual(again.retry?.indexes, [1], 'the queue takes one more and refuses the last');
    await out.sink.close?.();
  } finally {
    await admin.close();
  }
});

test('no broker: the write fails as retryable, and the retry policy follows connect_retry_interval', async () => {
  const out = await makeOutput(rabbitmqOutput, { host: ['127.0.0.1:1'], exchange: 'x', exchange_type: 'direct', connect_retry_interval: 0.25 });
  await assert.rejects(out.sink.write(out.encode(ids(1))), (err: unknown) => err instanceof OutputError && err.failure === 'retryable' && /127\.0\.0\.1:1/.test(err.message));
  assert.deepEqual(out.sink.retry, { initialMs: 250, maxMs: 30_000, maxAttempts: 0 });
  await out.sink.close?.();
});

test('host failover: a dead first host is skipped', async () => {
  const admin = await RabbitAdmin.open();
  try {
    const queue = await admin.queue(uniqueName('out_failover'));
    const out = await makeOutput(rabbitmqOutput, { host: ['127.0.0.1:1', `${RABBIT_HOST}:${RABBIT_PORT}`], exchange: '', exchange_type: 'direct', key: queue });
    await out.sink.write(out.encode(ids(3)));
    assert.equal(await admin.ready(queue), 3);
    await out.sink.close?.();
  } finally {
    await admin.close();
  }
});

test('a connection cut fails the write as retryable; the next write reconnects and delivers', async () => {
  const admin = await RabbitAdmin.open();
  const proxy = await TcpProxy.start(RABBIT_HOST, RABBIT_PORT);
  try {
    const queue = await admin.queue(uniqueName('out_cut'));
    const out = await makeOutput(rabbitmqOutput, { host: `127.0.0.1:${proxy.port}`, exchange: '', exchange_type: 'direct', key: queue });
    await out.sink.write(out.encode(ids(10)));
    proxy.cut();
    // The write in flight when the connection goes either loses every confirm (rejects) or some
    // (returns those for a retry); it never resolves as if all were delivered.
    const big = out.encode(ids(5000, 10));
    const cutting = out.sink.write(big);
    setImmediate(() => proxy.cut());
    let retry: unknown = big;
    try {
      const result = (await cutting) as WriteResult | undefined;
      if (result?.retry) retry = result.retry.data;
      else retry = undefined;
    } catch (err) {
      assert.ok(err instanceof OutputError && err.failure === 'retryable', String(err));
    }
    if (retry !== undefined) assert.equal(await out.sink.write(retry), undefined);
    const got = await admin.take(queue, 5010);
    const seen = new Set(got.map((m) => JSON.parse(m.content.toString()).id as number));
    for (let id = 0; id < 5010; id++) assert.ok(seen.has(id), `id ${id} lost`);
    await out.sink.close?.();
  } finally {
    await proxy.close();
    await admin.close();
  }
});
