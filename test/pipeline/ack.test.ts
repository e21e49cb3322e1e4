import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContiguousAckTracker } from '../../src/pipeline/ack.js';

test('advances only over contiguous acknowledgements', () => {
  const t = new ContiguousAckTracker(0);
  const a = t.track(100);
  const b = t.track(200);
  const c = t.track(300);
  assert.equal(c(), false); // hole before it
  assert.equal(t.position, 0);
  assert.equal(a(), true);
  assert.equal(t.position, 100);
  assert.equal(b(), true);
  assert.equal(t.position, 300); // b filled the hole; c was already acked
  assert.equal(t.outstanding, 0);
});

test('a repeated ack changes nothing', () => {
  const t = new ContiguousAckTracker(0);
  const a = t.track(1);
  assert.equal(a(), true);
  assert.equal(a(), false);
  assert.equal(t.position, 1);
});

test('random completion order always ends at the last position, never passing a hole', () => {
  const t = new ContiguousAckTracker(0);
  const acks = Array.from({ length: 5000 }, (_, i) => ({ pos: i + 1, ack: t.track(i + 1) }));
  const order = acks.map((_, i) => i).sort(() => Math.random() - 0.5);
  const done = new Set<number>();
  for (const i of order) {
    acks[i]!.ack();
    done.add(i + 1);
    for (let p = 1; p <= t.position; p++) assert.ok(done.has(p));
  }
  assert.equal(t.position, 5000);
});
