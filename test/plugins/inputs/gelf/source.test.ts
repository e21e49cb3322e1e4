/**
 * The gelf input on real sockets inside a running pipeline: chunked UDP messages (gzip, zlib,
 * plain) with chunks out of order and interleaved, one chunk missing (dropped after the timeout),
 * single datagrams, and NUL-delimited TCP from several connections.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { freePort, startPipeline } from '../../../helpers/redis.js';
import { sleep, waitFor } from '../../../helpers/wait.js';
import { gelfChunks } from '../../../helpers/gelf.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-gelf-'));
let files = 0;
type Doc = Record<string, unknown>;
const docs = (path: string): Doc[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Doc) : []);

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0)) await stop();
});

async function gelfPipeline(options: string): Promise<{ port: number; out: string }> {
  const port = await freePort();
  const out = join(dir, `out-${files++}.json`);
  const p = await startPipeline(`input { gelf { host => "127.0.0.1" port => ${port} ${options} } } output { file { path => "${out}" } }`, { batchSize: 50 });
  running.push(async () => {
    p.pipeline.stop();
    await p.done;
  });
  await sleep(100); // the UDP socket binds right after the TCP listener
  return { port, out };
}

const gelf = (id: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ version: '1.1', host: 'app-7', short_message: `short ${id}`, full_message: `full ${id}\n${'stack line\n'.repeat(200)}`, level: 3, _request_id: `r-${id}`, ...extra });

test('gelf UDP: chunked gzip, zlib and plain messages reassembled with chunks shuffled and interleaved; single datagrams too', async () => {
  const { port, out } = await gelfPipeline('chunk_timeout => "2s"');
  const sock = createSocket('udp4');
  const send = (b: Buffer): Promise<void> => new Promise((resolve, reject) => sock.send(b, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  const encodings = [(s: string) => gzipSync(s), (s: string) => deflateSync(s), (s: string) => Buffer.from(s)];
  const all: Buffer[] = [];
  for (let id = 0; id < 30; id++) {
    const body = encodings[id % 3]!(gelf(id, { timestamp: 1_700_000_000 + id + 0.25 }));
    const chunks = gelfChunks(body, 256);
    assert.ok(id % 3 === 2 ? chunks.length > 5 : chunks.length >= 1);
    all.push(...chunks.reverse());
  }
  // interleave: shuffle chunks of all messages deterministically
  const shuffled = all.map((c, i) => ({ c, k: (i * 7919) % all.length })).sort((a, b) => a.k - b.k).map((x) => x.c);
  for (const c of shuffled) await send(c);
  await send(gzipSync(gelf(100)));
  await send(Buffer.from(gelf(101)));
  await waitFor('every message', () => docs(out).length >= 32, 20_000);
  sock.close();
  const got = docs(out);
  assert.equal(got.length, 32);
  const ids = got.map((d) => Number(String(d['request_id']).slice(2))).sort((a, b) => a - b);
  assert.deepEqual(ids, [...Array.from({ length: 30 }, (_, i) => i), 100, 101]);
  for (const d of got) {
    const id = Number(String(d['request_id']).slice(2));
    assert.equal(d['message'], `full ${id}\n${'stack line\n'.repeat(200)}`);
    assert.equal(d['short_message'], `short ${id}`);
    assert.equal(d['source_host'], '127.0.0.1');
    assert.equal(d['host'], 'app-7');
    if (id < 30) assert.equal(d['@timestamp'], new Date((1_700_000_000 + id) * 1000 + 250).toISOString());
    assert.equal(d['tags'], undefined);
  }
});

test('gelf UDP: a message missing a chunk is dropped after chunk_timeout; its late chunk does not revive it; others pass', async () => {
  const { port, out } = await gelfPipeline('chunk_timeout => "300ms"');
  const sock = createSocket('udp4');
  const send = (b: Buffer): Promise<void> => new Promise((resolve, reject) => sock.send(b, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  const incomplete = gelfChunks(gzipSync(gelf(1)), 30);
  assert.ok(incomplete.length >= 3);
  for (const c of incomplete.slice(1)) await send(c);
  await sleep(1200);
  await send(incomplete[0]!);
  const complete = gelfChunks(gzipSync(gelf(2)), 30);
  for (const c of complete) await send(c);
  await waitFor('the complete message', () => docs(out).length >= 1, 20_000);
  await sleep(300);
  sock.close();
  const got = docs(out);
  assert.deepEqual(got.map((d) => d['request_id']), ['r-2']);
});

test('gelf TCP: NUL-delimited messages from several connections, JSON with newlines inside, a bad one tagged', async () => {
  const { port, out } = await gelfPipeline('use_tcp => true use_udp => false');
  const per = 100;
  await Promise.all(Array.from({ length: 5 }, (_, c) => new Promise<void>((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      for (let i = 0; i < per; i++) s.write(`${gelf(c * per + i)}\0`);
      if (c === 0) s.write('{"short_message": broken\0');
      s.end();
    });
    s.on('error', reject);
    s.on('close', () => resolve());
  })));
  await waitFor('every message', () => docs(out).length >= 5 * per + 1, 20_000);
  const got = docs(out);
  assert.equal(got.length, 5 * per + 1);
  const bad = got.filter((d) => Array.isArray(d['tags']));
  assert.equal(bad.length, 1);
  assert.deepEqual(bad[0]!['tags'], ['_jsonparsefailure']);
  assert.equal(bad[0]!['message'], '{"short_message": broken');
  const ids = got.filter((d) => d['request_id']).map((d) => Number(String(d['request_id']).slice(2))).sort((a, b) => a - b);
  assert.deepEqual(ids, Array.from({ length: 5 * per }, (_, i) => i));
});
