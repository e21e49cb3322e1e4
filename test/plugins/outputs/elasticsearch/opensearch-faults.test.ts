/**
 * The elasticsearch output under server trouble, on a private OpenSearch node whose write thread
 * pool has one thread and a queue of one (so concurrent bulk requests get 429 items): back-pressure
 * is retried item by item until everything is in; and a real logpipe process keeps writing through a
 * kill -9 and restart of the node without losing an acknowledged event (asserted by event id).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeOutput } from '../../../helpers/harness.js';
import { OpenSearchNode, TINY_WRITE_QUEUE, uniqueName } from '../../../helpers/opensearch.js';
import { exited } from '../../../helpers/processes.js';
import { sleep, waitFor } from '../../../helpers/wait.js';
import { elasticsearchOutput } from '../../../../src/plugins/outputs/elasticsearch/index.js';
import type { WriteResult } from '../../../../src/plugins/api.js';
import type { BulkBatch } from '../../../../src/plugins/outputs/elasticsearch/bulk-batch.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../../../../bin/logpipe.js');

let node: OpenSearchNode;
before(async () => {
  node = await OpenSearchNode.start({ settings: TINY_WRITE_QUEUE });
}, { timeout: 300_000 });
after(async () => {
  await node?.destroy();
});

test('429 back-pressure: rejected items are retried alone until every document is in, none twice', async () => {
  const index = uniqueName('pressure');
  await node.request('PUT', `/${index}`, { settings: { number_of_shards: 3, number_of_replicas: 0 } });
  const out = await makeOutput(elasticsearchOutput, { hosts: [node.url], index, manage_template: false });
  const writers = 6;
  const perWriter = 600;
  let rejected = 0;
  let rounds = 0;
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    let data = out.encode(Array.from({ length: perWriter }, (_, i) => ({ writer: w, seq: i, pad: 'p'.repeat(200) })));
    for (;;) {
      const result = (await out.sink.write(data)) as WriteResult | undefined;
      if (!result) return;
      assert.equal(result.failed, undefined, 'back-pressure never fails a document');
      rejected += result.retry!.indexes.length;
      rounds++;
      data = result.retry!.data as BulkBatch;
      await sleep(100);
    }
  }));
  assert.ok(rejected > 0, 'the tiny write queue rejected some items (HTTP 429)');
  assert.equal(await node.count(index), writers * perWriter, `every document once (${rejected} items retried over ${rounds} rounds)`);
  await out.sink.close?.();
});

test('kill -9 of the node mid-stream: logpipe retries until it is back; every event lands, by id', { timeout: 400_000 }, async () => {
  const index = uniqueName('restart');
  const total = 3000;
  const child = spawn(process.execPath, [
    BIN, 'run', '--log.level', 'warn', '--pipeline.batch.size', '100', '--path.data', mkdtempSync(join(tmpdir(), 'logpipe-data-')),
    '-e', `input { stdin {} } output { elasticsearch { hosts => ["${node.url}"] index => "${index}" document_id => "%{message}" manage_template => false retry_initial_interval => 1 retry_max_interval => 2 resurrect_delay => 1 } }`,
  ], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const send = (from: number, to: number) => {
    let text = '';
    for (let i = from; i < to; i++) text += `event-${i}\n`;
    child.stdin!.write(text);
  };
  for (let i = 0; i < 10; i++) {
    send(i * 100, (i + 1) * 100);
    await sleep(50);
  }
  await waitFor('some events indexed before the crash', async () => (await node.count(index).catch(() => 0)) > 0, 60_000);
  await node.kill('SIGKILL');
  // Events keep coming while the node is down: the pipeline holds them (bounded queue) and retries.
  for (let i = 10; i < 30; i++) {
    send(i * 100, (i + 1) * 100);
    await sleep(20);
  }
  child.stdin!.end();
  await sleep(1500);
  await node.start();
  // The test's own timeout bounds this wait.
  const code = await exited(child);
  assert.equal(code, 0, `logpipe exited cleanly after delivering everything: ${stderr.slice(-2000)}`);
  assert.match(stderr, /no elasticsearch node could be reached|retrying/, 'it did see the node go away');
  const docs = await node.documents<{ message: string }>(index);
  const ids = new Set(docs.map((d) => d._id));
  const missing = Array.from({ length: total }, (_, i) => `event-${i}`).filter((id) => !ids.has(id));
  assert.deepEqual(missing, [], 'no event lost');
  assert.equal(docs.length, total, 'one document per event (document_id absorbed the redeliveries)');
});
