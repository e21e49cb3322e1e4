import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../src/core/event.js';
import { Timestamp } from '../../../src/core/timestamp.js';
import { makeCodec, settingsOf } from '../../helpers/harness.js';

test('beats_json: @timestamp first, then @metadata, then the fields; one line per event', () => {
  const e = new Event({ message: 'hi', '@timestamp': new Timestamp(Date.parse('2024-05-06T07:08:09.010Z')), a: { b: 1 } }, { beat: 'filebeat', type: '_doc', version: '1.0.0' });
  const text = makeCodec('beats_json').encode(e);
  assert.ok(text.endsWith('}\n'));
  assert.equal(text.split('\n').length, 2);
  assert.deepEqual(Object.keys(JSON.parse(text) as object), ['@timestamp', '@metadata', 'message', 'a']);
  assert.deepEqual(JSON.parse(text), { '@timestamp': '2024-05-06T07:08:09.010Z', '@metadata': { beat: 'filebeat', type: '_doc', version: '1.0.0' }, message: 'hi', a: { b: 1 } });
});

test('beats_json pretty: indented', () => {
  const e = new Event({ message: 'hi' });
  const text = makeCodec({ name: 'beats_json', settings: settingsOf({ pretty: true }) }).encode(e);
  assert.match(text, /\n {2}"message": "hi"\n/);
  assert.equal((JSON.parse(text) as Record<string, unknown>)['message'], 'hi');
});
