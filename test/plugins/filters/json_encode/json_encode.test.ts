import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { jsonEncodeFilter } from '../../../../src/plugins/filters/json_encode/index.js';

test('json_encode: a hash in place, or into target; a missing field gives "null"', async () => {
  const inPlace = await makeFilter(jsonEncodeFilter, { source: 'h' });
  const [e] = await inPlace.one({ h: { a: [1, 'x'], b: null } });
  assert.equal(e!.get('h'), '{"a":[1,"x"],"b":null}');
  const toTarget = await makeFilter(jsonEncodeFilter, { source: '[a][b]', target: 'json' });
  const [t] = await toTarget.one({ a: { b: 'text "q"' } });
  assert.equal(t!.get('json'), '"text \\"q\\""');
  assert.deepEqual(t!.get('a'), { b: 'text "q"' });
  const [m] = await toTarget.one({});
  assert.equal(m!.get('json'), 'null');
});

test('json_encode: a value nested too deep is tagged, not a crash', async () => {
  let deep: unknown = 1;
  for (let i = 0; i < 1100; i++) deep = [deep];
  const f = await makeFilter(jsonEncodeFilter, { source: 'd', target: 'j' });
  const [e] = await f.one({ d: deep });
  assert.equal(e!.get('j'), undefined);
  assert.deepEqual(e!.get('tags'), ['_jsonencodefailure']);
});
