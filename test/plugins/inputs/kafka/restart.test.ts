/**
 * A Kafka broker restart (private broker for this file) while a `logpipe run` consumes: it carries
 * on once the broker is back, and no id is lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertEveryId, eventIds, killAll, brokerForThisFile, produceIds, spawnConsumer, uniqueName } from '../../../helpers/kafka.js';
import { exited } from '../../../helpers/processes.js';
import { waitFor } from '../../../helpers/wait.js';

const broker = brokerForThisFile();

test('a broker restart mid-stream: the consumer carries on, nothing lost', async () => {
  const kafka = broker();
  const topic = uniqueName('restart');
  const group = uniqueName('restart-g');
  await kafka.createTopic(topic, 2);
  const n = 10_000;
  await produceIds(kafka, topic, 0, n / 2);
  const out = join(mkdtempSync(join(tmpdir(), 'logpipe-kafka-restart-')), 'out.json');
  const member = spawnConsumer(kafka, topic, group, out);
  try {
    await waitFor('events written', () => eventIds(out).length >= 1000, 60_000);
    await kafka.restart(1000, 'stop');
    await produceIds(kafka, topic, n / 2, n / 2);
    await waitFor(`all ${n} ids after the restart`, () => new Set(eventIds(out)).size === n, 90_000);
    assertEveryId([out], n);
    member.child.kill('SIGTERM');
    assert.equal(await exited(member.child), 0, member.stderr());
  } finally {
    killAll([member]);
  }
});
