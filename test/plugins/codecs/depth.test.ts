import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../src/core/event.js';
import { MAX_JSON_DEPTH, NestingTooDeepError } from '../../../src/core/json-depth.js';
import { makeCodec } from '../../helpers/harness.js';
import { nested, nestedText } from '../../helpers/deep.js';

const decodeAll = (name: string, text: string): Event[] => {
  const out: Event[] = [];
  makeCodec(name).decode(text, (e) => out.push(e));
  return out;
};

test('json and json_lines decode: up to 1000 levels pass; deeper text is one event with the text, tagged _jsonparsefailure', () => {
  for (const name of ['json', 'json_lines']) {
    const ok = decodeAll(name, `{"x":${nestedText(MAX_JSON_DEPTH - 1)}}`);
    assert.equal(ok.length, 1);
    assert.equal(ok[0]!.hasTag('_jsonparsefailure'), false, `${name}: exactly the limit is accepted`);
    for (const depth of [MAX_JSON_DEPTH, 100_000]) {
      const text = `{"x":${nestedText(depth)}}`;
      const [bad, ...rest] = decodeAll(name, text);
      assert.equal(rest.length, 0);
      assert.ok(bad!.hasTag('_jsonparsefailure'), `${name}: ${depth + 1} levels are refused`);
      assert.equal(bad!.get('message'), text);
    }
  }
});

test('json_lines decode: a deep line does not take the other lines of the chunk with it', () => {
  const events = decodeAll('json_lines', ['{"n":1}', nestedText(100_000), '{"n":2}'].join('\n'));
  assert.deepEqual(events.map((e) => [e.get('n') ?? null, e.hasTag('_jsonparsefailure')]), [[1, false], [null, true], [2, false]]);
});

test('json, json_lines and rubydebug encode: refuse more than 1000 levels with NestingTooDeepError, never a stack overflow', () => {
  for (const name of ['json', 'json_lines', 'rubydebug']) {
    const codec = makeCodec(name);
    // The event's data is level 1, so x may hold 999 more.
    assert.doesNotThrow(() => codec.encode(new Event({ x: nested(MAX_JSON_DEPTH - 1) })), name);
    assert.throws(() => codec.encode(new Event({ x: nested(MAX_JSON_DEPTH) })), NestingTooDeepError, name);
    assert.throws(() => codec.encode(new Event({ x: nested(100_000) })), NestingTooDeepError, name);
  }
});

test('rubydebug encodes an object with very many keys (no argument spread)', () => {
  const wide: Record<string, number> = {};
  for (let i = 0; i < 200_000; i++) wide[`k${i}`] = i;
  assert.doesNotThrow(() => makeCodec('rubydebug').encode(new Event({ wide })));
});
