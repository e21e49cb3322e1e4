/**
 * What the sink sends each server version, and how it reads their answers, on a local HTTP server
 * that answers with hand-written bodies in each server's documented shapes (Elasticsearch itself
 * does not run here; the real OpenSearch node covers the rest in opensearch.test.ts). Also
 * failover between nodes and per-item retries, which only need some server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { makeOutput } from '../../../helpers/harness.js';
import { freePort } from '../../../helpers/ports.js';
import { elasticsearchOutput } from '../../../../src/plugins/outputs/elasticsearch/index.js';
import { OutputError, type WriteResult } from '../../../../src/plugins/api.js';
import type { BulkBatch } from '../../../../src/plugins/outputs/elasticsearch/bulk-batch.js';
import type { ConfigValue } from '../../../../src/config/values.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Handler = (req: Seen) => { status: number; body?: unknown } | undefined;

async function server(root: unknown, handler: Handler = () => undefined): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(entry);
      let answer = handler(entry);
      if (!answer) {
        if (entry.method === 'GET' && entry.url === '/') answer = { status: 200, body: root };
        else if (entry.method === 'HEAD') answer = { status: 404 };
        else if (entry.method === 'PUT') answer = { status: 200, body: { acknowledged: true } };
        else if (entry.url.startsWith('/_bulk')) {
          const body = entry.headers['content-encoding'] === 'gzip' ? gunzipSync(entry.body) : entry.body;
          const n = body.toString().trim().split('\n').filter((l) => !l.startsWith('{"delete"')).length / 2;
          answer = { status: 200, body: { errors: false, items: Array.from({ length: Math.ceil(n) }, () => ({ index: { status: 201 } })) } };
        } else answer = { status: 404, body: {} };
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => http.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => { http.closeAllConnections(); http.close(() => r()); }) };
}

const ES = (number: string) => ({ name: 'n', cluster_name: 'c', version: { number, build_flavor: 'default' }, tagline: 'You Know, for Search' });
const OS = (number: string) => ({ name: 'n', cluster_name: 'c', version: { distribution: 'opensearch', number }, tagline: 'The OpenSearch Project: https://opensearch.org/' });

async function writeOnce(root: unknown, settings: Record<string, ConfigValue>, handler?: Handler) {
  const srv = await server(root, handler);
  const out = await makeOutput(elasticsearchOutput, { hosts: [srv.url], index: 'i', ...settings });
  try {
    const result = await out.sink.write(out.encode([{ n: 1 }, { n: 2 }]));
    return { result, seen: srv.seen };
  } finally {
    await out.sink.close?.();
    await srv.close();
  }
}

for (const [label, root, api, media] of [
  ['Elasticsearch 7', ES('7.17.22'), '_template', 'application/x-ndjson'],
  ['Elasticsearch 8', ES('8.15.0'), '_index_template', 'application/vnd.elasticsearch+x-ndjson; compatible-with=8'],
  ['Elasticsearch 9', ES('9.1.0'), '_index_template', 'application/vnd.elasticsearch+x-ndjson; compatible-with=9'],
  ['OpenSearch 1', OS('1.3.19'), '_index_template', 'application/x-ndjson'],
  ['OpenSearch 2', OS('2.19.6'), '_index_template', 'application/x-ndjson'],
  ['OpenSearch 3', OS('3.2.0'), '_index_template', 'application/x-ndjson'],
] as const) {
  test(`${label}: template API auto picks ${api}; bulk requests are sent as ${media}`, async () => {
    const { result, seen } = await writeOnce(root, { template_name: 'tpl' });
    assert.equal(result, undefined);
    assert.deepEqual(seen.map((s) => `${s.method} ${s.url.split('?')[0]}`), ['GET /', `HEAD /${api}/tpl`, `PUT /${api}/tpl`, 'POST /_bulk']);
    const put = JSON.parse(seen[2]!.body.toString());
    assert.deepEqual(put.index_patterns, ['i']);
    assert.equal('template' in put, api === '_index_template', 'the body has the shape of the API');
    assert.equal(seen[3]!.headers['content-type'], media);
    assert.ok(!seen[3]!.body.toString().includes('_type'));
  });
}

test('template_overwrite false leaves an existing template; true replaces it; legacy forced on a composable server', async () => {
  const exists: Handler = (r) => (r.method === 'HEAD' ? { status: 200 } : undefined);
  const kept = await writeOnce(ES('8.15.0'), {}, exists);
  assert.deepEqual(kept.seen.map((s) => s.method), ['GET', 'HEAD', 'POST']);
  const replaced = await writeOnce(ES('8.15.0'), { template_overwrite: true, template_api: 'legacy' }, exists);
  assert.deepEqual(replaced.seen.map((s) => `${s.method} ${s.url.split('?')[0]}`), ['GET /', 'PUT /_template/logstash', 'POST /_bulk']);
  const off = await writeOnce(ES('8.15.0'), { manage_template: false });
  assert.deepEqual(off.seen.map((s) => s.method), ['GET', 'POST']);
});

test('Elasticsearch 6 is refused for good: the output closes with what to use', async () => {
  const srv = await server(ES('6.8.23'));
  const out = await makeOutput(elasticsearchOutput, { hosts: [srv.url] });
  await assert.rejects(out.sink.write(out.encode([{ n: 1 }])), (e: unknown) => e instanceof OutputError && e.failure === 'closed' && /Elasticsearch 6.8.23 is not supported/.test(e.message));
  await out.sink.close?.();
  await srv.close();
});

test('credentials, api_key, custom headers and gzip reach the server', async () => {
  const { seen } = await writeOnce(OS('2.19.6'), { user: 'elastic', password: 'secret', http_compression: true, custom_headers: { 'X-Tenant': 'a' } });
  const bulk = seen.find((s) => s.url.startsWith('/_bulk'))!;
  assert.equal(bulk.headers['authorization'], `Basic ${Buffer.from('elastic:secret').toString('base64')}`);
  assert.equal(bulk.headers['x-tenant'], 'a');
  assert.equal(bulk.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(bulk.body).toString().split('\n').length, 5);
  await assert.rejects(makeOutput(elasticsearchOutput, { hosts: ['http://127.0.0.1:1'], api_key: 'id:key' }), /api_key needs TLS/);
});

test('per-item results: 429 items come back for a retry, 400 items go to the failure path with the reason', async () => {
  const handler: Handler = (r) => r.url.startsWith('/_bulk')
    ? { status: 200, body: { errors: true, items: [
      { index: { status: 201 } },
      { index: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } },
      { index: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [n]' } } },
      { create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'exists' } } },
    ] } }
    : undefined;
  const srv = await server(OS('2.19.6'), handler);
  const out = await makeOutput(elasticsearchOutput, { hosts: [srv.url], index: 'i', manage_template: false, action: '%{op}' });
  const result = (await out.sink.write(out.encode([{ n: 0, op: 'index' }, { n: 1, op: 'index' }, { n: 'x', op: 'index' }, { n: 3, op: 'create' }]))) as WriteResult;
  assert.deepEqual(result.failed?.map((f) => f.index), [2]);
  assert.match(result.failed![0]!.reason, /status 400.*mapper_parsing_exception: failed to parse field \[n\]/);
  assert.equal(JSON.parse(result.failed![0]!.event!).n, 'x', 'the failure path gets the document');
  assert.deepEqual(result.retry?.indexes, [1]);
  const again = result.retry!.data as BulkBatch;
  const lines = new TextDecoder().decode(again.bytes).trim().split('\n');
  assert.equal(lines.length, 2);
  assert.equal(JSON.parse(lines[1]!).n, 1, 'only the rejected item is sent again');
  await out.sink.close?.();
  await srv.close();
});

test('failover: a dead node is skipped and rests; every node down is a retryable failure', async () => {
  const srv = await server(OS('2.19.6'));
  const dead = `http://127.0.0.1:${await freePort()}`;
  const out = await makeOutput(elasticsearchOutput, { hosts: [dead, srv.url], index: 'i', manage_template: false, resurrect_delay: 60 });
  for (let i = 0; i < 4; i++) assert.equal(await out.sink.write(out.encode([{ n: i }])), undefined);
  assert.equal(srv.seen.filter((s) => s.url.startsWith('/_bulk')).length, 4, 'every write reached the live node');
  await out.sink.close?.();
  await srv.close();
  const lonely = await makeOutput(elasticsearchOutput, { hosts: [dead], index: 'i' });
  await assert.rejects(lonely.sink.write(lonely.encode([{ n: 1 }])), (e: unknown) => e instanceof OutputError && e.failure === 'retryable' && /no elasticsearch node could be reached/.test(e.message));
  await lonely.sink.close?.();
});

test('a batch larger than target_bulk_bytes goes as several requests; a request-level 5xx retries only its items', async () => {
  let bulks = 0;
  const handler: Handler = (r) => {
    if (!r.url.startsWith('/_bulk')) return undefined;
    bulks++;
    if (bulks === 2) return { status: 500, body: { error: 'boom' } };
    const n = r.body.toString().trim().split('\n').length / 2;
    return { status: 200, body: { errors: false, items: Array.from({ length: n }, () => ({ index: { status: 201 } })) } };
  };
  const srv = await server(OS('2.19.6'), handler);
  const out = await makeOutput(elasticsearchOutput, { hosts: [srv.url], index: 'i', manage_template: false, target_bulk_bytes: 200 });
  const events = Array.from({ length: 6 }, (_, i) => ({ n: i, pad: 'x'.repeat(40) }));
  const result = (await out.sink.write(out.encode(events))) as WriteResult;
  assert.ok(bulks >= 3, `split into ${bulks} requests`);
  const retried = new TextDecoder().decode((result.retry!.data as BulkBatch).bytes).trim().split('\n').filter((_, i) => i % 2 === 1).map((l) => JSON.parse(l).n);
  assert.deepEqual(retried, result.retry!.indexes, 'the retried items are those of the failed request');
  assert.ok(result.retry!.indexes.length > 0 && result.retry!.indexes.length < 6);
  await out.sink.close?.();
  await srv.close();
});
