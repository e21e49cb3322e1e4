/**
 * Partitioner compatibility: keyed records go to the partition the real Java producer picks.
 * The Java side is computed live by test/servers/kafka/PartitionVectors.java, run on the same
 * kafka-clients jar as the test broker (BuiltInPartitioner.partitionForKey, Utils.murmur2), for
 * keys of every tail length, non-ASCII text and the seed's key; plus Filebeat's FNV-1a for the
 * agent's partition.hash, on the FNV reference values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fnv1a, fnv1aPartition, murmur2, murmur2Partition, PartitionChooser } from '../../../src/plugins/kafka/partitioners.js';
import { KAFKA_SH, kafkaLib } from '../../helpers/kafka.js';

const COUNTS = [1, 2, 3, 6, 10, 12, 32, 100];
const KEYS = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'foo_bar_kafka_key', 'user-1', 'user-42', 'héllo wörld', '日本語のキー', 'x'.repeat(257), ...Array.from({ length: 40 }, (_, i) => `key-${i * 7919}`)];

test('murmur2 and the keyed partition match the Java client on the same jars', () => {
  kafkaLib(); // fails the test with what to run when the jars are missing
  const r = spawnSync(KAFKA_SH, ['java', 'PartitionVectors.java'], { cwd: dirname(KAFKA_SH), input: KEYS.join('\n') + '\n', encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => l.split('\t').map(Number));
  assert.equal(rows.length, KEYS.length);
  KEYS.forEach((key, i) => {
    const bytes = Buffer.from(key, 'utf8');
    const [hash, ...partitions] = rows[i]!;
    assert.equal(murmur2(bytes), hash, `murmur2(${JSON.stringify(key)})`);
    assert.deepEqual(COUNTS.map((n) => murmur2Partition(bytes, n)), partitions, `partitions of ${JSON.stringify(key)}`);
  });
});

test('FNV-1a (Filebeat\'s partition.hash) on the reference values; partition from the sign-cleared hash', () => {
  assert.equal(fnv1a(Buffer.from('')), 0x811c9dc5);
  assert.equal(fnv1a(Buffer.from('a')), 0xe40c292c);
  assert.equal(fnv1a(Buffer.from('foobar')), 0xbf9cf968);
  assert.equal(fnv1aPartition(Buffer.from('foobar'), 7), (0xbf9cf968 & 0x7fffffff) % 7);
});

test('the chooser: keyed records hash, round_robin cycles, sticky keeps one partition per write', () => {
  const key = Buffer.from('user-1');
  assert.equal(new PartitionChooser('default').choose('t', key, 6), murmur2Partition(key, 6));
  const rr = new PartitionChooser('round_robin');
  const seen = Array.from({ length: 8 }, () => rr.choose('t', key, 4));
  assert.deepEqual([...seen.slice(0, 4)].sort(), [0, 1, 2, 3], 'round_robin ignores the key and cycles');
  const sticky = new PartitionChooser('uniform_sticky');
  sticky.nextWrite();
  const first = new Set(Array.from({ length: 20 }, () => sticky.choose('t', undefined, 4)));
  assert.equal(first.size, 1, 'one partition for a whole write');
  sticky.nextWrite();
  const second = sticky.choose('t', undefined, 4);
  assert.notEqual(second, [...first][0], 'the next write moves on');
});
