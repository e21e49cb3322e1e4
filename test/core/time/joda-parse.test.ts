import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalUtcMs, compileIso8601Parser, compileJodaParser, guessYear, parseIso8601 } from '../../../src/core/time/joda-parse.js';
import { resolveZone } from '../../../src/core/time/timezone.js';

const UTC = resolveZone('UTC');
const LA = resolveZone('America/Los_Angeles');
const PARIS = resolveZone('Europe/Paris');

function parse(pattern: string, text: string, zone = UTC, opts: { now?: string; locale?: string } = {}): number {
  const now = opts.now;
  return compileJodaParser(pattern, { locale: opts.locale, now: now ? () => Date.parse(now) : undefined }).parse(text, zone);
}

test('common Logstash patterns', () => {
  assert.equal(parse('yyyy-MM-dd HH:mm:ss.SSS', '2013-04-21 10:11:12.345'), Date.UTC(2013, 3, 21, 10, 11, 12, 345));
  assert.equal(parse('dd/MMM/yyyy:HH:mm:ss Z', '25/Mar/2013:20:33:56 +0000'), Date.UTC(2013, 2, 25, 20, 33, 56));
  assert.equal(parse('dd/MMM/yyyy:HH:mm:ss Z', '25/Mar/2013:20:33:56 -0700'), Date.UTC(2013, 2, 26, 3, 33, 56));
  assert.equal(parse('yyyy MMM dd HH:mm:ss', '2013 Nov 24 01:29:01', LA), Date.UTC(2013, 10, 24, 9, 29, 1));
  assert.equal(parse('yyyy MMM dd HH:mm:ss', '2013 Jun 24 01:29:01', LA), Date.UTC(2013, 5, 24, 8, 29, 1));
  assert.equal(parse('yyyyMMddHHmmss', '20210701120000'), Date.UTC(2021, 6, 1, 12));
  assert.equal(parse("yyyy-MM-dd'T'HH:mm:ssZZ", '2021-07-01T12:00:00+05:30'), Date.UTC(2021, 6, 1, 6, 30));
  assert.equal(parse('yyyy-MM-dd HH:mm:ss ZZZ', '2021-07-01 12:00:00 America/New_York'), Date.UTC(2021, 6, 1, 16));
  assert.equal(parse('MMMM d, yyyy', 'September 5, 2019'), Date.UTC(2019, 8, 5));
  assert.equal(parse('MMM d yyyy', 'SEP 5 2019'), Date.UTC(2019, 8, 5));
  assert.equal(parse('MMM d yyyy', 'sep 5 2019'), Date.UTC(2019, 8, 5));
  assert.ok(Number.isNaN(parse('MMM d yyyy', 'sEp 5 2019')), 'Joda accepts exact, lower or upper case only');
  assert.equal(parse("yyyy-MM-dd't'HH", '2019-09-05T07'), Date.UTC(2019, 8, 5, 7), 'literals are case-insensitive');
});

test('12-hour clock with a, and day-of-week names', () => {
  assert.equal(parse('yyyy-MM-dd hh:mm a', '2021-10-31 12:30 AM'), Date.UTC(2021, 9, 31, 0, 30));
  assert.equal(parse('yyyy-MM-dd hh:mm a', '2021-10-31 12:30 PM'), Date.UTC(2021, 9, 31, 12, 30));
  assert.equal(parse('yyyy-MM-dd hh:mm a', '2021-10-31 01:05 pm'), Date.UTC(2021, 9, 31, 13, 5));
  assert.equal(parse('EEE, dd MMM yyyy HH:mm:ss Z', 'Sun, 31 Oct 2021 10:00:00 +0000'), Date.UTC(2021, 9, 31, 10));
  assert.equal(parse('EEEE dd MMM yyyy', 'Sunday 31 Oct 2021'), Date.UTC(2021, 9, 31));
  // Joda moves a date whose day name disagrees into that day of its ISO week (Oct 8 2017 was a Sunday).
  assert.equal(parse('EEE MMM dd HH:mm:ss yyyy', 'Wed Oct 08 08:39:37 2017'), Date.UTC(2017, 9, 4, 8, 39, 37));
});

