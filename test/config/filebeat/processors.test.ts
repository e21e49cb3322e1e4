import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { Event } from '../../../src/core/event.js';
import { makeFilter } from '../../helpers/harness.js';
import { compileCondition } from '../../../src/plugins/beats-processors.js';
import { beatsAddFieldsFilter } from '../../../src/plugins/filters/beats_add_fields/index.js';
import { beatsAddTagsFilter } from '../../../src/plugins/filters/beats_add_tags/index.js';
import { beatsDropFieldsFilter } from '../../../src/plugins/filters/beats_drop_fields/index.js';
import { beatsIncludeFieldsFilter } from '../../../src/plugins/filters/beats_include_fields/index.js';
import { beatsDropEventFilter } from '../../../src/plugins/filters/beats_drop_event/index.js';
import { beatsRenameFilter } from '../../../src/plugins/filters/beats_rename/index.js';
import { beatsDecodeJsonFieldsFilter } from '../../../src/plugins/filters/beats_decode_json_fields/index.js';
import { beatsDissectFilter } from '../../../src/plugins/filters/beats_dissect/index.js';
import { beatsAddHostMetadataFilter } from '../../../src/plugins/filters/beats_add_host_metadata/index.js';

const matches = (when: unknown, fields: Record<string, unknown>): boolean => compileCondition(when)(new Event(structuredClone(fields)));

test('equals: typed comparison of one or several fields (dotted names are paths)', () => {
  assert.equal(matches({ equals: { 'http.code': 200 } }, { http: { code: 200 } }), true);
  assert.equal(matches({ equals: { 'http.code': 200 } }, { http: { code: '200' } }), false);
  assert.equal(matches({ equals: { http: { code: 200 } } }, { http: { code: 200 } }), true);
  assert.equal(matches({ equals: { a: 'x', b: true } }, { a: 'x', b: true }), true);
  assert.equal(matches({ equals: { a: 'x', b: true } }, { a: 'x', b: false }), false);
  assert.equal(matches({ equals: { a: 'x' } }, {}), false);
});

test('contains: substring of a string or of any string in an array', () => {
  assert.equal(matches({ contains: { message: 'ERR' } }, { message: 'an ERROR here' }), true);
  assert.equal(matches({ contains: { message: 'ERR' } }, { message: 'fine' }), false);
  assert.equal(matches({ contains: { tags: 'pro' } }, { tags: ['dev', 'production'] }), true);
  assert.equal(matches({ contains: { n: '1' } }, { n: 1 }), false);
});

test('regexp: unanchored, on strings or arrays of strings, Go inline flags', () => {
  assert.equal(matches({ regexp: { message: '^DEBUG' } }, { message: 'DEBUG x' }), true);
  assert.equal(matches({ regexp: { message: '^DEBUG' } }, { message: 'x DEBUG' }), false);
  assert.equal(matches({ regexp: { message: '(?i)^debug' } }, { message: 'DEBUG x' }), true);
  assert.equal(matches({ regexp: { 'a.b': 'z$' } }, { a: { b: ['q', 'xyz'] } }), true);
  assert.throws(() => compileCondition({ regexp: { message: '(' } }), /invalid regular expression/);
});

test('range: gt/gte/lt/lte on numbers only', () => {
  const when = { range: { 'http.code.gte': 400, 'http.code.lt': 500 } };
  assert.equal(matches(when, { http: { code: 404 } }), true);
  assert.equal(matches(when, { http: { code: 500 } }), false);
  assert.equal(matches(when, { http: { code: 399 } }), false);
  assert.equal(matches(when, { http: { code: '404' } }), false);
  assert.equal(matches({ range: { 'x.gt': 1.5 } }, { x: 1.6 }), true);
  assert.equal(matches({ range: { 'x.lte': 1 } }, { x: 1 }), true);
  assert.throws(() => compileCondition({ range: { 'x.between': 1 } }), /\.gt, \.gte, \.lt or \.lte/);
});

