import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { mutateFilter } from '../../../../src/plugins/filters/mutate/index.js';
import { CONVERTERS } from '../../../../src/plugins/filters/mutate/convert.js';
import { Event } from '../../../../src/core/event.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

const run1 = async (settings: Record<string, any>, fields: Record<string, unknown>): Promise<Event> => {
  const f = await makeFilter(mutateFilter, settings);
  const out = await f.one(fields);
  assert.equal(out.length, 1);
  return out[0]!;
};

test('seed: convert given as an even-length array becomes a hash', async () => {
  const e = await run1({ convert: ['ymd', 'integer', 'active_time', 'integer'] }, { ymd: '20240105', active_time: '37' });
  assert.equal(e.get('ymd'), 20240105);
  assert.equal(e.get('active_time'), 37);
});

test('convert integer: Logstash to_i and comma rules', async () => {
  const e = await run1({ convert: { a: 'integer', b: 'integer', c: 'integer', d: 'integer', e: 'integer', f: 'integer', g: 'integer', h: 'integer' } },
    { a: '3.7', b: '1,000', c: ' 42 ', d: true, e: 12.9, f: '0x1A', g: '1e3', h: '12abc' });
  assert.deepEqual([e.get('a'), e.get('b'), e.get('c'), e.get('d'), e.get('e'), e.get('f'), e.get('g'), e.get('h')], [3, 1000, 42, 1, 12, 26, 1000, 12]);
});

test('convert integer_eu / float_eu swap the separators', async () => {
  const e = await run1({ convert: { a: 'integer_eu', b: 'float_eu', c: 'float' } }, { a: '1.234,56', b: '1.234,56', c: '1,234.5' });
  assert.equal(e.get('a'), 1234);
  assert.equal(e.get('b'), 1234.56);
  assert.equal(e.get('c'), 1234.5);
});

test('convert boolean: Logstash spellings, unknown passes through', async () => {
  const e = await run1({ convert: { a: 'boolean', b: 'boolean', c: 'boolean', d: 'boolean', e: 'boolean', f: 'boolean' } },
    { a: 'YES', b: 'f', c: '1', d: '0', e: 'maybe', f: '' });
  assert.deepEqual([e.get('a'), e.get('b'), e.get('c'), e.get('d'), e.get('e'), e.get('f')], [true, false, true, false, 'maybe', false]);
});

test('convert string and element-wise arrays; hashes untouched', async () => {
  const e = await run1({ convert: { n: 'string', arr: 'integer', h: 'integer', b: 'string' } },
    { n: 5, arr: ['1', '2', null], h: { x: '1' }, b: false });
  assert.equal(e.get('n'), '5');
  assert.deepEqual(e.get('arr'), [1, 2, null]);
  assert.deepEqual(e.get('h'), { x: '1' });
  assert.equal(e.get('b'), 'false');
});

test('convert float on an invalid string tags _mutate_error and skips decorations', async () => {
  const f = await makeFilter(mutateFilter, { convert: { a: 'float' }, uppercase: ['u'], add_tag: ['ok'] });
  const [e] = await f.one({ a: 'abc', u: 'x' });
  assert.deepEqual(e!.tags, ['_mutate_error']);
  assert.equal(e!.get('a'), 'abc');
  assert.equal(e!.get('u'), 'x', 'later operations do not run after a failure');
});

test('custom tag_on_failure', async () => {
  const e = await run1({ convert: { a: 'integer' }, tag_on_failure: 'bad' }, { a: 'not-a-number-e' });
  assert.deepEqual(e.tags, ['bad']);
});

test('invalid conversion type is a config error', async () => {
  await assert.rejects(makeFilter(mutateFilter, { convert: { a: 'int' } }), /invalid conversion type/);
});