test('fractions: 1 to width digits, beyond milliseconds kept as nanos', () => {
  const p = compileJodaParser('HH:mm:ss.SSSSSSSSS yyyy-MM-dd');
  assert.equal(p.parse('10:00:00.123456789 2020-01-01', UTC), Date.UTC(2020, 0, 1, 10, 0, 0, 123));
  assert.equal(p.nanos, 456_789);
  assert.equal(parse('HH:mm:ss.S yyyy', '10:00:00.5 2020'), Date.UTC(2020, 0, 1, 10, 0, 0, 500));
  assert.ok(Number.isNaN(parse('HH:mm:ss.SSS yyyy', '10:00:00.1234 2020')), 'more digits than S letters do not fit');
});

test('invalid values and trailing text fail', () => {
  for (const [pattern, text] of [
    ['yyyy-MM-dd', '2013-02-30'], ['yyyy-MM-dd', '2013-13-01'], ['HH:mm', '24:00'], ['HH:mm', '10:60'],
    ['yyyy/MM/dd', '2013/Apr/21'], ['yyyy-MM-dd', '2013-04-21 extra'], ['yyyy-MM-dd Z', '2013-04-21 +2400'],
    ['dd MMM yyyy', '01 Foo 2013'], ['yyyy-MM-dd HH:mm ZZZ', '2013-04-21 10:00 Nowhere/Land'],
  ]) {
    assert.ok(Number.isNaN(parse(pattern!, text!)), `${pattern} / ${text}`);
  }
});

test('numbers are read without backtracking, like Joda', () => {
  // "d" takes "11" greedily, leaving "22" for the month: Joda fails rather than retrying with d = 1.
  assert.ok(Number.isNaN(parse('dMMyyyy', '1122020')));
  assert.equal(parse('ddMMyyyy', '01122020'), Date.UTC(2020, 11, 1));
});

test('two-digit years: pivot at now - 30', () => {
  const now = '2025-06-01T00:00:00Z';
  assert.equal(parse('yy-MM-dd', '44-01-01', UTC, { now }), Date.UTC(2044, 0, 1));
  assert.equal(parse('yy-MM-dd', '45-01-01', UTC, { now }), Date.UTC(1945, 0, 1));
  assert.equal(parse('yy-MM-dd', '2021-07-01', UTC, { now }), Date.UTC(2021, 6, 1), 'lenient yy takes a full year');
});

test('DST: gap fails, overlap takes the earlier instant; a value offset ignores the zone', () => {
  assert.ok(Number.isNaN(parse('yyyy-MM-dd HH:mm:ss', '2021-03-28 02:30:00', PARIS)));
  assert.equal(parse('yyyy-MM-dd HH:mm:ss', '2021-10-31 02:30:00', PARIS), Date.UTC(2021, 9, 31, 0, 30));
  assert.equal(parse('yyyy-MM-dd HH:mm:ss Z', '2021-03-28 02:30:00 +0000', PARIS), Date.UTC(2021, 2, 28, 2, 30));
});

