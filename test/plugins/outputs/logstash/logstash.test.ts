/**
 * The logstash output against real Lumberjack servers in this process: documents as Filebeat
 * sends them, windows of bulk_max_size, load balancing, a failing host, partial delivery.
 */
import { test } from 'node:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { Event } from '../../../../src/core/event.js';
import { OutputError, type WriteResult } from '../../../../src/plugins/api.js';
import { logstashOutput } from '../../../../src/plugins/outputs/logstash/index.js';
import { parseHost } from '../../../../src/plugins/outputs/logstash/hosts.js';
import type { EventDocuments } from '../../../../src/protocols/lumberjack/client.js';
import type { ReceivedWindow } from '../../../../src/protocols/lumberjack/server.js';
import { makeOutput } from '../../../helpers/harness.js';
import { freePort } from '../../../helpers/redis.js';
import { makeCertificates } from '../../../helpers/certificates.js';
import { waitFor } from '../../../helpers/wait.js';
import { recordingServer } from '../../../protocols/lumberjack/helpers.js';

const events = (from: number, n: number): Record<string, unknown>[] => Array.from({ length: n }, (_, i) => ({ id: from + i, message: `m${from + i}` }));
const ids = (docs: string[]): number[] => docs.map((d) => (JSON.parse(d) as { id: number }).id);
const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

test('hosts: "host:port", "host" (5044), "[::1]:5045"', () => {
  assert.deepEqual(parseHost('logstash.local:5055'), { host: 'logstash.local', port: 5055 });
  assert.deepEqual(parseHost('logstash.local'), { host: 'logstash.local', port: 5044 });
  assert.deepEqual(parseHost('[::1]:5045'), { host: '::1', port: 5045 });
  assert.throws(() => parseHost('h:99999'), /invalid port/);
});

test('document boundaries are byte offsets: ASCII and multi-byte UTF-8 documents side by side', async () => {
  const out = await makeOutput(logstashOutput, { hosts: ['127.0.0.1:1'] });
  const messages = ['plain ascii', '中文日志 ü é', 'ascii again', '😀 emoji'];
  for (const batch of [messages.slice(0, 1).concat(messages[2]!), messages]) {
    const docs = out.encode(batch.map((message) => new Event({ message }))) as EventDocuments;
    let start = 0;
    const seen: string[] = [];
    for (const end of docs.ends) {
      seen.push((JSON.parse(Buffer.from(docs.bytes.subarray(start, end)).toString('utf8')) as { message: string }).message);
      start = end;
    }
    assert.equal(start, docs.bytes.length);
    assert.deepEqual(seen, batch);
  }
  await out.sink.close?.();
});

test('the documents are what Filebeat sends: @timestamp, @metadata {beat, type, version}, the fields; index sets the beat', async () => {
  const rec = await recordingServer();
  const out = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${rec.port}`], index: 'gamelogs' });
  const event = new Event({ '@timestamp': '2017-08-01T10:20:30.123Z', message: 'hello <b>', fields: { a: 1 } });
  await out.sink.write(out.encode([event]));
  const doc = JSON.parse(rec.documents()[0]!) as Record<string, unknown>;
  assert.deepEqual(doc, { '@timestamp': '2017-08-01T10:20:30.123Z', '@metadata': { beat: 'gamelogs', type: '_doc', version: (doc['@metadata'] as { version: string }).version }, message: 'hello <b>', fields: { a: 1 } });
  assert.match((doc['@metadata'] as { version: string }).version, /^\d+\.\d+\.\d+/);
  await out.sink.close?.();
  // Without index the event's own [@metadata][beat] is kept; escape_html escapes <, > and &.
  const plain = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${rec.port}`], escape_html: true });
  await plain.sink.write(plain.encode([new Event({ message: 'a<b>&c' }, { beat: 'filebeat', pipeline: 'p1' })]));
  const raw = rec.documents()[1]!;
  assert.ok(raw.includes('a\\u003cb\\u003e\\u0026c'), raw);
  const second = JSON.parse(raw) as { '@metadata': Record<string, unknown>; message: string };
  assert.equal(second.message, 'a<b>&c');
  assert.equal(second['@metadata']['beat'], 'filebeat');
  assert.equal(second['@metadata']['pipeline'], 'p1');
  await plain.sink.close?.();
  await rec.server.close(true);
});

