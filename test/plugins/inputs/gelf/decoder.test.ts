import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { Event } from '../../../../src/core/event.js';
import type { ConfigValue } from '../../../../src/config/values.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { gelfInput } from '../../../../src/plugins/inputs/gelf/index.js';
import { settingsOf, testContext } from '../../../helpers/harness.js';

function decode(messages: Array<string | Uint8Array>, settings: Record<string, ConfigValue> = {}, truncated?: number[]): Event[] {
  const options = builtinRegistry().validate(gelfInput, settingsOf(settings));
  const d = gelfInput.createDecoder(options as never, testContext('gelf'));
  const parts = messages.map((m) => (typeof m === 'string' ? Buffer.from(m) : Buffer.from(m)));
  let at = 0;
  const out: Event[] = [];
  d.decode({
    bytes: new Uint8Array(Buffer.concat(parts)), ends: Uint32Array.from(parts.map((p) => (at += p.length))), hosts: parts.map(() => '203.0.113.9'),
    ...(truncated ? { truncated } : {}),
  }, (e) => out.push(e));
  return out;
}

const GELF = { version: '1.1', host: 'example.org', short_message: 'A short message', full_message: 'Backtrace here\n\nmore stuff', timestamp: 1385053862.3072, level: 1, _user_id: 9001, _some_info: 'foo' };

test('gelf decoder: Logstash mapping — remap, strip_leading_underscore, timestamp to @timestamp (µs), source_host', () => {
  const [e] = decode([JSON.stringify(GELF)]);
  const { '@timestamp': ts, '@version': _v, ...rest } = e!.data;
  assert.deepEqual(rest, {
    version: '1.1', host: 'example.org', short_message: 'A short message', message: 'Backtrace here\n\nmore stuff', level: 1,
    user_id: 9001, some_info: 'foo', source_host: '203.0.113.9',
  });
  // Logstash 8 prints the sub-millisecond digits it keeps (microseconds here)
  assert.equal(String(ts), '2013-11-21T17:11:02.307200Z');
  assert.equal(e!.timestamp.nanos, 200_000);
});

test('gelf decoder: short_message becomes message when there is no full_message; equal short_message is removed', () => {
  const [a, b] = decode([
    JSON.stringify({ version: '1.1', host: 'h', short_message: 'only short' }),
    JSON.stringify({ version: '1.1', host: 'h', short_message: 'same', full_message: 'same' }),
  ]);
  assert.equal(a!.get('message'), 'only short');
  assert.equal(a!.get('short_message'), undefined);
  assert.equal(b!.get('message'), 'same');
  assert.equal(b!.get('short_message'), undefined);
  assert.equal(b!.get('full_message'), undefined);
});

test('gelf decoder: remap and strip_leading_underscore off keep GELF fields as they are; a text timestamp stays a field', () => {
  const [e] = decode([JSON.stringify({ ...GELF, timestamp: 'yesterday' })], { remap: false, strip_leading_underscore: false });
  assert.equal(e!.get('message'), undefined);
  assert.equal(e!.get('short_message'), 'A short message');
  assert.equal(e!.get('_user_id'), 9001);
  assert.equal(e!.get('timestamp'), 'yesterday');
});

test('gelf decoder: compressed payloads (gzip here; zlib alike) decode the same', () => {
  const [e] = decode([gzipSync(JSON.stringify(GELF))]);
  assert.equal(e!.get('message'), 'Backtrace here\n\nmore stuff');
});

test('gelf decoder: bad JSON and non-object JSON → _jsonparsefailure with the text; undecompressable → _gelfparsefailure', () => {
  const corrupt = gzipSync(JSON.stringify(GELF));
  corrupt[corrupt.length - 6] ^= 0xff;
  const [a, b, c, d] = decode(['{"short_message": "unterminated', '[1,2]', corrupt, JSON.stringify({ short_message: 'ok' })]);
  assert.deepEqual(a!.get('tags'), ['_jsonparsefailure']);
  assert.equal(a!.get('message'), '{"short_message": "unterminated');
  assert.equal(a!.get('source_host'), '203.0.113.9');
  assert.deepEqual(b!.get('tags'), ['_jsonparsefailure']);
  assert.deepEqual(c!.get('tags'), ['_gelfparsefailure']);
  assert.match(String(c!.get('error')), /gzip message does not inflate/);
  assert.equal(d!.get('message'), 'ok');
});

test('gelf decoder: a truncated TCP message is tagged _line_truncated (and, cut JSON, _jsonparsefailure)', () => {
  const [e] = decode(['{"short_message":"cut'], {}, [0]);
  assert.deepEqual(e!.get('tags'), ['_jsonparsefailure', '_line_truncated']);
});
