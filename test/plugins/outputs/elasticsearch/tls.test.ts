/**
 * The elasticsearch output over HTTPS, on a local TLS server with certificates made by openssl:
 * a trusted CA connects (and an API key is sent), an unknown CA is a retryable failure, and
 * ssl_verification_mode none connects anyway.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificates } from '../../../helpers/certificates.js';
import { freePort } from '../../../helpers/ports.js';
import { makeOutput } from '../../../helpers/harness.js';
import { elasticsearchOutput } from '../../../../src/plugins/outputs/elasticsearch/index.js';
import { OutputError } from '../../../../src/plugins/api.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-es-tls-'));
const file = (name: string) => join(dir, name);
before(() => makeCertificates(file));

async function tlsServer(): Promise<{ url: string; authorizations: string[]; close(): Promise<void> }> {
  const authorizations: string[] = [];
  const server: Server = createServer({ cert: readFileSync(file('server.crt')), key: readFileSync(file('server.key')) }, (req, res) => {
    authorizations.push(String(req.headers['authorization']));
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/' ? { version: { distribution: 'opensearch', number: '2.19.6' } } : { errors: false, items: [{ index: { status: 201 } }] }));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `https://localhost:${port}`, authorizations, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test('https with the trusted CA: written, with the API key as ApiKey base64(id:key)', async () => {
  const srv = await tlsServer();
  const out = await makeOutput(elasticsearchOutput, { hosts: [srv.url], index: 'i', manage_template: false, ssl_certificate_authorities: [file('ca.crt')], api_key: 'id:secret' });
  assert.equal(await out.sink.write(out.encode([{ n: 1 }])), undefined);
  assert.equal(srv.authorizations.at(-1), `ApiKey ${Buffer.from('id:secret').toString('base64')}`);
  await out.sink.close?.();
  await srv.close();
});

test('a certificate from an unknown CA is refused (retryable); ssl_verification_mode none accepts it', async () => {
  const srv = await tlsServer();
  const strict = await makeOutput(elasticsearchOutput, { hosts: [srv.url], index: 'i', manage_template: false, ssl_certificate_authorities: [file('other.crt')] });
  await assert.rejects(strict.sink.write(strict.encode([{ n: 1 }])), (e: unknown) => e instanceof OutputError && e.failure === 'retryable' && /certificate|self.signed|verify/i.test(e.message));
  await strict.sink.close?.();
  const lax = await makeOutput(elasticsearchOutput, { hosts: [srv.url], index: 'i', manage_template: false, ssl_verification_mode: 'none' });
  assert.equal(await lax.sink.write(lax.encode([{ n: 1 }])), undefined);
  await lax.sink.close?.();
  await srv.close();
});
