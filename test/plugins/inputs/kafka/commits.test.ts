/**
 * The kafka input's offset bookkeeping, on its own: commits follow the highest CONTIGUOUS
 * acknowledged offset per partition whatever order acknowledgements come in, never go back, are
 * dropped for partitions this member no longer owns, and a stream that goes back (a rewind) is
 * refused so it can be replaced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Committer, StreamOffsets, type CommitTarget } from '../../../../src/plugins/inputs/kafka/commits.js';

function harness(owned: Set<string>) {
  const commits: CommitTarget[][] = [];
  let fail = false;
  const committer = new Committer({
    owns: (topic, partition) => owned.has(`${topic}:${partition}`),
    commit: async (targets) => {
      if (fail) throw new Error('broker away');
      commits.push(targets.map((t) => ({ ...t })));
    },
    failed: () => undefined,
  }, false);
  return { committer, commits, setFail: (f: boolean) => (fail = f) };
}

const last = (entries: [string, number, number][]) => new Map(entries.map(([topic, partition, offset]) => [`${topic}:${partition}`, { topic, partition, offset: BigInt(offset) }]));

test('out-of-order acknowledgements commit only the contiguous prefix, per partition', async () => {
  const { committer, commits } = harness(new Set(['t:0', 't:1']));
  const offsets = new StreamOffsets(committer);
  const a = offsets.track(last([['t', 0, 9], ['t', 1, 4]]))!;
  const b = offsets.track(last([['t', 0, 19]]))!;
  const c = offsets.track(last([['t', 0, 29], ['t', 1, 9]]))!;
  c();
  b();
  await committer.flush();
  assert.equal(commits.length, 0, 'nothing before the first payload is acknowledged');
  a();
  await committer.flush();
  assert.deepEqual(commits.flat().map((t) => [t.partition, t.offset]), [[0, 30n], [1, 10n]], 'next offsets after the contiguous prefix');
});

test('a partition advances alone when another partition of the same payloads lags', async () => {
  const { committer, commits } = harness(new Set(['t:0', 't:1']));
  const offsets = new StreamOffsets(committer);
  const a = offsets.track(last([['t', 0, 4]]))!;
  const b = offsets.track(last([['t', 1, 4]]))!;
  b();
  await committer.flush();
  assert.deepEqual(commits.flat().map((t) => [t.partition, t.offset]), [[1, 5n]]);
  a();
  await committer.flush();
  assert.deepEqual(commits.flat().map((t) => [t.partition, t.offset]), [[1, 5n], [0, 5n]]);
});

test('acknowledgements of a partition this member lost are not committed', async () => {
  const owned = new Set(['t:0', 't:1']);
  const { committer, commits } = harness(owned);
  const offsets = new StreamOffsets(committer);
  const a = offsets.track(last([['t', 0, 9], ['t', 1, 9]]))!;
  owned.delete('t:1'); // a rebalance gave partition 1 to another member
  a();
  await committer.flush();
  assert.deepEqual(commits.flat().map((t) => [t.partition, t.offset]), [[0, 10n]]);
});

test('a failed commit stays pending and goes with the next flush; commits never go back', async () => {
  const { committer, commits, setFail } = harness(new Set(['t:0']));
  const first = new StreamOffsets(committer);
  const a = first.track(last([['t', 0, 9]]))!;
  setFail(true);
  a();
  await committer.flush();
  assert.equal(commits.length, 0);
  setFail(false);
  await committer.flush();
  assert.deepEqual(commits.flat().map((t) => t.offset), [10n]);
  // A new stream (next generation) re-reads from an older committed offset: its lower positions
  // are not committed over the higher one already there.
  const second = new StreamOffsets(committer);
  const b = second.track(last([['t', 0, 5]]))!;
  b();
  await committer.flush();
  assert.deepEqual(commits.flat().map((t) => t.offset), [10n]);
});

test('an offset that does not follow the previous one of its partition is refused (the stream went back)', () => {
  const { committer } = harness(new Set(['t:0']));
  const offsets = new StreamOffsets(committer);
  assert.ok(offsets.track(last([['t', 0, 9]])));
  assert.equal(offsets.track(last([['t', 0, 9]])), undefined);
  assert.equal(offsets.track(last([['t', 0, 3]])), undefined);
  assert.ok(offsets.track(last([['t', 0, 10]])));
});
