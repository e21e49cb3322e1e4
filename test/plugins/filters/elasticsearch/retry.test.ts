/**
 * The elasticsearch filter's retry_on_failure/retry_on_status, on a local HTTP server that fails
 * a set number of searches before it answers with one hit (a real node cannot be made to answer
 * 500 on demand): the search is sent again only for the listed statuses, at most the given times.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { freePort } from '../../../helpers/ports.js';
import { makeFilter } from '../../../helpers/harness.js';
import { elasticsearchFilter } from '../../../../src/plugins/filters/elasticsearch/index.js';

async function flakyServer(failures: number, status: number): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      if (requests <= failures) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'test_failure', reason: `failure ${requests}` }, status }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ hits: { total: { value: 1 }, hits: [{ _id: '1', _source: { owner: 'alice' } }] } }));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test('retry_on_failure sends a search again on a retry_on_status status, up to the limit; other statuses are not retried', async () => {
  const twice = await flakyServer(2, 500);
  const enough = await makeFilter(elasticsearchFilter, { hosts: [twice.url], query: '*', fields: { owner: 'owner' }, retry_on_failure: 2 });
  const flaky = await flakyServer(2, 500);
  const tooFew = await makeFilter(elasticsearchFilter, { hosts: [flaky.url], query: '*', fields: { owner: 'owner' }, retry_on_failure: 1 });
  const refusing = await flakyServer(1, 400);
  const notListed = await makeFilter(elasticsearchFilter, { hosts: [refusing.url], query: '*', fields: { owner: 'owner' }, retry_on_failure: 3 });
  try {
    assert.equal((await enough.one({}))[0]!.get('owner'), 'alice');
    assert.equal(twice.requests(), 3, 'two failures, then the answer');
    const [gaveUp] = await tooFew.one({});
    assert.deepEqual(gaveUp!.get('tags'), ['_elasticsearch_lookup_failure']);
    assert.equal(flaky.requests(), 2, 'the first try and one retry');
    const [refused] = await notListed.one({});
    assert.deepEqual(refused!.get('tags'), ['_elasticsearch_lookup_failure']);
    assert.equal(refusing.requests(), 1, '400 is not in retry_on_status');
  } finally {
    for (const f of [enough, tooFew, notListed]) await f.close();
    for (const s of [twice, flaky, refusing]) await s.close();
  }
});
