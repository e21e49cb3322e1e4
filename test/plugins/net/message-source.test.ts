/**
 * The syslog/gelf message source against a queue that stops taking payloads: TCP stops reading
 * (the sender blocks, memory stays bounded, nothing is lost once the queue resumes); UDP drops
 * beyond its bounded queue and counts every drop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { InputPayload, InputSink } from '../../../src/plugins/api.js';
import type { NetworkPayload } from '../../../src/plugins/net/message-payload.js';
import { builtinRegistry } from '../../../src/plugins/builtins.js';
import { syslogInput } from '../../../src/plugins/inputs/syslog/index.js';
import { freePort } from '../../helpers/ports.js';
import { settingsOf, testContext } from '../../helpers/harness.js';
import { sleep, waitFor } from '../../helpers/wait.js';

/** A queue that holds every push until opened. */
function gatedSink() {
  let open = false;
  const release: (() => void)[] = [];
  const payloads: NetworkPayload[] = [];
  const sink: InputSink = {
    stopping: false,
    push(payload: InputPayload) {
      payloads.push(payload.data as NetworkPayload);
      if (open) return Promise.resolve();
      return new Promise<void>((resolve) => release.push(resolve));
    },
  };
  return {
    sink, payloads,
    messages: () => payloads.reduce((n, p) => n + p.ends.length, 0),
    open() {
      open = true;
      for (const r of release.splice(0)) r();
    },
  };
}

function source(port: number) {
  const options = builtinRegistry().validate(syslogInput, settingsOf({ host: '127.0.0.1', port }));
  return syslogInput.createSource(options as never, testContext('syslog'));
}

test('message source TCP: a queue that takes nothing stops the reads (sender blocked, few payloads held); all arrive in order once it resumes', async () => {
  const port = await freePort();
  const gate = gatedSink();
  const src = source(port);
  const running = src.run(gate.sink);
  await waitFor('listener', () => new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  }));
  const n = 200_000;
  const line = (i: number): string => `<13>Dec  2 04:21:48 host app: message number ${i} ${'x'.repeat(60)}\n`;
  const client = connect(port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  let written = 0;
  let finished = false;
  const writer = (async () => {
    for (let i = 0; i < n; i += 1000) {
      let chunk = '';
      for (let k = i; k < i + 1000; k++) chunk += line(k);
      if (!client.write(chunk)) await new Promise((resolve) => client.once('drain', resolve));
      written = i + 1000;
    }
    client.end();
    finished = true;
  })();
  await sleep(1500);
  // ~20 MB to send; with the queue closed the reads stopped: the writer waits for 'drain'.
  assert.equal(finished, false, 'the sender should be blocked by TCP flow control');
  assert.ok(gate.payloads.length <= 3, `payloads handed over while the queue was closed: ${gate.payloads.length}`);
  assert.ok(written < n);
  gate.open();
  await writer;
  await waitFor('every message', () => gate.messages() >= n, 60_000);
  await sleep(100);
  assert.equal(gate.messages(), n);
  const text = new TextDecoder();
  let expected = 0;
  for (const p of gate.payloads) {
    let start = 0;
    for (const end of p.ends) {
      assert.equal(text.decode(p.bytes.subarray(start, end)), line(expected).trimEnd());
      start = end;
      expected++;
    }
  }
  client.destroy();
  await src.stop();
  await running;
});

test('message source UDP: while the queue takes nothing, datagrams beyond the bounded queue are dropped and counted; the rest arrive', async () => {
  const port = await freePort();
  const gate = gatedSink();
  const src = source(port);
  const running = src.run(gate.sink);
  await sleep(200);
  const sock = createSocket('udp4');
  const sent = 6000;
  for (let i = 0; i < sent; i++) {
    await new Promise<void>((resolve, reject) => sock.send(`<13>Dec  2 04:21:48 h app: d ${i}`, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    if (i % 500 === 0) await sleep(5);
  }
  await sleep(500);
  const f = src.figures!();
  assert.ok(f['dropped']! > 0, `dropped: ${JSON.stringify(f)}`);
  gate.open();
  await waitFor('the held datagrams', () => gate.messages() + f['dropped']! >= f['received']!, 20_000);
  await sleep(200);
  const after = src.figures!();
  // every datagram received is either delivered or counted as dropped
  assert.equal(gate.messages() + after['dropped']!, after['received']!);
  assert.ok(after['received']! <= sent);
  sock.close();
  await src.stop();
  await running;
});
