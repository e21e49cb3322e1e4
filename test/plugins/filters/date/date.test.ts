import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../../src/core/event.js';
import { Timestamp } from '../../../../src/core/timestamp.js';
import { dateFilter, setDateClock } from '../../../../src/plugins/filters/date/index.js';
import { makeFilter } from '../../../helpers/harness.js';
import type { ConfigValue } from '../../../../src/config/values.js';

async function runOne(settings: Record<string, ConfigValue>, fields: Record<string, unknown>): Promise<Event> {
  const f = await makeFilter(dateFilter, settings);
  const [out] = await f.one(fields);
  assert.ok(out);
  return out;
}

const iso = (e: Event, field = '@timestamp'): string => (e.get(field) as Timestamp).toISOString();

test('sets @timestamp from a Joda pattern, keeps the source, applies decorations on success', async () => {
  const e = await runOne(
    { match: ['timestamp', 'dd/MMM/yyyy:HH:mm:ss Z'], add_tag: ['dated'] },
    { timestamp: '25/Mar/2013:20:33:56 +0000' },
  );
  assert.ok(e.get('@timestamp') instanceof Timestamp);
  assert.equal(iso(e), '2013-03-25T20:33:56.000Z');
  assert.equal(e.get('timestamp'), '25/Mar/2013:20:33:56 +0000');
  assert.deepEqual(e.tags, ['dated']);
});

test('formats are tried in order; failure tags _dateparsefailure, keeps the event, no decorations', async () => {
  const f = await makeFilter(dateFilter, { match: ['d', 'yyyy/MM/dd', 'ISO8601'], timezone: 'UTC', add_tag: ['dated'] });
  const [ok, bad] = await f.run([{ d: '2001-12-07T23:54:54.123Z' }, { d: '2013/Apr/21', '@timestamp': '2020-01-01T00:00:00.000Z' }]);
  assert.equal(iso(ok!), '2001-12-07T23:54:54.123Z');
  assert.deepEqual(ok!.tags, ['dated']);
  assert.deepEqual(bad!.tags, ['_dateparsefailure']);
  assert.equal(iso(bad!), '2020-01-01T00:00:00.000Z');
  const custom = await runOne({ match: ['d', 'yyyy/MM/dd'], tag_on_failure: ['date_failed'] }, { d: 'nope' });
  assert.deepEqual(custom.tags, ['date_failed']);
});

test('missing or null source: no tag, no decoration', async () => {
  const f = await makeFilter(dateFilter, { match: ['d', 'ISO8601'], add_tag: ['dated'] });
  const [a, b] = await f.run([{}, { d: null }]);
  assert.deepEqual(a!.tags, []);
  assert.deepEqual(b!.tags, []);
});

test('timezone: IANA names are DST-correct; a value with an offset ignores it', async () => {
  const settings = { match: ['d', 'yyyy MMM dd HH:mm:ss', 'yyyy MMM dd HH:mm:ss Z'], timezone: 'America/Los_Angeles', locale: 'en' };
  const f = await makeFilter(dateFilter, settings);
  const [winter, summer, offset] = await f.run([{ d: '2013 Nov 24 01:29:01' }, { d: '2013 Jun 24 01:29:01' }, { d: '2013 Jun 24 01:29:01 +0200' }]);
  assert.equal(iso(winter!), '2013-11-24T09:29:01.000Z');
  assert.equal(iso(summer!), '2013-06-24T08:29:01.000Z');
  assert.equal(iso(offset!), '2013-06-23T23:29:01.000Z');
});

test('timezone from the event (sprintf), resolved per value; an unknown zone fails the event', async () => {
  const f = await makeFilter(dateFilter, { match: ['d', 'yyyy MMM dd HH:mm:ss'], timezone: '%{tz}' });
  const [la, paris, bad] = await f.run([
    { d: '2013 Nov 24 01:29:01', tz: 'America/Los_Angeles' },
    { d: '2013 Nov 24 01:29:01', tz: 'Europe/Paris' },
    { d: '2013 Nov 24 01:29:01', tz: 'Nowhere/Special' },
  ]);
  assert.equal(iso(la!), '2013-11-24T09:29:01.000Z');
  assert.equal(iso(paris!), '2013-11-24T00:29:01.000Z');
  assert.deepEqual(bad!.tags, ['_dateparsefailure']);
});

test('year-less syslog dates around New Year (injectable clock)', async () => {
  const restore = setDateClock(() => Date.UTC(2014, 0, 1, 0, 30, 50));
  try {
    const e = await runOne({ match: ['message', 'MMM dd HH:mm:ss'], timezone: 'UTC' }, { message: 'Dec 31 23:59:00' });
    assert.equal(iso(e), '2013-12-31T23:59:00.000Z');
  } finally {
    restore();
  }
  const restore2 = setDateClock(() => Date.UTC(2013, 11, 31, 23, 59, 50));
  try {
    const e = await runOne({ match: ['message', 'MMM dd HH:mm:ss'], timezone: 'UTC' }, { message: 'Jan 01 01:00:00' });
    assert.equal(iso(e), '2014-01-01T01:00:00.000Z');
    const mid = await runOne({ match: ['message', 'MMM  d HH:mm:ss', 'MMM dd HH:mm:ss'], timezone: 'UTC' }, { message: 'Jun  2 20:38:03' });
    assert.equal(iso(mid), '2013-06-02T20:38:03.000Z');
  } finally {
    restore2();
  }
});

