/** The tcp input over real loopback sockets: framing, metadata, limits, PROXY headers, backpressure, stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { encodeProxyV1, encodeProxyV2 } from '../../../../src/protocols/net/proxy-protocol.js';
import { LINE_PIECE_BYTES, TRUNCATED_TAG } from '../../../../src/plugins/line-payloads.js';
import { PAYLOAD_MAX_BATCHES } from '../../../../src/plugins/api.js';
import { sleep, waitFor } from '../../../helpers/wait.js';
import { startTcpInput } from './helpers.js';
import { settingsOf } from '../../../helpers/harness.js';

async function open(port: number): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  await once(s, 'connect');
  return s;
}

async function write(s: Socket, data: string | Buffer): Promise<void> {
  if (!s.write(data)) await once(s, 'drain');
}

async function close(s: Socket): Promise<void> {
  s.end();
  await once(s, 'close');
}

test('thousands of lines over 40 concurrent connections, written in odd pieces: every line once, none merged or split, in order per connection', async () => {
  const input = await startTcpInput();
  try {
    const connections = 40;
    const perConnection = 500;
    const ports = new Map<string, number>();
    await Promise.all(Array.from({ length: connections }, async (_, c) => {
      const s = await open(input.port);
      ports.set(String(c), s.localPort!);
      const text = Array.from({ length: perConnection }, (_, i) => `conn ${c} line ${i} ${'z'.repeat((i * 7) % 50)}`).join('\n') + '\n';
      // Pieces of 1..97 bytes: lines cross reads everywhere.
      for (let at = 0, step = 1; at < text.length; at += step, step = (step * 13) % 97 + 1) await write(s, text.slice(at, at + step));
      await close(s);
    }));
    await waitFor('every line', () => input.events().length >= connections * perConnection);
    await sleep(50);
    const events = input.events();
    assert.equal(events.length, connections * perConnection);
    const seen = new Map<number, number[]>();
    for (const e of events) {
      const m = /^conn (\d+) line (\d+) (z*)$/.exec(String(e.get('message')));
      assert.ok(m, `an intact line: ${String(e.get('message')).slice(0, 80)}`);
      const c = Number(m[1]);
      const i = Number(m[2]);
      assert.equal(m[3]!.length, (i * 7) % 50);
      assert.equal(e.get('port'), ports.get(String(c)), 'port is the sender\'s');
      assert.equal(e.get('host'), '127.0.0.1');
      assert.equal(e.get('[@metadata][ip_address]'), '127.0.0.1');
      (seen.get(c) ?? seen.set(c, []).get(c)!).push(i);
    }
    for (let c = 0; c < connections; c++) assert.deepEqual(seen.get(c), Array.from({ length: perConnection }, (_, i) => i), `connection ${c} in order`);
    assert.ok(input.payloads.every((p) => p.events <= 125 * PAYLOAD_MAX_BATCHES), 'payloads bounded in lines');
  } finally {
    await input.stop();
  }
});

test('ECS mode: the peer goes under [@metadata][input][tcp][source], nothing at the top level', async () => {
  const input = await startTcpInput({}, 'v8');
  try {
    const s = await open(input.port);
    const localPort = s.localPort;
    await write(s, 'hello\n');
    await close(s);
    await waitFor('the event', () => input.events().length === 1);
    const e = input.events()[0]!;
    assert.equal(e.get('message'), 'hello');
    assert.equal(e.get('[@metadata][input][tcp][source][ip]'), '127.0.0.1');
    assert.equal(e.get('[@metadata][input][tcp][source][name]'), '127.0.0.1');
    assert.equal(e.get('[@metadata][input][tcp][source][port]'), localPort);
    assert.equal(e.get('host'), undefined);
    assert.equal(e.get('port'), undefined);
  } finally {
    await input.stop();
  }
});

test('dns_reverse_lookup_enabled puts the host name of 127.0.0.1 in host', async () => {
  const input = await startTcpInput({ dns_reverse_lookup_enabled: true });
  try {
    const s = await open(input.port);
    await write(s, 'named\n');
    await close(s);
    await waitFor('the event', () => input.events().length === 1);
    const host = input.events()[0]!.get('host');
    assert.equal(typeof host, 'string');
    assert.notEqual(host, '127.0.0.1', 'the name from /etc/hosts, not the address');
    assert.equal(input.events()[0]!.get('[@metadata][ip_address]'), '127.0.0.1');
  } finally {
    await input.stop();
  }
});

test('a client that disconnects mid-line: its complete lines and the unterminated tail are events, once; a reset loses nothing already read', async () => {
  const input = await startTcpInput();
  try {
    const a = await open(input.port);
    await write(a, 'one\ntwo\nhalf a li');
    await close(a);
    const b = await open(input.port);
    await write(b, 'three\nfour\npartial');
    await waitFor('lines of b', () => input.events().some((e) => e.get('message') === 'four'));
    b.resetAndDestroy();
    await waitFor('all', () => input.events().length === 6);
    await sleep(50);
    assert.deepEqual(input.events().map((e) => e.get('message')).sort(), ['four', 'half a li', 'one', 'partial', 'three', 'two']);
  } finally {
    await input.stop();
  }
});

test('with the multiline codec, a stack trace longer than a decoding piece arrives as one event; long plain lines as they were', async () => {
  const trace = ['Exception in thread "main"', ...Array.from({ length: 3000 }, (_, i) => `    at frame${i} (${'f'.repeat(40)}.java:${i})`)].join('\n');
  assert.ok(trace.length > 2 * LINE_PIECE_BYTES);
  const multiline = { kind: 'plugin' as const, name: 'multiline', settings: settingsOf({ pattern: '^\\s', what: 'previous', max_lines: 100000 }), location: { file: 't.conf', line: 1, column: 1 } };
  const joined = await startTcpInput({ codec: multiline });
  const plain = await startTcpInput();
  try {
    for (const input of [joined, plain]) {
      const s = await open(input.port);
      await write(s, `${trace}\nnext\n`);
      await close(s);
    }
    await waitFor('the trace and the next line', () => joined.events().length === 2);
    assert.deepEqual(joined.events().map((e) => e.get('message')), [trace, 'next']);
    await waitFor('every line', () => plain.events().length === 3002);
    assert.deepEqual(plain.events().map((e) => e.get('message')), [...trace.split('\n'), 'next']);
  } finally {
    await joined.stop();
    await plain.stop();
  }
});

test('a 100 MB line is cut at max_bytes and tagged, the next line is intact, and memory stays bounded', async () => {
  const input = await startTcpInput({ max_bytes: '1 MiB' });
  try {
    const s = await open(input.port);
    const block = Buffer.alloc(1024 * 1024, 'x');
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    for (let i = 0; i < 100; i++) await write(s, block);
    await write(s, 'tail of the long line\nafter\n');
    await close(s);
    await waitFor('both events', () => input.events().length === 2, 60_000);
    clearInterval(sampler);
    const [long, after] = input.events();
    assert.equal(String(long!.get('message')).length, 1024 * 1024);
    assert.deepEqual(long!.get('tags'), [TRUNCATED_TAG]);
    assert.equal(after!.get('message'), 'after');
    assert.equal(after!.get('tags'), undefined);
    assert.ok(peak - before < 64 * 1024 * 1024, `peak RSS grew by ${((peak - before) / 1e6).toFixed(1)} MB for a 100 MB line`);
  } finally {
    await input.stop();
  }
});

test('garbage bytes and invalid UTF-8 become U+FFFD in a kept line; json_lines tags a line that is not JSON and goes on', async () => {
  const plain = await startTcpInput();
  const json = await startTcpInput({ codec: 'json_lines' });
  try {
    for (const input of [plain, json]) {
      const s = await open(input.port);
      await write(s, Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]), Buffer.from('\n{"ok":1}\n')]));
      await close(s);
    }
    await waitFor('plain events', () => plain.events().length === 2);
    await waitFor('json events', () => json.events().length === 2);
    assert.equal(plain.events()[0]!.get('message'), '\ufffd\ufffd\u0000\ufffd(\ufffd');
    assert.equal(plain.events()[1]!.get('message'), '{"ok":1}');
    assert.deepEqual(json.events()[0]!.get('tags'), ['_jsonparsefailure']);
    assert.equal(json.events()[1]!.get('ok'), 1);
  } finally {
    await plain.stop();
    await json.stop();
  }
});

test('proxy_protocol: v1 and v2 headers name the source; the proxy goes to proxy_host/proxy_port; a connection without a header is closed', async () => {
  const input = await startTcpInput({ proxy_protocol: true });
  try {
    const v1 = await open(input.port);
    const proxyPort = v1.localPort;
    // Header and first line in one write, as a proxy sends them.
    await write(v1, Buffer.concat([encodeProxyV1({ sourceAddress: '10.1.2.3', sourcePort: 4567, destinationAddress: '10.0.0.1', destinationPort: 514 }), Buffer.from('via v1\n')]));
    await close(v1);
    const v2 = await open(input.port);
    const header = encodeProxyV2({ sourceAddress: '192.168.7.9', sourcePort: 40000, destinationAddress: '10.0.0.1', destinationPort: 514 });
    await write(v2, header.subarray(0, 5)); // split header
    await sleep(20);
    await write(v2, Buffer.concat([header.subarray(5), Buffer.from('via v2\n')]));
    await close(v2);
    const bare = await open(input.port);
    bare.write('no header here\n');
    await once(bare, 'close');
    await waitFor('two events', () => input.events().length === 2);
    await sleep(50);
    const byMessage = new Map(input.events().map((e) => [e.get('message'), e]));
    assert.equal(input.events().length, 2, 'the headerless connection produced nothing');
    const e1 = byMessage.get('via v1')!;
    assert.equal(e1.get('host'), '10.1.2.3');
    assert.equal(e1.get('port'), 4567);
    assert.equal(e1.get('proxy_host'), '127.0.0.1');
    assert.equal(e1.get('proxy_port'), proxyPort);
    const e2 = byMessage.get('via v2')!;
    assert.equal(e2.get('host'), '192.168.7.9');
    assert.equal(e2.get('port'), 40000);
  } finally {
    await input.stop();
  }
});

test('backpressure: while the queue refuses payloads the connection is not read, the sender is held by TCP, and nothing is lost after', async () => {
  const input = await startTcpInput();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  input.hold.current = () => gate;
  try {
    const s = await open(input.port);
    const line = 'y'.repeat(199) + '\n';
    const block = line.repeat(5000); // 1 MB
    let written = 0;
    // Write until the socket says stop, with a ceiling: if nothing held the sender, 200 MB would go through.
    while (written < 200 * 1024 * 1024 && s.write(block)) written += block.length;
    assert.ok(written < 200 * 1024 * 1024, 'the sender was held back');
    await sleep(200);
    const queuedAtSender = s.writableLength;
    assert.ok(queuedAtSender > 0, 'bytes wait at the sender: the receiver stopped reading');
    assert.equal(input.payloads.length, 0, 'nothing passed the full queue');
    const rssHeld = process.memoryUsage().rss;
    input.hold.current = undefined;
    release();
    written += block.length;
    await close(s);
    await waitFor('every line', () => input.events().length === written / line.length, 60_000);
    assert.ok(rssHeld > 0);
  } finally {
    input.hold.current = undefined;
    await input.stop();
  }
});

test('stop() hands over what connections had received, then closes them', async () => {
  const input = await startTcpInput();
  const s = await open(input.port);
  await write(s, 'before stop\nunterminated');
  await sleep(100);
  const closed = once(s, 'close');
  await input.stop();
  await closed;
  assert.deepEqual(input.events().map((e) => e.get('message')), ['before stop', 'unterminated']);
});

test('client mode: connects to a server, reads its lines, and connects again after the server restarts', async () => {
  const server = createServer();
  let serve = 'first\n';
  server.on('connection', (socket) => socket.end(serve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const input = await startTcpInput({ mode: 'client', port, reconnect_interval: '100ms' });
  try {
    await waitFor('first line', () => input.events().some((e) => e.get('message') === 'first'));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    serve = 'second\n';
    await sleep(150);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await waitFor('second line', () => input.events().some((e) => e.get('message') === 'second'));
    assert.equal(input.events()[0]!.get('host'), '127.0.0.1');
  } finally {
    await input.stop();
    server.close();
  }
});
