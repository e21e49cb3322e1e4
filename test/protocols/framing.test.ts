import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageFramer, type Framing } from '../../src/protocols/framing.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Feeds `chunks` and returns the messages as text, each with a "!" suffix when truncated. */
function frame(framing: Framing, chunks: Array<string | Uint8Array>, maxBytes = 1024, end = true): string[] {
  const framer = new MessageFramer(framing, maxBytes);
  const out: string[] = [];
  const emit = (m: Uint8Array, truncated: boolean): void => {
    out.push(dec.decode(m) + (truncated ? '!' : ''));
  };
  for (const c of chunks) framer.push(typeof c === 'string' ? enc.encode(c) : c, emit);
  if (end) framer.end(emit);
  return out;
}

const RFC6587: Framing = { kind: 'rfc6587' };
const NUL: Framing = { kind: 'delimited', delimiter: 0 };

test('framing rfc6587: octet-counted and LF-terminated messages mixed in one stream, detected per message', () => {
  const a = '<13>1 2024-01-01T00:00:00Z h app - - - one';
  const b = '<14>Jan  1 00:00:00 h app: two\n';
  const c = '<15>1 - - - - - - three\nwith a newline inside';
  const stream = `${enc.encode(a).length} ${a}${b}${enc.encode(c).length} ${c}<16>last\r\n`;
  assert.deepEqual(frame(RFC6587, [stream]), [a, b.trimEnd(), c, '<16>last']);
});

test('framing rfc6587: split at every byte boundary gives the same messages', () => {
  const msgs = ['<13>1 - h a - - - é€𝄞 unicode', '<14>plain line', '<15>1 - - - - - - x'];
  const stream = enc.encode(`${enc.encode(msgs[0]!).length} ${msgs[0]}${msgs[1]}\n${enc.encode(msgs[2]!).length} ${msgs[2]}`);
  for (let cut = 1; cut < stream.length; cut++) {
    assert.deepEqual(frame(RFC6587, [stream.subarray(0, cut), stream.subarray(cut)]), msgs, `cut at ${cut}`);
  }
  const oneByOne = Array.from(stream, (b) => new Uint8Array([b]));
  assert.deepEqual(frame(RFC6587, oneByOne), msgs);
});

test('framing rfc6587: digits not followed by a space are text of an LF-terminated message', () => {
  assert.deepEqual(frame(RFC6587, ['2024-01-01 no pri\n12345\n']), ['2024-01-01 no pri', '12345']);
});

test('framing rfc6587: an oversize octet-counted message is cut at maxBytes (UTF-8 boundary), the rest skipped', () => {
  const big = 'x'.repeat(9) + 'é'.repeat(10); // 29 bytes
  const stream = `${enc.encode(big).length} ${big}5 after`;
  assert.deepEqual(frame(RFC6587, [stream], 10), ['xxxxxxxxx!', 'after']);
  // cut inside "é" (2 bytes): the partial character is dropped, not decoded to U+FFFD
  assert.deepEqual(frame(RFC6587, [`${enc.encode(big).length} `, big, '3 end'], 12), ['xxxxxxxxxé!', 'end']);
});

test('framing: an oversize LF line is cut, the rest skipped as it arrives, memory stays bounded', () => {
  const framer = new MessageFramer(RFC6587, 100);
  const out: string[] = [];
  const emit = (m: Uint8Array, t: boolean): void => {
    out.push(`${m.length}${t ? '!' : ''}`);
  };
  const chunk = enc.encode('y'.repeat(64 * 1024));
  framer.push(enc.encode('<13>'), emit);
  for (let i = 0; i < 160; i++) { // 10 MiB line
    framer.push(chunk, emit);
    assert.ok(framer.pendingBytes <= 100);
  }
  framer.push(enc.encode('\n<14>ok\n'), emit);
  assert.deepEqual(out, ['100!', '6']);
  assert.equal(framer.truncated, 1);
});

test('framing: empty messages are skipped; end() hands out an unterminated last message', () => {
  assert.deepEqual(frame(RFC6587, ['\n\r\n<13>a\n\n<14>tail']), ['<13>a', '<14>tail']);
  assert.deepEqual(frame(RFC6587, ['<14>tail'], 1024, false), []);
});

test('framing delimited NUL: GELF over TCP, JSON with newlines inside', () => {
  const a = '{"short_message":"a\\nb","x":"line\nbreak"}';
  assert.deepEqual(frame(NUL, [`${a}\0{"b":1}\0`, '\0', '{"c"', ':2}\0']), [a, '{"b":1}', '{"c":2}']);
});

test('framing: maxBytes must be positive', () => {
  assert.throws(() => new MessageFramer(NUL, 0), RangeError);
});
