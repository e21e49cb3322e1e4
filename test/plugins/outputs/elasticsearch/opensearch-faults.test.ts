/**
 * The elasticsearch output under back-pressure, on a private OpenSearch node whose write thread
 * pool has one thread and a queue of one (so concurrent bulk requests get 429 items): rejected
 * items are retried alone until everything is in. (The node restart test is in
 * opensearch-restart.test.ts: each file has its own node and time budget.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeOutput } from '../../../helpers/harness.js';
import { OpenSearchNode, TINY_WRITE_QUEUE, uniqueName } from '../../../helpers/opensearch.js';
import { sleep } from '../../../helpers/wait.js';
import { elasticsearchOutput } from '../../../../src/plugins/outputs/elasticsearch/index.js';
import type { WriteResult } from '../../../../src/plugins/api.js';
import type { BulkBatch } from '../../../../src/plugins/outputs/elasticsearch/bulk-batch.js';

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
  const writers = 5;
  const perWriter = 300;
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