test('UNIX: int or float seconds, as string or number', async () => {
  const f = await makeFilter(dateFilter, { match: ['t', 'UNIX'] });
  const out = await f.run([{ t: '0' }, { t: '1000000000' }, { t: 1000000000 }, { t: '1350414944.123456' }, { t: 1350414944.123456 }, { t: '%{bad_value}' }, { t: 1e12 }]);
  assert.equal(iso(out[0]!), '1970-01-01T00:00:00.000Z');
  assert.equal(iso(out[1]!), '2001-09-09T01:46:40.000Z');
  assert.equal(iso(out[2]!), '2001-09-09T01:46:40.000Z');
  assert.equal(iso(out[3]!), '2012-10-16T19:15:44.123Z');
  // "Joda time only supports milliseconds": the digits below are dropped, as by Logstash's date filter.
  assert.equal((out[3]!.get('@timestamp') as Timestamp).nanos, 0);
  assert.equal(iso(out[4]!), '2012-10-16T19:15:44.123Z');
  assert.deepEqual(out[5]!.tags, ['_dateparsefailure']);
  assert.deepEqual(out[6]!.tags, ['_dateparsefailure'], 'beyond 2^31-1 seconds');
});

test('UNIX_MS and TAI64N', async () => {
  const ms = await makeFilter(dateFilter, { match: ['t', 'UNIX_MS'] });
  const out = await ms.run([{ t: '456' }, { t: 1000000000123 }, { t: '1000000000123' }, { t: '12.5' }]);
  assert.equal(iso(out[0]!), '1970-01-01T00:00:00.456Z');
  assert.equal(iso(out[1]!), '2001-09-09T01:46:40.123Z');
  assert.equal(iso(out[2]!), '2001-09-09T01:46:40.123Z');
  assert.deepEqual(out[3]!.tags, ['_dateparsefailure']);
  const tai = await makeFilter(dateFilter, { match: ['t', 'TAI64N'] });
  const [a, b, c] = await tai.run([{ t: '4000000050d506482dbdf024' }, { t: '@4000000050d506482dbdf024' }, { t: '@40000000zz' }]);
  assert.equal(iso(a!), '2012-12-22T01:00:46.767Z');
  assert.equal(iso(b!), '2012-12-22T01:00:46.767Z');
  // 0x2dbdf024 ns = 767422500 ns: the part below the millisecond is dropped, as Logstash's (Joda) date filter does.
  assert.equal((a!.get('@timestamp') as Timestamp).nanos, 0);
  assert.deepEqual(c!.tags, ['_dateparsefailure']);
});

test('text formats take strings only; arrays fail as in Logstash 3.x', async () => {
  const f = await makeFilter(dateFilter, { match: ['t', 'ISO8601'] });
  const [num, arr] = await f.run([{ t: 1234 }, { t: ['2001-12-07T23:54:54Z'] }]);
  assert.deepEqual(num!.tags, ['_dateparsefailure']);
  assert.deepEqual(arr!.tags, ['_dateparsefailure']);
});

test('other targets receive a Timestamp; nested sources', async () => {
  const e = await runOne({ match: ['[data][deep]', 'ISO8601'], target: '[parsed][at]' }, { data: { deep: '2013-01-01T00:00:00.000Z' }, '@timestamp': '2020-01-01T00:00:00.000Z' });
  assert.ok(e.get('[parsed][at]') instanceof Timestamp);
  assert.equal(iso(e, '[parsed][at]'), '2013-01-01T00:00:00.000Z');
  assert.equal(iso(e), '2020-01-01T00:00:00.000Z');
});

test('locale for month names', async () => {
  const e = await runOne({ match: ['message', 'dd MMMM yyyy'], locale: 'fr_FR', timezone: 'UTC' }, { message: '14 juillet 1789' });
  assert.equal(iso(e), '1789-07-14T00:00:00.000Z');
});

test('configuration errors: short match, bad pattern, bad zone, bad locale', async () => {
  await assert.rejects(makeFilter(dateFilter, { match: ['mydate'] }), /at least one format/);
  await assert.rejects(makeFilter(dateFilter, { match: ['d', 'yyyy z'] }), /cannot be parsed/);
  await assert.rejects(makeFilter(dateFilter, { match: ['d', 'ISO8601'], timezone: 'Nowhere/Land' }), /unknown time zone/);
  await assert.rejects(makeFilter(dateFilter, { match: ['d', 'ISO8601'], locale: 'not a locale!' }), /locale/i);
});

test('repeated timestamp texts reuse the last parse and still give each event its own correct value', async () => {
  const f = await makeFilter(dateFilter, { match: ['t', 'dd/MMM/yyyy:HH:mm:ss Z'] });
  const texts = ['01/Jan/2024:00:00:00 +0000', '01/Jan/2024:00:00:00 +0000', '01/Jan/2024:00:00:01 +0000', 'garbage', '01/Jan/2024:00:00:01 +0000'];
  const out = await f.run(texts.map((t) => ({ t })));
  assert.deepEqual(out.map((e) => (e.hasTag('_dateparsefailure') ? 'failed' : e.timestamp.toISOString())),
    ['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.000Z', 'failed', '2024-01-01T00:00:01.000Z']);
});
