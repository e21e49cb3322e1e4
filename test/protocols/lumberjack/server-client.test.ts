import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeJson, encodeWindow, encodeWindowFrames } from '../../../src/protocols/lumberjack/frames.js';
import { LumberjackClient, LumberjackConnection, SendFailure, WindowFailure } from '../../../src/protocols/lumberjack/client.js';
import type { ReceivedWindow } from '../../../src/protocols/lumberjack/server.js';
import { sleep, waitFor } from '../../helpers/wait.js';
import { documentsOf, rawClient, recordingServer } from './helpers.js';

const CLIENT = { timeoutMs: 5000, compressionLevel: 3, pipelining: 2, ttlMs: 0, backoffInitMs: 50, backoffMaxMs: 200 };

const ids = (docs: string[]): number[] => docs.map((d) => (JSON.parse(d) as { id: number }).id);
const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

test('windows of 1 and of 10,000 events, compressed and not, arrive whole and are acknowledged', async () => {
  const rec = await recordingServer();
  for (const compressionLevel of [0, 3]) {
    const client = new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port: rec.port, compressionLevel });
    const one = documentsOf([{ id: 0 }]);
    await client.send(one, 0, 1);
    const many = documentsOf(range(10_000, 1).map((id) => ({ id, message: `event ${id}` })));
    await client.send(many, 0, 10_000);
    client.close();
  }
  assert.deepEqual(rec.windows.map((w) => w.documents.length), [1, 10_000, 1, 10_000]);
  assert.deepEqual(ids(rec.documents()), [...range(10_001), ...range(10_001)]);
  await rec.server.close(true);
});

test('partial ACKs: a slow pipeline acknowledges parts of a window out of order; only the contiguous prefix is ACKed', async () => {
  let held: ReceivedWindow | undefined;
  const rec = await recordingServer({}, (w) => {
    held = w;
  });
  const { socket, acks } = await rawClient(rec.port);
  socket.write(encodeWindowFrames(...docsArgs(10), 0, 10, 0));
  await waitFor('the window', () => held !== undefined);
  held!.acknowledge(5, 10); // the second half first: nothing may be ACKed yet
  await sleep(50);
  assert.deepEqual(acks, []);
  held!.acknowledge(0, 3);
  await waitFor('ACK 3', () => acks.length === 1);
  assert.deepEqual(acks, [3]);
  held!.acknowledge(3, 5);
  await waitFor('ACK 10', () => acks.length === 2);
  assert.deepEqual(acks, [3, 10]);
  socket.destroy();
  await rec.server.close(true);
});

test('keepalive: while a window is pending the last ACK is re-sent; the client counts each as activity and waits past its timeout', async () => {
  let held: ReceivedWindow | undefined;
  const rec = await recordingServer({ keepaliveIntervalMs: 40 }, (w) => {
    held = w;
  });
  const raw = await rawClient(rec.port);
  raw.socket.write(encodeWindowFrames(...docsArgs(4), 0, 4, 3));
  await waitFor('keepalives', () => raw.acks.length >= 3);
  assert.ok(!raw.acks.some((a) => a !== 0), `A(0) before any progress: ${raw.acks}`);
  held!.acknowledge(0, 2);
  await waitFor('keepalives after progress', () => raw.acks.filter((a) => a === 2).length >= 3);
  const afterProgress = raw.acks.slice(raw.acks.indexOf(2));
  assert.ok(afterProgress.every((a) => a === 2), `the last acked seq is repeated, never 0 again: ${raw.acks}`);
  held!.acknowledge(2, 4);
  await waitFor('final ACK', () => raw.acks.includes(4));
  const count = raw.acks.length;
  await sleep(150);
  assert.equal(raw.acks.length, count, 'no keepalive once nothing is pending');
  raw.socket.destroy();

  // A client with a 300 ms read timeout waits ~1 s for a slow pipeline thanks to the keepalives.
  const connection = await LumberjackConnection.connect({ host: '127.0.0.1', port: rec.port, timeoutMs: 300 });
  held = undefined;
  const progress: number[] = [];
  const sent = connection.send(encodeWindowFrames(...docsArgs(3), 0, 3, 0), 3, (n) => progress.push(n));
  await waitFor('the window', () => held !== undefined);
  await sleep(400);
  held!.acknowledge(0, 1);
  await sleep(600);
  held!.acknowledge(1, 3);
  await sent;
  assert.deepEqual(progress, [1]);
  connection.close();
  await rec.server.close(true);
});