test('has_fields: all present (a null value counts); or, and, not', () => {
  assert.equal(matches({ has_fields: ['a', 'b.c'] }, { a: null, b: { c: 0 } }), true);
  assert.equal(matches({ has_fields: ['a', 'b.c'] }, { a: 1 }), false);
  const either = { or: [{ equals: { a: 1 } }, { equals: { a: 2 } }] };
  assert.equal(matches(either, { a: 2 }), true);
  assert.equal(matches(either, { a: 3 }), false);
  const both = { and: [{ equals: { a: 1 } }, { contains: { m: 'x' } }] };
  assert.equal(matches(both, { a: 1, m: 'xy' }), true);
  assert.equal(matches(both, { a: 1, m: 'y' }), false);
  assert.equal(matches({ not: { equals: { a: 1 } } }, { a: 1 }), false);
  assert.equal(matches({ not: { equals: { a: 1 } } }, { a: 2 }), true);
  assert.throws(() => compileCondition({ nope: {} }), /unknown condition "nope"/);
});

test('add_fields: under fields by default, at the root with target "", merging maps; only when the condition holds', async () => {
  const f = await makeFilter(beatsAddFieldsFilter, { fields: { project: { name: 'p' }, id: 7 }, when: { equals: { kind: 'a' } } });
  const [hit, miss] = await f.run([{ kind: 'a', fields: { project: { owner: 'o' } } }, { kind: 'b' }]);
  assert.deepEqual(hit!.data['fields'], { project: { owner: 'o', name: 'p' }, id: 7 });
  assert.equal(miss!.data['fields'], undefined);
  const root = await makeFilter(beatsAddFieldsFilter, { fields: { a: 1 }, target: '' });
  const [r] = await root.one({ a: 0, b: 2 });
  assert.equal(r!.data['a'], 1);
  assert.equal(r!.data['b'], 2);
  const meta = await makeFilter(beatsAddFieldsFilter, { fields: { beat: 'filebeat' }, target: '@metadata' });
  const [m] = await meta.one({});
  assert.deepEqual(m!.metadata, { beat: 'filebeat' });
  assert.equal(m!.data['@metadata'], undefined);
});

test('add_tags: appends to tags or to target', async () => {
  const f = await makeFilter(beatsAddTagsFilter, { tags: ['x', 'y'] });
  const [a, b] = await f.run([{ tags: ['t'] }, {}]);
  assert.deepEqual(a!.data['tags'], ['t', 'x', 'y']);
  assert.deepEqual(b!.data['tags'], ['x', 'y']);
  const t = await makeFilter(beatsAddTagsFilter, { tags: ['x'], target: 'labels.list' });
  const [c] = await t.one({});
  assert.deepEqual(c!.data['labels'], { list: ['x'] });
});

test('drop_fields removes fields but never @timestamp or type; include_fields keeps only the listed ones', async () => {
  const drop = await makeFilter(beatsDropFieldsFilter, { fields: ['a.b', 'type', 'c', 'missing'], ignore_missing: true });
  const [d] = await drop.one({ a: { b: 1, k: 2 }, c: 3, type: 'log', keep: 4 });
  assert.deepEqual(d!.data['a'], { k: 2 });
  assert.equal(d!.data['c'], undefined);
  assert.equal(d!.data['type'], 'log');
  assert.equal(d!.data['keep'], 4);
  const byPattern = await makeFilter(beatsDropFieldsFilter, { fields: ['/^kubernetes\\.labels\\./', '/^(type|@timestamp)$/', 'c'] });
  const [p] = await byPattern.one({ kubernetes: { labels: { app: 'x', tier: 'web' }, pod: 'p1' }, c: 1, type: 'log' });
  assert.deepEqual(p!.data['kubernetes'], { labels: {}, pod: 'p1' }, 'every leaf matching the regexp is removed');
  assert.equal(p!.data['c'], undefined);
  assert.equal(p!.data['type'], 'log', 'a regexp does not drop the kept fields either');
  assert.ok(p!.data['@timestamp'] !== undefined);
  const include = await makeFilter(beatsIncludeFieldsFilter, { fields: ['a.k', 'message'] });
  const e = new Event({ a: { b: 1, k: 2 }, message: 'm', other: 1, type: 'log' }, { beat: 'filebeat' });
  const [i] = await include.one(e);
  assert.deepEqual(i!.data['a'], { k: 2 });
  assert.equal(i!.data['message'], 'm');
  assert.equal(i!.data['type'], 'log');
  assert.equal(i!.data['other'], undefined);
  assert.ok(i!.data['@timestamp'] !== undefined);
  assert.deepEqual(i!.metadata, { beat: 'filebeat' });
});

test('drop_event drops what its condition matches', async () => {
  const f = await makeFilter(beatsDropEventFilter, { when: { regexp: { message: '^DEBUG' } } });
  const out = await f.run([{ message: 'DEBUG a' }, { message: 'INFO b' }, { message: 'DEBUG c' }]);
  assert.deepEqual(out.map((e) => e.data['message']), ['INFO b']);
});

