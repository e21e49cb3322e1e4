/**
 * The http output against a real node:http server scripted per test (status codes, delays,
 * redirects, TLS): request shapes per format, sprintf URLs and headers, gzip, per-event results
 * of a write, and the pipeline retrying 429/5xx until delivered while 4xx go to the failure path.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Event } from '../../../../src/core/event.js';
import type { WriteResult } from '../../../../src/plugins/api.js';
import { httpOutput } from '../../../../src/plugins/outputs/http/index.js';
import { makeCertificates } from '../../../helpers/certificates.js';
import { makeOutput } from '../../../helpers/harness.js';
import { startPipeline } from '../../../helpers/redis.js';
import { waitFor } from '../../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-http-out-'));
const file = (name: string): string => join(dir, name);
before(() => makeCertificates(file));

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server; `script` decides each answer (default 200 "ok"). */
class ScriptedServer {
  readonly received: Received[] = [];
  script: (r: Received, res: ServerResponse) => void = (_r, res) => res.end('ok');
  private server: Server | undefined;

  async start(tls?: Record<string, unknown>): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
        const r = { method: req.method!, url: req.url!, headers: req.headers, body };
        this.received.push(r);
        this.script(r, res);
      });
    };
    this.server = tls ? createHttpsServer(tls, handler) : createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `${tls ? 'https' : 'http'}://${tls ? 'localhost' : '127.0.0.1'}:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const servers: ScriptedServer[] = [];
async function server(tls?: Record<string, unknown>): Promise<{ srv: ScriptedServer; base: string }> {
  const srv = new ScriptedServer();
  servers.push(srv);
  return { srv, base: await srv.start(tls) };
}
after(async () => {
  for (const s of servers) await s.stop();
});

const events = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})): Event[] =>
  Array.from({ length: n }, (_, i) => new Event({ id: i, message: `event ${i}`, ...extra(i) }));

test('format json: one request per event with its JSON; method, sprintf headers, content type and basic auth', async () => {
  const { srv, base } = await server();
  const out = await makeOutput(httpOutput, { url: `${base}/in/%{kind}`, http_method: 'put', headers: { 'X-Id': '%{id}' }, user: 'u', password: 'p' });
  const result = await out.sink.write(out.encode(events(3, () => ({ kind: 'a' }))));
  assert.equal(result, undefined, 'every event delivered');
  assert.equal(srv.received.length, 3);
  const byId = new Map(srv.received.map((r) => [Number(r.headers['x-id']), r]));
  for (let i = 0; i < 3; i++) {
    const r = byId.get(i)!;
    assert.equal(r.method, 'PUT');
    assert.equal(r.url, '/in/a');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['authorization'], `Basic ${Buffer.from('u:p').toString('base64')}`);
    const body = JSON.parse(r.body) as Record<string, unknown>;
    assert.equal(body['id'], i);
    assert.equal(body['message'], `event ${i}`);
    assert.ok(typeof body['@timestamp'] === 'string');
  }
  await out.sink.close?.();
});

test('format json_batch: one JSON array per rendered URL, gzip compressed, mapping applied', async () => {
  const { srv, base } = await server();
  const out = await makeOutput(httpOutput, {
    url: `${base}/bulk/%{tenant}`, http_method: 'post', format: 'json_batch', http_compression: true,
    mapping: { n: '%{id}', nested: { text: '%{message}' }, fixed: 'x' },
  });
  const result = await out.sink.write(out.encode(events(5, (i) => ({ tenant: i % 2 === 0 ? 'even' : 'odd' }))));
  assert.equal(result, undefined);
  assert.equal(srv.received.length, 2, 'one request per URL');
  const byUrl = new Map(srv.received.map((r) => [r.url, r]));
  assert.equal(byUrl.get('/bulk/even')!.headers['content-encoding'], 'gzip');
  assert.deepEqual(JSON.parse(byUrl.get('/bulk/even')!.body), [0, 2, 4].map((i) => ({ n: String(i), nested: { text: `event ${i}` }, fixed: 'x' })));
  assert.deepEqual(JSON.parse(byUrl.get('/bulk/odd')!.body), [1, 3].map((i) => ({ n: String(i), nested: { text: `event ${i}` }, fixed: 'x' })));
  await out.sink.close?.();
});

test('formats form and message: bodies and default content types', async () => {
  const { srv, base } = await server();
  const form = await makeOutput(httpOutput, { url: `${base}/form`, http_method: 'post', format: 'form', mapping: { who: '%{message}', tags: ['a', 'b'] } });
  await form.sink.write(form.encode(events(1)));
  const message = await makeOutput(httpOutput, { url: `${base}/msg`, http_method: 'post', format: 'message', message: 'id=%{id} says %{message}' });
  await message.sink.write(message.encode(events(1)));
  assert.equal(srv.received[0]!.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(srv.received[0]!.body, 'who=event+0&tags=a&tags=b');
  assert.equal(srv.received[1]!.headers['content-type'], 'text/plain');
  assert.equal(srv.received[1]!.body, 'id=0 says event 0');
  await form.sink.close?.();
  await message.sink.close?.();
});

test('per-event results: 2xx and ignorable codes delivered, 429/5xx handed back for retry, other 4xx failed with status and body excerpt', async () => {
  const { srv, base } = await server();
  const statusOf: Record<number, number> = { 0: 200, 1: 429, 2: 500, 3: 400, 4: 404, 5: 503, 6: 201 };
  srv.script = (r, res) => {
    const id = (JSON.parse(r.body) as { id: number }).id;
    res.statusCode = statusOf[id]!;
    res.end(id === 3 ? 'field "x" is not allowed' : 'whatever');
  };
  const out = await makeOutput(httpOutput, { url: `${base}/`, http_method: 'post', ignorable_codes: [404] });
  const result = (await out.sink.write(out.encode(events(7)))) as WriteResult;
  assert.deepEqual(result.failed?.map((f) => f.index), [3]);
  assert.match(result.failed![0]!.reason, /POST http:\/\/127\.0\.0\.1:\d+\/ answered 400: field "x" is not allowed/);
  assert.deepEqual(result.retry?.indexes, [1, 2, 5]);
  // The retry payload numbers its events afresh and resends only those.
  srv.received.length = 0;
  srv.script = (_r, res) => res.end('ok');
  assert.equal(await out.sink.write(result.retry!.data), undefined);
  assert.deepEqual(srv.received.map((r) => (JSON.parse(r.body) as { id: number }).id).sort(), [1, 2, 5]);
  await out.sink.close?.();
});

test('an event whose url renders to no URL, or whose header cannot be sent, fails for good; the others are delivered', async () => {
  const { srv, base } = await server();
  const out = await makeOutput(httpOutput, { url: '%{target}', http_method: 'post', headers: { 'X-Note': '%{note}' } });
  const payload = out.encode([
    new Event({ target: `${base}/fine`, note: 'ok' }),
    new Event({ target: 'not a url', note: 'ok' }),
    new Event({ target: 'ftp://example.com/', note: 'ok' }),
    new Event({ target: `${base}/fine`, note: 'line\nbreak' }),
  ]) as unknown[];
  assert.equal(payload.length, 2, 'the two events without a usable URL were left out by the encoder (rejected)');
  const result = (await out.sink.write(payload)) as WriteResult;
  assert.deepEqual(result.failed?.map((f) => f.index), [1]);
  assert.equal(result.retry, undefined);
  assert.deepEqual(srv.received.map((r) => r.url), ['/fine']);
  await out.sink.close?.();
});

test('json_batch failures are per request (per URL): a 400 fails that URL\'s events only', async () => {
  const { srv, base } = await server();
  srv.script = (r, res) => {
    res.statusCode = r.url === '/bad' ? 400 : 200;
    res.end(r.url === '/bad' ? 'rejected batch' : 'ok');
  };
  const out = await makeOutput(httpOutput, { url: `${base}/%{dest}`, http_method: 'post', format: 'json_batch' });
  const result = (await out.sink.write(out.encode(events(4, (i) => ({ dest: i < 2 ? 'good' : 'bad' }))))) as WriteResult;
  assert.deepEqual(result.failed?.map((f) => f.index), [2, 3]);
  assert.match(result.failed![0]!.reason, /answered 400: rejected batch/);
  assert.equal(result.retry, undefined);
  await out.sink.close?.();
});

test('connection refused and timeouts are retryable; with retry_failed false they fail with the reason', async () => {
  const { srv, base } = await server();
  srv.script = () => undefined; // never answers
  const slow = await makeOutput(httpOutput, { url: `${base}/`, http_method: 'post', request_timeout: 0.3 });
  const timedOut = (await slow.sink.write(slow.encode(events(1)))) as WriteResult;
  assert.deepEqual(timedOut.retry?.indexes, [0]);
  const strict = await makeOutput(httpOutput, { url: `${base}/`, http_method: 'post', socket_timeout: 0.3, retry_failed: false });
  const failed = (await strict.sink.write(strict.encode(events(1)))) as WriteResult;
  assert.match(failed.failed?.[0]?.reason ?? '', /POST .* failed: .*timeout/i);
  const refused = await makeOutput(httpOutput, { url: 'http://127.0.0.1:1/', http_method: 'put', automatic_retries: 2 });
  const down = (await refused.sink.write(refused.encode(events(2)))) as WriteResult;
  assert.deepEqual(down.retry?.indexes, [0, 1]);
  for (const o of [slow, strict, refused]) await o.sink.close?.();
});

test('automatic_retries repeat an idempotent request whose connection broke, at once; post only with retry_non_idempotent', async () => {
  const { srv, base } = await server();
  let drops = 0;
  srv.script = (_r, res) => {
    if (drops++ % 2 === 0) res.socket!.destroy(); // every other request: connection cut, no answer
    else res.end('ok');
  };
  const put = await makeOutput(httpOutput, { url: `${base}/`, http_method: 'put', automatic_retries: 1 });
  assert.equal(await put.sink.write(put.encode(events(1))), undefined, 'the cut request was sent again within the write');
  drops = 0;
  const post = await makeOutput(httpOutput, { url: `${base}/`, http_method: 'post', automatic_retries: 1 });
  assert.deepEqual(((await post.sink.write(post.encode(events(1)))) as WriteResult).retry?.indexes, [0], 'a post is not repeated at once');
  drops = 0;
  const postRetried = await makeOutput(httpOutput, { url: `${base}/`, http_method: 'post', automatic_retries: 1, retry_non_idempotent: true });
  assert.equal(await postRetried.sink.write(postRetried.encode(events(1))), undefined);
  for (const o of [put, post, postRetried]) await o.sink.close?.();
});

test('redirects are followed by default; with follow_redirects false a 3xx fails', async () => {
  const { srv, base } = await server();
  srv.script = (r, res) => {
    if (r.url === '/old') {
      res.writeHead(307, { Location: '/new' });
      res.end();
    } else res.end('ok');
  };
  const follow = await makeOutput(httpOutput, { url: `${base}/old`, http_method: 'post' });
  assert.equal(await follow.sink.write(follow.encode(events(1))), undefined);
  assert.deepEqual(srv.received.map((r) => r.url), ['/old', '/new']);
  const stay = await makeOutput(httpOutput, { url: `${base}/old`, http_method: 'post', follow_redirects: false });
  assert.match(((await stay.sink.write(stay.encode(events(1)))) as WriteResult).failed?.[0]?.reason ?? '', /answered 307/);
  await follow.sink.close?.();
  await stay.sink.close?.();
});

test('TLS: server verified against ssl_certificate_authorities, client certificate presented', async () => {
  const { srv, base } = await server({
    cert: readFileSync(file('server.crt')), key: readFileSync(file('server.key')), ca: readFileSync(file('ca.crt')), requestCert: true, rejectUnauthorized: true,
  });
  const out = await makeOutput(httpOutput, { url: `${base}/`, http_method: 'post', ssl_certificate_authorities: [file('ca.crt')], ssl_certificate: file('client.crt'), ssl_key: file('client.key') });
  assert.equal(await out.sink.write(out.encode(events(1))), undefined);
  assert.equal(srv.received.length, 1);
  const noClientCert = await makeOutput(httpOutput, { url: `${base}/`, http_method: 'post', ssl_certificate_authorities: [file('ca.crt')], retry_failed: false });
  assert.ok(((await noClientCert.sink.write(noClientCert.encode(events(1)))) as WriteResult).failed?.length === 1, 'refused without a client certificate');
  const unknownCa = await makeOutput(httpOutput, { url: `${base}/`, http_method: 'post', ssl_certificate_authorities: [file('other.crt')], ssl_certificate: file('client.crt'), ssl_key: file('client.key'), retry_failed: false });
  assert.match(((await unknownCa.sink.write(unknownCa.encode(events(1)))) as WriteResult).failed?.[0]?.reason ?? '', /certificate/i);
  for (const o of [out, noClientCert, unknownCa]) await o.sink.close?.();
});

test('in a pipeline: 429 and 500 retried with backoff until delivered (every event once), 400s to the failure path with the reason', async () => {
  const { srv, base } = await server();
  const answers = new Map<number, number>();
  srv.script = (r, res) => {
    const seq = (JSON.parse(r.body) as { sequence: number }).sequence;
    const n = (answers.get(seq) ?? 0) + 1;
    answers.set(seq, n);
    if (seq % 10 === 7) res.statusCode = 400;
    else if (seq % 3 === 0 && n === 1) res.statusCode = 429;
    else if (seq % 3 === 1 && n === 1) res.statusCode = 500;
    res.end(res.statusCode === 400 ? `bad event ${seq}` : 'ok');
  };
  const failedPath = file('failed.json');
  const running = await startPipeline(`input { generator { count => 30 } } output { http { url => "${base}/" http_method => "post" } }`, { failedEventsPath: failedPath });
  await running.done;
  for (let seq = 0; seq < 30; seq++) {
    const expected = seq % 10 === 7 ? 1 : seq % 3 === 2 ? 1 : 2;
    assert.equal(answers.get(seq), expected, `event ${seq} sent ${answers.get(seq)} times`);
  }
  assert.equal(srv.received.length, 30 + 20 - 2, 'the first sends, and one more for each 429/500');
  await waitFor('the failure file', () => existsSync(failedPath));
  const failures = readFileSync(failedPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { reason: string });
  assert.equal(failures.length, 3);
  for (const f of failures) assert.match(f.reason, /answered 400: bad event \d*7/);
});
