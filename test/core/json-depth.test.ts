import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticJson, MAX_JSON_DEPTH, nestingExceeds, NestingTooDeepError, stringifyLimited } from '../../src/core/json-depth.js';
import { Timestamp } from '../../src/core/timestamp.js';
import { nested } from '../helpers/deep.js';

test('nesting: exactly the limit passes, one more level is refused; a cycle counts as too deep', () => {
  assert.equal(nestingExceeds(nested(MAX_JSON_DEPTH)), false);
  assert.equal(nestingExceeds(nested(MAX_JSON_DEPTH + 1)), true);
  assert.equal(nestingExceeds([[[]]], 3), false);
  assert.equal(nestingExceeds([[[[]]]], 3), true);
  assert.equal(nestingExceeds('scalar', 0), false);
  assert.equal(nestingExceeds(nested(100_000)), true, 'the walk itself does not overflow');
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  assert.equal(nestingExceeds(cyclic), true);
});

test('stringifyLimited: JSON as usual, NestingTooDeepError past the limit (overflowing or not), other errors kept', () => {
  assert.equal(stringifyLimited({ a: [1, 'x'] }), '{"a":[1,"x"]}');
  assert.equal(stringifyLimited(nested(MAX_JSON_DEPTH)).length, MAX_JSON_DEPTH * 6 + 1);
  assert.throws(() => stringifyLimited(nested(MAX_JSON_DEPTH + 1)), NestingTooDeepError, 'below a stack overflow');
  assert.throws(() => stringifyLimited(nested(100_000)), NestingTooDeepError, 'where JSON.stringify overflows');
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  assert.throws(() => stringifyLimited(cyclic), TypeError);
  assert.throws(() => stringifyLimited({ n: 1n }), TypeError);
});

test('diagnosticJson never throws: cycles, BigInt, depth and toJSON', () => {
  const cyclic: Record<string, unknown> = { n: 10n, at: new Timestamp(Date.UTC(2024, 0, 2)), skip: undefined };
  cyclic['self'] = cyclic;
  assert.equal(diagnosticJson(cyclic), '{"n":"10","at":"2024-01-02T00:00:00.000Z","self":"[circular]"}');
  const text = diagnosticJson(nested(100_000), 3);
  assert.equal(text, '{"a":{"a":{"a":"[deeper than 3 levels]"}}}');
  assert.doesNotThrow(() => JSON.parse(diagnosticJson(nested(100_000))));
  assert.equal(diagnosticJson([1, NaN, () => 1]), '[1,null,null]');
});
