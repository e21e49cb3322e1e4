import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { pruneFilter } from '../../../../src/plugins/filters/prune/index.js';

const keys = (e: { data: Record<string, unknown> }): string[] => Object.keys(e.data).sort();

test('prune: whitelist_names is a regex (docs example: "msg" keeps msg and msg_short)', async () => {
  const f = await makeFilter(pruneFilter, { whitelist_names: ['msg'] });
  const [e] = await f.one({ msg: 'hello world', msg_short: 'hw', other: 1 });
  assert.deepEqual(keys(e!), ['@timestamp', 'msg', 'msg_short']);
});

test('prune: anchored whitelist keeps only the exact name; @timestamp always kept, @version and tags not', async () => {
  const f = await makeFilter(pruneFilter, { whitelist_names: ['^msg$'] });
  const [e] = await f.one({ msg: 'hello world', msg_short: 'hw', tags: ['t'] });
  assert.deepEqual(keys(e!), ['@timestamp', 'msg']);
});

test('prune: blacklist_names', async () => {
  const f = await makeFilter(pruneFilter, { blacklist_names: ['method', '(referrer|status)'] });
  const [e] = await f.one({ method: 'GET', http_referrer: 'x', status: 200, keep: 1 });
  assert.deepEqual(keys(e!), ['@timestamp', '@version', 'keep']);
});

test('prune: default blacklist removes names with an unresolved %{...}', async () => {
  const f = await makeFilter(pruneFilter, {});
  const [e] = await f.one({ '%{host}': 'v', ok: 1 });
  assert.deepEqual(keys(e!), ['@timestamp', '@version', 'ok']);
});

test('prune: whitelist_values keeps fields whose values match; arrays filtered element-wise', async () => {
  const f = await makeFilter(pruneFilter, {
    whitelist_values: { uripath: '/index.php', method: '(GET|POST)', status: '^[^2]', codes: '^4' },
  });
  const [e] = await f.one({ uripath: '/about', method: ['GET', 'HEAD', 'POST'], status: 404, codes: ['200', '301'], other: 'x' });
  assert.equal(e!.has('uripath'), false);
  assert.deepEqual(e!.get('method'), ['GET', 'POST']);
  assert.equal(e!.get('status'), 404, 'numbers are matched by their text');
  assert.equal(e!.has('codes'), false, 'an array with no matching element is removed');
  assert.equal(e!.get('other'), 'x', 'fields not listed are kept');
});

test('prune: blacklist_values removes matching fields and array elements', async () => {
  const f = await makeFilter(pruneFilter, { blacklist_values: { method: '(HEAD|OPTIONS)', status: '^[^2]', tags: '^_grokparsefailure$' } });
  const [e] = await f.one({ method: 'HEAD', status: '200', tags: ['a', '_grokparsefailure'] });
  assert.equal(e!.has('method'), false);
  assert.equal(e!.get('status'), '200');
  assert.deepEqual(e!.get('tags'), ['a']);
});

test('prune: value rules ignore missing fields, null, false and hashes', async () => {
  const f = await makeFilter(pruneFilter, { blacklist_values: { a: '.*', b: '.*', c: '.*', d: '.*' } });
  const [e] = await f.one({ b: null, c: false, d: { x: 1 } });
  assert.equal(e!.get('b'), null);
  assert.equal(e!.get('c'), false);
  assert.deepEqual(e!.get('d'), { x: 1 });
  assert.equal(e!.has('a'), false);
});

test('prune: only top-level names are considered; metadata untouched', async () => {
  const f = await makeFilter(pruneFilter, { whitelist_names: ['^top$'] });
  const [e] = await f.one({ top: { inner: 1, other: 2 }, '@metadata': { m: 1 } });
  assert.deepEqual(e!.get('top'), { inner: 1, other: 2 });
  assert.equal(e!.get('[@metadata][m]'), 1);
});

test('prune: interpolate expands %{field} in names and values, before removing anything', async () => {
  const f = await makeFilter(pruneFilter, { interpolate: true, whitelist_names: ['^%{keep}$', '^keep$'], whitelist_values: { '%{keep}': '^%{want}$' } });
  const [e] = await f.one({ keep: 'color', want: 'red', color: 'red', size: 'L' });
  assert.deepEqual(keys(e!), ['@timestamp', 'color', 'keep']);
  const [e2] = await f.one({ keep: 'color', want: 'red', color: 'blue' });
  assert.deepEqual(keys(e2!), ['@timestamp', 'keep']);
});

test('prune: ^ and $ are line anchors as in Ruby', async () => {
  const f = await makeFilter(pruneFilter, { blacklist_values: { message: '^ERROR$' } });
  const [e] = await f.one({ message: 'first line\nERROR\nlast' });
  assert.equal(e!.has('message'), false);
});

test('prune: invalid regex is a configuration error', async () => {
  await assert.rejects(makeFilter(pruneFilter, { whitelist_names: ['(unclosed'] }), /invalid regular expression in whitelist_names/);
  await assert.rejects(makeFilter(pruneFilter, { blacklist_values: { f: '[' } }), /invalid regular expression for "f"/);
});

test('prune: decorations apply', async () => {
  const f = await makeFilter(pruneFilter, { blacklist_names: ['^x$'], add_tag: ['pruned'] });
  const [e] = await f.one({ x: 1 });
  assert.ok(e!.hasTag('pruned'));
});

// compileRubyRegex itself: test/core/ruby-regex.test.ts.

test('prune: patterns with their own flags combine (Regexp.union)', async () => {
  const f = await makeFilter(pruneFilter, { whitelist_names: ['(?i)^MSG$', '^other$'] });
  const [e] = await f.one({ msg: 1, other: 2, third: 3 });
  assert.deepEqual(keys(e!), ['@timestamp', 'msg', 'other']);
});
