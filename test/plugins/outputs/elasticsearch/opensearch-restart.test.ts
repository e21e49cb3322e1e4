/**
 * A real logpipe process keeps writing through a kill -9 and restart of its OpenSearch node (a
 * private node from Maven Central) without losing an acknowledged event, asserted by event id;
 * document_id absorbs what is sent twice.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenSearchNode, uniqueName } from '../../../helpers/opensearch.js';
import { exited } from '../../../helpers/processes.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../../../../bin/logpipe.js');

let node: OpenSearchNode;
before(async () => {
  node = await OpenSearchNode.start();
}, { timeout: 300_000 });
after(async () => {
  await node?.destroy();
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