test('a write larger than bulk_max_size goes as several windows and resolves once all are ACKed', async () => {
  const rec = await recordingServer();
  for (const compression_level of [0, 3]) {
    const out = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${rec.port}`], bulk_max_size: 100, compression_level });
    assert.equal(await out.sink.write(out.encode(events(0, 250))), undefined);
    await out.sink.close?.();
  }
  assert.deepEqual(rec.windows.map((w) => w.documents.length), [100, 100, 50, 100, 100, 50]);
  assert.deepEqual(ids(rec.documents()).sort((a, b) => a - b), [...range(250), ...range(250)].sort((a, b) => a - b));
  await rec.server.close(true);
});

test('a write beyond the pipeline is taken (its window compresses meanwhile) but not sent before an ACK makes room; windows arrive whole and in order', async () => {
  const held: ReceivedWindow[] = [];
  const rec = await recordingServer({}, (w) => void held.push(w));
  for (const compression_level of [0, 3]) {
    held.length = 0;
    rec.windows.length = 0;
    const out = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${rec.port}`], pipelining: 1, compression_level });
    assert.equal(out.sink.concurrency, 2, 'one connection: its pipeline of 1 and one window compressed ahead');
    let done = 0;
    const writes = [0, 1].map((k) => out.sink.write(out.encode(events(k * 7, 7))).then(() => void done++));
    await waitFor('the first window', () => held.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(rec.windows.length, 1, 'the second window waits for room in the pipeline');
    held[0]!.acknowledge(0, 7);
    await waitFor('the second window', () => held.length === 2);
    assert.equal(done, 1);
    held[1]!.acknowledge(0, 7);
    await Promise.all(writes);
    assert.deepEqual(rec.windows.map((w) => w.documents.length), [7, 7]);
    assert.deepEqual(ids(rec.documents()), range(14), `level ${compression_level}`);
    await out.sink.close?.();
  }
  await rec.server.close(true);
});

test('loadbalance spreads windows across every live host; without it one host takes them all', async () => {
  const servers = [await recordingServer(), await recordingServer(), await recordingServer()];
  const hosts = servers.map((s) => `127.0.0.1:${s.port}`);
  const balanced = await makeOutput(logstashOutput, { hosts, loadbalance: true, bulk_max_size: 10 });
  await Promise.all(range(6).map((i) => balanced.sink.write(balanced.encode(events(i * 60, 60)))));
  const perServer = servers.map((s) => s.documents().length);
  assert.ok(perServer.every((n) => n > 0), `every host received windows: ${perServer}`);
  assert.equal(perServer.reduce((a, b) => a + b), 360);
  await balanced.sink.close?.();
  const failover = await makeOutput(logstashOutput, { hosts, loadbalance: false, bulk_max_size: 10 });
  await failover.sink.write(failover.encode(events(1000, 60)));
  const grown = servers.map((s, i) => s.documents().length - perServer[i]!);
  assert.equal(grown.filter((n) => n > 0).length, 1, `one host only: ${grown}`);
  await failover.sink.close?.();
  for (const s of servers) await s.server.close(true);
});

test('a host that is down is skipped while the others carry the load', async () => {
  const live = await recordingServer();
  const dead = await freePort();
  const out = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${dead}`, `127.0.0.1:${live.port}`], loadbalance: true, bulk_max_size: 10, backoff: { init: '5s', max: '10s' } });
  for (let i = 0; i < 5; i++) assert.equal(await out.sink.write(out.encode(events(i * 30, 30))), undefined);
  assert.deepEqual(ids(live.documents()).sort((a, b) => a - b), range(150));
  await out.sink.close?.();
  await live.server.close(true);
});

test('no host reachable: the write rejects retryable; the retry policy follows backoff and max_retries (-1 = until delivered)', async () => {
  const dead = await freePort();
  const out = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${dead}`], backoff: { init: '2s', max: '1m' } });
  await assert.rejects(out.sink.write(out.encode(events(0, 3))), (err: unknown) => err instanceof OutputError && err.failure === 'retryable');
  assert.deepEqual(out.sink.retry, { initialMs: 2000, maxMs: 60_000, maxAttempts: 0 });
  await out.sink.close?.();
  const limited = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${dead}`], max_retries: 3 });
  assert.equal(limited.sink.retry?.maxAttempts, 4);
  await limited.sink.close?.();
});

test('an uncompressed window\'s buffer is reused only once the window is acknowledged, not while it waits for a place', async () => {
  const held: ReceivedWindow[] = [];
  const rec = await recordingServer({}, (w) => void held.push(w));
  const out = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${rec.port}`], pipelining: 1, compression_level: 0 });
  // Writes of the same size: the first in flight, the second encoded and waiting its turn when
  // the third is encoded (and would take the second's buffer were it given back too early).
  const writes = range(2).map((k) => out.sink.write(out.encode(events(k * 7, 7))));
  await waitFor('the first window', () => held.length === 1);
  writes.push(out.sink.write(out.encode(events(14, 7))));
  for (let k = 0; k < 3; k++) {
    await waitFor(`window ${k}`, () => held.length === k + 1);
    held[k]!.acknowledge(0, 7);
  }
  assert.deepEqual(await Promise.all(writes), [undefined, undefined, undefined]);
  assert.deepEqual(ids(rec.documents()), range(21), 'each window carried its own events');
  // Later windows take the acknowledged buffers again and still carry their own events.
  rec.windows.length = 0;
  held.length = 0;
  const again = range(3).map((k) => out.sink.write(out.encode(events(100 + k * 7, 7))));
  for (let k = 0; k < 3; k++) {
    await waitFor(`window ${k}`, () => held.length === k + 1);
    held[k]!.acknowledge(0, 7);
  }
  await Promise.all(again);
  assert.deepEqual(ids(rec.documents()), range(21, 100));
  await out.sink.close?.();
  await rec.server.close(true);
});

