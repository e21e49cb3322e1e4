/**
 * The elasticsearch filter against a private OpenSearch node (one per file, shared by its tests
 * through unique index names): query strings and DSL templates with sprintf, fields, docinfo and
 * aggregations, several hits, target, and the failures that tag an event without stopping the
 * others (index missing, node down), plus failover to a live node.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFilter } from '../../../helpers/harness.js';
import { OpenSearchNode, uniqueName } from '../../../helpers/opensearch.js';
import { freePort } from '../../../helpers/ports.js';
import { elasticsearchFilter } from '../../../../src/plugins/filters/elasticsearch/index.js';
import { ConfigError } from '../../../../src/core/errors.js';

let node: OpenSearchNode;
let index: string;
let dir: string;

before(async () => {
  node = await OpenSearchNode.start();
  index = uniqueName('lookups-es');
  dir = mkdtempSync(join(tmpdir(), 'logpipe-es-filter-'));
  await node.request('PUT', `/${index}`, {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: { properties: { '@timestamp': { type: 'date' }, type: { type: 'keyword' }, operation: { type: 'keyword' }, bytes: { type: 'long' } } },
  });
  const docs = [
    { _id: 's1', type: 'start', operation: 'op1', '@timestamp': '2024-01-01T00:00:00Z', user: { name: 'alice' }, bytes: 10 },
    { _id: 's2', type: 'start', operation: 'op1', '@timestamp': '2024-01-02T00:00:00Z', user: { name: 'bob' }, bytes: 20 },
    { _id: 's3', type: 'start', operation: 'op2', '@timestamp': '2024-01-03T00:00:00Z', user: { name: 'carol' }, bytes: 40 },
  ];
  for (const { _id, ...doc } of docs) {
    const { status } = await node.request('PUT', `/${index}/_doc/${_id}`, doc);
    assert.ok(status === 201 || status === 200, `document ${_id} written`);
  }
  await node.request('POST', `/${index}/_refresh`);
}, { timeout: 300_000 });

after(async () => {
  await node?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('query string with sprintf: the newest hit\'s fields and docinfo are copied; total hits in @metadata; decorations apply', async () => {
  const f = await makeFilter(elasticsearchFilter, {
    hosts: [node.url], index,
    query: 'type:start AND operation:%{[opid]}',
    fields: { '@timestamp': 'started', '[user][name]': '[start][user]', missing_field: 'absent' },
    docinfo_fields: { _id: '[start][id]', _index: '[start][index]' },
    add_tag: ['found_start'],
  });
  try {
    const [e] = await f.one({ opid: 'op1' });
    assert.equal(e!.get('started'), '2024-01-02T00:00:00Z', 'sorted by @timestamp desc: the newest');
    assert.deepEqual(e!.get('start'), { user: 'bob', id: 's2', index });
    assert.equal(e!.get('absent'), null, 'a field the document lacks is set to null, as in Logstash');
    assert.equal(e!.get('[@metadata][total_hits]'), 2);
    assert.deepEqual(e!.get('tags'), ['found_start']);
  } finally {
    await f.close();
  }
});

test('result_size 2 copies lists; target puts them under one field; enable_sort false; no hit sets nothing and is not a failure', async () => {
  const f = await makeFilter(elasticsearchFilter, {
    hosts: [node.url], index,
    query: 'operation:%{opid}', result_size: 2, sort: 'bytes:asc',
    fields: { bytes: 'sizes' }, docinfo_fields: { _id: 'ids' }, target: 'lookup',
    add_tag: ['matched'],
  });
  const unsorted = await makeFilter(elasticsearchFilter, { hosts: [node.url], index, query: 'operation:op2', enable_sort: false, fields: { bytes: 'b' } });
  try {
    const [two, none] = await f.run([{ opid: 'op1' }, { opid: 'op9' }]);
    assert.deepEqual(two!.get('lookup'), { sizes: [10, 20], ids: ['s1', 's2'] });
    assert.equal(none!.get('lookup'), undefined);
    assert.equal(none!.get('tags'), undefined, 'no hit: neither a failure tag nor the decorations');
    assert.equal(none!.get('[@metadata][total_hits]'), 0);
    assert.equal((await unsorted.one({}))[0]!.get('b'), 40);
  } finally {
    await f.close();
    await unsorted.close();
  }
});

test('query_template: a DSL body with sprintf; aggregation_fields copy the aggregation results', async () => {
  const template = join(dir, 'query.json');
  writeFileSync(template, JSON.stringify({
    size: 1,
    query: { bool: { filter: [{ term: { operation: '%{[opid]}' } }] } },
    sort: [{ '@timestamp': 'asc' }],
    aggs: { total_bytes: { sum: { field: 'bytes' } } },
  }));
  const f = await makeFilter(elasticsearchFilter, {
    hosts: [node.url], index: '%{[@metadata][index]}', query_template: template,
    fields: { '[user][name]': 'first_user' }, aggregation_fields: { total_bytes: 'bytes_sum' },
  });
  try {
    const [e] = await f.one({ opid: 'op1', '@metadata': { index } });
    assert.equal(e!.get('first_user'), 'alice');
    assert.deepEqual(e!.get('bytes_sum'), { value: 30 });
  } finally {
    await f.close();
  }
});

test('a missing index and a node that is down tag the event; the other events go on; a dead node fails over to a live one', async () => {
  const deadPort = await freePort();
  const missing = await makeFilter(elasticsearchFilter, { hosts: [node.url], index: '%{idx}', query: '*', fields: { user: 'u' }, add_tag: ['ok'] });
  const down = await makeFilter(elasticsearchFilter, { hosts: [`127.0.0.1:${deadPort}`], index, query: '*', fields: { user: 'u' }, tag_on_failure: ['_es_down'] });
  const failover = await makeFilter(elasticsearchFilter, { hosts: [`127.0.0.1:${deadPort}`, node.url], index, query: 'operation:op2', fields: { '[user][name]': 'u' } });
  try {
    const [lost, fine] = await missing.run([{ idx: uniqueName('no-such-index') }, { idx: index }]);
    assert.deepEqual(lost!.get('tags'), ['_elasticsearch_lookup_failure']);
    assert.equal(lost!.get('u'), undefined);
    assert.deepEqual(fine!.get('tags'), ['ok'], 'the next event of the batch is looked up');
    const out = await down.run([{ a: 1 }, { a: 2 }]);
    assert.equal(out.length, 2);
    assert.ok(out.every((e) => JSON.stringify(e.get('tags')) === '["_es_down"]'));
    for (let i = 0; i < 3; i++) assert.equal((await failover.one({}))[0]!.get('u'), 'carol');
  } finally {
    await missing.close();
    await down.close();
    await failover.close();
  }
});

test('both ECS modes copy the same fields (the filter names none of its own)', async () => {
  const copies: unknown[] = [];
  for (const ecs of ['disabled', 'v8'] as const) {
    const f = await makeFilter(elasticsearchFilter, { hosts: [node.url], index, query: 'operation:op2', fields: { '[user][name]': '[user][name]' }, docinfo_fields: { _id: '[event][reference]' } }, { ecs });
    try {
      const [e] = await f.one({});
      copies.push([e!.get('[user][name]'), e!.get('[event][reference]')]);
    } finally {
      await f.close();
    }
  }
  assert.deepEqual(copies, [['carol', 's3'], ['carol', 's3']]);
});

test('configuration: exactly one of query and query_template; api_key needs TLS; an unreadable template is named', async () => {
  await assert.rejects(makeFilter(elasticsearchFilter, { hosts: [node.url], fields: { a: 'b' } }), (e: Error) => e instanceof ConfigError && /exactly one of query and query_template/.test(e.message));
  await assert.rejects(makeFilter(elasticsearchFilter, { hosts: [node.url], query: 'x', query_template: join(dir, 'query.json') }), /exactly one of query and query_template/);
  await assert.rejects(makeFilter(elasticsearchFilter, { hosts: [node.url], query: 'x', api_key: 'id:key' }), /api_key needs TLS/);
  await assert.rejects(makeFilter(elasticsearchFilter, { hosts: [node.url], query_template: join(dir, 'nope.json') }), /cannot read query_template .*nope\.json/);
});
