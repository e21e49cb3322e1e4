/**
 * msgpack across real transports, inside running pipelines: a tcp stream of values back to back
 * (chunked anyhow, over several connections, with a broken and an unfinished stream), one value
 * per udp datagram, an http body by content type, the tcp/udp/file outputs read back with an
 * independent msgpack reader, a round trip through the shared Redis, and the config-time refusal
 * on plugins that carry text.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, decodeMulti, encode } from '@msgpack/msgpack';
import { MSGPACK_FAILURE_TAG } from '../../../src/plugins/codecs/msgpack.js';
import { client, freePort, startPipeline } from '../../helpers/redis.js';
import { listening, sleep, waitFor } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-msgpack-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const linesOf = (path: string): Record<string, unknown>[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];

const write = (socket: Socket, bytes: Uint8Array): Promise<void> => new Promise((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve())));

/** Sends `bytes` in one go to a server that may close the connection early; resolves once it is closed. */
async function sendAndClose(port: number, bytes: Uint8Array): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.end(bytes);
  });
}

async function send(port: number, stream: Uint8Array, chunk: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (let at = 0; at < stream.length; at += chunk) {
    await write(socket, stream.subarray(at, at + chunk));
    if (at % (chunk * 50) === 0) await sleep(1);
  }
  await new Promise<void>((resolve) => socket.end(resolve));
}

test('tcp input: values back to back over several connections in odd chunk sizes, each an event once; a broken and an unfinished stream end tagged', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const out = join(dir, 'tcp-in.json');
  const { pipeline, done } = await startPipeline(`input { tcp { host => "127.0.0.1" port => ${port} codec => msgpack max_bytes => 4096 dns_reverse_lookup_enabled => false } }
    output { file { path => "${out}" codec => json_lines } }`, { workers: 2, threads: true });
  try {
    await listening(port);
    const perConnection = 1500;
    const streamOf = (c: number): Uint8Array => Buffer.concat(Array.from({ length: perConnection }, (_, i) => encode({ conn: c, seq: i, text: 'x'.repeat(i % 97), list: [i, 'a'] })));
    await Promise.all([send(port, streamOf(0), 1), send(port, streamOf(1), 13), send(port, streamOf(2), 65_536)]);
    // A stream that breaks (0xc1 is never msgpack) after two good values: they arrive, then one tagged event.
    const good = encode({ conn: 9, seq: 0 });
    await sendAndClose(port, Buffer.concat([good, encode({ conn: 9, seq: 1 }), Uint8Array.of(0x93, 0x01, 0xc1), good]));
    // A stream whose last value is cut short.
    await sendAndClose(port, Buffer.concat([encode({ conn: 8, seq: 0 }), encode({ conn: 8, seq: 1, rest: 'y'.repeat(50) }).subarray(0, 20)]));
    // A value longer than max_bytes (4096): refused from its header, the connection closed.
    await sendAndClose(port, Buffer.concat([encode({ conn: 7, seq: 0 }), encode({ big: 'z'.repeat(10_000) })]));
    const expected = 3 * perConnection + 2 + 1 + 1 + 1 + 1 + 1;
    await waitFor('the events', () => linesOf(out).length >= expected, 30_000);
    const events = linesOf(out);
    assert.equal(events.length, expected);
    for (let c = 0; c < 3; c++) {
      const seqs = events.filter((e) => e['conn'] === c).map((e) => e['seq'] as number).sort((a, b) => a - b);
      assert.deepEqual(seqs, Array.from({ length: perConnection }, (_, i) => i), `connection ${c}: every value once`);
    }
    const sample = events.find((e) => e['conn'] === 1 && e['seq'] === 96)!;
    assert.equal(sample['text'], 'x'.repeat(96));
    assert.deepEqual(sample['list'], [96, 'a']);
    assert.equal(sample['host'], '127.0.0.1');
    const failed = events.filter((e) => (e['tags'] as string[] | undefined)?.includes(MSGPACK_FAILURE_TAG));
    assert.equal(failed.length, 3, 'the broken, the unfinished and the oversize stream');
    const raw = failed.map((e) => Buffer.from(e['message'] as string, 'base64'));
    assert.ok(raw.some((b) => b.equals(Buffer.from([0x93, 0x01, 0xc1, ...good]))), 'the broken stream\'s bytes from where its value began');
    assert.ok(raw.some((b) => b.length === 20), 'the unfinished value\'s bytes');
    assert.deepEqual(events.filter((e) => e['conn'] === 9).map((e) => e['seq']).sort(), [0, 1]);
    assert.deepEqual(events.filter((e) => e['conn'] === 8).map((e) => e['seq']), [0]);
    assert.deepEqual(events.filter((e) => e['conn'] === 7).map((e) => e['seq']), [0]);
  } finally {
    await pipeline.stop();
    await done;
  }
});