test('rename: moves fields; an existing target or missing source restores the event and sets error.message (fail_on_error)', async () => {
  const f = await makeFilter(beatsRenameFilter, { fields: [{ from: 'a.b', to: 'c' }, { from: 'd', to: 'e' }] });
  const [ok] = await f.one({ a: { b: 1 }, d: 2 });
  assert.equal(ok!.data['c'], 1);
  assert.equal(ok!.data['e'], 2);
  assert.deepEqual(ok!.data['a'], {});
  const [clash] = await f.one({ a: { b: 1 }, d: 2, e: 'there' });
  assert.deepEqual(clash!.data['a'], { b: 1 }, 'the first rename is undone');
  assert.equal(clash!.data['c'], undefined);
  assert.match(String((clash!.data['error'] as Record<string, unknown>)['message']), /target field e already exists/);
  const [missing] = await f.one({ d: 2 });
  assert.match(String((missing!.data['error'] as Record<string, unknown>)['message']), /a\.b/);
  const lenient = await makeFilter(beatsRenameFilter, { fields: [{ from: 'x', to: 'y' }, { from: 'd', to: 'e' }], ignore_missing: true, fail_on_error: false });
  const [l] = await lenient.one({ d: 2 });
  assert.equal(l!.data['e'], 2);
  assert.equal(l!.data['error'], undefined);
});

test('decode_json_fields: in place, under target, into the root (overwrite_keys), max_depth, process_array, add_error_key', async () => {
  const inPlace = await makeFilter(beatsDecodeJsonFieldsFilter, { fields: ['message'] });
  const [a] = await inPlace.one({ message: '{"a":1,"inner":"{\\"b\\":2}"}' });
  assert.deepEqual(a!.data['message'], { a: 1, inner: '{"b":2}' });
  const deep = await makeFilter(beatsDecodeJsonFieldsFilter, { fields: ['message'], target: 'doc', max_depth: 2 });
  const [b] = await deep.one({ message: '{"a":1,"inner":"{\\"b\\":2}"}' });
  assert.deepEqual(b!.data['doc'], { a: 1, inner: { b: 2 } });
  assert.equal(typeof b!.data['message'], 'string');
  const root = await makeFilter(beatsDecodeJsonFieldsFilter, { fields: ['message'], target: '', overwrite_keys: false });
  const [c] = await root.one({ message: '{"a":1,"keep":"new"}', keep: 'old' });
  assert.equal(c!.data['a'], 1);
  assert.equal(c!.data['keep'], 'old');
  const over = await makeFilter(beatsDecodeJsonFieldsFilter, { fields: ['message'], target: '', overwrite_keys: true });
  const [d] = await over.one({ message: '{"keep":"new"}', keep: 'old' });
  assert.equal(d!.data['keep'], 'new');
  const arrays = await makeFilter(beatsDecodeJsonFieldsFilter, { fields: ['m', 'n'] });
  const [e] = await arrays.one({ m: '[1,2]', n: '7' });
  assert.equal(e!.data['m'], '[1,2]', 'arrays only with process_array');
  assert.equal(e!.data['n'], '7', 'scalars stay text');
  const withArrays = await makeFilter(beatsDecodeJsonFieldsFilter, { fields: ['m'], process_array: true });
  assert.deepEqual((await withArrays.one({ m: '[1,2]' }))[0]!.data['m'], [1, 2]);
  const errors = await makeFilter(beatsDecodeJsonFieldsFilter, { fields: ['m'], add_error_key: true });
  const [g] = await errors.one({ m: '{broken' });
  assert.equal(g!.data['m'], '{broken');
  assert.match(String((g!.data['error'] as Record<string, unknown>)['message']), /cannot decode m/);
});

test('decode_json_fields expand_keys: dotted keys nested, merged with objects; a clash keeps the first value and reports it', async () => {
  const f = await makeFilter(beatsDecodeJsonFieldsFilter, { fields: ['m'], target: 'j', expand_keys: true, add_error_key: true });
  const [a] = await f.one({ m: '{"http.request.method":"GET","http":{"status":200},"x":1,"x.y":2}' });
  assert.deepEqual(a!.data['j'], { http: { request: { method: 'GET' }, status: 200 }, x: 1 });
  assert.match(String((a!.data['error'] as Record<string, unknown>)['message']), /cannot expand x\.y of m/);
  const plain = await makeFilter(beatsDecodeJsonFieldsFilter, { fields: ['m'], target: 'j' });
  const [b] = await plain.one({ m: '{"a.b":1}' });
  assert.deepEqual(b!.data['j'], { 'a.b': 1 });
});