test('the client times out without ACKs, then resends the unacknowledged rest on a new connection', async () => {
  let first = true;
  const rec = await recordingServer({ keepaliveIntervalMs: 0 }, (w) => {
    if (first) {
      first = false;
      w.acknowledge(0, 4); // 4 of 10, then silence
      return;
    }
    w.acknowledge(0, w.documents.length);
  });
  const client = new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port: rec.port, timeoutMs: 200 });
  const docs = documentsOf(range(10).map((id) => ({ id })));
  await client.send(docs, 0, 10, 3);
  assert.deepEqual(rec.windows.map((w) => w.documents.length), [10, 6]);
  assert.deepEqual(ids(rec.windows[1]!.documents.map((d) => Buffer.from(d).toString())), range(6, 4));
  client.close();
  await rec.server.close(true);
});

test('a client vanishing mid-window: nothing of it is handed over or ACKed; the resent window arrives whole', async () => {
  const rec = await recordingServer();
  const raw = await rawClient(rec.port);
  const all = docsArgs(10);
  const frames = encodeWindowFrames(...all, 0, 10, 0);
  raw.socket.write(frames.subarray(0, Math.floor(frames.length / 2)));
  await sleep(50);
  raw.socket.destroy();
  await raw.closed;
  await sleep(50);
  assert.equal(rec.windows.length, 0);
  assert.deepEqual(raw.acks, []);
  const again = await rawClient(rec.port);
  again.socket.write(frames);
  await waitFor('ACK 10', () => again.acks.includes(10));
  assert.deepEqual(ids(rec.documents()), range(10));
  again.socket.destroy();
  await rec.server.close(true);
});

test('garbage, truncated and oversized frames close that connection with a logged reason; the server keeps serving others', async () => {
  const rec = await recordingServer({ maxFrameBytes: 4096 });
  const healthy = new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port: rec.port });
  const oversized = Buffer.concat([encodeWindow(1), encodeJson(1, Buffer.alloc(5000, 0x61))]);
  const cases: [string, Buffer, RegExp][] = [
    ['garbage', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), /protocol error \(bad_version\)/],
    ['unknown type', Buffer.from([0x32, 0x58, 0, 0, 0, 0]), /protocol error \(bad_type\)/],
    ['data outside a window', encodeJson(1, Buffer.from('{}')), /outside a window/],
    ['oversized', oversized, /protocol error \(oversized\)/],
  ];
  for (const [name, bytes, reason] of cases) {
    const raw = await rawClient(rec.port);
    raw.socket.write(bytes);
    await raw.closed;
    assert.ok(rec.lines.some((l) => reason.test(l)), `${name}: logged reason ${reason}`);
    assert.deepEqual(raw.acks, [], name);
    await healthy.send(documentsOf([{ id: name }]), 0, 1);
  }
  // Truncated: the client half-closes inside a frame.
  const raw = await rawClient(rec.port);
  const frames = encodeWindowFrames(...docsArgs(3), 0, 3, 0);
  raw.socket.end(frames.subarray(0, frames.length - 3));
  await raw.closed;
  assert.ok(rec.lines.some((l) => /ended inside a frame/.test(l)), 'truncated: logged');
  assert.deepEqual(raw.acks, []);
  assert.deepEqual(rec.windows.map((w) => w.documents.length), [1, 1, 1, 1], 'only the healthy client\'s windows were handed over');
  healthy.close();
  await rec.server.close(true);
});

test('an idle connection is closed after the inactivity timeout; a pending window keeps it open', async () => {
  let held: ReceivedWindow | undefined;
  const rec = await recordingServer({ inactivityTimeoutMs: 200, keepaliveIntervalMs: 50 }, (w) => {
    held = w;
  });
  const idle = await rawClient(rec.port);
  const busy = await rawClient(rec.port);
  busy.socket.write(encodeWindowFrames(...docsArgs(1), 0, 1, 0));
  await idle.closed;
  assert.ok(rec.lines.some((l) => /client_inactivity_timeout/.test(l)));
  await sleep(300);
  assert.equal(busy.socket.destroyed, false, 'keepalives count as activity');
  held!.acknowledge(0, 1);
  await waitFor('ACK', () => busy.acks.includes(1));
  busy.socket.destroy();
  await rec.server.close(true);
});

