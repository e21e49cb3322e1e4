/**
 * The http input inside a running pipeline, over real sockets: curl and concurrent Node clients,
 * codecs by content type, Logstash's header fields in both ECS modes, basic authentication, 413,
 * answers held until the outputs acknowledged, 429 under backpressure, TLS with client certificates.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PluginRegistry } from '../../../../src/plugins/registry.js';
import { makeCertificates } from '../../../helpers/certificates.js';
import { freePort, startPipeline } from '../../../helpers/redis.js';
import { closedOutput, gatedOutput, registryWithOutputs, type Gate } from '../../../helpers/test-outputs.js';
import { listening, waitFor } from '../../../helpers/wait.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'logpipe-http-in-'));
const file = (name: string): string => join(dir, name);
before(() => makeCertificates(file));

const linesOf = (path: string): Record<string, unknown>[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];

/** curl's status code and body; `args` go before the URL. */
async function curl(url: string, ...args: string[]): Promise<{ status: number; body: string; headers: string }> {
  const { stdout } = await run('curl', ['-s', '-S', '-D', '-', '-o', '-', ...args, url], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const [head = '', ...rest] = stdout.split('\r\n\r\n');
  const status = Number(/^HTTP\/\S+ (\d+)/.exec(head)?.[1]);
  return { status, body: rest.join('\r\n\r\n'), headers: head };
}

/** A post with node:http; resolves with the status and body. */
function post(port: number, body: string | Buffer, headers: Record<string, string> = {}, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'Content-Type': 'application/json', ...headers }, ...(agent ? { agent } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const gate: Gate = { open: true, writes: 0 };
const registry = (): PluginRegistry => registryWithOutputs(gatedOutput(gate), closedOutput);

test('curl posts: plain text, a JSON object, a JSON array (one event per element), ndjson through additional_codecs; legacy header fields', async () => {
  const port = await freePort();
  const out = file('curl.json');
  const running = await startPipeline(`input { http { host => "127.0.0.1" port => ${port} additional_codecs => { "application/json" => "json" "application/x-ndjson" => "json_lines" } } } output { file { path => "${out}" } }`);
  await listening(port);
  const url = `http://127.0.0.1:${port}/ingest/path?x=1`;
  const plain = await curl(url, '-H', 'Content-Type: text/plain', '--data-binary', 'hello world', '-H', 'X-Trace-Id: abc');
  assert.equal(plain.status, 200);
  assert.equal(plain.body, 'ok');
  assert.equal((await curl(url, '-H', 'Content-Type: application/json', '--data-binary', '{"id":1,"message":"one"}')).status, 200);
  assert.equal((await curl(url, '-H', 'Content-Type: application/json; charset=utf-8', '--data-binary', '[{"id":2},{"id":3},{"id":4}]')).status, 200);
  assert.equal((await curl(url, '-H', 'Content-Type: application/x-ndjson', '--data-binary', '{"id":5}\n{"id":6}\n')).status, 200);
  assert.equal((await curl(url, '-H', 'Content-Type: application/json', '--data-binary', '{"id": broken')).status, 200, 'a body the codec cannot read is still an event');
  running.pipeline.stop();
  await running.done;
  const events = linesOf(out);
  assert.equal(events.length, 8);
  const text = events.find((e) => e['message'] === 'hello world')!;
  assert.equal(text['host'], '127.0.0.1');
  const headers = text['headers'] as Record<string, string>;
  assert.equal(headers['request_method'], 'POST');
  assert.equal(headers['request_path'], '/ingest/path?x=1');
  assert.equal(headers['http_version'], 'HTTP/1.1');
  assert.equal(headers['content_type'], 'text/plain');
  assert.equal(headers['content_length'], '11');
  assert.equal(headers['http_x_trace_id'], 'abc');
  assert.match(headers['http_user_agent']!, /^curl\//);
  assert.equal(headers['http_host'], `127.0.0.1:${port}`);
  assert.deepEqual(events.map((e) => e['id']).filter((id) => id !== undefined).sort(), [1, 2, 3, 4, 5, 6]);
  const broken = events.find((e) => (e['tags'] as string[] | undefined)?.includes('_jsonparsefailure'));
  assert.equal(broken?.['message'], '{"id": broken');
});

test('a large JSON array is cut into several payloads; the request is answered once all of them were written', async () => {
  const port = await freePort();
  const out = file('large.json');
  // batch size 50: at most 200 elements per payload
  const running = await startPipeline(`input { http { host => "127.0.0.1" port => ${port} } } output { file { path => "${out}" } }`, { batchSize: 50, workers: 2 });
  await listening(port);
  const body = JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ id: i, text: 'x],{'.repeat(i % 5) })));
  assert.equal((await post(port, body)).status, 200);
  const ids = linesOf(out).map((e) => e['id'] as number).sort((a, b) => a - b);
  assert.deepEqual(ids, Array.from({ length: 1001 }, (_, i) => i), 'every element once, written before the answer');
  const input = Object.values(running.pipeline.pluginFigures()).find((f) => f.kind === 'input')!;
  assert.equal(input.eventsIn, 6, 'payloads of at most 200 elements: 5 full and 1');
  running.pipeline.stop();
  await running.done;
});