test('dissect: keys under target_prefix (default dissect), at the root with "", failure flagged in log.flags', async () => {
  const f = await makeFilter(beatsDissectFilter, { tokenizer: '%{ip} - %{user} [%{ts}]' });
  const [a] = await f.one({ message: '1.2.3.4 - bob [today]' });
  assert.deepEqual(a!.data['dissect'], { ip: '1.2.3.4', user: 'bob', ts: 'today' });
  const root = await makeFilter(beatsDissectFilter, { tokenizer: '%{a}|%{b}', field: 'raw', target_prefix: '' });
  const [b] = await root.one({ raw: 'x|y' });
  assert.equal(b!.data['a'], 'x');
  assert.equal(b!.data['b'], 'y');
  const [c] = await f.one({ message: 'no delimiters' });
  assert.equal(c!.data['dissect'], undefined);
  assert.deepEqual((c!.data['log'] as Record<string, unknown>)['flags'], ['dissect_parsing_error']);
  const clash = await makeFilter(beatsDissectFilter, { tokenizer: '%{a}|%{b}', target_prefix: '' });
  const [d] = await clash.one({ message: 'x|y', a: 'old' });
  assert.equal(d!.data['a'], 'old');
  assert.deepEqual((d!.data['log'] as Record<string, unknown>)['flags'], ['dissect_parsing_error']);
});

test('dissect: %{key|type} converts after trim_values/trim_chars; a value that does not convert flags the event and sets nothing', async () => {
  const f = await makeFilter(beatsDissectFilter, {
    tokenizer: '%{n|integer} %{ratio|float} %{ok|boolean} %{addr|ip} %{+n2|long} %{word}', trim_values: 'all', trim_chars: '<>',
  });
  const [a] = await f.one({ message: '<42> 0.5 true 10.0.0.1 -7 <free>' });
  assert.deepEqual(a!.data['dissect'], { n: 42, ratio: 0.5, ok: true, addr: '10.0.0.1', n2: -7, word: 'free' });
  const [b] = await f.one({ message: '4x2 0.5 true 10.0.0.1 1 w' });
  assert.equal(b!.data['dissect'], undefined);
  assert.deepEqual((b!.data['log'] as Record<string, unknown>)['flags'], ['dissect_parsing_error']);
  assert.match(String((b!.data['error'] as Record<string, unknown>)['message']), /cannot convert "4x2" of key "n" to integer/);
  const [c] = await f.one({ message: '1 0.5 true not-an-ip 1 w' });
  assert.equal(c!.data['dissect'], undefined);
  await assert.rejects(makeFilter(beatsDissectFilter, { tokenizer: '%{n|int}' }), /unknown type "int"/);
});

test('add_host_metadata: host.name, hostname, architecture, os, ip and mac', async () => {
  const f = await makeFilter(beatsAddHostMetadataFilter, {});
  const [a] = await f.one({ host: { name: 'old' } });
  const host = a!.data['host'] as Record<string, unknown>;
  assert.equal(host['name'], hostname());
  assert.equal(host['hostname'], hostname());
  assert.equal(typeof host['architecture'], 'string');
  assert.equal(typeof (host['os'] as Record<string, unknown>)['kernel'], 'string');
  assert.ok(Array.isArray(host['ip']));
  assert.ok(Array.isArray(host['mac']));
  const noNet = await makeFilter(beatsAddHostMetadataFilter, { netinfo_enabled: false, when: { equals: { x: 1 } } });
  const [b, c] = await noNet.run([{ x: 1 }, { x: 2 }]);
  assert.equal((b!.data['host'] as Record<string, unknown>)['ip'], undefined);
  assert.equal(c!.data['host'], undefined);
});

test('add_fields overwrite false (the global fields): values the event has are kept, maps still merge', async () => {
  const f = await makeFilter(beatsAddFieldsFilter, { fields: { env: 'global', extra: 1, m: { a: 1, b: 1 } }, target: '', overwrite: false });
  const [e] = await f.one({ env: 'input', m: { a: 0 } });
  assert.equal(e!.data['env'], 'input');
  assert.equal(e!.data['extra'], 1);
  assert.deepEqual(e!.data['m'], { a: 0, b: 1 });
});
