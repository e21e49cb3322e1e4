import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../src/core/event.js';
import { Timestamp } from '../../../src/core/timestamp.js';
import { makeCodec, settingsOf, testContext } from '../../helpers/harness.js';

const at = new Timestamp(Date.UTC(2024, 4, 6, 7, 8, 9, 10));
const decodeAll = (codec: ReturnType<typeof makeCodec>, text: string): Event[] => {
  const out: Event[] = [];
  codec.decode(text, (e) => out.push(e));
  return out;
};

test('line: one event per line, empty lines kept; format on encode', () => {
  const events = decodeAll(makeCodec('line'), 'a\n\nb');
  assert.deepEqual(events.map((e) => e.get('message')), ['a', '', 'b']);
  const codec = makeCodec({ name: 'line', settings: settingsOf({ format: '%{message}|%{n}' }) });
  assert.equal(codec.encode(new Event({ message: 'm', n: 2 })), 'm|2\n');
});

test('line and plain set [event][original] in ECS modes (v1, v8), not in legacy mode, as Logstash\'s codecs do', () => {
  for (const name of ['line', 'plain']) {
    for (const ecs of ['v1', 'v8'] as const) {
      const [e] = decodeAll(testContext('stdin', { ecs }).createCodec({ name, settings: [] }), 'GET /x 200');
      assert.equal(e!.get('message'), 'GET /x 200', `${name} ${ecs}`);
      assert.deepEqual(e!.get('event'), { original: 'GET /x 200' }, `${name} ${ecs}`);
    }
    const [legacy] = decodeAll(makeCodec(name), 'GET /x 200');
    assert.equal(legacy!.get('event'), undefined);
    // The codec's own ecs_compatibility wins over its plugin's.
    const [own] = decodeAll(testContext('stdin', { ecs: 'v8' }).createCodec({ name, settings: settingsOf({ ecs_compatibility: 'disabled' }) }), 'x');
    assert.equal(own!.get('event'), undefined);
  }
});

test('plain and line without format write "timestamp host message"', () => {
  const e = new Event({ '@timestamp': at, host: 'h1', message: 'hello' });
  assert.equal(makeCodec('plain').encode(e), '2024-05-06T07:08:09.010Z h1 hello');
  assert.equal(makeCodec('line').encode(e), '2024-05-06T07:08:09.010Z h1 hello\n');
});

test('json: objects and arrays decode to events; invalid text is kept and tagged', () => {
  const codec = makeCodec('json');
  const [one] = decodeAll(codec, '{"a":1,"@timestamp":"2020-01-01T00:00:00.000Z","@metadata":{"m":2}}');
  assert.equal(one!.get('a'), 1);
  assert.equal(one!.timestamp.epochMs, Date.UTC(2020, 0, 1));
  assert.equal(one!.get('[@metadata][m]'), 2);
  assert.deepEqual(decodeAll(codec, '[{"i":1},{"i":2}]').map((e) => e.get('i')), [1, 2]);
  const [bad] = decodeAll(codec, '{not json');
  assert.equal(bad!.get('message'), '{not json');
  assert.ok(bad!.hasTag('_jsonparsefailure'));
  const [scalar] = decodeAll(codec, '42');
  assert.ok(scalar!.hasTag('_jsonparsefailure'));
});

test('json_lines: one document per line; @metadata never written', () => {
  const codec = makeCodec('json_lines');
  const events = decodeAll(codec, '{"x":1}\n\n{"x":2}\nnope');
  assert.deepEqual(events.map((e) => e.get('x') ?? e.get('message')), [1, 2, 'nope']);
  const e = new Event({ '@timestamp': at, message: 'm' });
  e.set('[@metadata][secret]', 'no');
  const line = codec.encode(e);
  assert.ok(line.endsWith('\n'));
  assert.deepEqual(JSON.parse(line), { '@timestamp': '2024-05-06T07:08:09.010Z', '@version': '1', message: 'm' });
});

test('rubydebug: aligned keys, nested values, @metadata only on request', () => {
  const e = new Event({ '@timestamp': at, message: 'm', nested: { a: [1, 'two'] } });
  e.set('[@metadata][k]', 'v');
  const text = makeCodec('rubydebug').encode(e);
  assert.match(text, /^\{\n/);
  assert.match(text, /^ {4}"@timestamp" => 2024-05-06T07:08:09\.010Z,$/m);
  assert.match(text, /^ {7}"message" => "m",$/m);
  assert.match(text, /\[1\] "two"/);
  assert.ok(!text.includes('@metadata'));
  const withMeta = makeCodec({ name: 'rubydebug', settings: settingsOf({ metadata: true }) }).encode(e);
  assert.match(withMeta, /"@metadata" => \{/);
});
