import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { makeCertificates } from '../../../helpers/certificates.js';
import { makeFilter } from '../../../helpers/harness.js';
import { freePort } from '../../../helpers/ports.js';
import { httpFilter } from '../../../../src/plugins/filters/http/index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real local HTTP server: each path answers as the tests need; every request is recorded. */
let server: Server;
let base: string;
const seen: Seen[] = [];
let concurrent = 0;
let maxConcurrent = 0;

function route(req: IncomingMessage, body: string, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://x');
  switch (url.pathname) {
    case '/json':
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-answer': 'yes' });
      res.end(JSON.stringify({ id: url.searchParams.get('id'), ok: true, list: [1, 2] }));
      return;
    case '/text':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('  hello there \n');
      return;
    case '/echo':
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, body, contentType: req.headers['content-type'] }));
      return;
    case '/badjson':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"not": json');
      return;
    case '/status':
      res.writeHead(Number(url.searchParams.get('code')), { 'content-type': 'text/plain' });
      res.end('nope');
      return;
    case '/slow':
      setTimeout(() => {
        res.writeHead(200);
        res.end('late');
      }, 3000);
      return;
    case '/auth':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(req.headers.authorization ?? 'none');
      return;
    case '/wait':
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      setTimeout(() => {
        concurrent--;
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(url.searchParams.get('n') ?? '');
      }, 200);
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      route(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('http filter: a JSON answer is parsed into [body], its headers into [headers] (ECS disabled); sprintf url, query and headers', async () => {
  const f = await makeFilter(httpFilter, {
    url: `${base}/%{kind}`, query: { id: '%{uid}', fixed: 'v' }, headers: { 'X-User': 'u-%{uid}' }, add_tag: ['enriched'],
  }, { ecs: 'disabled' });
  const [e] = await f.one({ kind: 'json', uid: 42 });
  assert.deepEqual(e!.get('body'), { id: '42', ok: true, list: [1, 2] });
  assert.equal(e!.get('[headers][x-answer]'), 'yes');
  assert.deepEqual(e!.get('tags'), ['enriched']);
  const request = seen.at(-1)!;
  assert.equal(request.method, 'GET');
  assert.equal(request.url, '/json?id=42&fixed=v');
  assert.equal(request.headers['x-user'], 'u-42');
  assert.equal(request.headers['content-type'], 'text/plain');
  await f.close();
});

test('http filter: ECS v8 defaults: [http][response][body][content] and [@metadata][filter][http][response][headers]', async () => {
  const f = await makeFilter(httpFilter, { url: `${base}/text` }, { ecs: 'v8' });
  const [e] = await f.one({ n: 1 });
  assert.equal(e!.get('[http][response][body][content]'), 'hello there', 'a text answer is stored trimmed');
  assert.equal(e!.get('[@metadata][filter][http][response][headers][content-type]'), 'text/plain');
  assert.equal(e!.get('body'), undefined);
  assert.equal(e!.get('headers'), undefined);
  await f.close();
});

test('http filter: target_body / target_headers; a JSON hash body is sent as JSON with body_format json; verb any case', async () => {
  const f = await makeFilter(httpFilter, {
    url: `${base}/echo`, verb: 'post', body_format: 'json', body: { user: '%{user}', n: 3, list: ['%{user}', 'x'] },
    target_body: '[answer]', target_headers: '[@metadata][h]',
  });
  const [e] = await f.one({ user: 'bob' });
  const answer = e!.get('answer') as Record<string, unknown>;
  assert.equal(answer['method'], 'POST');
  assert.deepEqual(JSON.parse(answer['body'] as string), { user: 'bob', n: 3, list: ['bob', 'x'] });
  assert.equal(answer['contentType'], 'application/json');
  assert.equal(e!.get('[@metadata][h][content-type]'), 'application/json');
  await f.close();
});

test('http filter: a string body is a sprintf template sent as text/plain', async () => {
  const f = await makeFilter(httpFilter, { url: `${base}/echo`, verb: 'PUT', body: 'hello %{user}', target_body: 'answer' });
  const [e] = await f.one({ user: 'eve' });
  assert.equal(e!.get('[answer][body]'), 'hello eve');
  assert.equal(e!.get('[answer][contentType]'), 'text/plain');
  await f.close();
});

test('http filter: a non-2xx answer tags _httprequestfailure, stores nothing, skips the decorations', async () => {
  const f = await makeFilter(httpFilter, { url: `${base}/status?code=%{code}`, add_tag: ['enriched'] });
  const out = await f.run([{ code: 404 }, { code: 500 }, { code: 302 }, { code: 204 }]);
  for (const e of out.slice(0, 3)) {
    assert.deepEqual(e.get('tags'), ['_httprequestfailure'], `code ${String(e.get('code'))}`);
    assert.equal(e.get('body'), undefined);
  }
  assert.deepEqual(out[3]!.get('tags'), ['enriched'], '204 is a success');
  await f.close();
});

test('http filter: invalid JSON tags _jsonparsefailure (custom tags too) yet the request counted as done', async () => {
  const f = await makeFilter(httpFilter, { url: `${base}/badjson`, tag_on_json_failure: ['bad_json'], add_tag: ['enriched'] });
  const [e] = await f.one({ n: 1 });
  assert.deepEqual(e!.get('tags'), ['bad_json', 'enriched']);
  assert.equal(e!.get('body'), undefined);
  await f.close();
});

test('http filter: connection refused and a url that is not a URL tag the event; the batch goes on', async () => {
  const port = await freePort();
  const f = await makeFilter(httpFilter, { url: '%{target}', tag_on_request_failure: ['_httprequestfailure', 'lookup_failed'] });
  const out = await f.run([{ target: `http://127.0.0.1:${port}/x` }, { target: 'not a url' }, { target: 'ftp://h/x' }, { target: `${base}/text` }]);
  assert.equal(out.length, 4);
  for (const e of out.slice(0, 3)) assert.deepEqual(e.get('tags'), ['_httprequestfailure', 'lookup_failed']);
  assert.equal(out[3]!.get('body'), 'hello there');
  await f.close();
});

test('http filter: request_timeout cuts a slow answer and tags the event', async () => {
  const f = await makeFilter(httpFilter, { url: `${base}/slow`, request_timeout: 0.3, automatic_retries: 0 });
  const started = Date.now();
  const [e] = await f.one({ n: 1 });
  assert.ok(Date.now() - started < 2500, 'did not wait for the answer');
  assert.deepEqual(e!.get('tags'), ['_httprequestfailure']);
  await f.close();
});

test('http filter: user/password send basic authentication', async () => {
  const f = await makeFilter(httpFilter, { url: `${base}/auth`, user: 'ann', password: 's3cret' });
  const [e] = await f.one({});
  assert.equal(e!.get('body'), `Basic ${Buffer.from('ann:s3cret').toString('base64')}`);
  await f.close();
});

test('http filter: the requests of a batch run concurrently, at most pool_max at once', async () => {
  const f = await makeFilter(httpFilter, { url: `${base}/wait?n=%{n}`, pool_max: 3 });
  maxConcurrent = 0;
  const out = await f.run(Array.from({ length: 9 }, (_, n) => ({ n })));
  assert.deepEqual(out.map((e) => e.get('body')), Array.from({ length: 9 }, (_, n) => String(n)));
  assert.equal(maxConcurrent, 3);
  await f.close();
});

test('http filter: bad options are refused at start', async () => {
  await assert.rejects(makeFilter(httpFilter, { url: `${base}/x`, verb: 'OPTIONS' }), /verb must be one of/);
  await assert.rejects(makeFilter(httpFilter, { url: 'localhost/x' }), /url must start with http/);
  await assert.rejects(makeFilter(httpFilter, { url: `${base}/x`, cookies: true }), /cookies => true is not supported/);
  await assert.rejects(makeFilter(httpFilter, { url: `${base}/x`, ssl_certificate_authorities: ['/nonexistent/ca.pem'] }), /cannot read ssl_certificate_authorities/);
});

test('http filter: https with client certificates; the server certificate is verified against ssl_certificate_authorities', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-http-filter-'));
  const file = (name: string): string => join(dir, name);
  makeCertificates(file);
  const tls = createHttpsServer({
    cert: readFileSync(file('server.crt')), key: readFileSync(file('server.key')), ca: readFileSync(file('ca.crt')), requestCert: true, rejectUnauthorized: true,
  }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ peer: (req.socket as TLSSocket).getPeerCertificate().subject.CN }));
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  const url = `https://localhost:${(tls.address() as AddressInfo).port}/`;
  try {
    const client = { ssl_certificate: file('client.crt'), ssl_key: file('client.key') };
    const trusted = await makeFilter(httpFilter, { url, ssl_certificate_authorities: [file('ca.crt')], ...client });
    assert.deepEqual((await trusted.one({}))[0]!.get('body'), { peer: 'beat-1' });
    await trusted.close();
    const untrusted = await makeFilter(httpFilter, { url, ssl_certificate_authorities: [file('other.crt')], ...client, automatic_retries: 0 });
    assert.deepEqual((await untrusted.one({}))[0]!.get('tags'), ['_httprequestfailure'], 'a server certificate from another CA is refused');
    await untrusted.close();
    const unverified = await makeFilter(httpFilter, { url, ssl_verification_mode: 'none', ...client });
    assert.deepEqual((await unverified.one({}))[0]!.get('body'), { peer: 'beat-1' });
    await unverified.close();
  } finally {
    tls.closeAllConnections();
    await new Promise((resolve) => tls.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
});
