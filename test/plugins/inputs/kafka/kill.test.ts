/**
 * kill -9 of a `logpipe run` consuming Kafka mid-stream (private broker for this file): the
 * committed offset is never ahead of what was written, a new member receives every id the first
 * had not committed, and the duplicates stay within that uncommitted window.
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

test('kill -9 of a member mid-stream: every id arrives at least once, duplicates within the uncommitted window', async () => {
  const kafka = broker();
  const topic = uniqueName('kill');
  const group = uniqueName('kill-g');
  await kafka.createTopic(topic, 2);
  const n = 20_000;
  await produceIds(kafka, topic, 0, n);
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-kafka-kill-'));
  const outA = join(dir, 'a.json');
  const outB = join(dir, 'b.json');
  const members: ConsumerProcess[] = [spawnConsumer(kafka, topic, group, outA)];
  try {
    await waitFor('the first process to write 3000 events', () => eventIds(outA).length >= 3000, 60_000);
    members[0]!.child.kill('SIGKILL');
    await exited(members[0]!.child);
    const written = eventIds(outA).length;
    assert.ok(written < n, `the kill must come mid-stream (${written} of ${n})`);
    const committed = committedTotal(await kafka.committed(group, topic));
    assert.ok(committed <= BigInt(written), `committed ${committed} is never ahead of what was written (${written})`);
    members.push(spawnConsumer(kafka, topic, group, outB));
    await waitFor(`all ${n} ids`, () => new Set([...eventIds(outA), ...eventIds(outB)]).size === n, 90_000);
    const { duplicates } = assertEveryId([outA, outB], n);
    assert.ok(BigInt(duplicates) <= BigInt(written) - committed, `${duplicates} duplicates; at most the ${BigInt(written) - committed} written but not committed`);
    members[1]!.child.kill('SIGTERM');
    assert.equal(await exited(members[1]!.child), 0, members[1]!.stderr());
  } finally {
    killAll(members);
  }
});
