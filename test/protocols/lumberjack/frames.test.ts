import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, inflateSync } from 'node:zlib';
import {
  FrameParser, LumberjackProtocolError, encodeAck, encodeCompressed, encodeData, encodeJson, encodeWindow, encodeWindowFrames,
  jsonFramesSize, writeJsonFrames, type Frame,
} from '../../../src/protocols/lumberjack/frames.js';

const MAX = 1024 * 1024;

function parseAll(bytes: Buffer, accept: 'client-frames' | 'server-frames' = 'client-frames', maxFrameBytes = MAX): Frame[] {
  const out: Frame[] = [];
  const parser = new FrameParser({ maxFrameBytes, accept });
  parser.push(bytes, (f) => out.push(copy(f)));
  parser.end();
  return out;
}

/** Payloads are views into the parser's buffer: copy for comparison. */
function copy(f: Frame): Frame {
  return f.type === 'json' ? { ...f, payload: Buffer.from(f.payload) } : f;
}

function json(frames: Frame[]): string[] {
  return frames.map((f) => (f.type === 'json' ? `${f.seq}:${Buffer.from(f.payload).toString()}` : `${f.type}`));
}

function protocolError(code: string) {
  return (err: unknown): boolean => err instanceof LumberjackProtocolError && err.code === code;
}

test('hand-built bytes: window, JSON data, ACK, v1 data', () => {
  const window = Buffer.from([0x32, 0x57, 0, 0, 0, 2]);
  const data = Buffer.concat([Buffer.from([0x32, 0x4a, 0, 0, 0, 1, 0, 0, 0, 7]), Buffer.from('{"a":1}')]);
  const v1 = Buffer.concat([
    Buffer.from([0x31, 0x44, 0, 0, 0, 2, 0, 0, 0, 1]),
    Buffer.from([0, 0, 0, 4]), Buffer.from('line'), Buffer.from([0, 0, 0, 2]), Buffer.from('hi'),
  ]);
  assert.deepEqual(parseAll(Buffer.concat([window, data, v1])), [
    { type: 'window', version: 0x32, count: 2 },
    { type: 'json', version: 0x32, seq: 1, payload: Buffer.from('{"a":1}') },
    { type: 'data', version: 0x31, seq: 2, fields: { line: 'hi' } },
  ]);
  assert.deepEqual(parseAll(Buffer.from([0x32, 0x41, 0, 0, 1, 0]), 'server-frames'), [{ type: 'ack', version: 0x32, seq: 256 }]);
  // The encoders produce exactly these bytes.
  assert.deepEqual(encodeWindow(2), window);
  assert.deepEqual(encodeJson(1, Buffer.from('{"a":1}')), data);
  assert.deepEqual(encodeData(2, { line: 'hi' }), v1);
  assert.deepEqual(encodeAck(256), Buffer.from([0x32, 0x41, 0, 0, 1, 0]));
});

test('every frame type round-trips through encode and parse', () => {
  const fields = { line: 'héllo', host: 'h1', empty: '' };
  const frames = parseAll(Buffer.concat([encodeWindow(3), encodeJson(1, Buffer.from('{"x":"ü"}')), encodeData(2, fields), encodeCompressed(encodeJson(3, Buffer.from('{}')), 6)]));
  assert.deepEqual(frames, [
    { type: 'window', version: 0x32, count: 3 },
    { type: 'json', version: 0x32, seq: 1, payload: Buffer.from('{"x":"ü"}') },
    { type: 'data', version: 0x31, seq: 2, fields },
    { type: 'json', version: 0x32, seq: 3, payload: Buffer.from('{}') },
  ]);
  assert.deepEqual(parseAll(encodeAck(4_000_000_000), 'server-frames'), [{ type: 'ack', version: 0x32, seq: 4_000_000_000 }]);
});

test('a compressed frame is a zlib stream of whole frames; inner frames come out in order', () => {
  const inner = Buffer.concat([encodeJson(1, Buffer.from('{"n":1}')), encodeJson(2, Buffer.from('{"n":2}'))]);
  const body = deflateSync(inner);
  const head = Buffer.from([0x32, 0x43, 0, 0, 0, 0]);
  head.writeUInt32BE(body.length, 2);
  assert.deepEqual(json(parseAll(Buffer.concat([encodeWindow(2), head, body]))), ['window', '1:{"n":1}', '2:{"n":2}']);
});

