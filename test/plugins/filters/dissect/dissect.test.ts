import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { dissectFilter } from '../../../../src/plugins/filters/dissect/index.js';
import type { Event } from '../../../../src/core/event.js';

const dissect = async (pattern: string, message: unknown, extra: Record<string, any> = {}): Promise<Event> => {
  const f = await makeFilter(dissectFilter, { mapping: { message: pattern }, ...extra });
  const [e] = await f.one(message === undefined ? {} : { message });
  return e!;
};

test('syslog example: skip and append fields, decorations on success', async () => {
  const e = await dissect('%{timestamp} %{+timestamp} %{+timestamp} %{logsource} %{} %{program}[%{pid}]: %{msg}',
    'Mar 16 00:01:25 evita skip-this postfix/smtpd[1713]: connect from camomile.cloud9.net[168.100.1.3]',
    { add_field: { favorite_filter: 'why, dissect of course' } });
  assert.equal(e.get('timestamp'), 'Mar 16 00:01:25');
  assert.equal(e.get('logsource'), 'evita');
  assert.equal(e.get('program'), 'postfix/smtpd');
  assert.equal(e.get('pid'), '1713');
  assert.equal(e.get('msg'), 'connect from camomile.cloud9.net[168.100.1.3]');
  assert.equal(e.get('favorite_filter'), 'why, dissect of course');
  assert.deepEqual(e.tags, []);
  assert.equal(Object.keys(e.toJSON()).includes(''), false, 'skip fields are not stored');
});

test('indirect field with convert_datatype', async () => {
  const e = await dissect('[%{occurred_at}] %{code} %{service} %{?ic}=%{&ic}% %{svc_message}',
    '[25/05/16 09:10:38:425 BST] 00000001 SystemOut cpu=95.43% java.lang:type=MemoryPool,name=class storage',
    { convert_datatype: { cpu: 'float', code: 'int' } });
  assert.equal(e.get('occurred_at'), '25/05/16 09:10:38:425 BST');
  assert.equal(e.get('code'), 1);
  assert.equal(e.get('service'), 'SystemOut');
  assert.equal(e.get('cpu'), 95.43);
  assert.equal(e.get('svc_message'), 'java.lang:type=MemoryPool,name=class storage');
  assert.equal(e.has('ic'), false);
});

test('multibyte delimiters', async () => {
  const e = await dissect('[%{a}]྿྿%{b}྿%{c}', '[x y]྿྿ü྿rest ྿');
  assert.deepEqual([e.get('a'), e.get('b'), e.get('c')], ['x y', 'ü', 'rest ྿']);
});

test('append order modifiers and append to a normal field', async () => {
  const e1 = await dissect('%{+a/2} %{+a/1} %{+a/4} %{+a/3}', '1 2 3 go');
  assert.equal(e1.get('a'), '2 1 go 3');
  const e2 = await dissect('%{a} %{b} %{+a}', '1 2 3 go');
  assert.equal(e2.get('a'), '1 3 go');
  assert.equal(e2.get('b'), '2');
});

test('append uses the preceding delimiter', async () => {
  const e = await dissect('%{d}-%{+d}-%{+d}T%{t}', '2024-05-06T10:00');
  assert.equal(e.get('d'), '2024-05-06');
  assert.equal(e.get('t'), '10:00');
});

test('indirect field docs examples', async () => {
  const e1 = await dissect('error: %{?err}, %{&err}', 'error: some_error, some_description');
  assert.equal(e1.get('some_error'), 'some_description');
  const e2 = await dissect('%{?a}: %{&a}', 'google: 77.98');
  assert.equal(e2.get('google'), '77.98');
});

test('empty data between delimiters gives empty strings', async () => {
  const e = await dissect('%{name},%{addr1},%{addr2},%{addr3},%{city},%{zip}', 'Jane Doe,4321 Fifth Avenue,,,New York,87432');
  assert.deepEqual(['name', 'addr1', 'addr2', 'addr3', 'city', 'zip'].map((k) => e.get(k)),
    ['Jane Doe', '4321 Fifth Avenue', '', '', 'New York', '87432']);
});

