/**
 * The elasticsearch output's worker half and the pure pieces around it: bulk lines per action,
 * item boundaries, per-item classification, version detection from hand-written root bodies
 * (written from the public API documentation of each server), template shapes, host URLs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../../src/core/event.js';
import { ConfigError } from '../../../../src/core/errors.js';
import { elasticsearchOutput, opensearchOutput } from '../../../../src/plugins/outputs/elasticsearch/index.js';
import { itemsOf, itemText, subsetOf, type BulkBatch } from '../../../../src/plugins/outputs/elasticsearch/bulk-batch.js';
import { classifyStatus, readItems } from '../../../../src/plugins/outputs/elasticsearch/bulk-response.js';
import { nodeUrl, NodeRotation } from '../../../../src/plugins/elasticsearch/hosts.js';
import { splitBySize } from '../../../../src/plugins/outputs/elasticsearch/sink.js';
import { defaultTemplate, templateFor, typelessMappings } from '../../../../src/plugins/outputs/elasticsearch/templates.js';
import { composableByDefault, hasDataStreams, mediaTypes, parseServerVersion } from '../../../../src/plugins/outputs/elasticsearch/version.js';
import { registryWith, settingsOf, testContext } from '../../../helpers/harness.js';
import type { ConfigValue } from '../../../../src/config/values.js';
import type { EcsCompatibility, OutputPayload } from '../../../../src/plugins/api.js';

function encoderFor(settings: Record<string, ConfigValue>, ecs: EcsCompatibility = 'disabled') {
  const registry = registryWith(elasticsearchOutput);
  const options = registry.validate(elasticsearchOutput, settingsOf(settings), undefined);
  return elasticsearchOutput.createEncoder(options as never, testContext('elasticsearch', { registry, ecs }));
}

const event = (fields: Record<string, unknown>, iso = '2024-03-05T10:00:00.000Z') => new Event({ ...fields, '@timestamp': iso });

function lines(payload: OutputPayload | undefined): unknown[] {
  const batch = payload!.data as BulkBatch;
  const text = new TextDecoder().decode(batch.bytes);
  assert.ok(text.endsWith('\n'), 'a bulk body ends with a newline');
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l));
}

test('index action: _index rendered with the event date (UTC), _id, routing and pipeline per event', () => {
  const encoder = encoderFor({ index: 'foo-bar-%{+YYYY.MM}', document_id: '%{fp}', routing: '%{user}', pipeline: 'p-%{kind}' });
  const out = lines(encoder.encode([event({ fp: 'a1', user: 'u', kind: 'x', n: 1 }), event({ fp: 'b2', user: 'v', kind: 'y', n: 2 }, '2024-04-30T23:59:59.999Z')]));
  assert.deepEqual(out[0], { index: { _index: 'foo-bar-2024.03', _id: 'a1', routing: 'u', pipeline: 'p-x' } });
  assert.equal((out[1] as Record<string, unknown>)['n'], 1);
  assert.equal((out[1] as Record<string, unknown>)['@timestamp'], '2024-03-05T10:00:00.000Z');
  assert.deepEqual(out[2], { index: { _index: 'foo-bar-2024.04', _id: 'b2', routing: 'v', pipeline: 'p-y' } });
});

test('the default index is logstash-%{+yyyy.MM.dd}, ecs-logstash-… with ECS on; no _type is ever sent', () => {
  assert.deepEqual(lines(encoderFor({}).encode([event({})]))[0], { index: { _index: 'logstash-2024.03.05' } });
  assert.deepEqual(lines(encoderFor({ document_type: 'foobar_doc_type' }, 'v8').encode([event({})]))[0], { index: { _index: 'ecs-logstash-2024.03.05' } });
});

test('a date-only index is rendered per day: events either side of midnight get their own index', () => {
  const encoder = encoderFor({ index: 'd-%{+YYYY.MM.dd}' });
  const out = lines(encoder.encode([event({}, '2024-03-05T23:59:59.999Z'), event({}, '2024-03-06T00:00:00.000Z'), event({}, '2024-03-05T12:00:00.000Z')]));
  assert.deepEqual([out[0], out[2], out[4]].map((l) => (l as { index: { _index: string } }).index._index), ['d-2024.03.05', 'd-2024.03.06', 'd-2024.03.05']);
});

test('create, delete, update with doc_as_upsert or upsert, and an action taken from a field', () => {
  assert.deepEqual(lines(encoderFor({ action: 'create', index: 'i', document_id: '%{id}' }).encode([event({ id: 7 })]))[0], { create: { _index: 'i', _id: '7' } });
  const deleted = lines(encoderFor({ action: 'delete', index: 'i', document_id: '%{id}' }).encode([event({ id: 7 }), event({ id: 8 })]));
  assert.deepEqual(deleted, [{ delete: { _index: 'i', _id: '7' } }, { delete: { _index: 'i', _id: '8' } }], 'delete has no source line');
  const upserted = lines(encoderFor({ action: 'update', index: 'i', document_id: '%{id}', doc_as_upsert: true }).encode([event({ id: 1, a: 'x' })]));
  assert.deepEqual(upserted[0], { update: { _index: 'i', _id: '1', retry_on_conflict: 1 } });
  assert.equal((upserted[1] as { doc_as_upsert: boolean }).doc_as_upsert, true);
  assert.equal((upserted[1] as { doc: { a: string } }).doc.a, 'x');
  const withUpsert = lines(encoderFor({ action: 'update', index: 'i', document_id: '%{id}', upsert: '{"count": %{n}}' }).encode([event({ id: 1, n: 5 })]));
  assert.deepEqual((withUpsert[1] as { upsert: unknown }).upsert, { count: 5 });
  const dynamic = encoderFor({ action: '%{[@metadata][op]}', index: 'i', document_id: '%{id}' });
  const e1 = event({ id: 1 });
  e1.set('[@metadata][op]', 'delete');
  const e2 = event({ id: 2 });
  e2.set('[@metadata][op]', 'create');
  const e3 = event({ id: 3 });
  e3.set('[@metadata][op]', 'destroy');
  const payload = dynamic.encode([e1, e2, e3])!;
  assert.deepEqual(lines(payload).filter((l) => 'delete' in (l as object) || 'create' in (l as object)), [{ delete: { _index: 'i', _id: '1' } }, { create: { _index: 'i', _id: '2' } }]);
  assert.equal(payload.rejected?.length, 1, 'an unknown action rejects that event only');
  assert.match(payload.rejected![0]!.reason, /action "destroy"/);
  assert.equal(JSON.stringify(lines(payload)).includes('@metadata'), false, '@metadata is never sent');
});

test('update/delete without document_id are refused at configuration time', () => {
  assert.throws(() => encoderFor({ action: 'update', index: 'i' }), (e: unknown) => e instanceof ConfigError && /needs document_id/.test(e.message));
  assert.throws(() => encoderFor({ action: 'upsert' }), /action must be index, create, update or delete/);
  assert.throws(() => encoderFor({ ilm_enabled: 'true' }), /ilm_enabled => true is not supported/);
  assert.throws(() => encoderFor({ script: 'ctx._source.n++' }), /scripted updates/);
  assert.throws(() => encoderFor({ data_stream: 'true', index: 'x' }), /data_stream => true cannot take index/);
  assert.throws(() => encoderFor({ data_stream: 'true', data_stream_dataset: 'my-app' }), /data_stream_dataset/);
  assert.throws(() => registryWith(elasticsearchOutput).validate(elasticsearchOutput, settingsOf({ flush_size: 500 }), undefined), /obsolete/);
  assert.throws(() => registryWith(elasticsearchOutput).validate(elasticsearchOutput, settingsOf({ indexx: 'a' }), undefined), /did you mean "index"/);
});

test('data streams: create into <type>-<dataset>-<namespace>, routed from the event, fields synced', () => {
  const encoder = encoderFor({ data_stream: 'true', data_stream_dataset: 'app' });
  const payload = encoder.encode([event({ m: 1 }), event({ m: 2, data_stream: { dataset: 'nginx', namespace: 'prod', extra: 'kept' } })]);
  const out = lines(payload);
  assert.deepEqual(out[0], { create: { _index: 'logs-app-default' } });
  assert.deepEqual((out[1] as { data_stream: unknown }).data_stream, { type: 'logs', dataset: 'app', namespace: 'default' });
  assert.deepEqual(out[2], { create: { _index: 'logs-nginx-prod' } });
  assert.deepEqual((out[3] as { data_stream: unknown }).data_stream, { extra: 'kept', type: 'logs', dataset: 'nginx', namespace: 'prod' });
  const noRouting = encoderFor({ data_stream: 'true', data_stream_auto_routing: false, data_stream_sync_fields: false });
  const plain = lines(noRouting.encode([event({ data_stream: { dataset: 'nginx' } })]));
  assert.deepEqual(plain[0], { create: { _index: 'logs-generic-default' } });
  assert.deepEqual((plain[1] as { data_stream: unknown }).data_stream, { dataset: 'nginx' }, 'the event is left as it is');
  // auto: on with ECS and nothing asking for an index; off otherwise.
  assert.deepEqual(lines(encoderFor({ data_stream: 'auto' }, 'v8').encode([event({})]))[0], { create: { _index: 'logs-generic-default' } });
  assert.deepEqual(lines(encoderFor({ data_stream: 'auto', index: 'x' }, 'v8').encode([event({})]))[0], { index: { _index: 'x' } });
  assert.deepEqual(lines(encoderFor({ data_stream: 'auto' }, 'disabled').encode([event({})]))[0], { index: { _index: 'logstash-2024.03.05' } });
});

test('an event that cannot be serialised is rejected; the batch keeps the others; unicode is counted in bytes', () => {
  const encoder = encoderFor({ index: 'i' });
  const cyclic = event({ a: 1 });
  (cyclic.data as Record<string, unknown>)['self'] = cyclic.data;
  const payload = encoder.encode([event({ s: 'é😀\u2028' }), cyclic, event({ s: 'line\nbreak' })])!;
  assert.equal(payload.rejected?.length, 1);
  const batch = payload.data as BulkBatch;
  assert.equal(batch.actions.length, 2);
  const items = itemsOf(batch);
  assert.equal(items[1]!.end, batch.bytes.length);
  assert.equal(JSON.parse(itemText(batch, items[0]!)).s, 'é😀\u2028');
  assert.equal(JSON.parse(itemText(batch, items[1]!)).s, 'line\nbreak');
  const second = subsetOf(batch, items, [1]);
  assert.equal(new TextDecoder().decode(second.bytes), new TextDecoder().decode(batch.bytes.subarray(items[1]!.start)));
});

test('splitBySize: runs of at most the limit; an item larger than the limit goes alone', () => {
  const items = [10, 10, 25, 5, 5].reduce<{ action: 'index'; start: number; end: number }[]>((acc, n) => {
    const start = acc.length ? acc[acc.length - 1]!.end : 0;
    acc.push({ action: 'index', start, end: start + n });
    return acc;
  }, []);
  assert.deepEqual(splitBySize(items, 20), [[0, 1], [2], [3, 4]]);
  assert.deepEqual(splitBySize(items, 1000), [[0, 1, 2, 3, 4]]);
});

test('item statuses: 2xx done, 409 on create done, 400/404/custom codes failed, 429/5xx/others retried', () => {
  const none = new Set<number>();
  assert.equal(classifyStatus(201, 'index', none), 'done');
  assert.equal(classifyStatus(409, 'create', none), 'done');
  assert.equal(classifyStatus(409, 'update', none), 'conflict');
  assert.equal(classifyStatus(400, 'index', none), 'failed');
  assert.equal(classifyStatus(404, 'update', none), 'failed');
  assert.equal(classifyStatus(429, 'index', none), 'retry');
  assert.equal(classifyStatus(503, 'index', none), 'retry');
  assert.equal(classifyStatus(403, 'index', none), 'retry');
  assert.equal(classifyStatus(403, 'index', new Set([403])), 'failed');
  // A response in the documented shape (Elasticsearch and OpenSearch agree on it).
  const body = {
    errors: true,
    items: [
      { index: { status: 201 } },
      { create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: '[1]: version conflict, document already exists' } } },
      { index: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [n] of type [long]', caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "x"' } } } },
      { index: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' } } },
    ],
  };
  const results = readItems(body, ['index', 'create', 'index', 'index', 'index'], none);
  assert.deepEqual(results.map((r) => r.outcome), ['done', 'done', 'failed', 'retry', 'retry']);
  assert.equal(results[2]!.reason, 'mapper_parsing_exception: failed to parse field [n] of type [long] (caused by illegal_argument_exception: For input string: "x")');
  assert.match(results[4]!.reason!, /no result for this item/, 'a missing item is retried, never counted written');
});

// Root endpoint bodies as each server's documentation shows them (fields trimmed to what is read).
const ROOTS = {
  es7: { name: 'n', cluster_name: 'c', version: { number: '7.17.22', build_flavor: 'default', lucene_version: '8.11.3', minimum_wire_compatibility_version: '6.8.0' }, tagline: 'You Know, for Search' },
  es8: { name: 'n', cluster_name: 'c', version: { number: '8.15.0', build_flavor: 'default', lucene_version: '9.11.1' }, tagline: 'You Know, for Search' },
  es9: { name: 'n', cluster_name: 'c', version: { number: '9.1.0', build_flavor: 'default', lucene_version: '10.2.2' }, tagline: 'You Know, for Search' },
  os1: { name: 'n', cluster_name: 'c', version: { distribution: 'opensearch', number: '1.3.19', lucene_version: '8.10.1' }, tagline: 'The OpenSearch Project: https://opensearch.org/' },
  os2: { name: 'n', cluster_name: 'c', version: { distribution: 'opensearch', number: '2.19.6', lucene_version: '9.12.3' }, tagline: 'The OpenSearch Project: https://opensearch.org/' },
  os3: { name: 'n', cluster_name: 'c', version: { distribution: 'opensearch', number: '3.2.0', lucene_version: '10.2.2' }, tagline: 'The OpenSearch Project: https://opensearch.org/' },
  es6: { name: 'n', version: { number: '6.8.23' }, tagline: 'You Know, for Search' },
};

test('version detection: Elasticsearch 7/8/9 and OpenSearch 1/2/3, and what each is sent', () => {
  const v = Object.fromEntries(Object.entries(ROOTS).filter(([k]) => k !== 'es6').map(([k, body]) => [k, parseServerVersion(body)]));
  assert.deepEqual([v['es7']!.distribution, v['es7']!.major, v['es7']!.minor], ['elasticsearch', 7, 17]);
  assert.deepEqual([v['os2']!.distribution, v['os2']!.major], ['opensearch', 2]);
  assert.deepEqual([v['os3']!.distribution, v['os3']!.major], ['opensearch', 3]);
  assert.equal(mediaTypes(v['es7']!).ndjson, 'application/x-ndjson');
  assert.equal(mediaTypes(v['es8']!).ndjson, 'application/vnd.elasticsearch+x-ndjson; compatible-with=8');
  assert.equal(mediaTypes(v['es9']!).json, 'application/vnd.elasticsearch+json; compatible-with=9');
  assert.equal(mediaTypes(v['os3']!).json, 'application/json', 'OpenSearch does not know the Elasticsearch media types');
  assert.deepEqual(['es7', 'es8', 'es9', 'os1', 'os2', 'os3'].map((k) => composableByDefault(v[k]!)), [false, true, true, true, true, true]);
  assert.equal(hasDataStreams(v['es7']!), true);
  assert.equal(hasDataStreams(parseServerVersion({ version: { number: '7.8.1' } })), false);
  assert.throws(() => parseServerVersion(ROOTS.es6), /Elasticsearch 6.8.23 is not supported/);
  assert.throws(() => parseServerVersion({ ok: true }), /no version.number/);
});

test('templates: the seed\'s Elasticsearch 6 template becomes a typeless legacy or composable template', () => {
  const seed = {
    template: 'for-bar-*',
    settings: { 'index.refresh_interval': '2s', number_of_shards: '3' },
    mappings: { info: { properties: { log_uuid_fp: { type: 'keyword' }, ip: { type: 'ip' } } } },
  };
  const legacy = templateFor(seed, 'legacy');
  assert.deepEqual(legacy.body, { index_patterns: ['for-bar-*'], settings: seed.settings, mappings: { properties: { log_uuid_fp: { type: 'keyword' }, ip: { type: 'ip' } } } });
  const composable = templateFor(seed, 'composable');
  assert.deepEqual(composable.body, { index_patterns: ['for-bar-*'], template: { settings: seed.settings, mappings: { properties: { log_uuid_fp: { type: 'keyword' }, ip: { type: 'ip' } } } } });
  assert.ok(composable.changes.some((c) => c.includes('typeless')));
  const fromComposable = templateFor({ index_patterns: ['x-*'], priority: 5, template: { mappings: { properties: {} } } }, 'legacy');
  assert.deepEqual(fromComposable.body, { index_patterns: ['x-*'], order: 5, mappings: { properties: {} } });
  assert.throws(() => templateFor({ index_patterns: ['x'], data_stream: {}, template: {} }, 'legacy'), /needs the composable API/);
  assert.deepEqual(typelessMappings({ properties: { a: {} } }), { properties: { a: {} } }, 'typeless mappings stay');
  assert.deepEqual((defaultTemplate('logstash-*', 'composable') as { index_patterns: string[] }).index_patterns, ['logstash-*']);
  assert.ok('template' in defaultTemplate('logstash-*', 'composable') && !('template' in defaultTemplate('logstash-*', 'legacy')));
});

test('hosts: bare host, host:port, URLs with a path, ssl_enabled, and refusals', () => {
  const o = { ssl: undefined, path: undefined };
  assert.equal(nodeUrl('es_host', o), 'http://es_host:9200');
  assert.equal(nodeUrl('es_host:9201', o), 'http://es_host:9201');
  assert.equal(nodeUrl('[::1]:9201', o), 'http://[::1]:9201');
  assert.equal(nodeUrl('https://es:443/prefix/', o), 'https://es:443/prefix');
  assert.equal(nodeUrl('es', { ssl: true, path: '/es/' }), 'https://es:9200/es');
  assert.equal(nodeUrl('http://es:9200/own', { ssl: undefined, path: '/other' }), 'http://es:9200/own');
  assert.throws(() => nodeUrl('ftp://es', o), /must be http/);
  assert.throws(() => nodeUrl('http://es', { ssl: true, path: undefined }), /ssl_enabled is true/);
  assert.throws(() => nodeUrl('http://u:p@es', o), /credentials/);
});

test('node rotation: round robin over healthy nodes; a failed node rests, then comes back', () => {
  let now = 1000;
  const rotation = new NodeRotation(['a', 'b', 'c'], 5000, () => now);
  assert.deepEqual([0, 1, 2, 3].map(() => rotation.order()[0]!.url), ['a', 'b', 'c', 'a']);
  rotation.failed(rotation.nodes[1]!);
  assert.deepEqual(rotation.order().map((n) => n.url), ['c', 'a', 'b'], 'b is tried last while it rests');
  now += 5000;
  assert.deepEqual(rotation.order().map((n) => n.url), ['c', 'a', 'b'], 'b is back in its turn');
  assert.deepEqual(rotation.order().map((n) => n.url), ['a', 'b', 'c']);
});

test('the opensearch output is the same plugin under its own name', () => {
  assert.equal(opensearchOutput.name, 'opensearch');
  assert.equal(opensearchOutput.options, elasticsearchOutput.options);
});
