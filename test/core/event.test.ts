import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../src/core/event.js';
import { Timestamp } from '../../src/core/timestamp.js';

test('a new event has @timestamp (Timestamp) and @version "1"', () => {
  const before = Date.now();
  const e = new Event({ message: 'hi' });
  assert.ok(e.data['@timestamp'] instanceof Timestamp);
  assert.ok(e.timestamp.epochMs >= before && e.timestamp.epochMs <= Date.now());
  assert.equal(e.data['@version'], '1');
});

test('@timestamp serialises as ISO-8601 UTC with milliseconds', () => {
  const e = new Event({ '@timestamp': new Timestamp(Date.UTC(2024, 1, 29, 23, 59, 58, 7)) });
  assert.equal(JSON.parse(JSON.stringify(e))['@timestamp'], '2024-02-29T23:59:58.007Z');
});

test('a string @timestamp from JSON is parsed; a bad one is tagged and kept aside', () => {
  const ok = new Event({ '@timestamp': '2020-01-02T03:04:05.678Z' });
  assert.equal(ok.timestamp.epochMs, Date.UTC(2020, 0, 2, 3, 4, 5, 678));
  const bad = new Event({ '@timestamp': 'yesterday' });
  assert.ok(bad.hasTag('_timestampparsefailure'));
  assert.equal(bad.data['_@timestamp'], 'yesterday');
});

test('@metadata given in the data moves to metadata', () => {
  const e = new Event({ message: 'x', '@metadata': { a: 1 } });
  assert.equal(e.get('[@metadata][a]'), 1);
  assert.equal('@metadata' in e.data, false);
});

test('tag() deduplicates and converts a scalar tags field', () => {
  const e = new Event({ tags: 'one' });
  e.tag('two');
  e.tag('two');
  assert.deepEqual(e.data['tags'], ['one', 'two']);
});

test('clone() is deep', () => {
  const e = new Event({ a: { b: [1, 2] } });
  e.set('[@metadata][m]', { n: 1 });
  const c = e.clone();
  (c.get('[a][b]') as number[]).push(3);
  c.set('[@metadata][m][n]', 2);
  assert.deepEqual(e.get('[a][b]'), [1, 2]);
  assert.equal(e.get('[@metadata][m][n]'), 1);
  assert.equal(c.timestamp, e.timestamp);
});

test('ISO formatting is right across seconds, milliseconds, and extreme years', () => {
  const samples = [0, 1, 999, 1000, 1001, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), -1, -1001, Date.UTC(-50, 0, 1), Date.UTC(12000, 5, 6, 7, 8, 9, 10)];
  for (let i = 0; i < 3; i++) {
    for (const ms of samples) assert.equal(new Timestamp(ms).toISOString(), new Date(ms).toISOString(), String(ms));
  }
  for (let ms = 1_700_000_000_000; ms < 1_700_000_003_000; ms += 7) assert.equal(new Timestamp(ms).toJSON(), new Date(ms).toISOString());
});

test('a string @timestamp without an offset is UTC, whatever the process time zone', () => {
  const e = new Event({ '@timestamp': '2024-01-01T10:00:00' });
  assert.equal(e.timestamp.toISOString(), '2024-01-01T10:00:00.000Z');
  const withNanos = new Event({ '@timestamp': '2024-01-01T10:00:00.123456789+02:00' });
  assert.equal(withNanos.timestamp.toISOString(), '2024-01-01T08:00:00.123456789Z');
  assert.equal(withNanos.timestamp.nanos, 456789);
  assert.ok(new Event({ '@timestamp': 'Mon Jan 1 2024' }).hasTag('_timestampparsefailure'));
});

test('sub-millisecond digits are kept and printed as Logstash 8 does: 3 digits at least, else 6, else 9', () => {
  const ms = Date.UTC(2024, 0, 2, 3, 4, 58, 123);
  assert.equal(new Timestamp(ms).toISOString(), '2024-01-02T03:04:58.123Z');
  assert.equal(new Timestamp(ms, 456_000).toISOString(), '2024-01-02T03:04:58.123456Z');
  assert.equal(new Timestamp(ms, 456_789).toISOString(), '2024-01-02T03:04:58.123456789Z');
  assert.equal(new Timestamp(ms, 1).toISOString(), '2024-01-02T03:04:58.123000001Z');
  assert.equal(new Timestamp(Date.UTC(2024, 0, 2), 5_000).toJSON(), '2024-01-02T00:00:00.000005Z');
  // Round trip through JSON text, as an event read by json_lines and written again.
  const e = new Event({ '@timestamp': '2024-01-02T03:04:58.123456Z' });
  assert.equal(JSON.parse(JSON.stringify(e.data))['@timestamp'], '2024-01-02T03:04:58.123456Z');
});
