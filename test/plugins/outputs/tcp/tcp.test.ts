/** The tcp output against real listeners and readers: client and server modes, TLS, reconnecting after the peer restarts. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { tcpOutput } from '../../../../src/plugins/outputs/tcp/index.js';
import { OutputError } from '../../../../src/plugins/api.js';
import { makeOutput } from '../../../helpers/harness.js';
import { makeCertificates } from '../../../helpers/certificates.js';
import { freePort } from '../../../helpers/ports.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

let dir: string;
const file = (name: string): string => join(dir, name);
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'logpipe-tcp-out-'));
  makeCertificates(file);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A line collector listening on `port`; `sockets` lets a test cut connections. */
async function collector(port: number, server: Server = createServer(), event: 'connection' | 'secureConnection' = 'connection') {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  let tail = '';
  server.on(event, (s: Socket) => {
    sockets.add(s);
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      const parts = (tail + d).split('\n');
      tail = parts.pop()!;
      received.push(...parts);
    });
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    received,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('client mode writes json_lines to the server; after the server restarts, the next write connects again and lands', async () => {
  const port = await freePort();
  let peer = await collector(port);
  const out = await makeOutput(tcpOutput, { host: '127.0.0.1', port, codec: 'json_lines', reconnect_interval: '100ms' });
  try {
    await out.sink.write(out.encode([{ n: 1 }, { n: 2 }]));
    await waitFor('first batch', () => peer.received.length === 2);
    assert.deepEqual(peer.received.map((l) => JSON.parse(l).n), [1, 2]);
    await peer.close();
    await sleep(50);
    // The server is gone: the write fails as retryable (the writer retries it).
    await assert.rejects(out.sink.write(out.encode([{ n: 3 }])), (err: unknown) => err instanceof OutputError && err.failure === 'retryable');
    assert.deepEqual(out.sink.retry, { initialMs: 100, maxMs: 100, maxAttempts: 0 });
    peer = await collector(port);
    await out.sink.write(out.encode([{ n: 3 }]));
    await waitFor('after the restart', () => peer.received.length === 1);
    assert.equal(JSON.parse(peer.received[0]!).n, 3);
  } finally {
    await out.sink.close?.();
    await peer.close();
  }
});

test('the default json codec writes events back to back, as Logstash does', async () => {
  const port = await freePort();
  const server = createServer();
  let all = '';
  server.on('connection', (s) => s.on('data', (d) => (all += d)));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const out = await makeOutput(tcpOutput, { host: '127.0.0.1', port });
  try {
    await out.sink.write(out.encode([{ a: 1 }, { a: 2 }]));
    await waitFor('bytes', () => all.length > 0 && all.endsWith('}') && all.split('}{').length === 2);
    assert.match(all, /^\{.*"a":1.*\}\{.*"a":2.*\}$/);
  } finally {
    await out.sink.close?.();
    server.close();
  }
});

test('client mode over TLS verifies the server against ssl_certificate_authorities; a wrong CA fails the write', async () => {
  const port = await freePort();
  const server = createTlsServer({ cert: readFileSync(file('server.crt')), key: readFileSync(file('server.key')) });
  const peer = await collector(port, server, 'secureConnection');
  const good = await makeOutput(tcpOutput, { host: 'localhost', port, codec: 'json_lines', ssl_enabled: true, ssl_certificate_authorities: [file('ca.crt')] });
  const bad = await makeOutput(tcpOutput, { host: 'localhost', port, codec: 'json_lines', ssl_enabled: true, ssl_certificate_authorities: [file('other.crt')] });
  try {
    await good.sink.write(good.encode([{ secure: true }]));
    await waitFor('the event', () => peer.received.length === 1);
    assert.equal(JSON.parse(peer.received[0]!).secure, true);
    await assert.rejects(bad.sink.write(bad.encode([{ secure: false }])), /tcp: cannot write/);
    assert.equal(peer.received.length, 1);
  } finally {
    await good.sink.close?.();
    await bad.sink.close?.();
    await peer.close();
  }
});

test('server mode: every connected reader gets the events; with no reader a write fails as retryable (held, not dropped)', async () => {
  const port = await freePort();
  const out = await makeOutput(tcpOutput, { host: '127.0.0.1', port, mode: 'server', codec: 'json_lines' });
  try {
    await (out.sink as unknown as { listening: Promise<number> }).listening;
    await assert.rejects(out.sink.write(out.encode([{ n: 0 }])), /no client connected/);
    const readers = await Promise.all([0, 1].map(async () => {
      const s = connect(port, '127.0.0.1');
      await once(s, 'connect');
      let text = '';
      s.on('data', (d) => (text += d));
      return { s, text: () => text };
    }));
    await sleep(50);
    await out.sink.write(out.encode([{ n: 1 }]));
    await waitFor('both readers', () => readers.every((r) => r.text().endsWith('\n')));
    for (const r of readers) {
      assert.equal(JSON.parse(r.text()).n, 1);
      r.s.destroy();
    }
  } finally {
    await out.sink.close?.();
  }
});
