import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineChunker, type LineChunk } from '../../src/core/lines.js';

const text = (c: LineChunk) => Buffer.from(c.bytes).toString();

test('gathers whole lines until the target size, keeps the partial tail', () => {
  const chunker = new LineChunker(10);
  const out: LineChunk[] = [];
  chunker.push(Buffer.from('aaa\nbb'), (c) => out.push(c));
  assert.equal(out.length, 0); // 4 complete bytes < 10
  chunker.push(Buffer.from('b\ncccc\ndd'), (c) => out.push(c));
  assert.deepEqual(out.map(text), ['aaa\nbbb\ncccc\n']);
  assert.deepEqual(out.map((c) => c.lines), [3]);
  assert.equal(chunker.bufferedBytes, 2);
  chunker.end((c) => out.push(c));
  assert.deepEqual(out.map(text).slice(1), ['dd']);
  assert.equal(out[1]!.lines, 1);
});

test('flush hands over complete lines only; end adds the unterminated line', () => {
  const chunker = new LineChunker(1 << 20);
  const out: LineChunk[] = [];
  chunker.push(Buffer.from('one\ntwo\nthr'), (c) => out.push(c));
  assert.equal(chunker.hasCompleteLines, true);
  chunker.flush((c) => out.push(c));
  assert.deepEqual(out.map(text), ['one\ntwo\n']);
  assert.equal(out[0]!.lines, 2);
  assert.equal(chunker.hasCompleteLines, false);
  chunker.push(Buffer.from('ee\n'), (c) => out.push(c));
  chunker.end((c) => out.push(c));
  assert.deepEqual(out.map(text), ['one\ntwo\n', 'three\n']);
});

test('every byte comes out once, in order, whatever the read sizes; chunks own their buffers', () => {
  const input = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`).join('\n') + '\nlast-without-newline');
  for (const [target, step] of [[64, 7], [1000, 333], [1 << 16, 4096], [1, 1]] as const) {
    const chunker = new LineChunker(target);
    const out: LineChunk[] = [];
    const reused = Buffer.alloc(step);
    for (let i = 0; i < input.length; i += step) {
      const n = input.copy(reused, 0, i, Math.min(i + step, input.length));
      chunker.push(reused.subarray(0, n), (c) => out.push(c)); // the caller reuses its buffer
    }
    chunker.end((c) => out.push(c));
    assert.equal(Buffer.concat(out.map((c) => c.bytes)).toString(), input.toString(), `target ${target} step ${step}`);
    assert.equal(out.reduce((n, c) => n + c.lines, 0), 5001);
    for (const c of out.slice(0, -1)) assert.equal(c.bytes[c.bytes.length - 1], 10);
    assert.ok(out.every((c) => c.bytes.byteOffset === 0 && c.bytes.buffer.byteLength === c.bytes.length), 'transferable');
  }
});
