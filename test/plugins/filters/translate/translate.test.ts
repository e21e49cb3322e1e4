import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, utimesSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFilter } from '../../../helpers/harness.js';
import { translateFilter } from '../../../../src/plugins/filters/translate/index.js';
import { parseCsvDictionary } from '../../../../src/plugins/filters/translate/dictionary.js';
import { ConfigError } from '../../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-translate-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const HTTP = { '100': 'Continue', '200': 'OK', '500': 'Server Error' };

test('translate: exact inline dictionary into the default target; numbers match string keys', async () => {
  const f = await makeFilter(translateFilter, { source: 'status', dictionary: HTTP, add_tag: ['translated'] });
  const [a, b, c] = await f.run([{ status: 200 }, { status: '500' }, { status: 404 }]);
  assert.equal(a!.get('translation'), 'OK');
  assert.ok(a!.hasTag('translated'));
  assert.equal(b!.get('translation'), 'Server Error');
  assert.equal(c!.has('translation'), false);
  assert.equal(c!.hasTag('translated'), false);
});

test('translate: fallback is a sprintf template and counts as success', async () => {
  const f = await makeFilter(translateFilter, { source: 'status', target: '[http][desc]', dictionary: HTTP, fallback: 'unknown %{status}', add_tag: ['t'] });
  const [e] = await f.one({ status: 418 });
  assert.equal(e!.get('[http][desc]'), 'unknown 418');
  assert.ok(e!.hasTag('t'));
});

test('translate: an existing target is kept unless override', async () => {
  const keep = await makeFilter(translateFilter, { source: 'status', target: 'desc', dictionary: HTTP });
  const [a] = await keep.one({ status: '200', desc: 'old' });
  assert.equal(a!.get('desc'), 'old');
  const over = await makeFilter(translateFilter, { source: 'status', target: 'desc', dictionary: HTTP, override: true });
  const [b] = await over.one({ status: '200', desc: 'old' });
  assert.equal(b!.get('desc'), 'OK');
});

test('translate: deprecated field/destination names still work; both names at once is an error', async () => {
  const f = await makeFilter(translateFilter, { field: 'status', destination: 'desc', dictionary: HTTP });
  const [e] = await f.one({ status: '100' });
  assert.equal(e!.get('desc'), 'Continue');
  await assert.rejects(makeFilter(translateFilter, { source: 'a', field: 'b' }), ConfigError);
  await assert.rejects(makeFilter(translateFilter, { dictionary: HTTP }), (e: unknown) => e instanceof ConfigError && /source/.test(e.message));
});

test('translate: ECS mode translates in place and succeeds even without a match', async () => {
  const f = await makeFilter(translateFilter, { source: 'status', dictionary: HTTP, add_tag: ['t'] }, { ecs: 'v8' });
  const [a, b] = await f.run([{ status: '200' }, { status: '999' }]);
  assert.equal(a!.get('status'), 'OK');
  assert.equal(a!.has('translation'), false);
  assert.equal(b!.get('status'), '999');
  assert.ok(b!.hasTag('t'));
});

test('translate: regex keys (first matching key wins, search not anchored)', async () => {
  const f = await makeFilter(translateFilter, { source: 'msg', regex: true, dictionary: { '^err': 'error', 'warn(ing)?': 'warning', '\\Afoo\\z': 'exactly foo' } });
  const out = await f.run([{ msg: 'error: disk' }, { msg: 'a warning here' }, { msg: 'foo' }, { msg: 'foobar' }, { msg: 'info' }]);
  assert.deepEqual(out.map((e) => e.get('translation') ?? null), ['error', 'warning', 'exactly foo', null, null]);
  await assert.rejects(makeFilter(translateFilter, { source: 'm', regex: true, dictionary: { '(': 'x' } }),
    (e: unknown) => e instanceof ConfigError && /regular expression/.test(e.message));
});

test('translate: exact => false replaces every occurring key', async () => {
  const f = await makeFilter(translateFilter, { source: 'data', exact: false, dictionary: { foo: 'bar', 'a.b': 'X' } });
  const out = await f.run([{ data: 'foofing foo' }, { data: 'a.b and acb' }, { data: 'nothing' }]);
  assert.equal(out[0]!.get('translation'), 'barfing bar');
  assert.equal(out[1]!.get('translation'), 'X and acb', 'keys are literal unless regex => true');
  assert.equal(out[2]!.has('translation'), false);
  const rx = await makeFilter(translateFilter, { source: 'data', exact: false, regex: true, dictionary: { 'c(a|o)t': 'pet', 'd\\w+': 'word' } });
  const [r] = await rx.one({ data: 'cat, cot, dog' });
  assert.equal(r!.get('translation'), 'pet, pet, word');
});

test('translate: array source uses its first element; hash values are copied per event', async () => {
  const f = await makeFilter(translateFilter, { source: 'k', dictionary: { a: { x: 1 } } });
  const [e1, e2] = await f.run([{ k: ['a', 'b'] }, { k: 'a' }]);
  (e1!.get('translation') as Record<string, number>)['x'] = 99;
  assert.deepEqual(e2!.get('translation'), { x: 1 });
});

