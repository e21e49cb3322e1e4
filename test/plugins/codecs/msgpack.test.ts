/** The msgpack codec (decode, encode, failures) and its stream framer, without sockets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from '@msgpack/msgpack';
import { Event } from '../../../src/core/event.js';
import { Timestamp } from '../../../src/core/timestamp.js';
import { MSGPACK_FAILURE_TAG } from '../../../src/plugins/codecs/msgpack.js';
import { MsgpackFramer } from '../../../src/plugins/codecs/msgpack-framer.js';
import type { BinaryCodec } from '../../../src/plugins/api.js';
import { makeCodec, settingsOf } from '../../helpers/harness.js';

const binaryOf = (settings: Record<string, string> = {}): BinaryCodec => {
  const codec = makeCodec({ name: 'msgpack', settings: settingsOf(settings) });
  assert.ok(codec.binary, 'msgpack is a binary codec');
  return codec.binary;
};

const decodeAll = (codec: BinaryCodec, bytes: Uint8Array): Event[] => {
  const out: Event[] = [];
  codec.decodeBytes(bytes, (e) => out.push(e));
  return out;
};

test('decode: a map becomes the event; @timestamp text is read; bin becomes text, ext timestamps ISO text', () => {
  const bytes = encode({ message: 'hi', n: 42, nested: { list: [1, 'two', null], raw: new TextEncoder().encode('bytes') }, when: new Date('2024-05-01T10:00:00Z'), '@timestamp': '2024-05-01T12:34:56.789Z' });
  const [e] = decodeAll(binaryOf(), bytes);
  assert.equal(e!.get('message'), 'hi');
  assert.equal(e!.get('n'), 42);
  assert.deepEqual(e!.get('[nested][list]'), [1, 'two', null]);
  assert.equal(e!.get('[nested][raw]'), 'bytes');
  assert.equal(e!.get('when'), '2024-05-01T10:00:00.000Z');
  assert.equal(e!.timestamp.toISOString(), '2024-05-01T12:34:56.789Z');
  assert.equal(e!.get('tags'), undefined);
});

test('decode: format fills message only when the map has none; target puts any value under a field', () => {
  const withFormat = binaryOf({ format: '%{user} did %{action}' });
  const [made] = decodeAll(withFormat, encode({ user: 'ann', action: 'login' }));
  assert.equal(made!.get('message'), 'ann did login');
  const [kept] = decodeAll(withFormat, encode({ user: 'ann', action: 'login', message: 'own' }));
  assert.equal(kept!.get('message'), 'own');
  const [targeted] = decodeAll(binaryOf({ target: '[doc]' }), encode([1, 2]));
  assert.deepEqual(targeted!.get('[doc]'), [1, 2]);
});

test('decode: a non-map, truncated bytes, trailing bytes and garbage each give one tagged event keeping the bytes (base64)', () => {
  const whole = encode({ a: 'x'.repeat(40) });
  const cases: Uint8Array[] = [encode('just a string'), encode([1, 2, 3]), whole.subarray(0, whole.length - 5), Uint8Array.of(...whole, 0x01), Uint8Array.of(0xc1, 0xff, 0x00)];
  for (const bytes of cases) {
    const events = decodeAll(binaryOf(), bytes);
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]!.get('tags'), [MSGPACK_FAILURE_TAG]);
    assert.deepEqual(new Uint8Array(Buffer.from(events[0]!.get('message') as string, 'base64')), new Uint8Array(bytes));
  }
});

test('encode: the fields as a map, @timestamp (and nested timestamps) as ISO-8601 text, @metadata left out; the event is unchanged', () => {
  const event = new Event({ message: 'hello', '@timestamp': new Timestamp(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), deep: { at: new Timestamp(0), n: [1.5, true] } }, { secret: 1 });
  const bytes = binaryOf().encodeBytes(event);
  assert.deepEqual(decode(bytes), { message: 'hello', '@timestamp': '2024-01-02T03:04:05.006Z', '@version': '1', deep: { at: '1970-01-01T00:00:00.000Z', n: [1.5, true] } });
  assert.ok(event.get('[deep][at]') instanceof Timestamp);
});

test('round trip: encode then decode gives the same fields and timestamp', () => {
  const codec = binaryOf();
  const event = new Event({ message: 'm', count: 3, tags: ['a', 'b'], geo: { lat: 1.25, lon: -3 } });
  const [back] = decodeAll(codec, codec.encodeBytes(event));
  assert.deepEqual(back!.data['geo'], { lat: 1.25, lon: -3 });
  assert.deepEqual(back!.get('tags'), ['a', 'b']);
  assert.equal(back!.timestamp.toISOString(), event.timestamp.toISOString());
});

test('encode: an event msgpack cannot hold (nested deeper than the bound) throws, so the output rejects only it', () => {
  let deep: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < 600; i++) deep = { d: deep };
  assert.throws(() => binaryOf().encodeBytes(new Event({ deep })));
});

test('the text methods refuse: a binary codec never silently turns into text', () => {
  const codec = makeCodec('msgpack');
  assert.throws(() => codec.encode(new Event({})), /binary codec/);
  assert.throws(() => codec.decode('x', () => undefined), /binary codec/);
});

const values: unknown[] = [
  { message: 'a' }, 0, -1, 127, 128, -33, 65_536, 2 ** 32, -(2 ** 40), 1.5, true, false, null,
  'x'.repeat(31), 'y'.repeat(32), 'z'.repeat(300), 'w'.repeat(70_000), new Uint8Array(10), new Uint8Array(300), new Uint8Array(70_000),
  [], Array.from({ length: 20 }, (_, i) => i), Array.from({ length: 70_000 }, () => 1),
  { nested: { deeper: [{ a: 1 }, { b: [null, 'x'] }] } }, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])),
  new Date(1_700_000_000_123), new Date(2 ** 35 * 1000), new Date(-5000),
];

test('framer: every msgpack type found whole in a stream, whatever the chunking (1 byte, 7 bytes, all at once)', () => {
  const parts = values.map((v) => encode(v));
  const stream = Buffer.concat(parts);
  for (const size of [1, 7, 4096, stream.length]) {
    const framer = new MsgpackFramer(1 << 20);
    const out: Uint8Array[] = [];
    for (let at = 0; at < stream.length; at += size) framer.push(stream.subarray(at, at + size), (m) => out.push(m));
    assert.equal(framer.end(), undefined, `chunks of ${size}: nothing left over`);
    assert.equal(out.length, parts.length, `chunks of ${size}`);
    out.forEach((m, i) => assert.deepEqual(Buffer.from(m), Buffer.from(parts[i]!), `chunks of ${size}, value ${i}`));
  }
  // The ext types msgpack defines (fixext 1/2/4/8/16, ext 8/16/32) are framed too.
  const ext = [Uint8Array.of(0xd4, 1, 9), Uint8Array.of(0xd5, 1, 9, 9), Uint8Array.of(0xd8, 1, ...new Uint8Array(16)), Uint8Array.of(0xc7, 3, 1, 7, 7, 7), Uint8Array.of(0xc8, 0, 2, 1, 7, 7), Uint8Array.of(0xc9, 0, 0, 0, 1, 5, 8)];
  const framer = new MsgpackFramer(1024);
  const out: Uint8Array[] = [];
  framer.push(Buffer.concat(ext), (m) => out.push(m));
  assert.deepEqual(out.map((m) => m.length), ext.map((m) => m.length));
});

test('framer: an unfinished last value is handed back at the end; 0xc1 and an oversize value break the stream with bounded memory', () => {
  const one = encode({ message: 'whole' });
  const framer = new MsgpackFramer(1024);
  const out: Uint8Array[] = [];
  framer.push(Buffer.concat([one, one.subarray(0, 5)]), (m) => out.push(m));
  assert.equal(out.length, 1);
  assert.deepEqual(Buffer.from(framer.end()!), Buffer.from(one.subarray(0, 5)));

  const bad = new MsgpackFramer(1024);
  bad.push(Buffer.concat([one, Uint8Array.of(0x92, 0x01, 0xc1, 0x02)]), () => undefined);
  assert.match(bad.broken!.reason, /0xc1/);
  assert.deepEqual([...bad.broken!.held], [0x92, 0x01, 0xc1, 0x02]);

  // A string declared 1 GiB long: refused from its header, nothing of it buffered.
  const huge = new MsgpackFramer(1024);
  huge.push(Uint8Array.of(0xdb, 0x40, 0, 0, 0, 0x61), () => undefined);
  assert.match(huge.broken!.reason, /longer than 1024 bytes/);
  // An array declaring 4 billion items in 5 bytes.
  const many = new MsgpackFramer(1024);
  many.push(Uint8Array.of(0xdd, 0xff, 0xff, 0xff, 0xff), () => undefined);
  assert.ok(many.broken);
  // A value that grows past the limit a chunk at a time is cut off with at most the limit held.
  const slow = new MsgpackFramer(1000);
  slow.push(Uint8Array.of(0xdc, 0xff, 0xff), () => undefined);
  for (let i = 0; i < 100 && !slow.broken; i++) slow.push(new Uint8Array(100).fill(1), () => undefined);
  assert.ok(slow.broken && slow.broken.held.length <= 1000);
});
