/**
 * kafka output against a real Apache Kafka broker (a private one for this file, from Maven
 * Central: test/helpers/kafka.ts): every compression codec and acks level round-trips, keyed
 * records land on the Java client's partition, topic_id routes per event, records the broker
 * refuses go to the failure path with the reason, and a broker that is away fails the write as
 * retryable (nothing acknowledged early) until it is back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeOutput, settingsOf } from '../../../helpers/harness.js';
import { brokerForThisFile, uniqueName } from '../../../helpers/kafka.js';
import { kafkaOutput } from '../../../../src/plugins/outputs/kafka/index.js';
import { murmur2Partition } from '../../../../src/plugins/kafka/partitioners.js';
import { OutputError, type WriteResult } from '../../../../src/plugins/api.js';
import type { RecordBatch } from '../../../../src/plugins/outputs/kafka/records.js';

const broker = brokerForThisFile();

const events = (n: number, extra: Record<string, unknown> = {}) => Array.from({ length: n }, (_, i) => ({ id: i, message: `line ${i}`, ...extra }));

for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
  test(`compression_type ${compression}: 300 records round-trip through the broker`, async () => {
    const kafka = broker();
    const topic = uniqueName(`out-${compression}`);
    await kafka.createTopic(topic, 2);
    const out = await makeOutput(kafkaOutput, { bootstrap_servers: kafka.bootstrap, topic_id: topic, compression_type: compression, codec: 'json', message_key: 'k%{id}' });
    try {
      assert.equal(await out.sink.write(out.encode(events(300))), undefined);
      const got = await kafka.readAll(topic, 300);
      assert.deepEqual(got.map((m) => (JSON.parse(m.value) as { id: number }).id).sort((a, b) => a - b), events(300).map((e) => e.id));
      for (const m of got) assert.equal(m.key, `k${(JSON.parse(m.value) as { id: number }).id}`);
    } finally {
      await out.sink.close?.();
    }
  });
}

for (const acks of ['0', '1', 'all']) {
  test(`acks ${acks}: the write resolves and the records are in the topic`, async () => {
    const kafka = broker();
    const topic = uniqueName(`acks-${acks}`);
    await kafka.createTopic(topic, 1);
    const out = await makeOutput(kafkaOutput, { bootstrap_servers: kafka.bootstrap, topic_id: topic, acks, codec: 'json' });
    try {
      assert.equal(await out.sink.write(out.encode(events(50))), undefined);
      const got = await kafka.readAll(topic, 50);
      assert.deepEqual(got.map((m) => (JSON.parse(m.value) as { id: number }).id), events(50).map((e) => e.id), 'in order on one partition');
    } finally {
      await out.sink.close?.();
    }
  });
}

test('the default codec is plain, as in Logstash: the value is the event summary or format', async () => {
  const kafka = broker();
  const topic = uniqueName('plain');
  await kafka.createTopic(topic, 1);
  const out = await makeOutput(kafkaOutput, { bootstrap_servers: kafka.bootstrap, topic_id: topic, codec: { kind: 'plugin', name: 'plain', settings: settingsOf({ format: '%{message}!' }), location: { file: 'test.conf', line: 1, column: 1 } } });
  try {
    await out.sink.write(out.encode([{ message: 'hello' }]));
    const [m] = await kafka.readAll(topic, 1);
    assert.equal(m!.value, 'hello!');
  } finally {
    await out.sink.close?.();
  }
});

test('keyed records land on the partition the Java client picks (murmur2), topic_id routes per event', async () => {
  const kafka = broker();
  const a = uniqueName('route-a');
  const b = uniqueName('route-b');
  await kafka.createTopic(a, 6);
  await kafka.createTopic(b, 6);
  const out = await makeOutput(kafkaOutput, { bootstrap_servers: kafka.bootstrap, topic_id: '%{[dest]}', message_key: 'user-%{id}', codec: 'json' });
  try {
    const input = Array.from({ length: 120 }, (_, i) => ({ id: i, dest: i % 3 === 0 ? b : a }));
    await out.sink.write(out.encode(input));
    const gotA = await kafka.readAll(a, 80);
    const gotB = await kafka.readAll(b, 40);
    assert.equal(gotA.length, 80);
    assert.equal(gotB.length, 40);
    for (const m of [...gotA, ...gotB]) {
      assert.equal(m.partition, murmur2Partition(Buffer.from(m.key), 6), `key ${m.key}`);
    }
    assert.ok(new Set(gotA.map((m) => m.partition)).size > 3, `keys spread over the partitions: ${JSON.stringify(gotA.map((m) => [m.key, m.partition]))}`);
  } finally {
    await out.sink.close?.();
  }
});

test('round_robin spreads keyless records over every partition', async () => {
  const kafka = broker();
  const topic = uniqueName('rr');
  await kafka.createTopic(topic, 4);
  const out = await makeOutput(kafkaOutput, { bootstrap_servers: kafka.bootstrap, topic_id: topic, partitioner: 'round_robin', codec: 'json' });
  try {
    await out.sink.write(out.encode(events(40)));
    const got = await kafka.readAll(topic, 40);
    const per = new Map<number, number>();
    for (const m of got) per.set(m.partition, (per.get(m.partition) ?? 0) + 1);
    assert.deepEqual([...per.values()], [10, 10, 10, 10]);
  } finally {
    await out.sink.close?.();
  }
});

test('an event whose topic renders to an illegal name is rejected with the reason, the rest written', async () => {
  const kafka = broker();
  const topic = uniqueName('legal');
  const { Event } = await import('../../../../src/core/event.js');
  const { testContext, registryWith, settingsOf } = await import('../../../helpers/harness.js');
  const registry = registryWith(kafkaOutput);
  const options = registry.validate(kafkaOutput, settingsOf({ bootstrap_servers: kafka.bootstrap, topic_id: '%{[t]}' }), undefined);
  const encoder = kafkaOutput.createEncoder(options as never, testContext('kafka', { registry }));
  const payload = encoder.encode([new Event({ t: topic }), new Event({ t: 'has space' })])!;
  assert.equal((payload.data as RecordBatch).ends.length, 1);
  assert.equal(payload.rejected?.length, 1);
  assert.match(payload.rejected![0]!.reason, /characters other than/);
});

test('records larger than max_request_size, or than the topic allows, go to the failure path with the reason', async () => {
  const kafka = broker();
  const topic = uniqueName('large');
  await kafka.createTopic(topic, 1, [{ name: 'max.message.bytes', value: '2000' }]);
  const out = await makeOutput(kafkaOutput, { bootstrap_servers: kafka.bootstrap, topic_id: topic, codec: 'json', max_request_size: 50_000 });
  try {
    const input = [{ id: 0, message: 'small' }, { id: 1, message: 'x'.repeat(60_000) }, { id: 2, message: 'y'.repeat(5000) }, { id: 3, message: 'small too' }];
    const result = (await out.sink.write(out.encode(input))) as WriteResult;
    assert.deepEqual(result.failed?.map((f) => f.index), [1, 2]);
    assert.match(result.failed![0]!.reason, /larger than max_request_size/);
    assert.match(result.failed![1]!.reason, /MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE/);
    const got = await kafka.readAll(topic, 2);
    assert.deepEqual(got.map((m) => (JSON.parse(m.value) as { id: number }).id), [0, 3]);
  } finally {
    await out.sink.close?.();
  }
});

test('a broker that is away fails the write as retryable; once it is back the same write goes through', async () => {
  const kafka = broker();
  const topic = uniqueName('away');
  await kafka.createTopic(topic, 1);
  const out = await makeOutput(kafkaOutput, { bootstrap_servers: kafka.bootstrap, topic_id: topic, codec: 'json', acks: 'all', request_timeout_ms: 3000 });
  try {
    await out.sink.write(out.encode(events(5)));
    await kafka.stop();
    let failure: unknown;
    try {
      await out.sink.write(out.encode(events(5, { second: true })));
    } catch (err) {
      failure = err;
    }
    assert.ok(failure instanceof OutputError, `rejected with an OutputError, got ${String(failure)}`);
    assert.equal(failure.failure, 'retryable');
    await kafka.start();
    let delivered = false;
    for (let attempt = 0; attempt < 20 && !delivered; attempt++) {
      try {
        await out.sink.write(out.encode(events(5, { second: true })));
        delivered = true;
      } catch (err) {
        assert.ok(err instanceof OutputError && err.failure === 'retryable');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    assert.ok(delivered, 'the write went through after the restart');
    const got = await kafka.readAll(topic, 10);
    assert.equal(got.filter((m) => (JSON.parse(m.value) as { second?: boolean }).second).length, 5);
  } finally {
    await out.sink.close?.();
  }
});
