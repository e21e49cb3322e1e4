import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { jsonFilter } from '../../../../src/plugins/filters/json/index.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

test('no target: keys merge at the top level, decorations apply', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message', add_tag: ['parsed'] });
  const [e] = await f.one({ message: '{"a":1,"b":{"c":[true,null]},"[n][m]":"x"}' });
  assert.equal(e!.get('a'), 1);
  assert.deepEqual(e!.get('b'), { c: [true, null] });
  assert.equal(e!.get('[n][m]'), 'x', 'bracketed keys are field references');
  assert.equal(e!.get('message'), '{"a":1,"b":{"c":[true,null]},"[n][m]":"x"}');
  assert.deepEqual(e!.tags, ['parsed']);
});

test('target puts the parsed value there, including non-objects', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message', target: '[doc][parsed]' });
  const [e1] = await f.one({ message: '{"a":1}' });
  assert.deepEqual(e1!.get('doc'), { parsed: { a: 1 } });
  const [e2] = await f.one({ message: '[1,2]' });
  assert.deepEqual(e2!.get('[doc][parsed]'), [1, 2]);
});

test('invalid JSON tags _jsonparsefailure, keeps the event, skips decorations', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message', add_tag: ['parsed'] });
  const [e] = await f.one({ message: '{"a":' });
  assert.deepEqual(e!.tags, ['_jsonparsefailure']);
  assert.equal(e!.get('message'), '{"a":');
});

test('skip_on_invalid_json still tags (Logstash only silences the warning); custom tags', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message', skip_on_invalid_json: true, tag_on_failure: ['bad', 'json'] });
  const [e] = await f.one({ message: 'not json' });
  assert.deepEqual(e!.tags, ['bad', 'json']);
});

test('non-object JSON without target is a failure', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message' });
  for (const text of ['[1,2]', '"str"', '42', '']) {
    const [e] = await f.one({ message: text });
    assert.deepEqual(e!.tags, ['_jsonparsefailure'], text);
  }
});

test('missing source is a silent no-op', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message', add_tag: ['x'] });
  const [e] = await f.one({ other: 1 });
  assert.deepEqual(e!.tags, []);
});

test('non-string source is a failure', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message' });
  const [e] = await f.one({ message: { a: 1 } });
  assert.deepEqual(e!.tags, ['_jsonparsefailure']);
});

test('@timestamp in the JSON becomes the event timestamp', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message' });
  const [e] = await f.one({ message: '{"@timestamp":"2020-03-04T05:06:07.890Z","x":1}' });
  assert.ok(e!.timestamp instanceof Timestamp);
  assert.equal(e!.timestamp.toISOString(), '2020-03-04T05:06:07.890Z');
  assert.deepEqual(e!.tags, []);
});

test('a bad @timestamp gives _timestampparsefailure and _@timestamp', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message' });
  const before = Date.now();
  const [e] = await f.one({ message: '{"@timestamp":"yesterday","x":1}' });
  assert.deepEqual(e!.tags, ['_timestampparsefailure']);
  assert.equal(e!.get('_@timestamp'), 'yesterday');
  assert.ok(e!.timestamp.epochMs >= before);
  assert.equal(e!.get('x'), 1);
});

test('@metadata in the JSON goes to metadata', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message' });
  const [e] = await f.one({ message: '{"@metadata":{"k":"v"},"a":2}' });
  assert.equal(e!.get('[@metadata][k]'), 'v');
  assert.equal(e!.toJSON()['@metadata'], undefined);
});

// parseIso8601 itself: test/core/time/joda-parse.test.ts.

test('remove_field applies only when parsing succeeded', async () => {
  const f = await makeFilter(jsonFilter, { source: 'message', remove_field: ['message'] });
  const [ok] = await f.one({ message: '{"a":1}' });
  assert.equal(ok!.has('message'), false);
  assert.equal(ok!.get('a'), 1);
  const [bad] = await f.one({ message: '{oops' });
  assert.equal(bad!.get('message'), '{oops');
});

test('text nested deeper than 1000 levels is refused like invalid JSON: tagged, left as it was, no decorations', async () => {
  const deep = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  const f = await makeFilter(jsonFilter, { source: 'message', target: 'parsed', add_tag: ['parsed'], skip_on_invalid_json: true });
  const [ok] = await f.one({ message: deep(1000) });
  assert.deepEqual(ok!.get('tags'), ['parsed']);
  for (const n of [1001, 100_000]) {
    const [bad] = await f.one({ message: deep(n) });
    assert.deepEqual(bad!.get('tags'), ['_jsonparsefailure']);
    assert.equal(bad!.has('parsed'), false);
  }
});
