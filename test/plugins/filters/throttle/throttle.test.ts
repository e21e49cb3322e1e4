import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { throttleFilter } from '../../../../src/plugins/filters/throttle/index.js';
import { ThrottleCounters } from '../../../../src/plugins/filters/throttle/counters.js';
import { Event } from '../../../../src/core/event.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

const at = (seconds: number, fields: Record<string, unknown>): Event => new Event({ ...fields, '@timestamp': new Timestamp(seconds * 1000) });
const tagged = (events: Event[]): boolean[] => events.map((e) => ((e.get('tags') as string[] | undefined) ?? []).includes('throttled'));

test('throttle: after_count throttles the events beyond it within the period, per key', async () => {
  const f = await makeFilter(throttleFilter, { key: '%{host}', after_count: 2, period: '60', add_tag: ['throttled'] });
  const out = await f.run([at(1000, { host: 'a' }), at(1001, { host: 'a' }), at(1002, { host: 'a' }), at(1003, { host: 'b' }), at(1004, { host: 'a' })]);
  assert.deepEqual(tagged(out), [false, false, true, false, true]);
  // 60 s after the key's first event a new slot starts.
  const later = await f.run([at(1060, { host: 'a' }), at(1061, { host: 'a' }), at(1062, { host: 'a' })]);
  assert.deepEqual(tagged(later), [false, false, true]);
});

test('throttle: before_count throttles the first events of each slot; both bounds together', async () => {
  const f = await makeFilter(throttleFilter, { key: 'k', before_count: 3, after_count: 5, period: '10', add_tag: ['throttled'] });
  const events = [];
  for (let i = 0; i < 7; i++) events.push(at(500, { n: i }));
  assert.deepEqual(tagged(await f.run(events)), [true, true, false, false, false, true, true]);
});

test('throttle: period from a field; an unparsable period falls back to 60', async () => {
  const f = await makeFilter(throttleFilter, { key: 'k', after_count: 1, period: '%{p}', add_tag: ['throttled'] });
  assert.deepEqual(tagged(await f.run([at(0, { p: '5' }), at(4, { p: '5' }), at(5, { p: '5' })])), [false, true, false]);
  const g = await makeFilter(throttleFilter, { key: 'k', after_count: 1, period: '%{p}', add_tag: ['throttled'] });
  assert.deepEqual(tagged(await g.run([at(0, { p: 'x' }), at(59, { p: 'x' }), at(60, { p: 'x' })])), [false, true, false]);
});

test('throttle counters: old slots and idle keys are swept; max_age shrinks over the counter budget and recovers', () => {
  const c = new ThrottleCounters(100, 2);
  for (let k = 0; k < 5; k++) c.count(`k${k}`, 1000, 10);
  assert.equal(c.sweep().maxAge, 95, '5 counters > 2: shrinks by 5% of 100');
  c.count('k0', 1050, 10);
  assert.equal(c.sweep().counters, 6, 'k0 has two slots within max_age');
  c.count('k0', 2000, 10); // the slots of 1000 and 1050 are now more than max_age behind: dropped
  const after = c.sweep();
  assert.equal(c.size, 1, 'keys not seen within max_age of the newest are dropped');
  assert.equal(after.counters, 1);
  assert.equal(after.maxAge, 95, 'within budget but the earlier sweep over it shrank it; grows back once under 80%');
  assert.equal(c.sweep().maxAge, 100, 'grows back to the configured value at most');
  assert.equal(c.sweep().maxAge, 100);
});