test('udp input: one datagram is one value; a datagram that is not msgpack is one tagged event', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const out = join(dir, 'udp-in.json');
  const { pipeline, done } = await startPipeline(`input { udp { host => "127.0.0.1" port => ${port} codec => msgpack } }
    output { file { path => "${out}" codec => json_lines } }`);
  const sender = createSocket('udp4');
  try {
    await sleep(300);
    for (let i = 0; i < 200; i++) sender.send(encode({ seq: i, '@timestamp': '2024-03-04T05:06:07.000Z' }), port, '127.0.0.1');
    sender.send(Buffer.from('plain text, not msgpack'), port, '127.0.0.1');
    await waitFor('the events', () => linesOf(out).length >= 201, 20_000);
    const events = linesOf(out);
    assert.deepEqual(events.filter((e) => typeof e['seq'] === 'number').map((e) => e['seq']).sort((a, b) => (a as number) - (b as number)), Array.from({ length: 200 }, (_, i) => i));
    assert.ok(events.every((e) => e['tags'] !== undefined || e['@timestamp'] === '2024-03-04T05:06:07.000Z'));
    const [failed] = events.filter((e) => e['seq'] === undefined);
    assert.deepEqual(failed!['tags'], [MSGPACK_FAILURE_TAG]);
    assert.equal(Buffer.from(failed!['message'] as string, 'base64').toString(), 'plain text, not msgpack');
  } finally {
    sender.close();
    await pipeline.stop();
    await done;
  }
});

test('http input: application/msgpack bodies go to msgpack through additional_codecs, JSON bodies still to json', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const out = join(dir, 'http-in.json');
  const { pipeline, done } = await startPipeline(`input { http { host => "127.0.0.1" port => ${port} additional_codecs => { "application/msgpack" => "msgpack" "application/json" => "json" } } }
    output { file { path => "${out}" codec => json_lines } }`);
  try {
    await listening(port);
    const post = (type: string, body: Uint8Array | string): Promise<Response> => fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': type }, body: Buffer.from(body) });
    assert.equal((await post('application/msgpack', encode({ from: 'msgpack', n: [1, 2] }))).status, 200);
    assert.equal((await post('application/json', JSON.stringify({ from: 'json' }))).status, 200);
    assert.equal((await post('application/msgpack', Uint8Array.of(0xc1))).status, 200);
    await waitFor('the events', () => linesOf(out).length >= 3);
    const events = linesOf(out);
    const packed = events.find((e) => e['from'] === 'msgpack')!;
    assert.deepEqual(packed['n'], [1, 2]);
    assert.equal((packed['headers'] as Record<string, string>)['content_type'], 'application/msgpack');
    assert.ok(events.some((e) => e['from'] === 'json'));
    assert.ok(events.some((e) => (e['tags'] as string[] | undefined)?.includes(MSGPACK_FAILURE_TAG) && e['message'] === 'wQ=='));
  } finally {
    await pipeline.stop();
    await done;
  }
});

