/** The udp input over real loopback datagrams: one event per datagram, sender fields, counted drops, truncation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { Event } from '../../../../src/core/event.js';
import type { ConfigValue } from '../../../../src/config/values.js';
import type { EcsCompatibility, InputPayload, InputSink } from '../../../../src/plugins/api.js';
import { udpInput } from '../../../../src/plugins/inputs/udp/index.js';
import { registryWith, settingsOf, testContext } from '../../../helpers/harness.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function startUdp(settings: Record<string, ConfigValue> = {}, ecs: EcsCompatibility = 'disabled') {
  const port = await freeUdpPort();
  const registry = registryWith(udpInput);
  const options = registry.validate(udpInput, settingsOf({ host: '127.0.0.1', port, ...settings }));
  const ctx = testContext('udp', { registry, ecs });
  const source = udpInput.createSource(options as never, ctx);
  const decoder = udpInput.createDecoder(options as never, ctx);
  const payloads: InputPayload[] = [];
  const hold: { current: Promise<void> | undefined } = { current: undefined };
  const sink: InputSink = {
    async push(p) {
      while (hold.current) await hold.current;
      payloads.push(p);
    },
    stopping: false,
  };
  const running = source.run(sink);
  await sleep(50);
  const events = (): Event[] => {
    const out: Event[] = [];
    for (const p of payloads) decoder.decode(p.data, (e) => out.push(e));
    return out;
  };
  return { port, source, payloads, events, hold, stop: async () => { await source.stop(); await running; } };
}

async function sendAll(port: number, messages: (string | Buffer)[]): Promise<void> {
  const client = createSocket('udp4');
  for (const m of messages) await new Promise<void>((resolve, reject) => client.send(m, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve) => client.close(() => resolve()));
}

test('one event per datagram, newlines kept (plain codec), sender in host; ECS puts it in [host][ip]; source_ip_fieldname overrides', async () => {
  const legacy = await startUdp();
  const ecs = await startUdp({}, 'v8');
  const custom = await startUdp({ source_ip_fieldname: '[client][address]', codec: 'json' });
  try {
    await sendAll(legacy.port, ['first', 'multi\nline']);
    await sendAll(ecs.port, ['ecs']);
    await sendAll(custom.port, ['{"a":1}', 'not json']);
    await waitFor('legacy', () => legacy.events().length === 2);
    await waitFor('ecs', () => ecs.events().length === 1);
    await waitFor('custom', () => custom.events().length === 2);
    assert.deepEqual(legacy.events().map((e) => [e.get('message'), e.get('host')]), [['first', '127.0.0.1'], ['multi\nline', '127.0.0.1']]);
    assert.equal(ecs.events()[0]!.get('[host][ip]'), '127.0.0.1');
    const [a, bad] = custom.events();
    assert.equal(a!.get('a'), 1);
    assert.equal(a!.get('[client][address]'), '127.0.0.1');
    assert.deepEqual(bad!.get('tags'), ['_jsonparsefailure']);
  } finally {
    await legacy.stop();
    await ecs.stop();
    await custom.stop();
  }
});

test('a burst into a stalled pipeline: the queue holds queue_size datagrams, the rest are dropped and counted; nothing is duplicated', async () => {
  const input = await startUdp({ queue_size: 50, workers: 1, receive_buffer_bytes: 4 * 1024 * 1024 });
  let release!: () => void;
  input.hold.current = new Promise<void>((resolve) => (release = resolve));
  try {
    const count = 2000;
    await sendAll(input.port, Array.from({ length: count }, (_, i) => `datagram ${i}`));
    await sleep(200);
    const held = input.source.figures!();
    assert.ok(held['dropped']! > 0, `drops counted: ${JSON.stringify(held)}`);
    input.hold.current = undefined;
    release();
    await waitFor('the held datagrams', () => input.events().length + input.source.figures!()['dropped']! === input.source.figures!()['received']!);
    const f = input.source.figures!();
    const messages = input.events().map((e) => String(e.get('message')));
    assert.equal(new Set(messages).size, messages.length, 'each datagram at most once');
    assert.ok(messages.every((m) => /^datagram \d+$/.test(m)));
    assert.equal(messages.length + f['dropped']!, f['received']!, 'every datagram received is an event or counted as dropped');
    assert.ok(messages.length <= 50 + 500 + 1, 'at most the queue plus one payload in flight');
  } finally {
    input.hold.current = undefined;
    release();
    await input.stop();
  }
});

test('a datagram longer than buffer_size is cut to it and counted', async () => {
  const input = await startUdp({ buffer_size: 10 });
  try {
    await sendAll(input.port, ['0123456789abcdef', 'short']);
    await waitFor('two events', () => input.events().length === 2);
    assert.deepEqual(input.events().map((e) => e.get('message')), ['0123456789', 'short']);
    assert.equal(input.source.figures!()['truncated'], 1);
  } finally {
    await input.stop();
  }
});

test('garbage bytes and invalid UTF-8 become U+FFFD', async () => {
  const input = await startUdp();
  try {
    await sendAll(input.port, [Buffer.from([0xff, 0x41, 0xc3])]);
    await waitFor('the event', () => input.events().length === 1);
    assert.equal(input.events()[0]!.get('message'), '\ufffdA\ufffd');
  } finally {
    await input.stop();
  }
});
