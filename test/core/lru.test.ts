import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from '../../src/core/lru.js';

test('LRU: a hit makes a key most recent; an insert beyond capacity evicts the least recent', () => {
  const c = new LruCache<string, number>(3);
  c.set('a', 1);
  c.set('b', 2);
  c.set('c', 3);
  assert.equal(c.get('a'), 1); // order now b, c, a
  c.set('d', 4); // evicts b
  assert.equal(c.get('b'), undefined);
  assert.equal(c.size, 3);
  c.set('c', 30); // update makes c most recent: a, d, c
  c.set('e', 5); // evicts a
  assert.equal(c.get('a'), undefined);
  assert.deepEqual(['c', 'd', 'e'].map((k) => c.get(k)), [30, 4, 5]);
  c.clear();
  assert.equal(c.size, 0);
  assert.equal(c.get('c'), undefined);
  c.set('z', 26);
  assert.equal(c.get('z'), 26);
});

test('LRU: capacity 0 caches nothing; capacity 1 keeps the last key', () => {
  const none = new LruCache<number, string>(0);
  none.set(1, 'x');
  assert.equal(none.get(1), undefined);
  const one = new LruCache<number, string>(1);
  one.set(1, 'x');
  one.set(2, 'y');
  assert.equal(one.get(1), undefined);
  assert.equal(one.get(2), 'y');
});

test('LRU: agrees with a reference model over 20,000 random operations', () => {
  // Reference: Map insertion order as recency (slow, obviously right).
  const model = new Map<number, number>();
  const cap = 37;
  const c = new LruCache<number, number>(cap);
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  for (let i = 0; i < 20_000; i++) {
    const key = rand(80);
    if (rand(3) === 0) {
      const want = model.get(key);
      if (want !== undefined) {
        model.delete(key);
        model.set(key, want);
      }
      assert.equal(c.get(key), want, `get ${key} at step ${i}`);
    } else {
      model.delete(key);
      model.set(key, i);
      if (model.size > cap) model.delete(model.keys().next().value!);
      c.set(key, i);
    }
    assert.equal(c.size, model.size);
  }
  for (const [k, v] of model) assert.equal(c.get(k), v);
});
