import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { BufferPool } from '../../src/core/buffer-pool.js';

test('BufferPool: a buffer of exactly the size asked, over storage of its own; given back, it is taken again when large enough', () => {
  const pool = new BufferPool(2, 200_000);
  const a = pool.take(1000);
  assert.equal(a.length, 1000);
  assert.equal(a.byteOffset, 0);
  assert.ok(a.buffer.byteLength >= 1000 && a.buffer.byteLength < 200_000, 'not Buffer\'s shared pool');
  pool.give(a);
  const again = pool.take(500);
  assert.equal(again.buffer, a.buffer, 'reused');
  assert.equal(again.length, 500);
  pool.give(again);
  pool.give(again);
  assert.equal(pool.take(10).buffer, a.buffer);
  assert.notEqual(pool.take(10).buffer, a.buffer, 'given twice, kept once');
});

test('BufferPool: keeps at most `keep` buffers (the oldest dropped), none above `largest`, and ignores buffers it did not make', () => {
  const pool = new BufferPool(2, 200_000);
  const big = pool.take(300_000);
  pool.give(big);
  assert.notEqual(pool.take(300_000).buffer, big.buffer, 'too large to keep');
  const [b, c, d] = [pool.take(10), pool.take(10), pool.take(10)];
  pool.give(b);
  pool.give(c);
  pool.give(d);
  const kept = [pool.take(10).buffer, pool.take(10).buffer];
  assert.deepEqual(new Set(kept), new Set([c.buffer, d.buffer]), 'the oldest one was dropped');
  const foreign = Buffer.allocUnsafeSlow(100);
  pool.give(foreign);
  assert.notEqual(pool.take(10).buffer, foreign.buffer, 'not one of the pool\'s');
});

test('BufferPool: a buffer transferred to another thread (detached) is not taken back', () => {
  const pool = new BufferPool(2);
  const a = pool.take(100);
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(a, [a.buffer as ArrayBuffer]);
  port1.close();
  port2.close();
  assert.equal(a.buffer.byteLength, 0);
  pool.give(a);
  const next = pool.take(100);
  assert.notEqual(next.buffer, a.buffer);
  assert.equal(next.length, 100);
});
