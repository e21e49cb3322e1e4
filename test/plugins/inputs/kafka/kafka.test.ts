/**
 * kafka input (and output) against a real Apache Kafka broker, private to this file
 * (test/helpers/kafka.ts): a pipeline → Kafka → pipeline round trip with decorate_events and
 * offsets committed after acknowledgement; nothing is committed while the output fails;
 * topics_pattern. Consumer groups of real processes: group.test.ts, kill.test.ts, restart.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../../src/core/logger.js';
import { failingOutput } from '../../../helpers/test-outputs.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { PluginRegistry } from '../../../../src/plugins/registry.js';
import { Pipeline } from '../../../../src/pipeline/pipeline.js';
import { defaultSettings, type PipelineSettings } from '../../../../src/pipeline/settings.js';
import { committedTotal as total, brokerForThisFile, uniqueName } from '../../../helpers/kafka.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'logpipe-kafka-'));
const lines = (path: string): Record<string, unknown>[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
const ids = (path: string): number[] => lines(path).map((e) => e['id'] as number);

const broker = brokerForThisFile();

/** Fails every write: the output is down. */
const failing = { attempts: 0 };

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  for (const d of builtinRegistry().all()) r.register(d);
  return r.register(failingOutput(failing));
}

function pipeline(text: string, settings: Partial<PipelineSettings> = {}): Pipeline {
  const s = { ...defaultSettings(), workers: 1, batchDelayMs: 5, ...settings };
  return new Pipeline([{ name: 'test.conf', text }], s, createLogger('fatal'), settings.threads === false ? registry() : builtinRegistry());
}


test('round trip: generator → kafka output → kafka input → file; decorate_events; offsets committed once acknowledged', async () => {
  const kafka = broker();
  const topic = uniqueName('rt');
  const group = uniqueName('rt-group');
  await kafka.createTopic(topic, 3);
  const producer = pipeline(`input { generator { count => 3000 message => "hello" } }
    filter { mutate { add_field => { "id" => "%{sequence}" } } mutate { convert => { "id" => "integer" } } }
    output { kafka { bootstrap_servers => "${kafka.bootstrap}" topic_id => "${topic}" message_key => "k%{id}" codec => json compression_type => "lz4" } }`, { workers: 2 });
  await producer.start();
  assert.equal(await producer.run(), 'drained');

  const out = join(tmp(), 'out.json');
  const consumer = pipeline(`input { kafka { bootstrap_servers => "${kafka.bootstrap}" topics => ["${topic}"] group_id => "${group}" auto_offset_reset => "earliest"
      codec => json decorate_events => "basic" enable_auto_commit => false } }
    filter { mutate { add_field => { "kafka" => "%{[@metadata][kafka][topic]}|%{[@metadata][kafka][partition]}|%{[@metadata][kafka][offset]}|%{[@metadata][kafka][key]}|%{[@metadata][kafka][consumer_group]}|%{[@metadata][kafka][timestamp]}" } } }
    output { file { path => "${out}" } }`, { workers: 2 });
  await consumer.start();
  const consumed = consumer.run();
  await waitFor('3000 events in the file', () => lines(out).length >= 3000, 60_000);
  await waitFor('offsets committed up to the end of each partition', async () => total(await kafka.committed(group, topic)) === 3000n, 30_000);
  await consumer.stop();
  assert.equal(await consumed, 'drained');
  const events = lines(out);
  assert.equal(events.length, 3000, 'no duplicates without a failure');
  assert.deepEqual(new Set(events.map((e) => e['id'])), new Set(Array.from({ length: 3000 }, (_, i) => i)));
  const byPartition = new Map<string, number[]>();
  for (const e of events) {
    const [t, partition, offset, key, g, ts] = String(e['kafka']).split('|');
    assert.equal(t, topic);
    assert.equal(key, `k${e['id'] as number}`);
    assert.equal(g, group);
    assert.ok(Number(ts) > Date.now() - 600_000, `timestamp ${ts} in ms`);
    const list = byPartition.get(partition!) ?? [];
    list.push(Number(offset));
    byPartition.set(partition!, list);
  }
  assert.equal(byPartition.size, 3);
  for (const offsets of byPartition.values()) {
    // Two workers may write batches of one partition out of order; every offset arrives once.
    assert.deepEqual([...offsets].sort((x, y) => x - y), offsets.map((_, i) => i), 'every offset of each partition once');
  }
});

test('nothing is committed while the output fails; a pipeline started later reads every record', async () => {
  const kafka = broker();
  const topic = uniqueName('noack');
  const group = uniqueName('noack-group');
  await kafka.createTopic(topic, 2);
  await kafka.produce(topic, Array.from({ length: 200 }, (_, i) => ({ value: JSON.stringify({ id: i }) })));
  failing.attempts = 0;
  const first = pipeline(`input { kafka { bootstrap_servers => "${kafka.bootstrap}" topics => ["${topic}"] group_id => "${group}" auto_offset_reset => "earliest" codec => json auto_commit_interval_ms => 100 } }
    output { failing { } }`, { threads: false, shutdownTimeoutMs: 300 });
  await first.start();
  const firstDone = first.run();
  await waitFor('the output to fail a few times', () => failing.attempts >= 5, 30_000);
  await sleep(500); // several commit intervals
  assert.equal(total(await kafka.committed(group, topic)), 0n, 'no offset committed');
  await first.stop();
  await firstDone;

  const out = join(tmp(), 'out.json');
  const second = pipeline(`input { kafka { bootstrap_servers => "${kafka.bootstrap}" topics => ["${topic}"] group_id => "${group}" auto_offset_reset => "earliest" codec => json } }
    output { file { path => "${out}" } }`);
  await second.start();
  const secondDone = second.run();
  await waitFor('all 200 events', () => new Set(ids(out)).size === 200, 60_000);
  await second.stop();
  await secondDone;
  assert.equal(total(await kafka.committed(group, topic)), 200n, 'the stop commits what was acknowledged');
});

test('topics_pattern consumes every matching topic and none other', async () => {
  const kafka = broker();
  const prefix = uniqueName('pat');
  await kafka.createTopic(`${prefix}-a`, 1);
  await kafka.createTopic(`${prefix}-b`, 1);
  await kafka.createTopic(`${prefix}x-c`, 1);
  await kafka.produce(`${prefix}-a`, [{ value: '{"id":1}' }]);
  await kafka.produce(`${prefix}-b`, [{ value: '{"id":2}' }]);
  await kafka.produce(`${prefix}x-c`, [{ value: '{"id":3}' }]);
  const out = join(tmp(), 'out.json');
  const p = pipeline(`input { kafka { bootstrap_servers => "${kafka.bootstrap}" topics_pattern => "${prefix}-.*" group_id => "${uniqueName('pat')}" auto_offset_reset => "earliest" codec => json } }
    output { file { path => "${out}" } }`);
  await p.start();
  const done = p.run();
  await waitFor('two events', () => ids(out).length >= 2, 30_000);
  await sleep(1000);
  await p.stop();
  await done;
  assert.deepEqual(ids(out).sort(), [1, 2]);
});