test('encodeWindowFrames: W + C(J…) when compressing, W + J… when not; seq restarts at 1 for a slice', () => {
  const docs = ['{"i":0}', '{"i":1}', '{"i":2}', '{"i":3}'];
  const bytes = Buffer.from(docs.join(''));
  let at = 0;
  const ends = Uint32Array.from(docs.map((d) => (at += d.length)));
  for (const level of [0, 1, 9]) {
    const window = encodeWindowFrames(bytes, ends, 1, 4, level);
    assert.equal(window[7], level > 0 ? 0x43 : 0x4a, `level ${level}: second frame type`);
    assert.deepEqual(json(parseAll(window)), ['window', '1:{"i":1}', '2:{"i":2}', '3:{"i":3}']);
  }
});

/** Documents laid end to end, as the encoders take them. */
function laidOut(docs: string[]): { bytes: Uint8Array; ends: Uint32Array } {
  let at = 0;
  return { bytes: new Uint8Array(Buffer.from(docs.join(''))), ends: Uint32Array.from(docs.map((d) => (at += Buffer.byteLength(d)))) };
}

/** J frames seq 1.. of `docs`, frame by frame with encodeJson (whose bytes the first test pins down). */
function jFrames(docs: string[]): Buffer {
  return Buffer.concat(docs.map((d, i) => encodeJson(i + 1, Buffer.from(d))));
}

test('encodeWindowFrames, byte for byte: W(n) then J(seq, len, document) per event; compressed: W(n), C(len) and a zlib stream of those J frames', () => {
  const docs = ['{"a":1}', '{"b":"ü€"}', '{}', '{"message":"x\\"y"}', '[]'];
  const { bytes, ends } = laidOut(docs);
  // The whole window, and a slice (seq restarts at 1), and single events at either end.
  for (const [from, to] of [[0, 5], [1, 4], [0, 1], [4, 5]] as const) {
    const slice = docs.slice(from, to);
    const plain = encodeWindowFrames(bytes, ends, from, to, 0);
    assert.deepEqual(plain, Buffer.concat([encodeWindow(to - from), jFrames(slice)]), `plain [${from}, ${to})`);
    for (const level of [1, 3, 9]) {
      const compressed = encodeWindowFrames(bytes, ends, from, to, level);
      const body = deflateSync(jFrames(slice), { level });
      const head = Buffer.from([0x32, 0x43, 0, 0, 0, 0]);
      head.writeUInt32BE(body.length, 2);
      assert.deepEqual(compressed, Buffer.concat([encodeWindow(to - from), head, body]), `level ${level} [${from}, ${to})`);
      assert.deepEqual(inflateSync(compressed.subarray(12)), jFrames(slice));
    }
  }
});

test('encodeWindowFrames: windows of 1 and of 10,000 events, plain, byte for byte', () => {
  for (const n of [1, 10_000]) {
    const docs = Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, message: `line ${i} ${'é'.repeat(i % 5)}` }));
    const { bytes, ends } = laidOut(docs);
    assert.deepEqual(encodeWindowFrames(bytes, ends, 0, n, 0), Buffer.concat([encodeWindow(n), jFrames(docs)]), `${n} events`);
  }
});

test('writeJsonFrames writes exactly its span, at any offset, and returns its end', () => {
  const docs = ['{"i":0}', '{"i":10}', '{"i":200}', '{}'];
  const { bytes, ends } = laidOut(docs);
  for (const [from, to] of [[0, 4], [1, 3], [3, 4]] as const) {
    const size = jsonFramesSize(ends, from, to);
    assert.equal(size, jFrames(docs.slice(from, to)).length);
    const into = Buffer.alloc(size + 20, 0xee);
    assert.equal(writeJsonFrames(into, 7, bytes, ends, from, to), 7 + size);
    assert.deepEqual(into.subarray(7, 7 + size), jFrames(docs.slice(from, to)));
    assert.ok(into.subarray(0, 7).every((b) => b === 0xee) && into.subarray(7 + size).every((b) => b === 0xee), 'nothing written outside the span');
  }
  assert.equal(jsonFramesSize(ends, 2, 2), 0);
  assert.equal(writeJsonFrames(Buffer.alloc(0), 5, bytes, ends, 2, 2), 5);
});

test('the parser takes a stream cut at every possible byte and yields the same frames', () => {
  const stream = Buffer.concat([
    encodeWindow(3), encodeJson(1, Buffer.from('{"a":"b"}')), encodeData(2, { k: 'v' }), encodeCompressed(encodeJson(3, Buffer.from('[1]')), 3), encodeWindow(0),
  ]);
  const expected = parseAll(stream);
  for (let cut1 = 0; cut1 < stream.length; cut1++) {
    for (const cut2 of [cut1 + 1, cut1 + 7, stream.length]) {
      const out: Frame[] = [];
      const parser = new FrameParser({ maxFrameBytes: MAX, accept: 'client-frames' });
      for (const piece of [stream.subarray(0, cut1), stream.subarray(cut1, Math.min(cut2, stream.length)), stream.subarray(Math.min(cut2, stream.length))]) {
        parser.push(piece, (f) => out.push(copy(f)));
      }
      parser.end();
      assert.deepEqual(out, expected, `cut at ${cut1}/${cut2}`);
    }
  }
  // Byte by byte.
  const out: Frame[] = [];
  const parser = new FrameParser({ maxFrameBytes: MAX, accept: 'client-frames' });
  for (const byte of stream) parser.push(Buffer.from([byte]), (f) => out.push(copy(f)));
  assert.deepEqual(out, expected);
});