test('fixed order: rename happens before replace, convert before uppercase, copy last', async () => {
  // Written in reverse order on purpose.
  const e = await run1({
    copy: { final: 'copied' },
    uppercase: ['final'],
    convert: { num: 'string' },
    replace: { final: '%{renamed}-%{num}' },
    rename: { orig: 'renamed' },
  }, { orig: 'abc', num: 7 });
  assert.equal(e.get('renamed'), 'abc');
  assert.equal(e.has('orig'), false);
  assert.equal(e.get('final'), 'ABC-7');
  assert.equal(e.get('copied'), 'ABC-7');
});

test('coerce sets defaults only on existing null fields', async () => {
  const e = await run1({ coerce: { a: 'default_a', missing: 'x' } }, { a: null });
  assert.equal(e.get('a'), 'default_a');
  assert.equal(e.has('missing'), false);
});

test('rename with nested refs and sprintf names', async () => {
  const e = await run1({ rename: { '[src][ip]': '[client][ip]', HOSTORIP: 'client_%{kind}' } },
    { src: { ip: '1.2.3.4', port: 5 }, HOSTORIP: 'h', kind: 'host' });
  assert.deepEqual(e.get('client'), { ip: '1.2.3.4' });
  assert.deepEqual(e.get('src'), { port: 5 });
  assert.equal(e.get('client_host'), 'h');
});

test('update only touches existing fields; replace always sets', async () => {
  const e = await run1({ update: { a: 'new %{b}', nope: 'x' }, replace: { message: '%{b}: My new message' } }, { a: 'old', b: 'B' });
  assert.equal(e.get('a'), 'new B');
  assert.equal(e.has('nope'), false);
  assert.equal(e.get('message'), 'B: My new message');
});

test('gsub: documented examples, arrays, back-references', async () => {
  const e = await run1({
    gsub: [
      'fieldname', '/', '_',
      'fieldname2', '[\\\\?#-]', '.',
      'arr', 'a(b)', '<\\1>',
      'date', '(\\d{4})-(\\d{2})', '\\2/\\1',
    ],
  }, { fieldname: 'a/b/c', fieldname2: 'a\\b?c#d-e', arr: ['xab', 1, 'ab'], date: '2024-05' });
  assert.equal(e.get('fieldname'), 'a_b_c');
  assert.equal(e.get('fieldname2'), 'a.b.c.d.e');
  assert.deepEqual(e.get('arr'), ['x<b>', 1, '<b>']);
  assert.equal(e.get('date'), '05/2024');
});

test('gsub with sprintf needle and replacement; $ in replacement is literal', async () => {
  const e = await run1({ gsub: ['msg', '%{word}', '$%{rep}'] }, { msg: 'a cat, a cat', word: 'cat', rep: 'dog' });
  assert.equal(e.get('msg'), 'a $dog, a $dog');
});

test('gsub with a wrong number of elements is a config error', async () => {
  await assert.rejects(makeFilter(mutateFilter, { gsub: ['a', 'b'] }), /triples/);
});

test('uppercase, lowercase, capitalize, strip', async () => {
  const e = await run1({ uppercase: ['u'], lowercase: ['l'], capitalize: ['c', 'arr'], strip: ['s', 'sa'] },
    { u: 'abc', l: 'ABC', c: 'hELLO wORLD', arr: ['fOO', 3], s: '  x y \n', sa: [' a ', 'b '] });
  assert.equal(e.get('u'), 'ABC');
  assert.equal(e.get('l'), 'abc');
  assert.equal(e.get('c'), 'Hello world');
  assert.deepEqual(e.get('arr'), ['Foo', 3]);
  assert.equal(e.get('s'), 'x y');
  assert.deepEqual(e.get('sa'), ['a', 'b']);
});

test('strip on an array with a non-string element fails like Logstash', async () => {
  const e = await run1({ strip: ['sa'] }, { sa: [' a ', 5] });
  assert.deepEqual(e.tags, ['_mutate_error']);
});

