import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelAcks, type AckChannel } from '../../../../src/plugins/inputs/rabbitmq/channel-acks.js';

/** Records the frames sent, and models the broker's unsettled tags to catch a wrong ack. */
function fakeChannel(tags: number) {
  const unsettled = new Set(Array.from({ length: tags }, (_, i) => i + 1));
  const frames: string[] = [];
  const channel: AckChannel = {
    ack(tag, multiple) {
      frames.push(`ack ${tag}${multiple ? ' multiple' : ''}`);
      // The broker refuses (closes the channel) for a tag it does not hold.
      if (!unsettled.has(tag)) throw new Error(`PRECONDITION_FAILED unknown delivery tag ${tag}`);
      for (const t of [...unsettled]) if (t === tag || (multiple && t < tag)) unsettled.delete(t);
    },
    nack(tag, multiple, requeue) {
      assert.equal(multiple, false, 'nacks must never be multiple');
      assert.equal(requeue, true);
      frames.push(`nack ${tag}`);
      if (!unsettled.delete(tag)) throw new Error(`PRECONDITION_FAILED unknown delivery tag ${tag}`);
    },
  };
  return { channel, frames, unsettled };
}

test('in-order acks send one multiple ack per payload', () => {
  const { channel, frames, unsettled } = fakeChannel(6);
  const acks = new ChannelAcks(channel);
  const a = acks.track([1, 2, 3]);
  const b = acks.track([4, 5, 6]);
  a.ack();
  b.ack();
  assert.deepEqual(frames, ['ack 3 multiple', 'ack 6 multiple']);
  assert.equal(unsettled.size, 0);
  assert.equal(acks.outstanding, 0);
});

test('a payload acknowledged before an earlier one waits for it, then both go in one ack', () => {
  const { channel, frames, unsettled } = fakeChannel(6);
  const acks = new ChannelAcks(channel);
  const a = acks.track([1, 2, 3]);
  const b = acks.track([4, 5, 6]);
  b.ack();
  assert.deepEqual(frames, [], 'acking 6 multiple now would also ack 1..3, still in the pipeline');
  assert.equal(unsettled.size, 6);
  a.ack();
  assert.deepEqual(frames, ['ack 6 multiple']);
  assert.equal(unsettled.size, 0);
});

test('a nack requeues its own tags one by one and no later multiple ack names a settled tag', () => {
  const { channel, frames, unsettled } = fakeChannel(9);
  const acks = new ChannelAcks(channel);
  const a = acks.track([1, 2, 3]);
  const b = acks.track([4, 5, 6]);
  const c = acks.track([7, 8, 9]);
  c.ack();
  b.nack!('forced stop');
  assert.deepEqual(frames, ['nack 4', 'nack 5', 'nack 6']);
  a.ack();
  assert.deepEqual(frames.slice(3), ['ack 3 multiple', 'ack 9 multiple']);
  assert.equal(unsettled.size, 0);
});

test('a payload ending in a nack acks the run before it at that run\'s own last tag', () => {
  const { channel, frames } = fakeChannel(6);
  const acks = new ChannelAcks(channel);
  const a = acks.track([1, 2, 3]);
  const b = acks.track([4, 5, 6]);
  b.nack!('x');
  a.ack();
  assert.deepEqual(frames, ['nack 4', 'nack 5', 'nack 6', 'ack 3 multiple']);
});

test('after the channel closed, settling sends nothing (stale tags) and never throws', () => {
  const { channel, frames } = fakeChannel(3);
  let idle = 0;
  const acks = new ChannelAcks(channel, () => idle++);
  const a = acks.track([1, 2]);
  const b = acks.track([3]);
  acks.close();
  a.ack();
  b.nack!('x');
  a.ack();
  assert.deepEqual(frames, []);
  assert.equal(acks.outstanding, 0);
  assert.equal(idle, 1);
});

test('a client that refuses (channel closed under it) marks the acks closed instead of throwing', () => {
  const frames: string[] = [];
  const acks = new ChannelAcks({
    ack: () => {
      frames.push('ack');
      throw new Error('Channel closed');
    },
    nack: () => frames.push('nack'),
  });
  const a = acks.track([1]);
  const b = acks.track([2]);
  a.ack();
  b.ack();
  assert.deepEqual(frames, ['ack']);
  assert.equal(acks.isClosed, true);
});
