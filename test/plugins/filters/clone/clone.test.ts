import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { cloneFilter } from '../../../../src/plugins/filters/clone/index.js';

test('clone: one copy per name after the original; copies get type (ECS off)', async () => {
  const f = await makeFilter(cloneFilter, { clones: ['sun', 'moon'] });
  const out = await f.one({ message: 'Hello World!', type: 'original', sequence: 0 });
  assert.deepEqual(out.map((e) => e.get('type')), ['original', 'sun', 'moon']);
  for (const e of out) {
    assert.equal(e.get('message'), 'Hello World!');
    assert.equal(e.get('sequence'), 0);
  }
});

test('clone: decorations apply to the copies only, the original is unchanged', async () => {
  const f = await makeFilter(cloneFilter, { clones: ['c1', 'c2'], add_tag: ['RABBIT', 'NO_ES'], remove_tag: ['TESTLOG'] });
  const out = await f.one({ type: 'nginx-access', tags: ['TESTLOG'], message: 'hello world' });
  assert.equal(out.length, 3);
  assert.deepEqual(out[0]!.tags, ['TESTLOG']);
  for (const c of out.slice(1)) {
    assert.ok(c.hasTag('RABBIT') && c.hasTag('NO_ES'));
    assert.equal(c.hasTag('TESTLOG'), false);
  }
});

test('clone: ECS mode adds the name as a tag and leaves type alone', async () => {
  for (const ecs of ['v1', 'v8'] as const) {
    const f = await makeFilter(cloneFilter, { clones: ['sun'] }, { ecs });
    const out = await f.one({ message: 'm', tags: ['t'] });
    assert.equal(out.length, 2);
    assert.deepEqual(out[1]!.tags, ['t', 'sun']);
    assert.equal(out[1]!.get('type'), undefined);
    assert.deepEqual(out[0]!.tags, ['t']);
  }
});

test('clone: copies are deep and carry metadata', async () => {
  const f = await makeFilter(cloneFilter, { clones: ['a'] });
  const out = await f.one({ nested: { n: 5 }, '@metadata': { k: 'v' } });
  (out[1]!.get('nested') as Record<string, number>).n = 6;
  assert.equal(out[0]!.get('[nested][n]'), 5);
  assert.equal(out[1]!.get('[@metadata][k]'), 'v');
});

test('clone: empty list creates nothing; clones is required', async () => {
  const f = await makeFilter(cloneFilter, { clones: [] });
  assert.equal((await f.one({ message: 'x' })).length, 1);
  await assert.rejects(makeFilter(cloneFilter, {}), /requires option "clones"/);
});