test('a window of 10,000 events compressed in one frame parses whole', () => {
  const docs = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ id: i, message: `line ${i}` }));
  const bytes = Buffer.from(docs.join(''));
  let at = 0;
  const ends = Uint32Array.from(docs.map((d) => (at += Buffer.byteLength(d))));
  const frames = parseAll(encodeWindowFrames(bytes, ends, 0, 10_000, 3), 'client-frames', 16 * MAX);
  assert.equal(frames.length, 10_001);
  assert.deepEqual(frames[0], { type: 'window', version: 0x32, count: 10_000 });
  const ids = frames.slice(1).map((f) => (f.type === 'json' ? (JSON.parse(Buffer.from(f.payload).toString()) as { id: number }).id : -1));
  assert.deepEqual(ids, Array.from({ length: 10_000 }, (_, i) => i));
  assert.deepEqual(frames.slice(1).map((f) => (f.type === 'json' ? f.seq : -1)), Array.from({ length: 10_000 }, (_, i) => i + 1));
});

test('garbage: an unknown version byte, an unknown frame type, a frame of the other side', () => {
  assert.throws(() => parseAll(Buffer.from('GET / HTTP/1.1\r\n\r\n')), protocolError('bad_version'));
  assert.throws(() => parseAll(Buffer.from([0x32, 0x5a, 0, 0, 0, 0])), (err: unknown) => protocolError('bad_type')(err) && /'Z'/.test((err as Error).message));
  assert.throws(() => parseAll(encodeAck(1)), protocolError('bad_type'), 'a server does not read ACKs');
  assert.throws(() => parseAll(encodeWindow(1), 'server-frames'), protocolError('bad_type'), 'a client reads only ACKs');
});

test('truncated input: end() inside a frame; a compressed frame holding half a frame', () => {
  const frame = encodeJson(1, Buffer.from('{"a":1}'));
  for (const cut of [1, 5, 9, frame.length - 1]) {
    const parser = new FrameParser({ maxFrameBytes: MAX, accept: 'client-frames' });
    const out: Frame[] = [];
    parser.push(frame.subarray(0, cut), (f) => out.push(f));
    assert.equal(out.length, 0);
    assert.equal(parser.pendingBytes, cut);
    assert.throws(() => parser.end(), protocolError('truncated'));
  }
  const half = encodeCompressed(frame.subarray(0, 12), 3);
  assert.throws(() => parseAll(half), protocolError('truncated'));
});

test('oversized frames are refused before they are buffered, and so is a compressed frame inflating past the limit', () => {
  const limit = 1000;
  // The header alone announces the size: no need to receive the body.
  const header = Buffer.from([0x32, 0x4a, 0, 0, 0, 1, 0, 0, 0, 0]);
  header.writeUInt32BE(limit + 1, 6);
  const parser = new FrameParser({ maxFrameBytes: limit, accept: 'client-frames' });
  assert.throws(() => parser.push(header, () => undefined), protocolError('oversized'));
  const compressedHeader = Buffer.from([0x32, 0x43, 0xff, 0xff, 0xff, 0xff]);
  assert.throws(() => parseAll(compressedHeader, 'client-frames', limit), protocolError('oversized'));
  // A small compressed frame that inflates to 100 KB (a zip bomb in miniature).
  const bomb = encodeCompressed(encodeJson(1, Buffer.alloc(100_000, 0x20)), 9);
  assert.ok(bomb.length < limit);
  assert.throws(() => parseAll(bomb, 'client-frames', limit), protocolError('oversized'));
  // v1 data frame whose pairs run past the limit.
  assert.throws(() => parseAll(encodeData(1, { k: 'x'.repeat(2000) }), 'client-frames', limit), protocolError('oversized'));
});

test('a compressed frame that is not zlib is a protocol error', () => {
  const junk = Buffer.from('definitely not zlib');
  const head = Buffer.from([0x32, 0x43, 0, 0, 0, junk.length]);
  assert.throws(() => parseAll(Buffer.concat([head, junk])), protocolError('bad_compression'));
});
