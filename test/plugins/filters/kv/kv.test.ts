import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { kvFilter } from '../../../../src/plugins/filters/kv/index.js';
import type { Event } from '../../../../src/core/event.js';

const kv = async (settings: Record<string, any>, message: unknown): Promise<Event> => {
  const f = await makeFilter(kvFilter, settings);
  const [e] = await f.one({ message });
  return e!;
};

test('default: ip=1.2.3.4 error=REFUSED', async () => {
  const e = await kv({}, 'ip=1.2.3.4 error=REFUSED');
  assert.equal(e.get('ip'), '1.2.3.4');
  assert.equal(e.get('error'), 'REFUSED');
});

test('field_split "&?" on a query string', async () => {
  const e = await kv({ field_split: '&?' }, '?pin=12345~0&d=123&e=foo@bar.com&oq=bobo&ss=12345');
  assert.deepEqual(['pin', 'd', 'e', 'oq', 'ss'].map((k) => e.get(k)), ['12345~0', '123', 'foo@bar.com', 'bobo', '12345']);
});

test('field_split_pattern for multi-character delimiters', async () => {
  const e1 = await kv({ field_split_pattern: ':+' }, 'k1=v1:k2=v2::k3=v3:::k4=v4');
  assert.deepEqual(['k1', 'k2', 'k3', 'k4'].map((k) => e1.get(k)), ['v1', 'v2', 'v3', 'v4']);
  const e2 = await kv({ field_split_pattern: '\\+\\+' }, 'k1=v1++k2=v2++k3=v3++k4=v4');
  assert.deepEqual(['k1', 'k2', 'k3', 'k4'].map((k) => e2.get(k)), ['v1', 'v2', 'v3', 'v4']);
});

test('value_split ":" and value_split_pattern', async () => {
  const e = await kv({ value_split: ':' }, 'key1:value1 key2:value2');
  assert.equal(e.get('key1'), 'value1');
  assert.equal(e.get('key2'), 'value2');
  const e2 = await kv({ value_split_pattern: '=>' }, 'a=>1 b=>2');
  assert.equal(e2.get('a'), '1');
  assert.equal(e2.get('b'), '2');
});

test('include_brackets (default true) and quotes', async () => {
  const msg = 'bracketsone=(hello world) bracketstwo=[hello world] bracketsthree=<hello world> q="a b" s=\'c d\'';
  const e = await kv({}, msg);
  assert.equal(e.get('bracketsone'), 'hello world');
  assert.equal(e.get('bracketstwo'), 'hello world');
  assert.equal(e.get('bracketsthree'), 'hello world');
  assert.equal(e.get('q'), 'a b');
  assert.equal(e.get('s'), 'c d');
  const e2 = await kv({ include_brackets: false }, msg);
  assert.equal(e2.get('bracketsone'), '(hello');
  assert.equal(e2.get('bracketstwo'), '[hello');
});

test('include_keys and exclude_keys', async () => {
  const msg = 'Hey, from=<abc>, to=def foo=bar';
  const e1 = await kv({ include_keys: ['from', 'to'] }, msg);
  // "<abc>" is followed by "," rather than a field split, so the bracket form does not apply.
  assert.equal(e1.get('from'), '<abc>,');
  assert.equal(e1.get('to'), 'def');
  assert.equal(e1.has('foo'), false);
  const e2 = await kv({ exclude_keys: ['from', 'to'] }, msg);
  assert.equal(e2.has('from'), false);
  assert.equal(e2.has('to'), false);
  assert.equal(e2.get('foo'), 'bar');
});

test('default_keys fill missing keys only', async () => {
  const e = await kv({ default_keys: ['from', 'logstash@example.com', 'to', 'default@dev.null'] }, 'to=me@example.com');
  assert.equal(e.get('from'), 'logstash@example.com');
  assert.equal(e.get('to'), 'me@example.com');
});

test('duplicate keys become arrays; allow_duplicate_values false dedups', async () => {
  assert.deepEqual((await kv({}, 'from=me from=me')).get('from'), ['me', 'me']);
  assert.equal((await kv({ allow_duplicate_values: false }, 'from=me from=me')).get('from'), 'me');
  assert.deepEqual((await kv({ allow_duplicate_values: false }, 'a=1 a=2 a=1')).get('a'), ['1', '2']);
});

test('trim, remove_char, transform, prefix, target', async () => {
  const e = await kv({
    trim_value: '<>\\[\\],', trim_key: ' ', remove_char_key: '-', remove_char_value: 'x',
    transform_key: 'uppercase', transform_value: 'capitalize', prefix: 'arg_', target: 'kv',
  }, 'my-key=<xhello>, other=[WORLDx],');
  assert.deepEqual(e.get('kv'), { arg_MYKEY: 'Hello', arg_OTHER: 'World' });
  assert.equal(e.has('arg_MYKEY'), false);
});

test('recursive parses nested pairs', async () => {
  const e = await kv({ recursive: true }, 'a=b=c x=y');
  assert.deepEqual(e.get('a'), { b: 'c' });
  assert.equal(e.get('x'), 'y');
});

test('whitespace lenient vs strict, allow_empty_values', async () => {
  const lenient = await kv({}, 'a= b=2');
  assert.equal(lenient.get('a'), 'b=2');
  const strict = await kv({ whitespace: 'strict' }, 'a= b=2');
  assert.equal(strict.has('a'), false);
  assert.equal(strict.get('b'), '2');
  const empty = await kv({ whitespace: 'strict', allow_empty_values: true }, 'a= b=2');
  assert.equal(empty.get('a'), '');
  const spaced = await kv({}, 'a = 1 b = 2');
  assert.equal(spaced.get('a'), '1');
  assert.equal(spaced.get('b'), '2');
});

test('array source is parsed element by element', async () => {
  const e = await kv({}, ['a=1', 'b=2', 3]);
  assert.equal(e.get('a'), '1');
  assert.equal(e.get('b'), '2');
});

test('nothing found: no fields, no decorations; missing or non-string source is a no-op', async () => {
  for (const msg of ['no pairs here', undefined, 42]) {
    const f = await makeFilter(kvFilter, { add_tag: ['kv'] });
    const [e] = await f.one(msg === undefined ? {} : { message: msg });
    assert.deepEqual(e!.tags, [], String(msg));
  }
  const f = await makeFilter(kvFilter, { add_tag: ['kv'] });
  const [e] = await f.one({ message: 'a=1' });
  assert.deepEqual(e!.tags, ['kv']);
});

test('a key that is not a valid field reference tags _kv_filter_error', async () => {
  const e = await kv({}, 'a[b=1');
  assert.deepEqual(e.tags, ['_kv_filter_error']);
});

test('nested keys are field references', async () => {
  const e = await kv({}, '[a][b]=1');
  assert.deepEqual(e.get('a'), { b: '1' });
});

test('timeout tags tag_on_timeout and sets nothing', async () => {
  const e = await kv({ timeout_millis: 1e-9 }, 'a=1');
  assert.deepEqual(e.tags, ['_kv_filter_timeout']);
  assert.equal(e.has('a'), false);
});

test('backslash-escaped separators stay inside the value', async () => {
  const e = await kv({}, 'a=x\\ y b=2');
  assert.equal(e.get('a'), 'x\\ y');
  assert.equal(e.get('b'), '2');
});

test('invalid value_split is a config error', async () => {
  await assert.rejects(makeFilter(kvFilter, { value_split: '' }), /non-empty/);
});
