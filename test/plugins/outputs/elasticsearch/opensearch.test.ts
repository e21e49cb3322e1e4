/**
 * The elasticsearch output against a real server: a private OpenSearch node from Maven Central
 * (test/helpers/opensearch.ts), and — when ELASTICSEARCH_URL is set — the same tests against that
 * Elasticsearch (see test/servers/opensearch/README.md for starting one with Docker). Writes go
 * through the output's own encoder and sink, as the pipeline drives them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeOutput, type OutputUnderTest } from '../../../helpers/harness.js';
import { OpenSearchNode, SearchClient, uniqueName } from '../../../helpers/opensearch.js';
import { elasticsearchOutput } from '../../../../src/plugins/outputs/elasticsearch/index.js';
import type { WriteResult } from '../../../../src/plugins/api.js';
import type { ConfigValue } from '../../../../src/config/values.js';

/** Writes until nothing is left to retry; returns every result seen. */
async function deliver(out: OutputUnderTest, events: Record<string, unknown>[]): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  let data = out.encode(events);
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = await out.sink.write(data);
    if (!result) return results;
    results.push(result);
    if (!result.retry) return results;
    data = result.retry.data;
  }
  throw new Error('items still to retry after 50 attempts');
}

function templateFile(body: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'logpipe-es-template-')), 'template.json');
  writeFileSync(path, JSON.stringify(body));
  return path;
}