test('ECS mode: http/url/user_agent fields, headers under [@metadata][input][http][request][headers], client at [host][ip]', async () => {
  const port = await freePort();
  const out = file('ecs.json');
  const running = await startPipeline(
    `input { http { host => "127.0.0.1" port => ${port} ecs_compatibility => "v8" } }
     filter { mutate { add_field => { "seen_header" => "%{[@metadata][input][http][request][headers][http_x_custom]}" } } }
     output { file { path => "${out}" } }`,
  );
  await listening(port);
  assert.equal((await curl(`http://127.0.0.1:${port}/hook`, '-X', 'PUT', '-H', 'X-Custom: yes', '-H', 'Content-Type: text/plain', '--data-binary', 'hello')).status, 200);
  running.pipeline.stop();
  await running.done;
  const [event] = linesOf(out);
  assert.ok(event);
  assert.deepEqual(event['host'], { ip: '127.0.0.1' });
  assert.deepEqual(event['http'], { version: 'HTTP/1.1', method: 'PUT', request: { body: { bytes: '5' }, mime_type: 'text/plain' } });
  assert.deepEqual(event['url'], { domain: '127.0.0.1', port: String(port), path: '/hook' });
  assert.match((event['user_agent'] as { original: string }).original, /^curl\//);
  assert.equal(event['headers'], undefined, 'no top-level headers in ECS mode');
  assert.equal(event['seen_header'], 'yes');
});

test('basic authentication: 401 with WWW-Authenticate without or with wrong credentials; accepted with the right ones', async () => {
  const port = await freePort();
  const out = file('auth.json');
  const running = await startPipeline(`input { http { host => "127.0.0.1" port => ${port} user => "alice" password => "s3cret" } } output { file { path => "${out}" } }`);
  await listening(port);
  const url = `http://127.0.0.1:${port}/`;
  const none = await curl(url, '--data-binary', 'nobody');
  assert.equal(none.status, 401);
  assert.match(none.headers, /WWW-Authenticate: Basic realm=/i);
  assert.equal((await curl(url, '-u', 'alice:wrong', '--data-binary', 'wrong')).status, 401);
  assert.equal((await curl(url, '-u', 'bob:s3cret', '--data-binary', 'wrong user')).status, 401);
  assert.equal((await curl(url, '-u', 'alice:s3cret', '--data-binary', 'welcome')).status, 200);
  running.pipeline.stop();
  await running.done;
  assert.deepEqual(linesOf(out).map((e) => e['message']), ['welcome']);
});

test('bodies over max_content_length get 413 (declared or chunked), smaller ones go through; response_code and response_headers', async () => {
  const port = await freePort();
  const out = file('size.json');
  const running = await startPipeline(`input { http { host => "127.0.0.1" port => ${port} max_content_length => 1024 response_code => 202 response_headers => { "X-Logpipe" => "yes" } } } output { file { path => "${out}" } }`);
  await listening(port);
  const url = `http://127.0.0.1:${port}/`;
  const big = 'x'.repeat(5000);
  assert.equal((await curl(url, '-H', 'Content-Type: text/plain', '--data-binary', big)).status, 413);
  assert.equal((await curl(url, '-H', 'Content-Type: text/plain', '-H', 'Transfer-Encoding: chunked', '--data-binary', big)).status, 413);
  const fits = await curl(url, '-H', 'Content-Type: text/plain', '--data-binary', 'y'.repeat(1024));
  assert.equal(fits.status, 202);
  assert.match(fits.headers, /X-Logpipe: yes/i);
  running.pipeline.stop();
  await running.done;
  assert.deepEqual(linesOf(out).map((e) => (e['message'] as string).length), [1024]);
});

test('a request is answered only after the output wrote its events; beyond max_pending_requests 429 at once', async () => {
  const port = await freePort();
  gate.open = false;
  gate.writes = 0;
  const running = await startPipeline(`input { http { host => "127.0.0.1" port => ${port} max_pending_requests => 3 } } output { gated { } }`, {}, registry());
  await listening(port);
  const writesBefore = gate.writes;
  const answered: number[] = [];
  const held = [1, 2, 3].map((i) => post(port, JSON.stringify({ id: i })).then((r) => {
    answered.push(r.status);
    return r;
  }));
  await waitFor('the output to be writing', () => gate.writes > writesBefore);
  // The three held requests fill max_pending_requests: the next is refused at once.
  await waitFor('three pending requests', async () => (await post(port, '{"id":99}')).status === 429);
  assert.deepEqual(answered, [], 'no answer before the output acknowledged');
  gate.open = true;
  const results = await Promise.all(held);
  assert.deepEqual(results.map((r) => r.status), [200, 200, 200]);
  assert.equal((await post(port, '{"id":4}')).status, 200, 'accepted again once the backlog cleared');
  running.pipeline.stop();
  await running.done;
});

test('many concurrent clients: every event written exactly once, every request answered 200', async () => {
  const port = await freePort();
  const out = file('load.json');
  const running = await startPipeline(`input { http { host => "127.0.0.1" port => ${port} max_pending_requests => 1000 } } output { file { path => "${out}" } }`, { workers: 2, batchSize: 125 });
  await listening(port);
  const clients = 40;
  const requestsPerClient = 25;
  const eventsPerRequest = 10;
  const statuses: number[] = [];
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let r = 0; r < requestsPerClient; r++) {
      const base = (c * requestsPerClient + r) * eventsPerRequest;
      const body = JSON.stringify(Array.from({ length: eventsPerRequest }, (_, i) => ({ id: base + i, client: c })));
      statuses.push((await post(port, body, {}, agent)).status);
    }
    agent.destroy();
  }));
  assert.equal(statuses.length, clients * requestsPerClient);
  assert.ok(statuses.every((s) => s === 200), `statuses: ${[...new Set(statuses)].join(',')}`);
  // Every answer came after the write: the file already holds every event.
  const ids = linesOf(out).map((e) => e['id'] as number).sort((a, b) => a - b);
  const total = clients * requestsPerClient * eventsPerRequest;
  assert.equal(ids.length, total, 'no event lost or doubled');
  assert.deepEqual(ids, Array.from({ length: total }, (_, i) => i));
  running.pipeline.stop();
  await running.done;
});