test('year guessing around New Year (Logstash: Dec read in Jan is last year, Jan read in Dec next year)', () => {
  assert.equal(guessYear(12, 2014, 1), 2013);
  assert.equal(guessYear(1, 2013, 12), 2014);
  assert.equal(guessYear(6, 2014, 1), 2014);
  assert.equal(parse('MMM dd HH:mm:ss', 'Dec 31 23:59:00', UTC, { now: '2014-01-01T00:30:50Z' }), Date.UTC(2013, 11, 31, 23, 59));
  assert.equal(parse('MMM dd HH:mm:ss', 'Jan 01 01:00:00', UTC, { now: '2013-12-31T23:59:50Z' }), Date.UTC(2014, 0, 1, 1));
  assert.equal(parse('MMM  d HH:mm:ss', 'Jun  2 20:38:03', UTC, { now: '2019-03-01T00:00:00Z' }), Date.UTC(2019, 5, 2, 20, 38, 3));
  assert.equal(parse('MMM dd HH:mm:ss Z', 'Nov 24 01:29:01 -0800', UTC, { now: '2020-05-01T00:00:00Z' }), Date.UTC(2020, 10, 24, 9, 29, 1));
  // The year is set in the filter's zone: LA wall time, LA offset of that date.
  assert.equal(parse('MMM dd HH:mm:ss', 'Jul 04 12:00:00', LA, { now: '2022-03-01T00:00:00Z' }), Date.UTC(2022, 6, 4, 19));
  // Feb 29 parses (Joda's base year 2000 is leap) and is clamped in a non-leap year, as withYear.
  assert.equal(parse('MMM dd', 'Feb 29', UTC, { now: '2023-03-01T00:00:00Z' }), Date.UTC(2023, 1, 28));
});

test('locale: French names through Intl; English by default', () => {
  assert.equal(parse('dd MMMM yyyy', '14 juillet 1789', UTC, { locale: 'fr' }), Date.UTC(1789, 6, 14));
  assert.equal(parse('dd MMMM yyyy', '14 juillet 1789', UTC, { locale: 'fr_FR' }), Date.UTC(1789, 6, 14));
  assert.ok(Number.isNaN(parse('dd MMMM yyyy', '14 juillet 1789')));
  assert.equal(parse('dd MMMM yyyy', '01 September 2014', UTC, { locale: 'en-US' }), Date.UTC(2014, 8, 1));
});

test('unparseable pattern letters are rejected at compile time', () => {
  assert.throws(() => compileJodaParser('yyyy-MM-dd HH:mm z'), /cannot be parsed/);
  assert.throws(() => compileJodaParser('yyyy-MM-dd q'), /unsupported/);
});

test('ISO8601: Logstash spec samples and the usual variants', () => {
  const iso = compileIso8601Parser();
  const cases: Array<[string, number]> = [
    ['2001-01-01T00:00:00-0800', Date.UTC(2001, 0, 1, 8)],
    ['1974-03-02T04:09:09-0800', Date.UTC(1974, 2, 2, 12, 9, 9)],
    ['2010-05-03T08:18:18+00:00', Date.UTC(2010, 4, 3, 8, 18, 18)],
    ['2004-07-04T12:27:27-00:00', Date.UTC(2004, 6, 4, 12, 27, 27)],
    ['2001-12-07T23:54:54Z', Date.UTC(2001, 11, 7, 23, 54, 54)],
    ['2004-07-04T12:27:27.123-04:00', Date.UTC(2004, 6, 4, 16, 27, 27, 123)],
    ['2001-09-05T16:36:36.123+0700', Date.UTC(2001, 8, 5, 9, 36, 36, 123)],
    ['2001-12-07T23:54:54,123Z', Date.UTC(2001, 11, 7, 23, 54, 54, 123)],
    ['2001-11-06 20:45:45.123-0000', Date.UTC(2001, 10, 6, 20, 45, 45, 123)],
    ['2001-12-07 23:54:54,123Z', Date.UTC(2001, 11, 7, 23, 54, 54, 123)],
    ['2001-11-06 20:45:45.123', Date.UTC(2001, 10, 6, 20, 45, 45, 123)],
    ['2001-11-06 20:45:45', Date.UTC(2001, 10, 6, 20, 45, 45)],
    ['2001-11-06T20:45:45.1Z', Date.UTC(2001, 10, 6, 20, 45, 45, 100)],
    ['2001-11-06T20:45+01', Date.UTC(2001, 10, 6, 19, 45)],
    ['2001-11-06', Date.UTC(2001, 10, 6)],
    ['2013-W01-1', Date.UTC(2012, 11, 31)],
    ['2013-100', Date.UTC(2013, 3, 10)],
  ];
  for (const [text, expected] of cases) assert.equal(iso.parse(text, UTC), expected, text);
  assert.equal(iso.parse('2001-11-06T20:45:45.123456789Z', UTC), Date.UTC(2001, 10, 6, 20, 45, 45, 123));
  assert.equal(iso.nanos, 456_789);
  assert.equal(iso.parse('2001-01-01T00:00:00', LA), Date.UTC(2001, 0, 1, 8), 'no offset: the zone applies');
  for (const bad of ['garbage', '2001-13-01', '2001-02-29T00:00:00Z', '2001-01-01T25:00:00Z', '2001-01-01T00:00:00+25:00', '']) {
    assert.ok(Number.isNaN(iso.parse(bad, UTC)), bad);
  }
});

