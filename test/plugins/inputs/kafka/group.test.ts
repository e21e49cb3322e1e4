/**
 * Real `logpipe run` processes in one Kafka consumer group (private broker for this file): two
 * members share the partitions, and a second member joining mid-stream rebalances the group
 * while events are in flight, without losing any.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertEveryId, committedTotal, eventIds, killAll, brokerForThisFile, produceIds, spawnConsumer, uniqueName, type ConsumerProcess } from '../../../helpers/kafka.js';
import { exited } from '../../../helpers/processes.js';
import { waitFor } from '../../../helpers/wait.js';

const broker = brokerForThisFile();

test('two logpipe processes in one group share the partitions; a second joining mid-stream rebalances without loss', async () => {
  const kafka = broker();
  const topic = uniqueName('group');
  const group = uniqueName('group-g');
  await kafka.createTopic(topic, 4);
  const n = 20_000;
  await produceIds(kafka, topic, 0, n / 2);
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-kafka-group-'));
  const outA = join(dir, 'a.json');
  const outB = join(dir, 'b.json');
  const members: ConsumerProcess[] = [spawnConsumer(kafka, topic, group, outA)];
  try {
    await waitFor('the first process to write events', () => eventIds(outA).length >= 500, 60_000);
    members.push(spawnConsumer(kafka, topic, group, outB));
    // The group rebalances to two members while the first still has events in flight.
    await waitFor('two members in a stable group', async () => {
      const g = await kafka.group(group);
      return g.members === 2 && g.state.toLowerCase() === 'stable';
    }, 60_000);
    await produceIds(kafka, topic, n / 2, n / 2);
    await waitFor(`all ${n} ids across both processes`, () => new Set([...eventIds(outA), ...eventIds(outB)]).size === n, 90_000);
    assert.ok(eventIds(outB).length > 0, 'the second member received partitions');
    const { duplicates } = assertEveryId([outA, outB], n);
    // Duplicates only from the uncommitted window of the rebalance: far fewer than the stream.
    assert.ok(duplicates < n / 4, `${duplicates} duplicates`);
    for (const m of members) m.child.kill('SIGTERM');
    for (const m of members) assert.equal(await exited(m.child), 0, m.stderr());
    await waitFor('everything committed', async () => committedTotal(await kafka.committed(group, topic)) === BigInt(n), 20_000);
  } finally {
    killAll(members);
  }
});
