import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { truncateFilter, truncateUtf8 } from '../../../../src/plugins/filters/truncate/index.js';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

test('truncate: docs example, length_bytes 10', async () => {
  const f = await makeFilter(truncateFilter, { length_bytes: 10, fields: ['message'] });
  const [e] = await f.one({ message: 'hello world, how are you?' });
  assert.equal(e!.get('message'), 'hello worl');
});

test('truncate: never splits a multi-byte character', () => {
  // "é" is 2 bytes, "日" 3, the emoji 4 (a surrogate pair in JS).
  const s = 'a\u00e9\u65e5\u{1F600}b';
  const expected = ['', 'a', 'a', 'a\u00e9', 'a\u00e9', 'a\u00e9', 'a\u00e9\u65e5', 'a\u00e9\u65e5', 'a\u00e9\u65e5', 'a\u00e9\u65e5', 'a\u00e9\u65e5\u{1F600}', s];
  for (let n = 0; n < expected.length; n++) {
    const cut = truncateUtf8(s, n);
    assert.equal(cut, expected[n], `n=${n}`);
    assert.ok(bytes(cut) <= n);
  }
  assert.equal(truncateUtf8(s, 100), s);
});

test('truncate: randomized strings stay valid and within the limit', () => {
  const pool = ['a', '\u00e9', '\u65e5', '\u{1F600}', ' '];
  for (let round = 0; round < 200; round++) {
    let s = '';
    for (let i = 0; i < 20; i++) s += pool[(round * 7 + i * 13) % pool.length];
    const n = round % 40;
    const cut = truncateUtf8(s, n);
    assert.ok(bytes(cut) <= n);
    assert.ok(s.startsWith(cut));
    // Maximal: adding the next character would exceed the limit.
    if (cut.length < s.length) {
      const next = String.fromCodePoint(s.codePointAt(cut.length)!);
      assert.ok(bytes(cut) + bytes(next) > n);
    }
    // No lone surrogate at the end.
    assert.equal(Buffer.from(cut, 'utf8').toString('utf8'), cut);
  }
});

test('truncate: default is every top-level field, arrays element-wise, hashes recursively', async () => {
  const f = await makeFilter(truncateFilter, { length_bytes: 3 });
  const [e] = await f.one({ message: 'abcdef', n: 123456, list: ['abcd', 5, ['nested-array-untouched']], h: { a: 'xyzw', deep: { b: 'qrstu' } }, tags: ['longtag'] });
  assert.equal(e!.get('message'), 'abc');
  assert.equal(e!.get('n'), 123456);
  assert.deepEqual(e!.get('list'), ['abc', 5, ['nested-array-untouched']]);
  assert.deepEqual(e!.get('h'), { a: 'xyz', deep: { b: 'qrs' } });
  assert.deepEqual(e!.get('tags'), ['lon']);
  assert.equal(typeof e!.timestamp.toISOString(), 'string');
});

test('truncate: nested field references', async () => {
  const f = await makeFilter(truncateFilter, { length_bytes: 2, fields: ['[a][b]', 'c'] });
  const [e] = await f.one({ a: { b: 'long', x: 'long' }, c: 'long', d: 'long' });
  assert.deepEqual(e!.get('a'), { b: 'lo', x: 'long' });
  assert.equal(e!.get('c'), 'lo');
  assert.equal(e!.get('d'), 'long');
});

test('truncate: decorations only when something was truncated; missing fields are fine', async () => {
  const f = await makeFilter(truncateFilter, { length_bytes: 5, fields: ['message', 'missing'], add_tag: ['truncated'] });
  const [short] = await f.one({ message: 'abc' });
  assert.equal(short!.hasTag('truncated'), false);
  assert.equal(short!.has('missing'), false);
  const [long] = await f.one({ message: 'abcdefgh' });
  assert.ok(long!.hasTag('truncated'));
  assert.equal(long!.get('message'), 'abcde');
});

test('truncate: length_bytes 0 empties strings; negative or missing is a config error', async () => {
  const f = await makeFilter(truncateFilter, { length_bytes: 0, fields: ['m'] });
  const [e] = await f.one({ m: 'abc' });
  assert.equal(e!.get('m'), '');
  await assert.rejects(makeFilter(truncateFilter, { length_bytes: -1 }), /length_bytes must be a whole number >= 0/);
  await assert.rejects(makeFilter(truncateFilter, {}), /requires option "length_bytes"/);
});
