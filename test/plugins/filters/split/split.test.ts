import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { splitFilter } from '../../../../src/plugins/filters/split/index.js';

test('split: default splits message on newlines, one event per line', async () => {
  const f = await makeFilter(splitFilter, {});
  const out = await f.one({ message: 'big\nbird\nsesame street', host: 'h' });
  assert.deepEqual(out.map((e) => e.get('message')), ['big', 'bird', 'sesame street']);
  // Each piece is a full copy of the event.
  for (const e of out) assert.equal(e.get('host'), 'h');
});

test('split: custom terminator', async () => {
  const f = await makeFilter(splitFilter, { terminator: '\t' });
  const out = await f.one({ message: 'big\tbird\tsesame street' });
  assert.deepEqual(out.map((e) => e.get('message')), ['big', 'bird', 'sesame street']);
});

test('split: multi-character terminator and target', async () => {
  const f = await makeFilter(splitFilter, { terminator: ';,;', target: 'piece' });
  const out = await f.one({ message: 'a;,;b' });
  assert.deepEqual(out.map((e) => e.get('piece')), ['a', 'b']);
  // With a target the source field stays as it was.
  assert.deepEqual(out.map((e) => e.get('message')), ['a;,;b', 'a;,;b']);
});

test('split: empty pieces are skipped', async () => {
  const f = await makeFilter(splitFilter, {});
  const out = await f.one({ message: 'a\n\nb\n' });
  assert.deepEqual(out.map((e) => e.get('message')), ['a', 'b']);
});

test('split: a string without the terminator is left alone and not decorated', async () => {
  const f = await makeFilter(splitFilter, { add_tag: ['was_split'] });
  const out = await f.one({ message: 'no newline here' });
  assert.equal(out.length, 1);
  assert.equal(out[0]!.get('message'), 'no newline here');
  assert.equal(out[0]!.hasTag('was_split'), false);
});

test('split: an empty string yields no events (Ruby split gives no pieces)', async () => {
  const f = await makeFilter(splitFilter, {});
  assert.equal((await f.one({ message: '' })).length, 0);
});

test('split: arrays split element-wise; nested field; nulls and empty strings skipped', async () => {
  const f = await makeFilter(splitFilter, { field: '[doc][results]', add_tag: ['x'] });
  const out = await f.one({ doc: { results: [{ id: 1 }, null, '', { id: 2 }, 3] }, keep: true });
  assert.deepEqual(out.map((e) => e.get('[doc][results]')), [{ id: 1 }, { id: 2 }, 3]);
  for (const e of out) {
    assert.equal(e.get('keep'), true);
    assert.ok(e.hasTag('x'), 'new events get the decorations');
  }
});

test('split: array with a target keeps the array in each copy', async () => {
  const f = await makeFilter(splitFilter, { field: 'list', target: 'item' });
  const out = await f.one({ list: ['a', 'b'] });
  assert.deepEqual(out.map((e) => e.get('item')), ['a', 'b']);
  assert.deepEqual(out[1]!.get('list'), ['a', 'b']);
});

test('split: copies are independent', async () => {
  const f = await makeFilter(splitFilter, {});
  const out = await f.one({ message: 'a\nb', nested: { n: 1 } });
  (out[0]!.get('nested') as Record<string, number>).n = 99;
  assert.equal(out[1]!.get('[nested][n]'), 1);
});

test('split: an empty array cancels the event and emits nothing', async () => {
  const f = await makeFilter(splitFilter, { field: 'list' });
  assert.equal((await f.one({ list: [] })).length, 0);
});

test('split: wrong types and missing fields are tagged _split_type_failure', async () => {
  const f = await makeFilter(splitFilter, { field: 'v', add_tag: ['ok'] });
  for (const input of [{ v: 5 }, { v: { a: 1 } }, { v: null }, { other: 'x' }]) {
    const out = await f.one(input);
    assert.equal(out.length, 1);
    assert.ok(out[0]!.hasTag('_split_type_failure'), JSON.stringify(input));
    assert.equal(out[0]!.hasTag('ok'), false);
  }
});

test('split: metadata is copied to each piece', async () => {
  const f = await makeFilter(splitFilter, {});
  const out = await f.one({ message: 'a\nb', '@metadata': { m: 'meta' } });
  assert.deepEqual(out.map((e) => e.get('[@metadata][m]')), ['meta', 'meta']);
});

// rubySplit itself: test/core/ruby-string.test.ts.
