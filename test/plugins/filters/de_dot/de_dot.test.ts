import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { deDotFilter } from '../../../../src/plugins/filters/de_dot/index.js';

test('de_dot: dots in top-level names become the separator; other fields and sub-hashes stay', async () => {
  const f = await makeFilter(deDotFilter, {});
  const [e] = await f.one({ 'baked.apple.pie': 1, plain: 2, nested: { 'a.b': 3 } });
  assert.equal(e!.data['baked_apple_pie'], 1);
  assert.equal(e!.data['baked.apple.pie'], undefined);
  assert.equal(e!.data['plain'], 2);
  assert.deepEqual(e!.data['nested'], { 'a.b': 3 });
});

test('de_dot: a custom separator, and nested => true', async () => {
  const sep = await makeFilter(deDotFilter, { separator: '__' });
  assert.equal((await sep.one({ 'a.b': 1 }))[0]!.data['a__b'], 1);
  const nested = await makeFilter(deDotFilter, { nested: true });
  const [e] = await nested.one({ 'a.b.c': 1, 'a.d': 2, a: { e: 3 } });
  assert.deepEqual(e!.data['a'], { e: 3, b: { c: 1 }, d: 2 });
});

test('de_dot: named fields, including one inside a hash; recursive renames at every depth', async () => {
  const named = await makeFilter(deDotFilter, { fields: ['field.suffix', '[foo][bar.suffix]'] });
  const [e] = await named.one({ 'field.suffix': 1, 'other.one': 2, foo: { 'bar.suffix': 3 } });
  assert.equal(e!.data['field_suffix'], 1);
  assert.equal(e!.data['other.one'], 2, 'not named: left alone');
  assert.deepEqual(e!.data['foo'], { bar_suffix: 3 });
  const recursive = await makeFilter(deDotFilter, { recursive: true });
  const [r] = await recursive.one({ 'x.y': { 'p.q': { 'r.s': 1 } } });
  assert.deepEqual(r!.data['x_y'], { p_q: { r_s: 1 } });
});

test('de_dot: a separator with a dot is refused', async () => {
  await assert.rejects(makeFilter(deDotFilter, { separator: '.' }), /separator must not contain a dot/);
});
