/** Utf8Builder: text appended in pieces comes out as the UTF-8 of the whole, however it was cut into parts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Utf8Builder } from '../../src/core/utf8-builder.js';

test('the bytes are the UTF-8 of everything appended, across part boundaries, for one-byte and two-byte text', () => {
  const pieces: string[] = [];
  for (let i = 0; i < 2000; i++) pieces.push(i % 7 === 0 ? `${i} 日本語 é 😀 ${'w'.repeat(i % 90)}\n` : `${i} ${'a'.repeat(i % 300)}\n`);
  const b = new Utf8Builder();
  for (const p of pieces) b.append(p);
  assert.ok(!b.empty);
  const bytes = b.take();
  assert.ok(pieces.join('').length > 4 * 60 * 1024, 'several parts');
  assert.deepEqual(Buffer.from(bytes), Buffer.from(pieces.join(''), 'utf8'));
  assert.equal(bytes.byteOffset, 0);
  assert.equal(bytes.buffer.byteLength, bytes.length, 'its own ArrayBuffer, transferable');
});

test('take() empties the builder; a small text is one encode', () => {
  const b = new Utf8Builder();
  assert.ok(b.empty);
  assert.equal(b.take().length, 0);
  b.append('héllo\n');
  assert.equal(Buffer.from(b.take()).toString('utf8'), 'héllo\n');
  assert.ok(b.empty);
  b.append('x'.repeat(40_000));
  b.append('y');
  assert.equal(Buffer.from(b.take()).toString('latin1'), `${'x'.repeat(40_000)}y`);
  assert.ok(b.empty);
});

test('a part ends between two pieces, never inside one: a pair stays whole, a lone surrogate becomes U+FFFD as TextEncoder makes it', () => {
  const b = new Utf8Builder();
  const first = `${'z'.repeat(60 * 1024 - 1)}\uD83D`; // a high surrogate whose low half is in the next piece
  const second = '\uDE00 and a lone \uD800 end';
  b.append(first);
  b.append(second);
  const got = Buffer.from(b.take());
  // The part boundary falls between the pieces, so the split pair is encoded as two lone halves,
  // exactly as encoding each piece on its own would; everything else is byte for byte the same.
  assert.deepEqual(got, Buffer.concat([new TextEncoder().encode(first), new TextEncoder().encode(second)]));
  const whole = new Utf8Builder();
  whole.append(`${'z'.repeat(100)}😀\uD800end`);
  assert.deepEqual(Buffer.from(whole.take()), Buffer.from(new TextEncoder().encode(`${'z'.repeat(100)}😀\uD800end`)));
});
