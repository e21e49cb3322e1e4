import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PayloadSnapshots } from '../../src/pipeline/payload-snapshots.js';

/** What postMessage does to a transfer list: the sender's buffers become detached. */
const send = (transfer: ArrayBuffer[]): void => void structuredClone(null, { transfer });

test('payload snapshots: transferred bytes are re-run from a copy; plain data is kept as is; unknown shapes are copied by posting', () => {
  const snaps = new PayloadSnapshots();
  const bytes = new TextEncoder().encode('line one\nline two\n');
  const range = { first: 0, count: 10 };
  const odd = { parts: [new Uint8Array([1, 2, 3])] };
  const snap = snaps.take([
    { input: 0, data: bytes, transfer: [bytes.buffer as ArrayBuffer] },
    { input: 1, data: range },
    { input: 2, data: odd, transfer: [odd.parts[0]!.buffer as ArrayBuffer] },
  ]);
  assert.deepEqual(snap.transfer, [bytes.buffer], 'only the shape we can copy is transferred');
  assert.equal(snap.items[0]!.data, bytes);
  send(snap.transfer);
  assert.equal(bytes.byteLength, 0, 'the original went to the worker');

  const again = snaps.restore(snap);
  assert.equal(new TextDecoder().decode(again.items[0]!.data as Uint8Array), 'line one\nline two\n');
  assert.deepEqual(again.items.map((i) => i.input), [0, 1, 2]);
  assert.equal(again.items[1]!.data, range);
  assert.equal(again.items[2]!.data, odd);
  assert.equal(again.transfer.length, 1);
  send(again.transfer);
  // A second cut-off: the copy is still there.
  assert.equal(new TextDecoder().decode(snaps.restore(again).items[0]!.data as Uint8Array), 'line one\nline two\n');

  snaps.release(again);
  // The pooled buffer is reused for the next payload, and holds exactly the new bytes.
  const next = new TextEncoder().encode('x\n');
  const snap2 = snaps.take([{ input: 0, data: next, transfer: [next.buffer as ArrayBuffer] }]);
  send(snap2.transfer);
  assert.equal(new TextDecoder().decode(snaps.restore(snap2).items[0]!.data as Uint8Array), 'x\n');
});