test('right padding with ->', async () => {
  const e1 = await dissect('%{id} %{function->} %{server}', '00000043 ViewReceive     machine-321');
  assert.deepEqual([e1.get('id'), e1.get('function'), e1.get('server')], ['00000043', 'ViewReceive', 'machine-321']);
  const e2 = await dissect('%{id->} %{function} %{server}', 'f3000a3b            Calc machine-123');
  assert.deepEqual([e2.get('id'), e2.get('function'), e2.get('server')], ['f3000a3b', 'Calc', 'machine-123']);
  const e3 = await dissect('%{id} %{function} %{server}', 'f3000a3b  Calc machine-123');
  assert.equal(e3.get('function'), '', 'without -> a repeated delimiter is an empty field');
});

test('delimiters containing braces', async () => {
  const e = await dissect('{%{a}}{%{b}}%{rest}', '{foo}{bar}');
  assert.deepEqual([e.get('a'), e.get('b'), e.get('rest')], ['foo', 'bar', '']);
  assert.deepEqual(e.tags, []);
});

test('nested field names', async () => {
  const e = await dissect('%{[http][method]} %{[http][path]}', 'GET /x');
  assert.deepEqual(e.get('http'), { method: 'GET', path: '/x' });
});

test('trailing delimiter must be found and the rest is skipped', async () => {
  const e1 = await dissect('%{a} %{b},', '1 2,extra');
  assert.deepEqual([e1.get('a'), e1.get('b')], ['1', '2']);
  const e2 = await dissect('%{a} %{b},', '1 2');
  assert.deepEqual(e2.tags, ['_dissectfailure']);
});

test('missing delimiter: failure tag, nothing set, no decorations', async () => {
  const e = await dissect('%{a} - %{b} - %{c}', 'x - y', { add_tag: ['ok'] });
  assert.deepEqual(e.tags, ['_dissectfailure']);
  assert.equal(e.has('a'), false);
  assert.equal(e.has('b'), false);
});

test('prefix literal must match', async () => {
  const e = await dissect('[%{a}] %{b}', 'x] y');
  assert.deepEqual(e.tags, ['_dissectfailure']);
});

test('empty text fails; missing field does not', async () => {
  assert.deepEqual((await dissect('%{a} %{b}', '')).tags, ['_dissectfailure']);
  const missing = await dissect('%{a} %{b}', undefined, { add_tag: ['ok'] });
  assert.deepEqual(missing.tags, ['ok']);
});

test('custom tag_on_failure', async () => {
  const e = await dissect('%{a}|%{b}', 'no pipe', { tag_on_failure: ['x', 'y'] });
  assert.deepEqual(e.tags, ['x', 'y']);
});

test('a non-string source is dissected as text', async () => {
  const e = await dissect('%{a}.%{b}', 12.5);
  assert.deepEqual([e.get('a'), e.get('b')], ['12', '5']);
});

test('datatype conversion failures tag per field', async () => {
  const f = await makeFilter(dissectFilter, { convert_datatype: { ccu: 'float', other: 'int', code: 'int', big: 'float' } });
  const [e] = await f.one({ other: {}, code: '00000001', big: '4394740425750718628.345324' });
  assert.equal(e!.get('code'), 1);
  assert.equal(e!.get('big'), 4394740425750718628.345324);
  assert.deepEqual(e!.tags, ['_dataconversionnullvalue_ccu_float', '_dataconversionuncoercible_other_int']);
});

test('invalid patterns and datatypes are config errors', async () => {
  await assert.rejects(makeFilter(dissectFilter, { mapping: { message: '%{+&timestamp}' } }), /Append and Indirect/);
  await assert.rejects(makeFilter(dissectFilter, { mapping: { message: '%{&+timestamp}' } }), /Append and Indirect/);
  await assert.rejects(makeFilter(dissectFilter, { convert_datatype: { code: 'integer' } }), /int/);
});

test('a later mapping can dissect a field made by an earlier one', async () => {
  const f = await makeFilter(dissectFilter, { mapping: { message: '"%{field1}" "%{description}"', description: '%{f3} %{f4}' } });
  const [e] = await f.one({ message: '"a" "b c"' });
  assert.deepEqual([e!.get('field1'), e!.get('description'), e!.get('f3'), e!.get('f4')], ['a', 'b c', 'b', 'c']);
});
