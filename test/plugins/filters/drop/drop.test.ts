import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { dropFilter } from '../../../../src/plugins/filters/drop/index.js';

test('drop cancels every event by default', async () => {
  const f = await makeFilter(dropFilter, {});
  const out = await f.run([{ message: 'a' }, { message: 'b' }]);
  assert.equal(out.length, 0);
});

test('percentage drops roughly that share and decorates the survivors', async () => {
  const f = await makeFilter(dropFilter, { percentage: 40, add_tag: ['kept'] });
  const input = Array.from({ length: 5000 }, (_, i) => ({ n: i }));
  const out = await f.run(input);
  const dropped = 1 - out.length / input.length;
  assert.ok(dropped > 0.35 && dropped < 0.45, `dropped share ${dropped}`);
  assert.ok(out.every((e) => e.hasTag('kept')));
});

test('percentage 0 keeps everything', async () => {
  const f = await makeFilter(dropFilter, { percentage: 0 });
  const out = await f.run([{ a: 1 }, { a: 2 }, { a: 3 }]);
  assert.deepEqual(out.map((e) => e.get('a')), [1, 2, 3]);
});