test('translate: iterate_on an array of values', async () => {
  const dict = file('people.csv', '100,Yuki\n101,Rupert\n102,Ahmed\n103,Kwame\n');
  const f = await makeFilter(translateFilter, { iterate_on: '[ids]', source: '[ids]', target: '[names]', dictionary_path: dict, fallback: 'Unknown' });
  const [e] = await f.one({ ids: [100, 103, 110, 102] });
  assert.deepEqual(e!.get('names'), ['Yuki', 'Kwame', 'Unknown', 'Ahmed']);
  const nofb = await makeFilter(translateFilter, { iterate_on: 'ids', source: 'ids', target: 'names', dictionary_path: dict });
  const [n] = await nofb.one({ ids: [101, 999] });
  assert.deepEqual(n!.get('names'), ['Rupert', null]);
});

test('translate: iterate_on an array of objects', async () => {
  const dict = file('people.json', JSON.stringify({ '100': 'Yuki', '101': 'Rupert', '103': 'Kwame' }));
  const f = await makeFilter(translateFilter, { iterate_on: '[collaborators]', source: '[id]', target: '[name]', dictionary_path: dict, fallback: 'Unknown' });
  const [e] = await f.one({ collaborators: [{ id: 100 }, { id: 103 }, { id: 110 }, { id: 101 }] });
  assert.deepEqual(e!.get('collaborators'), [
    { id: 100, name: 'Yuki' }, { id: 103, name: 'Kwame' }, { id: 110, name: 'Unknown' }, { id: 101, name: 'Rupert' },
  ]);
});

test('translate: YAML dictionary (integer keys become strings, structured values)', async () => {
  const p = file('d.yml', '"100": Continue\n200: OK\nmerci: gracias\nmulti:\n  a: 1\n  b: [x, y]\n');
  const f = await makeFilter(translateFilter, { source: 'k', dictionary_path: p });
  const out = await f.run([{ k: '100' }, { k: 200 }, { k: 'merci' }, { k: 'multi' }]);
  assert.deepEqual(out.map((e) => e.get('translation')), ['Continue', 'OK', 'gracias', { a: 1, b: ['x', 'y'] }]);
});

test('translate: CSV parsing handles quotes, commas and CRLF', () => {
  const d = parseCsvDictionary('a,1\r\n"b,c","say ""hi"""\n"multi\nline",z\nonly\n');
  assert.equal(d.get('a'), '1');
  assert.equal(d.get('b,c'), 'say "hi"');
  assert.equal(d.get('multi\nline'), 'z');
  assert.equal(d.get('only'), null);
  assert.equal(d.size, 4);
});

test('translate: the dictionary file is reloaded when it changes (merge and replace)', async () => {
  for (const behaviour of ['merge', 'replace'] as const) {
    const p = file(`r-${behaviour}.json`, JSON.stringify({ a: 'one', b: 'two' }));
    // refresh_interval is in seconds; a tiny one makes every event check the file.
    const f = await makeFilter(translateFilter, { source: 'k', dictionary_path: p, refresh_interval: 0.001, refresh_behaviour: behaviour });
    assert.equal((await f.one({ k: 'a' }))[0]!.get('translation'), 'one');
    writeFileSync(p, JSON.stringify({ a: 'uno', c: 'tres' }));
    const future = new Date(Date.now() + 5000);
    utimesSync(p, future, future);
    await new Promise((r) => setTimeout(r, 5));
    const out = await f.run([{ k: 'a' }, { k: 'b' }, { k: 'c' }]);
    assert.deepEqual(out.map((e) => e.get('translation') ?? null), ['uno', behaviour === 'merge' ? 'two' : null, 'tres'], behaviour);
    // A broken file keeps the old dictionary.
    writeFileSync(p, '{ not json');
    const later = new Date(Date.now() + 10000);
    utimesSync(p, later, later);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await f.one({ k: 'a' }))[0]!.get('translation'), 'uno');
  }
});

test('translate: refresh disabled keeps the first dictionary', async () => {
  const p = file('static.json', JSON.stringify({ a: 'one' }));
  const f = await makeFilter(translateFilter, { source: 'k', dictionary_path: p, refresh_interval: 0 });
  writeFileSync(p, JSON.stringify({ a: 'changed' }));
  const future = new Date(Date.now() + 5000);
  utimesSync(p, future, future);
  assert.equal((await f.one({ k: 'a' }))[0]!.get('translation'), 'one');
});

test('translate: configuration errors', async () => {
  const p = file('x.json', '{}');
  await assert.rejects(makeFilter(translateFilter, { source: 'k', dictionary_path: p, dictionary: { a: 'b' } }), /mutually exclusive/);
  await assert.rejects(makeFilter(translateFilter, { source: 'k', dictionary_path: file('x.txt', 'a') }), /unknown format/);
  await assert.rejects(makeFilter(translateFilter, { source: 'k', dictionary_path: join(dir, 'missing.yml') }), /cannot load dictionary/);
  await assert.rejects(makeFilter(translateFilter, { source: 'k', dictionary_path: file('list.yml', '- a\n- b\n') }), /map/);
});