test('pipelining: several windows in flight on one connection are ACKed in order even when the later one finishes first', async () => {
  const held: ReceivedWindow[] = [];
  const rec = await recordingServer({}, (w) => void held.push(w));
  const connection = await LumberjackConnection.connect({ host: '127.0.0.1', port: rec.port, timeoutMs: 5000 });
  const done: number[] = [];
  const a = connection.send(encodeWindowFrames(...docsArgs(2), 0, 2, 0), 2).then(() => done.push(1));
  const b = connection.send(encodeWindowFrames(...docsArgs(3), 0, 3, 0), 3).then(() => done.push(2));
  await waitFor('two windows', () => held.length === 2);
  held[1]!.acknowledge(0, 3);
  await sleep(50);
  assert.deepEqual(done, [], 'the second window\'s ACK waits for the first');
  held[0]!.acknowledge(0, 2);
  await Promise.all([a, b]);
  assert.deepEqual(done, [1, 2]);
  connection.close();
  await rec.server.close(true);
});

test('a failed connection reports how much of each window in flight was ACKed', async () => {
  const held: ReceivedWindow[] = [];
  const rec = await recordingServer({}, (w) => void held.push(w));
  const connection = await LumberjackConnection.connect({ host: '127.0.0.1', port: rec.port, timeoutMs: 5000 });
  const a = connection.send(encodeWindowFrames(...docsArgs(5), 0, 5, 0), 5);
  await waitFor('window', () => held.length === 1);
  held[0]!.acknowledge(0, 2);
  await sleep(50);
  const failed = assert.rejects(a, (err: unknown) => err instanceof WindowFailure && err.acked === 2);
  await rec.server.close(true);
  await failed;
});

test('a client gives up after its attempts with how many events were delivered', async () => {
  const client = new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port: 1, timeoutMs: 500 });
  await assert.rejects(client.send(documentsOf([{ id: 1 }]), 0, 1, 2), (err: unknown) => err instanceof SendFailure && err.delivered === 0);
  assert.equal(client.available, false, 'the host backs off after a failure');
  client.close();
});

test('many concurrent connections each get their own windows and ACKs', async () => {
  const rec = await recordingServer();
  const clients = range(40).map(() => new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port: rec.port }));
  await Promise.all(clients.map(async (client, c) => {
    for (let w = 0; w < 5; w++) await client.send(documentsOf(range(20, c * 1000 + w * 20).map((id) => ({ id }))), 0, 20);
  }));
  const seen = ids(rec.documents()).sort((x, y) => x - y);
  assert.deepEqual(seen, range(40).flatMap((c) => range(100, c * 1000)));
  for (const c of clients) c.close();
  await rec.server.close(true);
});

function docsArgs(n: number): [Uint8Array, Uint32Array] {
  const d = documentsOf(range(n).map((id) => ({ id })));
  return [d.bytes, d.ends];
}

test('a graceful close stops reading but still ACKs pending windows, then closes; a forced one closes at once', async () => {
  let held: ReceivedWindow | undefined;
  const rec = await recordingServer({}, (w) => {
    held = w;
  });
  const raw = await rawClient(rec.port);
  raw.socket.write(encodeWindowFrames(...docsArgs(3), 0, 3, 0));
  await waitFor('the window', () => held !== undefined);
  await rec.server.close(false);
  assert.equal(raw.socket.destroyed, false, 'the connection waits for its window');
  held!.acknowledge(0, 3);
  await raw.closed;
  assert.deepEqual(raw.acks, [3]);

  const forced = await recordingServer({}, (w) => {
    held = w;
  });
  held = undefined;
  const other = await rawClient(forced.port);
  other.socket.write(encodeWindowFrames(...docsArgs(2), 0, 2, 0));
  await waitFor('the window', () => held !== undefined);
  await forced.server.close(true);
  await other.closed;
  held!.acknowledge(0, 2);
  assert.deepEqual(other.acks, [], 'nothing ACKed after a forced close');
});