test('a host failing mid-window: the ACKed part is not sent again, the rest goes to the other host', async () => {
  let cut: ReceivedWindow | undefined;
  const flaky = await recordingServer({}, (w) => {
    cut = w;
    w.acknowledge(0, 4); // 4 of the window, then the server dies
    setTimeout(() => void flaky.server.close(true), 30);
  });
  const steady = await recordingServer();
  const out = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${flaky.port}`, `127.0.0.1:${steady.port}`], loadbalance: true, bulk_max_size: 10 });
  try {
    // Equally idle clients take turns, starting with the first host: the flaky one.
    assert.equal(await out.sink.write(out.encode(events(0, 10))), undefined);
    assert.ok(cut !== undefined, 'the flaky host had the window');
    assert.deepEqual(ids(flaky.documents()), range(10));
    assert.deepEqual(ids(steady.documents()), range(6, 4), 'only the unacknowledged 6 went to the other host');
  } finally {
    await flaky.server.close(true);
  }
  await out.sink.close?.();
  await steady.server.close(true);
});

test('when every host fails after part of a write was ACKed, the write hands back only the rest', async () => {
  let windows = 0;
  const rec = await recordingServer({}, (w) => {
    if (++windows === 1) w.acknowledge(0, w.documents.length);
    else setTimeout(() => void rec.server.close(true), 10); // never ACKs the second window
  });
  const out = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${rec.port}`], bulk_max_size: 5, pipelining: 0, timeout: 2 });
  const result = (await out.sink.write(out.encode(events(0, 10)))) as WriteResult;
  assert.deepEqual(result.retry?.indexes, [5, 6, 7, 8, 9]);
  const rest = result.retry!.data as EventDocuments;
  assert.equal(rest.ends.length, 5);
  assert.deepEqual(ids(Buffer.from(rest.bytes).toString().replace(/}{/g, '}\n{').split('\n')), [5, 6, 7, 8, 9]);
  await out.sink.close?.();
  await waitFor('closed', () => rec.server.connectionCount === 0);
});

test('ssl.enabled false is plain TCP', async () => {
  const rec = await recordingServer();
  const out = await makeOutput(logstashOutput, { hosts: [`127.0.0.1:${rec.port}`], ssl: { enabled: false } });
  assert.equal(await out.sink.write(out.encode(events(0, 1))), undefined);
  await out.sink.close?.();
  await rec.server.close(true);
});

test('ssl: the CA and a client certificate to a server requiring one; a wrong CA fails unless verification_mode is none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-logstash-tls-'));
  const file = (name: string): string => join(dir, name);
  makeCertificates(file);
  const rec = await recordingServer({
    tls: { clientAuthentication: 'required', options: { cert: readFileSync(file('server.crt')), key: readFileSync(file('server.key')), ca: [readFileSync(file('ca.crt'))] } },
  });
  const hosts = [`localhost:${rec.port}`];
  const client = { certificate: file('client.crt'), key: file('client.key') };
  const good = await makeOutput(logstashOutput, { hosts, ssl: { certificate_authorities: [file('ca.crt')], ...client } });
  assert.equal(await good.sink.write(good.encode(events(0, 2))), undefined);
  assert.match(rec.windows[0]!.peer.certificate?.subject ?? '', /CN=beat-1/);
  await good.sink.close?.();
  const wrongCa = await makeOutput(logstashOutput, { hosts, ssl: { certificate_authorities: [file('other.crt')], ...client } });
  await assert.rejects(wrongCa.sink.write(wrongCa.encode(events(2, 1))), (err: unknown) => err instanceof OutputError && /certificate/i.test(err.message));
  await wrongCa.sink.close?.();
  const unverified = await makeOutput(logstashOutput, { hosts, ssl: { verification_mode: 'none', ...client } });
  assert.equal(await unverified.sink.write(unverified.encode(events(3, 1))), undefined);
  await unverified.sink.close?.();
  assert.deepEqual(ids(rec.documents()), [0, 1, 3]);
  await rec.server.close(true);
});
