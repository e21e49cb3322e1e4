import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { urldecodeFilter } from '../../../../src/plugins/filters/urldecode/index.js';
import { decodeUtf8Lenient, urlDecode } from '../../../../src/plugins/filters/urldecode/decode.js';

test('urldecode: decodes message by default', async () => {
  const f = await makeFilter(urldecodeFilter, {});
  const [e] = await f.one({ message: 'http%3A%2F%2Flogstash.net%2Fdocs%2F1.3.2%2Ffilters%2Furldecode' });
  assert.equal(e!.get('message'), 'http://logstash.net/docs/1.3.2/filters/urldecode');
});

test('urldecode: text without escapes is unchanged', async () => {
  const f = await makeFilter(urldecodeFilter, {});
  const [e] = await f.one({ message: 'http://logstash.net/docs/1.3.2/filters/urldecode' });
  assert.equal(e!.get('message'), 'http://logstash.net/docs/1.3.2/filters/urldecode');
});

test('urldecode: multi-byte UTF-8 and mixed literal text', async () => {
  const f = await makeFilter(urldecodeFilter, { field: '[url][query]' });
  const [e] = await f.one({ url: { query: 'q=europ%C3%A9enne+europ\u00e9enne&x=%E6%97%A5' } });
  // "+" is not a space in Logstash's decoder.
  assert.equal(e!.get('[url][query]'), 'q=europ\u00e9enne+europ\u00e9enne&x=\u65e5');
});

test('urldecode: invalid percent sequences do not throw and are kept', async () => {
  const f = await makeFilter(urldecodeFilter, { add_tag: ['done'] });
  const [e] = await f.one({ message: '100% sure %zz %4 %%41' });
  assert.equal(e!.get('message'), '100% sure %zz %4 %A');
  assert.ok(e!.hasTag('done'));
  assert.equal(e!.hasTag('_urldecodefailure'), false);
});

test('urldecode: bytes that are not UTF-8 become \\xHH text (Logstash spec example)', async () => {
  const f = await makeFilter(urldecodeFilter, {});
  const [e] = await f.one({ message: '/a/sa/search?rgu=0;+%C3%BB%D3%D0%D5%D2%B5%BD=;+%B7%A2%CB%CD=' });
  assert.equal(e!.get('message'), '/a/sa/search?rgu=0;+\u00fb\\xD3\\xD0\\xD5\u04b5\\xBD=;+\\xB7\\xA2\\xCB\\xCD=');
});

test('urldecode: all_fields decodes strings in every field, recursing; non-strings untouched', async () => {
  const f = await makeFilter(urldecodeFilter, { all_fields: true });
  const [e] = await f.one({ message: 'a%20b', n: 5, list: ['%41', 7], h: { x: '%42', y: { z: '%43' } }, plain: 'http://x/' });
  assert.equal(e!.get('message'), 'a b');
  assert.equal(e!.get('n'), 5);
  assert.deepEqual(e!.get('list'), ['A', 7]);
  assert.deepEqual(e!.get('h'), { x: 'B', y: { z: 'C' } });
  assert.equal(e!.get('plain'), 'http://x/');
  assert.equal(typeof e!.timestamp.toISOString(), 'string');
});

test('urldecode: a missing field is not created; non-string values are kept', async () => {
  const f = await makeFilter(urldecodeFilter, { field: 'nope' });
  const [e] = await f.one({ message: '%41' });
  assert.equal(e!.has('nope'), false);
  assert.equal(e!.get('message'), '%41');
  const g = await makeFilter(urldecodeFilter, { field: 'n' });
  const [e2] = await g.one({ n: 42 });
  assert.equal(e2!.get('n'), 42);
});

test('urldecode: bytes decoded in another charset (ISO-8859-1, Windows-1252, Shift_JIS, GBK); an unknown one is refused', async () => {
  await makeFilter(urldecodeFilter, { charset: 'utf8' });
  const latin1 = await makeFilter(urldecodeFilter, { charset: 'ISO-8859-1' });
  assert.equal((await latin1.one({ message: 'caf%E9%20cr%E8me' }))[0]!.get('message'), 'café crème');
  const cp1252 = await makeFilter(urldecodeFilter, { charset: 'Windows-1252' });
  assert.equal((await cp1252.one({ message: '%80 5' }))[0]!.get('message'), '€ 5');
  const sjis = await makeFilter(urldecodeFilter, { charset: 'Shift_JIS', field: 'q' });
  assert.equal((await sjis.one({ q: '%93%FA%96%7B' }))[0]!.get('q'), '日本');
  const gbk = await makeFilter(urldecodeFilter, { charset: 'GBK', all_fields: true });
  assert.deepEqual((await gbk.one({ a: '%D6%D0%CE%C4', b: ['%C4%E3'] }))[0]!.data['b'], ['你']);
  await assert.rejects(makeFilter(urldecodeFilter, { charset: 'klingon-8' }), /unknown charset "klingon-8"/);
});

test('decodeUtf8Lenient: overlong, surrogate, truncated and 4-byte sequences', () => {
  assert.equal(decodeUtf8Lenient(new Uint8Array([0xc0, 0xaf])), '\\xC0\\xAF');
  assert.equal(decodeUtf8Lenient(new Uint8Array([0xed, 0xa0, 0x80])), '\\xED\\xA0\\x80');
  assert.equal(decodeUtf8Lenient(new Uint8Array([0xe3, 0x81])), '\\xE3\\x81');
  assert.equal(decodeUtf8Lenient(new Uint8Array([0xf0, 0x9f, 0x98, 0x80, 0x41])), '\u{1F600}A');
  // Agrees with the platform decoder on valid input.
  const text = 'h\u00e9llo \u65e5\u672c \u{1F600}';
  assert.equal(decodeUtf8Lenient(new TextEncoder().encode(text)), text);
  assert.equal(urlDecode(encodeURIComponent(text)), text);
});
