/**
 * The elasticsearch filter over HTTPS, on a local TLS server with certificates made by openssl
 * (it answers every search with one canned hit): the CA under the deprecated ca_file name is
 * trusted and basic credentials are sent; an unknown CA tags the event; the deprecated
 * ssl_certificate_verification => false accepts it.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificates } from '../../../helpers/certificates.js';
import { freePort } from '../../../helpers/ports.js';
import { makeFilter } from '../../../helpers/harness.js';
import { elasticsearchFilter } from '../../../../src/plugins/filters/elasticsearch/index.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-es-filter-tls-'));
const file = (name: string) => join(dir, name);
before(() => makeCertificates(file));

async function tlsServer(): Promise<{ url: string; requests: Array<{ url: string; authorization: string }>; close(): Promise<void> }> {
  const requests: Array<{ url: string; authorization: string }> = [];
  const server: Server = createServer({ cert: readFileSync(file('server.crt')), key: readFileSync(file('server.key')) }, (req, res) => {
    requests.push({ url: String(req.url), authorization: String(req.headers['authorization']) });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ _shards: { total: 1, successful: 1, failed: 0 }, hits: { total: { value: 1 }, hits: [{ _index: 'i', _id: '1', _source: { owner: 'alice' } }] } }));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `https://localhost:${port}`, requests, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test('https: ca_file trusted, basic credentials and the sprintf query sent; an unknown CA tags; verification off accepts', async () => {
  const srv = await tlsServer();
  const trusted = await makeFilter(elasticsearchFilter, { hosts: [srv.url], index: 'i', query: 'host:%{host}', fields: { owner: 'owner' }, ca_file: file('ca.crt'), user: 'u', password: 'p' });
  const unknownCa = await makeFilter(elasticsearchFilter, { hosts: [srv.url], query: '*', fields: { owner: 'owner' }, ssl_certificate_authorities: [file('other.crt')] });
  const unverified = await makeFilter(elasticsearchFilter, { hosts: [srv.url], query: '*', fields: { owner: 'owner' }, ssl_certificate_verification: false });
  try {
    assert.equal((await trusted.one({ host: 'web1' }))[0]!.get('owner'), 'alice');
    const sent = srv.requests.at(-1)!;
    assert.equal(sent.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
    const url = new URL(sent.url, 'https://x');
    assert.equal(url.pathname, '/i/_search');
    assert.deepEqual([url.searchParams.get('q'), url.searchParams.get('size'), url.searchParams.get('sort')], ['host:web1', '1', '@timestamp:desc']);
    const [refused] = await unknownCa.one({});
    assert.deepEqual(refused!.get('tags'), ['_elasticsearch_lookup_failure']);
    assert.equal(refused!.get('owner'), undefined);
    assert.equal((await unverified.one({}))[0]!.get('owner'), 'alice');
  } finally {
    await trusted.close();
    await unknownCa.close();
    await unverified.close();
    await srv.close();
  }
});