test('garbage and invalid UTF-8 become events (U+FFFD, _jsonparsefailure); a client gone mid-body leaves no event and the server goes on', async () => {
  const port = await freePort();
  const out = file('garbage.json');
  const running = await startPipeline(`input { http { host => "127.0.0.1" port => ${port} } } output { file { path => "${out}" } }`);
  await listening(port);
  const invalid = Buffer.from([0x6f, 0x6b, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x21]);
  assert.equal((await post(port, invalid, { 'Content-Type': 'text/plain' })).status, 200);
  assert.equal((await post(port, invalid, { 'Content-Type': 'application/json' })).status, 200);
  // Half a body, then the client vanishes.
  await new Promise<void>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\npartial body`);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
  });
  // Not HTTP at all.
  await new Promise<void>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('\x00\x01garbage\r\n\r\n'));
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
    socket.resume();
  });
  assert.equal((await post(port, 'still alive', { 'Content-Type': 'text/plain' })).status, 200);
  running.pipeline.stop();
  await running.done;
  const events = linesOf(out);
  assert.deepEqual(events.map((e) => e['message']), ['ok \ufffd\ufffd\ufffd(!', 'ok \ufffd\ufffd\ufffd(!', 'still alive']);
  assert.deepEqual(events[1]!['tags'], ['_jsonparsefailure']);
});

test('a request the pipeline gives up (an output that can never deliver) is answered 503', async () => {
  const port = await freePort();
  const running = await startPipeline(`input { http { host => "127.0.0.1" port => ${port} } } output { closed { } }`, {}, registry());
  await listening(port);
  const answer = await post(port, '{"id":1}');
  assert.equal(answer.status, 503);
  assert.match(answer.body, /not delivered/);
  await running.done.catch(() => undefined);
});

/** An https post; resolves with the status, or rejects when the connection is refused. */
function tlsPost(port: number, body: string, cert?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({
      host: '127.0.0.1', port, method: 'POST', path: '/', servername: 'localhost', agent: false,
      ca: readFileSync(file('ca.crt')),
      ...(cert ? { cert: readFileSync(file(`${cert}.crt`)), key: readFileSync(file(`${cert}.key`)) } : {}),
      headers: { 'Content-Type': 'text/plain' },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('TLS with client certificates: required refuses no certificate and a stranger; optional accepts none but refuses a stranger', async () => {
  const out = file('tls.json');
  const common = `ssl_enabled => true ssl_certificate => "${file('server.crt')}" ssl_key => "${file('server.key')}" ssl_certificate_authorities => ["${file('ca.crt')}"]`;
  const requiredPort = await freePort();
  const optionalPort = await freePort();
  const legacyPort = await freePort();
  const running = await startPipeline(
    `input {
       http { host => "127.0.0.1" port => ${requiredPort} ${common} ssl_client_authentication => "required" add_field => { "mode" => "required" } }
       http { host => "127.0.0.1" port => ${optionalPort} ${common} ssl_client_authentication => "optional" add_field => { "mode" => "optional" } }
       http { host => "127.0.0.1" port => ${legacyPort} ssl => true ssl_certificate => "${file('server.crt')}" ssl_key => "${file('server.key')}" ssl_certificate_authorities => ["${file('ca.crt')}"] ssl_verify_mode => "force_peer" add_field => { "mode" => "legacy" } }
     }
     output { file { path => "${out}" } }`,
  );
  for (const port of [requiredPort, optionalPort, legacyPort]) await listening(port);
  assert.equal(await tlsPost(requiredPort, 'with client cert', 'client'), 200);
  await assert.rejects(tlsPost(requiredPort, 'no cert'), 'required: a client without a certificate is refused');
  await assert.rejects(tlsPost(requiredPort, 'stranger', 'stranger'), 'required: a certificate from another CA is refused');
  assert.equal(await tlsPost(optionalPort, 'optional without cert'), 200);
  assert.equal(await tlsPost(optionalPort, 'optional with cert', 'client'), 200);
  await assert.rejects(tlsPost(optionalPort, 'optional stranger', 'stranger'), 'optional: a certificate that does not verify is refused');
  await assert.rejects(tlsPost(legacyPort, 'legacy no cert'), 'ssl_verify_mode force_peer = required');
  assert.equal(await tlsPost(legacyPort, 'legacy with cert', 'client'), 200);
  running.pipeline.stop();
  await running.done;
  const messages = linesOf(out).map((e) => e['message']).sort();
  assert.deepEqual(messages, ['legacy with cert', 'optional with cert', 'optional without cert', 'with client cert']);
});

test('config errors: bad response_code, user without password, a Java keystore, TLS without a certificate', async () => {
  const cases: [string, RegExp][] = [
    ['response_code => 500', /response_code must be one of 200, 201, 202, 204/],
    ['user => "a"', /user and password go together/],
    ['ssl_enabled => true ssl_keystore_path => "/x/store.jks"', /Java keystores \(jks\) are not read/],
    ['ssl_enabled => true', /ssl_enabled needs ssl_certificate and ssl_key/],
    ['ssl_truststore_path => "/x/t.p12"', /ssl_certificate_authorities/],
  ];
  for (const [settings, message] of cases) {
    const port = await freePort();
    await assert.rejects(
      (async () => {
        const running = await startPipeline(`input { http { port => ${port} ${settings} } } output { null { } }`);
        running.pipeline.stop();
        await running.done;
      })(),
      message,
      settings,
    );
  }
});
