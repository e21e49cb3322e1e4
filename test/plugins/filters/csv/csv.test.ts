import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { csvFilter, rubyStrictInteger } from '../../../../src/plugins/filters/csv/index.js';
import { parseCsvLine } from '../../../../src/plugins/filters/csv/parser.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

test('default columns are column1..N', async () => {
  const f = await makeFilter(csvFilter, {});
  const [e] = await f.one({ message: 'big,bird,sesame street' });
  assert.deepEqual([e!.get('column1'), e!.get('column2'), e!.get('column3')], ['big', 'bird', 'sesame street']);
});

test('named columns, extra columns auto-numbered, decorations apply', async () => {
  const f = await makeFilter(csvFilter, { columns: ['first', 'last'], add_tag: ['csv'] });
  const [e] = await f.one({ message: 'big,bird,sesame street' });
  assert.deepEqual([e!.get('first'), e!.get('last'), e!.get('column3')], ['big', 'bird', 'sesame street']);
  assert.deepEqual(e!.tags, ['csv']);
});

test('autogenerate_column_names false drops unnamed columns', async () => {
  const f = await makeFilter(csvFilter, { columns: ['first'], autogenerate_column_names: false });
  const [e] = await f.one({ message: 'a,b,c' });
  assert.equal(e!.get('first'), 'a');
  assert.equal(e!.has('column2'), false);
});

test('quoted fields with separators, escaped quotes and newlines', async () => {
  const f = await makeFilter(csvFilter, { columns: ['a', 'b', 'c', 'd'] });
  const [e] = await f.one({ message: '"x, y","say ""hi""","",plain' });
  assert.deepEqual([e!.get('a'), e!.get('b'), e!.get('c'), e!.get('d')], ['x, y', 'say "hi"', '', 'plain']);
  assert.deepEqual(parseCsvLine('"multi\nline",b\nnext,row', ',', '"'), ['multi\nline', 'b']);
});

test('custom separator and quote_char', async () => {
  const f = await makeFilter(csvFilter, { separator: ';', quote_char: "'" });
  const [e] = await f.one({ message: "a;'b;c';\"d\"" });
  assert.deepEqual([e!.get('column1'), e!.get('column2'), e!.get('column3')], ['a', 'b;c', '"d"']);
  const tab = await makeFilter(csvFilter, { separator: '\t' });
  const [t] = await tab.one({ message: 'x\ty' });
  assert.equal(t!.get('column2'), 'y');
  const multi = await makeFilter(csvFilter, { separator: '||' });
  const [m] = await multi.one({ message: 'x||y|z' });
  assert.deepEqual([m!.get('column1'), m!.get('column2')], ['x', 'y|z']);
});

test('empty columns: null by default, skipped with skip_empty_columns', async () => {
  const f1 = await makeFilter(csvFilter, {});
  const [e1] = await f1.one({ message: 'a,,c,' });
  assert.equal(e1!.get('column2'), null);
  assert.equal(e1!.has('column2'), true);
  assert.equal(e1!.get('column4'), null);
  const f2 = await makeFilter(csvFilter, { skip_empty_columns: true });
  const [e2] = await f2.one({ message: 'a,,c,""' });
  assert.equal(e2!.has('column2'), false);
  assert.equal(e2!.has('column4'), false);
  assert.equal(e2!.get('column3'), 'c');
});

test('malformed CSV tags _csvparsefailure and keeps the event', async () => {
  const f = await makeFilter(csvFilter, { add_tag: ['csv'] });
  for (const message of ['a,"unclosed', 'a,b"c', '"q"x,y']) {
    const [e] = await f.one({ message });
    assert.deepEqual(e!.tags, ['_csvparsefailure'], message);
    assert.equal(e!.has('column1'), false);
  }
});

test('empty row: failure by default; skip_empty_rows tags and drops it', async () => {
  const f1 = await makeFilter(csvFilter, {});
  const [e1] = await f1.one({ message: '' });
  assert.deepEqual(e1!.tags, ['_csvparsefailure']);
  const f2 = await makeFilter(csvFilter, { skip_empty_rows: true });
  const out = await f2.run([{ message: '' }, { message: 'a' }]);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.get('column1'), 'a');
});

test('missing source is a no-op; non-string source is a failure', async () => {
  const f = await makeFilter(csvFilter, { add_tag: ['csv'] });
  const [e1] = await f.one({ other: 'a,b' });
  assert.deepEqual(e1!.tags, []);
  const [e2] = await f.one({ message: 5 });
  assert.deepEqual(e2!.tags, ['_csvparsefailure']);
});

test('target puts columns under a field', async () => {
  const f = await makeFilter(csvFilter, { target: 'row', columns: ['a', '[n][m]'] });
  const [e] = await f.one({ message: '1,2' });
  assert.deepEqual(e!.get('row'), { a: '1', n: { m: '2' } });
});

test('convert: integer, float, boolean, date, date_time; failures keep strings', async () => {
  const f = await makeFilter(csvFilter, {
    columns: ['i', 'f', 'b', 'd', 'dt', 'bad', 'oct'],
    convert: { i: 'integer', f: 'float', b: 'boolean', d: 'date', dt: 'date_time', bad: 'integer', oct: 'integer' },
  });
  const [e] = await f.one({ message: '42,3.5, TRUE ,2024-01-02,2024-01-02T03:04:05Z,12x,010' });
  assert.equal(e!.get('i'), 42);
  assert.equal(e!.get('f'), 3.5);
  assert.equal(e!.get('b'), true);
  assert.ok(e!.get('d') instanceof Timestamp);
  assert.equal((e!.get('d') as Timestamp).toISOString(), '2024-01-02T00:00:00.000Z');
  assert.equal((e!.get('dt') as Timestamp).toISOString(), '2024-01-02T03:04:05.000Z');
  assert.equal(e!.get('bad'), '12x');
  assert.equal(e!.get('oct'), 8, 'Ruby Integer() reads a leading 0 as octal');
});

test('invalid conversion type is a config error', async () => {
  await assert.rejects(makeFilter(csvFilter, { convert: { a: 'int' } }), /invalid conversion types: int/);
});

test('autodetect_column_names takes the header from the first row and drops it', async () => {
  const f = await makeFilter(csvFilter, { autodetect_column_names: true, skip_header: true });
  const out = await f.run([{ message: 'name,age' }, { message: 'ann,31' }, { message: 'name,age' }, { message: 'bob,42' }]);
  assert.equal(out.length, 2);
  assert.deepEqual(out.map((e) => [e.get('name'), e.get('age')]), [['ann', '31'], ['bob', '42']]);
});

test('skip_header with explicit columns drops matching rows only', async () => {
  const f = await makeFilter(csvFilter, { columns: ['a', 'b'], skip_header: true });
  const out = await f.run([{ message: 'a,b' }, { message: '1,2' }]);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.get('a'), '1');
});

test('rubyStrictInteger follows Integer()', () => {
  assert.equal(rubyStrictInteger(' 1_000 '), 1000);
  assert.equal(rubyStrictInteger('0x1f'), 31);
  assert.equal(rubyStrictInteger('-0b101'), -5);
  assert.equal(rubyStrictInteger('08'), undefined);
  assert.equal(rubyStrictInteger('1.5'), undefined);
});
