import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { bytesFilter, sizeParser } from '../../../../src/plugins/filters/bytes/index.js';

test('bytes: the documented table (binary and metric, bytes and bits)', () => {
  const binary = sizeParser('.', 1024);
  const metric = sizeParser('.', 1000);
  const rows: [string, number][] = [
    ['40', 40], ['40B', 40], ['40 B', 40], ['40KB', 40960], ['40kB', 40960], ['40.5KB', 41472],
    ['40kb', 5120], ['40Kb', 5120], ['10 MB', 10485760], ['10 mB', 10485760], ['10 mb', 10485760], ['10 Mb', 1310720],
  ];
  for (const [text, bytes] of rows) assert.equal(binary(text), bytes, text);
  assert.equal(metric('40KB'), 40000);
  assert.equal(metric('40'), 40);
  assert.equal(binary('  1 TB '), 1024 ** 4);
  assert.equal(binary('2E'), 2 * 1024 ** 6);
});

test('bytes: digit groups and a comma decimal separator', () => {
  assert.equal(sizeParser('.', 1000)('1,234.5 KB'), 1234500);
  assert.equal(sizeParser('.', 1000)('1 234 567'), 1234567);
  assert.equal(sizeParser(',', 1000)('1.234,5 KB'), 1234500);
  assert.equal(sizeParser(',', 1024)('0,5 KB'), 512);
});

test('bytes: garbage, a unit without a number and empty text are not sizes', () => {
  const p = sizeParser('.', 1024);
  for (const text of ['', 'abcdef', 'mb', '12 XB', '1.2.3 KB', '.', '-5 KB']) assert.equal(p(text), undefined, JSON.stringify(text));
});

test('bytes: sets target, tags _bytesparsefailure (or tag_on_failure) on failure and skips decorations', async () => {
  const f = await makeFilter(bytesFilter, { source: 'size', target: '[disk][bytes]', add_tag: ['parsed'] });
  const [ok] = await f.one({ size: '5.5 GB' });
  assert.equal(ok!.get('[disk][bytes]'), 5.5 * 1024 ** 3);
  assert.deepEqual(ok!.get('tags'), ['parsed']);
  const [bad] = await f.one({ size: 'lots' });
  assert.equal(bad!.get('[disk][bytes]'), undefined);
  assert.deepEqual(bad!.get('tags'), ['_bytesparsefailure']);
  const [missing] = await f.one({ other: 1 });
  assert.deepEqual(missing!.get('tags'), ['_bytesparsefailure']);
  const g = await makeFilter(bytesFilter, { target: 'b', conversion_method: 'metric', tag_on_failure: ['boom'] });
  assert.equal((await g.one({ message: '3 kB' }))[0]!.get('b'), 3000);
  assert.deepEqual((await g.one({ message: 'x' }))[0]!.get('tags'), ['boom']);
});

test('bytes: target is required; a bad conversion_method or separator is refused', async () => {
  await assert.rejects(makeFilter(bytesFilter, {}), /target/);
  await assert.rejects(makeFilter(bytesFilter, { target: 'b', conversion_method: 'si' }), /conversion_method/);
  await assert.rejects(makeFilter(bytesFilter, { target: 'b', decimal_separator: '..' }), /one character/);
});
