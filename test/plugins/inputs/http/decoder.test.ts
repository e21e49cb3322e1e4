/** The http input's worker half and payload helpers, without sockets: event counts, header keys, target fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../../../../src/core/event.js';
import { httpDecoder } from '../../../../src/plugins/inputs/http/decoder.js';
import { estimateJsonEvents, headerKey, splitJsonArray, type HttpRequestPayload } from '../../../../src/plugins/inputs/http/payload.js';
import { makeCodec } from '../../../helpers/harness.js';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text));

test('estimateJsonEvents counts the objects of a top-level array, not nested ones or braces in strings', () => {
  assert.equal(estimateJsonEvents(bytes('  [{"a":{"b":1}},{"c":[{"d":2}]},{"s":"}{[\\"{"}]')), 3);
  assert.equal(estimateJsonEvents(bytes('{"a":[{},{}]}')), 1);
  assert.equal(estimateJsonEvents(bytes('[]')), 1);
  assert.equal(estimateJsonEvents(bytes('not json')), 1);
});

test('splitJsonArray cuts a large top-level array into valid arrays of at most n elements; leaves anything else whole', () => {
  const text = JSON.stringify(Array.from({ length: 7 }, (_, i) => ({ i, s: `a,b]}{"${i}`, nested: [1, { x: [2] }] })));
  const chunks = splitJsonArray(bytes(` ${text}\n`), 3)!;
  assert.equal(chunks.length, 3);
  const parsed = chunks.map((c) => JSON.parse(Buffer.from(c).toString()) as { i: number }[]);
  assert.deepEqual(parsed.map((p) => p.length), [3, 3, 1]);
  assert.deepEqual(parsed.flat(), JSON.parse(text));
  assert.equal(splitJsonArray(bytes('[1,2,3]'), 3), undefined, 'small enough');
  assert.equal(splitJsonArray(bytes('{"a":[1,2,3,4]}'), 2), undefined, 'not an array');
  assert.equal(splitJsonArray(bytes('[1,2,3,4'), 2), undefined, 'unbalanced');
  assert.equal(splitJsonArray(bytes('[1,2,3,4] trailing'), 2), undefined, 'something after the array');
  assert.equal(splitJsonArray(bytes('[1,2,"3,4]'), 2), undefined, 'unterminated string');
});

test('headerKey follows Logstash: lower case, - to _, http_ prefix except content_type/content_length', () => {
  assert.equal(headerKey('X-Forwarded-For'), 'http_x_forwarded_for');
  assert.equal(headerKey('user-agent'), 'http_user_agent');
  assert.equal(headerKey('Content-Type'), 'content_type');
  assert.equal(headerKey('content-length'), 'content_length');
});

function decode(payload: Partial<HttpRequestPayload>, settings: { remoteHostField?: string; headersField?: string; ecs?: 'disabled' | 'v8' } = {}): Event[] {
  const decoder = httpDecoder({
    codec: makeCodec('plain'),
    codecsByMimeType: new Map([['application/json', makeCodec('json')]]),
    remoteHostField: settings.remoteHostField ?? 'host',
    headersField: settings.headersField ?? 'headers',
    ecs: settings.ecs ?? 'disabled',
  });
  const events: Event[] = [];
  decoder.decode({ body: bytes(''), mimeType: '', headers: { request_method: 'POST' }, remoteAddress: '10.0.0.1', ...payload }, (e) => events.push(e));
  return events;
}

test('custom target fields; a field the body set is kept; the charset of the content type is honoured', () => {
  const [own] = decode({ body: bytes('{"host":"sender-1","n":1}'), mimeType: 'application/json' });
  assert.equal(own!.get('host'), 'sender-1', 'the body\'s own host is not overwritten');
  assert.deepEqual(own!.get('headers'), { request_method: 'POST' });
  const [custom] = decode({ body: bytes('x'), mimeType: 'text/plain' }, { remoteHostField: '[client][ip]', headersField: '[@metadata][h]' });
  assert.equal(custom!.get('[client][ip]'), '10.0.0.1');
  assert.deepEqual(custom!.get('[@metadata][h]'), { request_method: 'POST' });
  assert.equal(custom!.get('headers'), undefined);
  const [latin1] = decode({ body: new Uint8Array([0x63, 0x61, 0x66, 0xe9]), mimeType: 'text/plain', charset: 'iso-8859-1' });
  assert.equal(latin1!.get('message'), 'café');
  const [unknown] = decode({ body: bytes('plain'), mimeType: 'text/plain', charset: 'no-such-charset' });
  assert.equal(unknown!.get('message'), 'plain');
});

test('an empty body is one event with an empty message; a JSON array one event per element', () => {
  const empty = decode({});
  assert.equal(empty.length, 1);
  assert.equal(empty[0]!.get('message'), '');
  assert.equal(empty[0]!.get('host'), '10.0.0.1');
  assert.deepEqual(decode({ body: bytes('[{"i":1},{"i":2},{"i":3}]'), mimeType: 'application/json' }).map((e) => e.get('i')), [1, 2, 3]);
});
