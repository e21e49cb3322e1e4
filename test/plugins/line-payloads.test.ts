/** Line payloads decoded in pieces: whole lines, pieces under V8's large-object size, cut lines flagged exactly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLineChunk, LINE_PIECE_BYTES, type TruncatedLines } from '../../src/plugins/line-payloads.js';

function pieces(bytes: Uint8Array, truncated?: TruncatedLines, pieceBytes?: number): { text: string; cut: boolean }[] {
  const out: { text: string; cut: boolean }[] = [];
  decodeLineChunk(bytes, truncated, (text, cut) => void out.push({ text, cut }), pieceBytes);
  return out;
}

const linesOf = (count: number, width: (i: number) => number): string =>
  Array.from({ length: count }, (_, i) => `${i} ${'x'.repeat(width(i))}\n`).join('');

test('a chunk over a piece is decoded in pieces of whole lines, each at most LINE_PIECE_BYTES, that join to the whole', () => {
  const text = linesOf(3000, (i) => (i * 37) % 400);
  assert.ok(text.length > 4 * LINE_PIECE_BYTES);
  const got = pieces(new Uint8Array(Buffer.from(text)));
  assert.ok(got.length >= 4, `${got.length} pieces`);
  for (const p of got) {
    assert.ok(p.text.length <= LINE_PIECE_BYTES, `piece of ${p.text.length}`);
    assert.ok(p.text.endsWith('\n'));
    assert.equal(p.cut, false);
  }
  assert.equal(got.map((p) => p.text).join(''), text);
});

test('a line longer than a piece is a piece of its own; an unterminated last line ends the last piece', () => {
  const long = `${'L'.repeat(LINE_PIECE_BYTES * 2 + 5)}\n`;
  const text = `a\n${long}b\nc`;
  const got = pieces(Buffer.from(text));
  assert.deepEqual(got.map((p) => p.text), ['a\n', long, 'b\nc']);
});

test('pieceBytes Infinity (a codec joining lines) gets the chunk whole', () => {
  const text = linesOf(2000, () => 100);
  assert.deepEqual(pieces(Buffer.from(text), undefined, Infinity).map((p) => p.text), [text]);
});

test('cut lines are decoded alone and flagged, in a chunk large enough to be cut in pieces too', () => {
  const lines = Array.from({ length: 2000 }, (_, i) => `${i} ${'y'.repeat(90)}`);
  const truncated = [0, 700, 701, 1999];
  const got = pieces(Buffer.from(lines.map((l) => `${l}\n`).join('')), truncated);
  const cutLines = got.filter((p) => p.cut).map((p) => p.text);
  assert.deepEqual(cutLines, truncated.map((i) => `${lines[i]}\n`));
  assert.equal(got.map((p) => p.text).join(''), lines.map((l) => `${l}\n`).join(''));
  assert.ok(got.every((p) => p.text.length <= LINE_PIECE_BYTES));
});

test('text that is not ASCII is decoded as UTF-8, invalid bytes as U+FFFD, whichever side of a piece boundary it falls', () => {
  const parts: Buffer[] = [];
  for (let i = 0; i < 1500; i++) parts.push(Buffer.from(i % 3 === 0 ? `${i} ascii only line ${'z'.repeat(60)}\n` : `${i} 日本語 é ${'w'.repeat(60)}\n`));
  parts.push(Buffer.from([0x62, 0xff, 0xc3, 0x0a])); // "b", an invalid byte, a truncated sequence
  const bytes = Buffer.concat(parts);
  const got = pieces(bytes);
  assert.ok(got.length > 1);
  assert.equal(got.map((p) => p.text).join(''), new TextDecoder('utf-8').decode(bytes));
  assert.ok(got.at(-1)!.text.endsWith('b\uFFFD\uFFFD\n'));
});