// Moved from test/plugins/filters/json/json.test.ts (json's own ISO parser was merged into this one).
test('ISO8601 parser: zones, fractions, no zone = UTC, rejects free text', () => {
  assert.equal(parseIso8601('2024-01-02T03:04:05+02:00')!.toISOString(), '2024-01-02T01:04:05.000Z');
  assert.equal(parseIso8601('2024-01-02 03:04:05')!.toISOString(), '2024-01-02T03:04:05.000Z');
  const t = parseIso8601('2024-01-02T03:04:05.123456789Z')!;
  assert.equal(t.epochMs % 1000, 123);
  assert.equal(t.nanos, 456789);
  assert.equal(parseIso8601('March 7 2020'), undefined);
  assert.equal(parseIso8601('2024-02-30'), undefined);
  // The shared parser keeps no state between calls: no fraction, no leftover nanos.
  assert.equal(parseIso8601('2024-01-02T03:04:05Z')!.nanos, 0);
});

test('the canonical UTC form (toISOString\'s) parses without the regular expression, to what the full parser gives', () => {
  const iso = compileIso8601Parser();
  let seed = 7;
  const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const texts = ['2024-02-29T23:59:59.999Z', '2023-02-29T00:00:00.000Z', '2000-02-29T12:00:00.000Z', '1900-02-29T12:00:00.000Z',
    '0000-01-01T00:00:00.000Z', '0099-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z', '2024-04-31T00:00:00.000Z',
    '2024-13-01T00:00:00.000Z', '2024-00-10T00:00:00.000Z', '2024-01-00T00:00:00.000Z', '2024-01-01T24:00:00.000Z',
    '2024-01-01T00:60:00.000Z', '2024-01-01T00:00:60.000Z', '2024-01-01t00:00:00.000z', '2024-01-01T00:00:00.000+',
    '2024-01-01 00:00:00.000Z', '2024-01-0a T0:00:00.000Z', '+024-01-01T00:00:00.000Z'];
  for (let i = 0; i < 3000; i++) {
    const two = (n: number): string => String(n).padStart(2, '0');
    texts.push(`${String(random(10000)).padStart(4, '0')}-${two(random(14))}-${two(random(33))}T${two(random(25))}:${two(random(61))}:${two(random(61))}.${String(random(1000)).padStart(3, '0')}Z`);
  }
  let fast = 0;
  for (const text of texts) {
    const full = iso.parse(text, UTC);
    const quick = canonicalUtcMs(text);
    if (quick !== undefined) {
      fast++;
      assert.equal(quick, full, text);
      assert.equal(parseIso8601(text)!.epochMs, full, text);
    } else if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text)) {
      assert.ok(Number.isNaN(full), `${text}: only impossible dates are left to the full parser, which refuses them`);
    }
  }
  assert.ok(fast > 1000, `most texts took the quick path (${fast})`);
  assert.equal(canonicalUtcMs('2024-02-29T23:59:59.999Z'), Date.UTC(2024, 1, 29, 23, 59, 59, 999));
  assert.equal(canonicalUtcMs('0099-12-31T23:59:59.999Z'), new Date('0099-12-31T23:59:59.999Z').getTime(), 'years below 100 are not 19xx');
});
