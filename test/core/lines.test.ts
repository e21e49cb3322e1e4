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

const collect = (chunker: LineChunker, reads: Array<string | Buffer>): LineChunk[] => {
  const out: LineChunk[] = [];
  for (const r of reads) chunker.push(typeof r === 'string' ? Buffer.from(r) : r, (c) => out.push(c));
  chunker.end((c) => out.push(c));
  return out;
};

test('maxLines: a chunk is cut at that many lines, inside one read as well as across reads', () => {
  const out = collect(new LineChunker(1 << 20, { maxLines: 2 }), ['a\nb\nc\nd\ne', '\nf\n', 'g\n']);
  assert.deepEqual(out.map(text), ['a\nb\n', 'c\nd\n', 'e\nf\n', 'g\n']);
  assert.deepEqual(out.map((c) => c.lines), [2, 2, 2, 1]);
  assert.ok(out.every((c) => c.truncated === undefined));
});

test('whichever bound comes first cuts the chunk: bytes or lines', () => {
  const out = collect(new LineChunker(8, { maxLines: 3 }), ['a\nb\nc\nd\nlonger-line\ne\n']);
  assert.deepEqual(out.map(text), ['a\nb\nc\n', 'd\nlonger-line\n', 'e\n']);
});

test('a huge line without a newline is held up to maxLineBytes only, then cut, tagged and the rest dropped; the next line is intact', () => {
  const limit = 1000;
  const chunker = new LineChunker(64 * 1024, { maxLineBytes: limit });
  const out: LineChunk[] = [];
  const read = Buffer.alloc(16 * 1024, 'x');
  let maxBuffered = 0;
  for (let k = 0; k < 640; k++) { // 10 MiB, no newline
    chunker.push(read, (c) => out.push(c));
    maxBuffered = Math.max(maxBuffered, chunker.bufferedBytes);
  }
  assert.ok(maxBuffered <= limit + read.length, `held ${maxBuffered} bytes`);
  chunker.push(Buffer.from('yyy\nnext line\n'), (c) => out.push(c));
  chunker.end((c) => out.push(c));
  assert.equal(out.map(text).join(''), 'x'.repeat(limit) + '\nnext line\n');
  assert.deepEqual(out.flatMap((c) => c.truncated ?? []), [0]);
  assert.equal(chunker.truncatedLines, 1);
  assert.equal(chunker.discardedBytes, 640 * read.length - limit + 3);
});

test('an over-long line inside one read is cut too; the truncated index counts the lines before it in the chunk', () => {
  const out = collect(new LineChunker(1 << 20, { maxLineBytes: 5 }), ['ab\n' + 'x'.repeat(20) + '\ncd\n12345\n123456']);
  // The unterminated last line passes the limit too: it is cut as it arrives, not at end().
  assert.deepEqual(out.map(text), ['ab\nxxxxx\ncd\n12345\n12345\n']);
  assert.deepEqual(out.map((c) => c.truncated), [[1, 4]]);
  assert.deepEqual(out.map((c) => c.lines), [5]);
});

test('a cut never splits a UTF-8 character, even one that began in an earlier read', () => {
  // é is 2 bytes, € 3, 😀 4: with a limit of 5 bytes the cut falls inside the second character.
  for (const [ch, kept] of [['é', 'éé'], ['€', '€'], ['😀', '😀']] as const) {
    const line = Buffer.from(ch.repeat(10) + '\nok\n');
    for (let step = 1; step <= line.length; step++) {
      const reads: Buffer[] = [];
      for (let i = 0; i < line.length; i += step) reads.push(line.subarray(i, i + step));
      const out = collect(new LineChunker(1 << 20, { maxLineBytes: 5 }), reads);
      assert.equal(out.map(text).join(''), kept + '\nok\n', `${ch} read ${step} bytes at a time`);
      assert.deepEqual(out.flatMap((c) => c.truncated ?? []), [0]);
    }
  }
});

test('random streams: the chunks equal every line cut at the limit, whatever the read sizes and bounds', () => {
  let seed = 42;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const alphabet = ['a', 'b', 'é', '€', '😀', ' '];
  for (let round = 0; round < 200; round++) {
    const limit = 1 + random(40);
    const lines = Array.from({ length: random(30) }, () => Array.from({ length: random(60) }, () => alphabet[random(alphabet.length)]).join(''));
    const input = Buffer.from(lines.join('\n') + (random(2) ? '\n' : ''));
    // Reference: each line cut at `limit` bytes, backed off to a character start.
    const expected: string[] = [];
    const truncated: number[] = [];
    const raw = input.toString().split('\n');
    if (raw[raw.length - 1] === '') raw.pop();
    raw.forEach((l, index) => {
      const b = Buffer.from(l);
      if (b.length <= limit) {
        expected.push(index < raw.length - 1 || input[input.length - 1] === 10 ? l + '\n' : l);
        return;
      }
      let cut = limit;
      while (cut > 0 && (b[cut]! & 0xc0) === 0x80) cut--;
      expected.push(b.subarray(0, cut).toString() + '\n');
      truncated.push(index);
    });
    // Odd rounds hold views of the pushed reads (borrowInput) instead of copies: same chunks.
    const borrowInput = round % 2 === 1;
    const chunker = new LineChunker(1 + random(100), { maxLines: 1 + random(5), maxLineBytes: limit, borrowInput });
    const out: LineChunk[] = [];
    for (let i = 0; i < input.length;) {
      const step = 1 + random(50);
      chunker.push(input.subarray(i, i + step), (c) => out.push(c));
      i += step;
    }
    chunker.end((c) => out.push(c));
    assert.equal(out.map(text).join(''), expected.join(''), `round ${round}`);
    assert.ok(out.every((c) => c.bytes.byteOffset === 0 && c.bytes.buffer.byteLength === c.bytes.length && c.bytes.buffer !== input.buffer),
      `round ${round}: every chunk owns its buffer (transferable), borrowing or not`);
    let before = 0;
    const got: number[] = [];
    for (const c of out) {
      for (const t of c.truncated ?? []) got.push(before + t);
      before += c.lines;
    }
    assert.deepEqual(got, truncated, `round ${round}: truncated lines`);
    assert.equal(before, raw.length, `round ${round}: line count`);
  }
});

test('borrowInput: a chunk inside one read is still copied out, so transferring it never detaches the reader\'s buffer', () => {
  const chunker = new LineChunker(1 << 16, { maxLines: 2, borrowInput: true });
  const read = Buffer.from('a\nb\nc\nd\n');
  const out: LineChunk[] = [];
  chunker.push(read, (c) => out.push(c));
  assert.deepEqual(out.map(text), ['a\nb\n', 'c\nd\n']);
  for (const c of out) {
    assert.notEqual(c.bytes.buffer, read.buffer);
    structuredClone(c.bytes, { transfer: [c.bytes.buffer as ArrayBuffer] });
  }
  assert.equal(read.toString(), 'a\nb\nc\nd\n', 'the read is intact after the chunks were transferred');
});