function suite(label: string, connect: () => Promise<SearchClient>, release: () => Promise<void>): void {
  describe(label, () => {
    let server: SearchClient;
    const outputs: OutputUnderTest[] = [];
    const output = async (settings: Record<string, ConfigValue>) => {
      const out = await makeOutput(elasticsearchOutput, { hosts: [server.url], ...settings });
      outputs.push(out);
      return out;
    };

    before(async () => {
      server = await connect();
    }, { timeout: 300_000 });

    after(async () => {
      for (const out of outputs) await out.sink.close?.();
      await release();
    });

    test('bulk indexing with a legacy template in the seed\'s Elasticsearch 6 shape (typed mappings, "template" pattern)', async () => {
      const prefix = uniqueName('seedlegacy');
      const name = uniqueName('tpl');
      const template = templateFile({
        template: `${prefix}-*`,
        settings: { 'index.refresh_interval': '2s', number_of_shards: '1', number_of_replicas: '0' },
        mappings: { info: { properties: { log_uuid_fp: { type: 'keyword' }, ip: { type: 'ip' }, ymd: { type: 'integer' } } } },
      });
      const out = await output({ index: `${prefix}-%{+YYYY.MM}`, template, template_name: name, template_overwrite: true, template_api: 'legacy', manage_template: true, document_type: 'foobar_doc_type' });
      const events = Array.from({ length: 250 }, (_, i) => ({ log_uuid_fp: `fp${i}`, ip: `10.0.${i >> 8}.${i & 255}`, ymd: 20190420 }));
      assert.deepEqual(await deliver(out, events), []);
      assert.equal(await server.count(`${prefix}-*`), 250);
      const installed = await server.request<Record<string, { index_patterns: string[] }>>('GET', `/_template/${name}`);
      assert.deepEqual(installed.body[name]!.index_patterns, [`${prefix}-*`]);
      const mapping = await server.request<Record<string, { mappings: { properties: Record<string, { type: string }> } }>>('GET', `/${prefix}-*/_mapping`);
      const props = Object.values(mapping.body)[0]!.mappings.properties;
      assert.equal(props['ip']!.type, 'ip', 'the template\'s mapping applied');
      assert.equal(props['ymd']!.type, 'integer');
      await server.request('DELETE', `/_template/${name}`);
    });

    test('bulk indexing with a composable template (the shipped default), then a mapping error goes to the failure path with the reason', async () => {
      const prefix = uniqueName('composable');
      const name = uniqueName('tpl');
      const out = await output({ index: `${prefix}-%{+YYYY.MM.dd}`, template_name: name, template_api: 'composable' });
      assert.deepEqual(await deliver(out, [{ message: 'hello', n: 1, geoip: { location: { lat: 1.5, lon: 2.5 } } }]), []);
      const installed = await server.request<{ index_templates: Array<{ name: string; index_template: { index_patterns: string[] } }> }>('GET', `/_index_template/${name}`);
      assert.deepEqual(installed.body.index_templates[0]!.index_template.index_patterns, [`${prefix}-*`]);
      const mapping = await server.request<Record<string, { mappings: { properties: Record<string, { type: string; properties?: Record<string, { type: string }> }> } }>>('GET', `/${prefix}-*/_mapping`);
      const props = Object.values(mapping.body)[0]!.mappings.properties;
      assert.equal(props['geoip']!.properties!['location']!.type, 'geo_point', 'the default template\'s geo_point');
      assert.equal(props['n']!.type, 'long');
      // n is a long now: a document with text in n is refused by the server, item by item.
      const results = await deliver(out, [{ n: 2 }, { n: 'not a number' }, { n: 3 }]);
      assert.equal(results.length, 1);
      assert.deepEqual(results[0]!.failed!.map((f) => f.index), [1]);
      assert.match(results[0]!.failed![0]!.reason, /status 400.*mapper_parsing_exception/);
      assert.equal(results[0]!.retry, undefined, 'a mapping error is not retried');
      assert.equal(await server.count(`${prefix}-*`), 3);
      await server.request('DELETE', `/_index_template/${name}`);
    });

    test('document_id makes redelivery idempotent: the same events twice leave one document each', async () => {
      const index = uniqueName('idem');
      const out = await output({ index, document_id: '%{fp}', manage_template: false });
      const events = Array.from({ length: 300 }, (_, i) => ({ fp: `fingerprint-${i}`, seq: i }));
      assert.deepEqual(await deliver(out, events), []);
      assert.deepEqual(await deliver(out, events), [], 'a redelivered batch is written again without error');
      assert.equal(await server.count(index), 300);
      const doc = await server.request<{ _version: number; _source: { seq: number } }>('GET', `/${index}/_doc/fingerprint-7`);
      assert.equal(doc.body._version, 2, 'overwritten, not duplicated');
      assert.equal(doc.body._source.seq, 7);
    });

    test('create twice: the second 409 counts as written; update with doc_as_upsert; delete', async () => {
      const index = uniqueName('actions');
      const create = await output({ index, document_id: '%{id}', action: 'create', manage_template: false });
      assert.deepEqual(await deliver(create, [{ id: 'a', v: 1 }]), []);
      assert.deepEqual(await deliver(create, [{ id: 'a', v: 2 }]), [], 'already there: done, not failed');
      const update = await output({ index, document_id: '%{id}', action: 'update', doc_as_upsert: true, manage_template: false });
      assert.deepEqual(await deliver(update, [{ id: 'a', w: 3 }, { id: 'b', w: 4 }]), []);
      const a = await server.request<{ _source: { v: number; w: number } }>('GET', `/${index}/_doc/a`);
      assert.deepEqual([a.body._source.v, a.body._source.w], [1, 3], 'update merged into the created document');
      assert.equal(await server.count(index), 2, 'b was upserted');
      const remove = await output({ index, document_id: '%{id}', action: 'delete', manage_template: false });
      assert.deepEqual(await deliver(remove, [{ id: 'b' }]), []);
      assert.equal(await server.count(index), 1);
      const plainUpdate = await output({ index, document_id: '%{id}', action: 'update', manage_template: false });
      const missing = await deliver(plainUpdate, [{ id: 'nope', w: 1 }]);
      assert.match(missing[0]!.failed![0]!.reason, /status 404.*document_missing_exception/, 'an update of a missing document fails with the reason');
    });

    test('data streams: create into logs-<dataset>-<namespace>, routed per event, fields synced', async () => {
      const dataset = uniqueName('ds').replace(/-/g, '_');
      const out = await output({ data_stream: 'true', data_stream_dataset: dataset });
      const other = `${dataset}_other`;
      assert.deepEqual(await deliver(out, [{ message: 'one' }, { message: 'two', data_stream: { dataset: other } }]), []);
      const streams = await server.request<{ data_streams: Array<{ name: string }> }>('GET', `/_data_stream/logs-${dataset}*`);
      assert.deepEqual(streams.body.data_streams.map((d) => d.name).sort(), [`logs-${dataset}-default`, `logs-${other}-default`]);
      const docs = await server.documents<{ data_stream: { type: string; dataset: string; namespace: string } }>(`logs-${dataset}-default`);
      assert.equal(docs.length, 1);
      assert.deepEqual(docs[0]!._source.data_stream, { type: 'logs', dataset, namespace: 'default' });
      assert.match(docs[0]!._index, /^\.ds-logs-/, 'stored in a backing index of the data stream');
      for (const d of [dataset, other]) await server.request('DELETE', `/_data_stream/logs-${d}-default`);
    });
  });
}

let node: OpenSearchNode | undefined;
suite('OpenSearch (private node from Maven Central)', async () => {
  node = await OpenSearchNode.start();
  return node;
}, async () => {
  await node?.destroy();
});

// The one gated suite: a real Elasticsearch when one is given (nothing runs it here otherwise).
const elasticsearchUrl = process.env['ELASTICSEARCH_URL'];
if (elasticsearchUrl) suite(`Elasticsearch at ${elasticsearchUrl}`, async () => new SearchClient(elasticsearchUrl.replace(/\/$/, '')), async () => {});
