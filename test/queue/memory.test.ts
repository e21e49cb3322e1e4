import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BoundedQueue } from '../../src/queue/memory.js';

const payload = (events: number, bytes = events * 10) => ({ data: null, events, bytes });

test('push waits while the queue is full (events bound) and resumes when taken', async () => {
  const q = new BoundedQueue(10, 1e9, () => {});
  await q.push(0, payload(6));
  let admitted = false;
  const pending = q.push(0, payload(6)).then(() => (admitted = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(admitted, false);
  assert.equal(q.take(100).length, 1);
  await pending;
  assert.equal(admitted, true);
  assert.equal(q.events, 6);
});

test('bytes bound applies too; an oversized payload still enters an empty queue', async () => {
  const q = new BoundedQueue(1000, 100, () => {});
  await q.push(0, payload(1, 500)); // bigger than the bound, queue empty: admitted
  let admitted = false;
  const pending = q.push(0, payload(1, 50)).then(() => (admitted = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(admitted, false);
  q.take(1);
  await pending;
  assert.equal(q.bytes, 50);
});

test('take() respects the batch size but always returns at least one item', async () => {
  const q = new BoundedQueue(1000, 1e9, () => {});
  for (const n of [3, 3, 3, 200]) await q.push(0, payload(n));
  assert.equal(q.take(7).length, 2);
  assert.equal(q.take(7).length, 1);
  const big = q.take(7);
  assert.equal(big.length, 1);
  assert.equal(big[0]!.payload.events, 200);
  assert.equal(q.length, 0);
});

test('after close(), queued items are returned and every later push (a blocked one too) is refused, not kept unanswered', async () => {
  const refused: [number, string][] = [];
  const q = new BoundedQueue(2, 1 << 20, () => {}, (item, reason) => void refused.push([item.payload.data as number, reason]));
  await q.push(0, { data: 1, events: 1, bytes: 1 });
  await q.push(0, { data: 2, events: 1, bytes: 1 });
  const blocked = q.push(0, { data: 3, events: 1, bytes: 1 }); // full: waits
  const returned = q.close('forced stop');
  assert.deepEqual(returned.map((i) => i.payload.data), [1, 2]);
  await blocked;
  await q.push(0, { data: 4, events: 1, bytes: 1 });
  assert.deepEqual(refused, [[3, 'forced stop'], [4, 'forced stop']]);
  assert.equal(q.length, 0);
});

test('a taken payload is not kept alive by the queue (its bytes can be collected while the queue lives on)', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const q = new BoundedQueue(1e9, 1e12, () => {});
  const refs: WeakRef<object>[] = [];
  // Fewer items than the compaction threshold: before the fix they stayed referenced until then.
  const pushOne = (): Promise<void> => {
    const bytes = new Uint8Array(1 << 20);
    refs.push(new WeakRef(bytes));
    return q.push(0, { data: { bytes }, events: 1, bytes: bytes.length });
  };
  for (let i = 0; i < 10; i++) await pushOne();
  q.push(0, { data: 'still queued', events: 1, bytes: 1 });
  assert.equal(q.take(10).length, 10);
  await new Promise((r) => setImmediate(r));
  gc();
  assert.equal(refs.filter((r) => r.deref() !== undefined).length, 0, 'taken payloads collected');
  assert.equal(q.length, 1);
});