test('tcp, udp and file outputs write msgpack values an independent reader decodes, @timestamp as ISO-8601 text', { timeout: 30_000 }, async () => {
  const tcpPort = await freePort();
  const received: Buffer[] = [];
  const server = createServer((s) => s.on('data', (d: Buffer) => received.push(d)));
  await new Promise<void>((resolve) => server.listen(tcpPort, '127.0.0.1', resolve));
  const udp = createSocket('udp4');
  const datagrams: Buffer[] = [];
  udp.on('message', (m) => datagrams.push(m));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const file = join(dir, 'out.msgpack');
  try {
    const { done } = await startPipeline(`input { generator { count => 300 message => "hello" } }
      filter { mutate { add_field => { "[nested][k]" => "v%{sequence}" } } }
      output {
        tcp { host => "127.0.0.1" port => ${tcpPort} codec => msgpack }
        udp { host => "127.0.0.1" port => ${udp.address().port} codec => msgpack }
        file { path => "${file}" codec => msgpack }
      }`);
    await done;
    await waitFor('the tcp bytes and datagrams', () => [...decodeMulti(Buffer.concat(received))].length === 300 && datagrams.length === 300, 10_000).catch(() => undefined);
    const fromTcp = [...decodeMulti(Buffer.concat(received))] as Record<string, unknown>[];
    const fromFile = [...decodeMulti(readFileSync(file))] as Record<string, unknown>[];
    const fromUdp = datagrams.map((d) => decode(d) as Record<string, unknown>);
    for (const [name, values] of [['tcp', fromTcp], ['file', fromFile], ['udp', fromUdp]] as const) {
      assert.equal(values.length, 300, name);
      assert.deepEqual(values.map((v) => v['sequence']).sort((a, b) => (a as number) - (b as number)), Array.from({ length: 300 }, (_, i) => i), name);
      const first = values.find((v) => v['sequence'] === 7)!;
      assert.equal(first['message'], 'hello');
      assert.deepEqual(first['nested'], { k: 'v7' });
      assert.match(first['@timestamp'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  } finally {
    server.close();
    udp.close();
  }
});

test('round trip through Redis: redis output (list) with msgpack, read back by the redis input with msgpack', { timeout: 30_000 }, async () => {
  const key = `msgpack-test:${process.pid}:${Date.now()}`;
  const redis = client();
  const out = join(dir, 'redis-back.json');
  try {
    const { done } = await startPipeline(`input { generator { count => 500 message => "via redis" } }
      output { redis { host => "127.0.0.1" data_type => "list" key => "${key}" codec => msgpack } }`);
    await done;
    // The values in Redis are msgpack, not JSON.
    const [first] = await redis.lrangeBuffer(key, 0, 0);
    assert.equal((decode(first!) as Record<string, unknown>)['message'], 'via redis');
    const reader = await startPipeline(`input { redis { host => "127.0.0.1" data_type => "list" key => "${key}" codec => msgpack } }
      output { file { path => "${out}" codec => json_lines } }`);
    try {
      await waitFor('the events back', () => linesOf(out).length >= 500);
      const events = linesOf(out);
      assert.deepEqual(events.map((e) => e['sequence']).sort((a, b) => (a as number) - (b as number)), Array.from({ length: 500 }, (_, i) => i));
      assert.ok(events.every((e) => e['message'] === 'via redis' && e['tags'] === undefined));
    } finally {
      await reader.pipeline.stop();
      await reader.done;
    }
  } finally {
    await redis.del(key).catch(() => undefined);
    redis.disconnect();
  }
});

test('config: a binary codec on a plugin that carries text is refused, naming the plugin and the ones that can', async () => {
  await assert.rejects(startPipeline('input { stdin { codec => msgpack } } output { null {} }'),
    (err: Error) => /input plugin "stdin" carries text and cannot use the binary codec "msgpack"/.test(err.message) && /tcp/.test(JSON.stringify(err)) );
  await assert.rejects(startPipeline('input { generator { count => 1 } } output { stdout { codec => msgpack } }'),
    (err: Error) => /output plugin "stdout"/.test(err.message));
});