test('split and join', async () => {
  const e = await run1({ split: { csv: ',', ws: ' ' }, join: { arr: '|', notarr: ',' } },
    { csv: 'a,b,,c,,', ws: '  one  two three ', arr: ['x', ['y', 'z'], 1], notarr: 'keep' });
  assert.deepEqual(e.get('csv'), ['a', 'b', '', 'c']);
  assert.deepEqual(e.get('ws'), ['one', 'two', 'three']);
  assert.equal(e.get('arr'), 'x|y|z|1');
  assert.equal(e.get('notarr'), 'keep');
});

test('merge: string+string, array+string, hash+hash, hash+string refused', async () => {
  const e = await run1({ merge: { s1: 's2', a1: 's2', h1: 'h2', h3: 's2' } },
    { s1: 'a', s2: 'b', a1: ['x'], h1: { a: 1 }, h2: { b: 2 }, h3: { c: 3 } });
  assert.deepEqual(e.get('s1'), ['a', 'b']);
  assert.deepEqual(e.get('a1'), ['x', 'b']);
  assert.deepEqual(e.get('h1'), { a: 1, b: 2 });
  assert.deepEqual(e.get('h3'), { c: 3 });
  assert.deepEqual(e.tags, []);
});

test('merge with several added fields accumulates', async () => {
  const e = await run1({ merge: { dest: ['a', 'b'] } }, { dest: 'd', a: 'x', b: ['y', 'z'] });
  assert.deepEqual(e.get('dest'), ['d', 'x', 'y', 'z']);
});

test('copy deep-copies and skips missing sources', async () => {
  const f = await makeFilter(mutateFilter, { copy: { src: 'dst', missing: 'other' } });
  const [e] = await f.one({ src: { a: [1] } });
  (e!.get('[src][a]') as number[]).push(2);
  assert.deepEqual(e!.get('dst'), { a: [1] });
  assert.equal(e!.has('other'), false);
});

test('decorations apply on success', async () => {
  const e = await run1({ lowercase: ['a'], add_field: { added: '%{a}' }, add_tag: ['done'] }, { a: 'X' });
  assert.equal(e.get('added'), 'x');
  assert.deepEqual(e.tags, ['done']);
});

test('missing fields and wrong types are no-ops, not failures', async () => {
  const e = await run1({ uppercase: ['nope', 'num'], split: { num: ',' }, join: { s: ',' }, gsub: ['num', 'a', 'b'], convert: { nope: 'integer' } },
    { num: 5, s: 'str' });
  assert.equal(e.get('num'), 5);
  assert.equal(e.get('s'), 'str');
  assert.deepEqual(e.tags, []);
});

test('convert a Timestamp: string gives ISO text, integer gives epoch seconds', async () => {
  const f = await makeFilter(mutateFilter, { convert: { ts: 'string', ts2: 'integer' } });
  const [e] = await f.one(new Event({ ts: new Timestamp(1700000000123), ts2: new Timestamp(1700000000123) }));
  assert.equal(e!.get('ts'), '2023-11-14T22:13:20.123Z');
  assert.equal(e!.get('ts2'), 1700000000);
});

test('empty strings: integer → 0 (to_i), boolean → false, float → _mutate_error', async () => {
  const ok = await run1({ convert: { i: 'integer', b: 'boolean' } }, { i: '', b: '' });
  assert.equal(ok.get('i'), 0);
  assert.equal(ok.get('b'), false);
  assert.deepEqual(ok.tags, []);
  const bad = await run1({ convert: { f: 'float' } }, { f: '' });
  assert.deepEqual(bad.tags, ['_mutate_error']);
});

// rubyToI / rubySplit / rubyReplacement / rubyCapitalize / compileRubyRegex:
// test/core/ruby-string.test.ts and test/core/ruby-regex.test.ts.
test('helpers: float and integer converters', () => {
  assert.equal(CONVERTERS.float('1_000.5'), 1000.5);
  assert.throws(() => CONVERTERS.float('1.2.3'));
  assert.throws(() => CONVERTERS.integer('yes'), /BigDecimal/);
});
