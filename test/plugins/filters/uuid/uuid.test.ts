import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidFilter } from '../../../../src/plugins/filters/uuid/index.js';
import { makeFilter } from '../../../helpers/harness.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('adds a random v4 UUID to target', async () => {
  const f = await makeFilter(uuidFilter, { target: '[@metadata][uuid]', add_tag: ['u'] });
  const [a, b] = await f.run([{}, {}]);
  const ua = a!.get('[@metadata][uuid]') as string;
  assert.match(ua, V4);
  assert.notEqual(ua, b!.get('[@metadata][uuid]'));
  assert.deepEqual(a!.tags, ['u']);
});

test('overwrite false keeps any existing value (null and empty included); true replaces', async () => {
  const keep = await makeFilter(uuidFilter, { target: 'id' });
  const out = await keep.run([{ id: 'mine' }, { id: null }, { id: '' }, { id: false }]);
  assert.deepEqual(out.map((e) => e.get('id')), ['mine', null, '', false]);
  const replace = await makeFilter(uuidFilter, { target: 'id', overwrite: true });
  const [r] = await replace.one({ id: 'mine' });
  assert.match(r!.get('id') as string, V4);
});

test('target is required', async () => {
  await assert.rejects(makeFilter(uuidFilter, {}), /requires option "target"/);
});
