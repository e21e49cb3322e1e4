import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ConfigError } from '../../src/core/errors.js';
import { closest, parseDuration, Password, validateSettings, type Schema } from '../../src/config/schema.js';
import { settingsOf } from '../helpers/harness.js';

const schema = {
  port: { type: 'number', default: 5044, description: 'port' },
  host: { type: 'string', required: true, description: 'host' },
  mode: { type: 'string', values: ['fast', 'safe'], default: 'safe', description: 'mode' },
  tags: { type: 'string_list', description: 'tags' },
  convert: { type: 'hash', description: 'convert' },
  password: { type: 'password', description: 'secret' },
  ssl: { type: 'boolean', default: false, description: 'ssl' },
  old: { type: 'string', obsolete: 'use "host" instead', description: 'gone' },
} as const satisfies Schema;

const ctx = { kind: 'output', plugin: 'demo' };

test('defaults apply and Logstash coercions work', () => {
  const o = validateSettings(schema, settingsOf({ host: ['h1'], port: '6379', tags: 'one', convert: ['a', 'integer', 'b', 'float'], ssl: 'true' }), ctx);
  assert.equal(o.host, 'h1');
  assert.equal(o.port, 6379);
  assert.equal(o.mode, 'safe');
  assert.deepEqual(o.tags, ['one']);
  assert.deepEqual(o.convert, { a: 'integer', b: 'float' });
  assert.equal(o.ssl, true);
});

test('unknown options suggest the closest valid name, with the location', () => {
  const err = assert.throws(() => validateSettings(schema, settingsOf({ host: 'h', prot: 1 }), ctx), ConfigError) as unknown;
  void err;
  try {
    validateSettings(schema, settingsOf({ host: 'h', prot: 1 }), ctx);
  } catch (e) {
    const ce = e as ConfigError;
    assert.match(ce.message, /test\.conf:1:1: unknown option "prot" for output plugin "demo"/);
    assert.match(ce.message, /did you mean "port"\?/);
  }
});

test('type errors, bad enum values, missing required and obsolete options are all reported', () => {
  assert.throws(() => validateSettings(schema, settingsOf({ host: 'h', port: 'many' }), ctx), /expected a number/);
  assert.throws(() => validateSettings(schema, settingsOf({ host: 'h', mode: 'fsat' }), ctx), /allowed: fast, safe; did you mean "fast"/);
  assert.throws(() => validateSettings(schema, settingsOf({}), ctx), /requires option "host"/);
  assert.throws(() => validateSettings(schema, settingsOf({ host: 'h', old: 'x' }), ctx), /obsolete[\s\S]*use "host" instead/);
  // Several problems at once are reported together.
  assert.throws(() => validateSettings(schema, settingsOf({ prot: 1, ssl: 'maybe' }), ctx), (e: Error) =>
    /prot/.test(e.message) && /ssl/.test(e.message) && /host/.test(e.message));
});

test('a field reference option is parsed at validation: a malformed one is a config error with its location', () => {
  const refs = { target: { type: 'field_reference', description: 'target' } } as const satisfies Schema;
  assert.equal(validateSettings(refs, settingsOf({ target: '[a][b]' }), ctx).target, '[a][b]');
  assert.equal(validateSettings(refs, settingsOf({ target: 'plain' }), ctx).target, 'plain');
  assert.equal(validateSettings(refs, settingsOf({ target: '' }), ctx).target, '');
  assert.throws(() => validateSettings(refs, settingsOf({ target: '[a][b' }), ctx),
    (e: Error) => e instanceof ConfigError && /test\.conf:1:1: invalid field reference "\[a\]\[b": missing "\]" for option "target"/.test(e.message));
});

test('passwords never print', () => {
  const o = validateSettings(schema, settingsOf({ host: 'h', password: 'hunter2' }), ctx);
  assert.ok(o.password instanceof Password);
  assert.equal(o.password.reveal(), 'hunter2');
  for (const text of [String(o.password), JSON.stringify(o), inspect(o), `${o.password}`]) assert.ok(!text.includes('hunter2'), text);
});

