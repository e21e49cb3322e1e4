import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { sleepFilter } from '../../../../src/plugins/filters/sleep/index.js';
import { Event } from '../../../../src/core/event.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

const timed = async (f: () => Promise<unknown>): Promise<number> => {
  const t = Date.now();
  await f();
  return Date.now() - t;
};

test('sleep: time every N events (counted across batches), decorations on every event', async () => {
  const f = await makeFilter(sleepFilter, { time: '0.1', every: '2', add_tag: ['slept'] });
  const ms = await timed(async () => {
    const out = await f.run([{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.equal(out.length, 3);
    assert.ok(out.every((e) => (e.get('tags') as string[]).includes('slept')));
  });
  assert.ok(ms >= 90 && ms < 1000, `one sleep of 100 ms for 3 events every 2: ${ms} ms`);
  const ms2 = await timed(() => f.run([{ n: 4 }]));
  assert.ok(ms2 >= 90, `the 4th event is the 2nd of its pair: ${ms2} ms`);
});

test('sleep: time from a field', async () => {
  const f = await makeFilter(sleepFilter, { time: '%{pause}' });
  const ms = await timed(() => f.run([{ pause: '0.05' }, { pause: '0.05' }]));
  assert.ok(ms >= 90, `${ms} ms`);
});

test('sleep: replay sleeps the gaps between @timestamps, divided by time (speed)', async () => {
  const f = await makeFilter(sleepFilter, { replay: true, time: '2' });
  const at = (ms: number): Event => new Event({ '@timestamp': new Timestamp(1_700_000_000_000 + ms) });
  const ms = await timed(() => f.run([at(0), at(200), at(400)]));
  assert.ok(ms >= 180 && ms < 1500, `400 ms of gaps at double speed: ${ms} ms`);
});

test('sleep: a non-numeric time tags the event instead of stopping the batch', async () => {
  const f = await makeFilter(sleepFilter, { time: '%{pause}' });
  const out = await f.run([{ pause: 'soon' }, { pause: '0' }]);
  assert.equal(out.length, 2);
  assert.ok((out[0]!.get('tags') as string[] | undefined)?.length, 'the bad event is tagged');
  assert.equal(out[1]!.get('tags'), undefined);
});

test('sleep: needs time or replay', async () => {
  await assert.rejects(makeFilter(sleepFilter, {}), /set time/);
});
