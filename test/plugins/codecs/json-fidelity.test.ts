import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../src/core/event.js';
import { Timestamp } from '../../../src/core/timestamp.js';
import { builtinRegistry } from '../../../src/plugins/builtins.js';
import { jsonFilter } from '../../../src/plugins/filters/json/index.js';
import { capturingContext, settingsOf } from '../../helpers/harness.js';

const decodeAll = (text: string, codec = 'json_lines') => {
  const { ctx, logs } = capturingContext('stdin');
  const c = ctx.createCodec({ name: codec, settings: [] });
  const out: Event[] = [];
  c.decode(text, (e) => out.push(e));
  return { events: out, logs };
};

test('a numeric @timestamp is not read as epoch seconds: _timestampparsefailure, raw value in _@timestamp, a warning', () => {
  const before = Date.now();
  const { events, logs } = decodeAll('{"@timestamp":1700000000,"a":1}\n{"@timestamp":"2024-01-02T03:04:05.678Z"}\n');
  assert.deepEqual(events[0]!.tags, ['_timestampparsefailure']);
  assert.equal(events[0]!.get('_@timestamp'), 1700000000);
  assert.ok(events[0]!.timestamp.epochMs >= before, 'the current time');
  assert.equal(events[1]!.timestamp.toISOString(), '2024-01-02T03:04:05.678Z');
  assert.deepEqual(events[1]!.tags, []);
  assert.equal(logs.filter((l) => l.includes('Unrecognized @timestamp value')).length, 1, logs.join('\n'));
});

test('a null @timestamp is "now", untagged, as in Logstash', () => {
  const e = new Event({ '@timestamp': null });
  assert.ok(e.timestamp instanceof Timestamp);
  assert.deepEqual(e.tags, []);
  assert.equal(e.get('_@timestamp'), undefined);
});

test('tags given as a hash (or a list holding one) move to _tags, tagged _tagsparsefailure, with a warning', () => {
  const { events, logs } = decodeAll('{"tags":{"a":1}}\n{"tags":["x",{"b":2}]}\n{"tags":["x","y"]}\n{"tags":"z"}\n');
  assert.deepEqual(events.map((e) => [e.get('tags'), e.get('_tags')]), [
    [['_tagsparsefailure'], { a: 1 }],
    [['_tagsparsefailure'], ['x', { b: 2 }]],
    [['x', 'y'], undefined],
    ['z', undefined],
  ]);
  assert.equal(logs.filter((l) => l.includes('_tagsparsefailure')).length, 1, 'rate-limited: one line for two events');
  assert.match(logs.find((l) => l.includes('_tagsparsefailure'))!, /"tags" is not a string or a list of strings/);
});

test('1e400 and other numbers beyond the double range are kept as their text, with a warning, not turned into null', () => {
  const { events, logs } = decodeAll('{"a":1e400,"b":-2E+999,"c":1.5e300,"s":"1e400","d":[' + '9'.repeat(400) + ']}\n');
  const e = events[0]!;
  assert.equal(e.get('a'), '1e400');
  assert.equal(e.get('b'), '-2E+999');
  assert.equal(e.get('c'), 1.5e300);
  assert.equal(e.get('s'), '1e400');
  assert.deepEqual(e.get('d'), ['9'.repeat(400)]);
  assert.equal(JSON.parse(JSON.stringify(e.data))['a'], '1e400');
  assert.equal(logs.filter((l) => l.includes('beyond the double range')).length, 1, logs.join('\n'));
});

test('json_lines and json warn (rate-limited) on text that is not JSON', () => {
  for (const codec of ['json_lines', 'json']) {
    const { events, logs } = decodeAll(codec === 'json' ? '{"a":' : '{"a":\nnot json\n{"ok":1}\n', codec);
    assert.deepEqual(events[0]!.tags, ['_jsonparsefailure']);
    const warnings = logs.filter((l) => l.includes('JSON parse error, original data now in message field'));
    assert.equal(warnings.length, 1, `${codec}: ${logs.join('\n')}`);
  }
});

test('json filter: parse failures and an unrecognised @timestamp are warned, one line per kind per interval', async () => {
  const { ctx, logs } = capturingContext('json');
  const registry = builtinRegistry();
  const options = registry.validate(jsonFilter, settingsOf({ source: 'message' }));
  const filter = await jsonFilter.create(options as never, ctx);
  const run = (message: string): Event => {
    const e = new Event({ message });
    filter.filter!(e, () => undefined);
    return e;
  };
  const bad = [run('{"a":'), run('{"b":'), run('{"@timestamp": 12}'), run('{"@timestamp": "nope"}')];
  assert.deepEqual(bad.map((e) => e.tags), [['_jsonparsefailure'], ['_jsonparsefailure'], ['_timestampparsefailure'], ['_timestampparsefailure']]);
  assert.equal(bad[2]!.get('_@timestamp'), '12');
  assert.equal(logs.filter((l) => l.includes('Error parsing json')).length, 1, logs.join('\n'));
  assert.equal(logs.filter((l) => l.includes('Unrecognized @timestamp value')).length, 1, logs.join('\n'));
  assert.equal(run('{"big": 1e400}').get('big'), '1e400');
});