test('repeated settings merge like Logstash: hashes merge, others concatenate', () => {
  const settings = [...settingsOf({ host: 'h', convert: { a: 'integer' } }), ...settingsOf({ convert: { b: 'float' }, tags: ['x'] }), ...settingsOf({ tags: 'y' })];
  const o = validateSettings(schema, settings, ctx);
  assert.deepEqual(o.convert, { a: 'integer', b: 'float' });
  assert.deepEqual(o.tags, ['x', 'y']);
});

test('a repeated hash option keeps both values of the same key as an array (Logstash hash_merge)', () => {
  const settings = [
    ...settingsOf({ host: 'h', convert: { a: 'integer', n: { x: 1 } } }),
    ...settingsOf({ convert: { a: 'float', b: 'float', n: { y: 2 } } }),
    ...settingsOf({ convert: { a: 'integer', c: ['p', 'q'] } }),
    ...settingsOf({ convert: { c: ['q', 'r'] } }),
  ];
  const o = validateSettings(schema, settings, ctx);
  assert.deepEqual(o.convert, { a: ['integer', 'float'], n: { x: 1, y: 2 }, b: 'float', c: ['p', 'q', 'r'] });
  // The same scalar twice stays one value; different scalars become an array.
  assert.deepEqual(validateSettings(schema, [...settingsOf({ host: 'h' }), ...settingsOf({ host: 'h' })], ctx).host, 'h');
  assert.throws(() => validateSettings(schema, [...settingsOf({ host: 'h' }), ...settingsOf({ host: 'i' })], ctx),
    /expected a string, got an array for option "host"/);
});

test('a hash given as key/value pairs collects a repeated key\'s values, as Logstash\'s hash validation does', () => {
  // The old geoip recipe: add_field => ["[geoip][coordinates]", "%{lon}"] add_field => ["[geoip][coordinates]", "%{lat}"]
  const repeated = [...settingsOf({ host: 'h', convert: ['c', 'lon'] }), ...settingsOf({ convert: ['c', 'lat'] })];
  assert.deepEqual(validateSettings(schema, repeated, ctx).convert, { c: ['lon', 'lat'] });
  assert.deepEqual(validateSettings(schema, settingsOf({ host: 'h', convert: ['a', '1', 'b', '2', 'a', '3', 'a', '3'] }), ctx).convert, { a: ['1', '3', '3'], b: '2' });
});

test('closest() only suggests near names', () => {
  assert.equal(closest('codec', ['codec', 'path']), 'codec');
  assert.equal(closest('pathh', ['codec', 'path']), 'path');
  assert.equal(closest('zzzzzz', ['codec', 'path']), undefined);
});

test('durations: bare numbers are seconds, strings carry Go-style units, result in ms', () => {
  assert.equal(parseDuration(30), 30_000);
  assert.equal(parseDuration('30'), 30_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('24h'), 86_400_000);
  assert.equal(parseDuration('-1'), -1000);
  assert.equal(parseDuration('-2s'), -2000);
  assert.throws(() => parseDuration('ten seconds'), /expected a duration/);
  assert.throws(() => parseDuration('10 parsecs'), /expected a duration/);
  const schema = { close_inactive: { type: 'duration', default: 300_000, description: 'd' } } as const satisfies Schema;
  assert.deepEqual(validateSettings(schema, settingsOf({ close_inactive: "5m" }), ctx), { close_inactive: 300_000 });
  assert.deepEqual(validateSettings(schema, settingsOf({}), ctx), { close_inactive: 300_000 });
});

test('durations: Logstash\'s friendly units ("1 second", "5 min", "2 weeks"); "ms" is milliseconds, not minutes', () => {
  assert.equal(parseDuration('1 second'), 1000);
  assert.equal(parseDuration('5 sec'), 5000);
  assert.equal(parseDuration('15 seconds'), 15_000);
  assert.equal(parseDuration('250 ms'), 250);
  assert.equal(parseDuration('250 msec'), 250);
  assert.equal(parseDuration('5 min'), 300_000);
  assert.equal(parseDuration('2 minutes'), 120_000);
  assert.equal(parseDuration('1 hour'), 3_600_000);
  assert.equal(parseDuration('3 days'), 259_200_000);
  assert.equal(parseDuration('2 weeks'), 1_209_600_000);
  assert.equal(parseDuration('2w'), 1_209_600_000);
  assert.throws(() => parseDuration('1  second'), /expected a duration/, 'one space at most, as in Logstash');
  assert.throws(() => parseDuration('1 fortnight'), /expected a duration/);
});
