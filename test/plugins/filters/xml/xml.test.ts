import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { xmlFilter } from '../../../../src/plugins/filters/xml/index.js';

const ORDER = `<order id="42" status="open">
  <item sku="A1"><name>Widget</name><qty>2</qty></item>
  <item sku="B2"><name>Gadget</name><qty>1</qty></item>
  <note>  rush  </note>
  <empty/>
</order>`;

test('xml: store_xml follows XmlSimple (attributes as keys, lists of children, text-only elements as strings)', async () => {
  const f = await makeFilter(xmlFilter, { source: 'message', target: 'doc', add_tag: ['xml'] });
  const [e] = await f.one({ message: ORDER });
  assert.deepEqual(e!.get('doc'), {
    id: '42', status: 'open',
    item: [{ sku: 'A1', name: ['Widget'], qty: ['2'] }, { sku: 'B2', name: ['Gadget'], qty: ['1'] }],
    note: ['  rush  '],
  });
  assert.deepEqual(e!.get('tags'), ['xml']);
});

test('xml: force_array false, force_content, suppress_empty false; mixed content goes in content', async () => {
  const f = await makeFilter(xmlFilter, { source: 'x', target: 'd', force_array: false, force_content: true, suppress_empty: false });
  const [e] = await f.one({ x: '<r><a>1</a><b k="v">text</b><b>two</b><c/></r>' });
  assert.deepEqual(e!.get('d'), { a: { content: '1' }, b: [{ k: 'v', content: 'text' }, { content: 'two' }], c: {} });
});

test('xml: xpath into fields as lists of strings (text, attributes, elements, functions), with namespaces', async () => {
  const f = await makeFilter(xmlFilter, {
    source: 'message', store_xml: false,
    xpath: { '/order/item/name/text()': 'names', '/order/@id': 'order_id', '/order/item[1]/qty': 'first_qty', 'count(/order/item)': 'items', '/order/missing/text()': 'missing' },
  });
  const [e] = await f.one({ message: ORDER });
  assert.deepEqual(e!.get('names'), ['Widget', 'Gadget']);
  assert.deepEqual(e!.get('order_id'), ['42']);
  assert.deepEqual(e!.get('first_qty'), ['<qty>2</qty>']);
  assert.deepEqual(e!.get('items'), ['2']);
  assert.equal(e!.get('missing'), undefined);
  const ns = await makeFilter(xmlFilter, { source: 'm', store_xml: false, namespaces: { s: 'urn:soap' }, xpath: { '/s:Envelope/s:Body/text()': 'body' } });
  assert.deepEqual((await ns.one({ m: '<x:Envelope xmlns:x="urn:soap"><x:Body>hi</x:Body></x:Envelope>' }))[0]!.get('body'), ['hi']);
});

test('xml: remove_namespaces drops prefixes in the hash and for XPath', async () => {
  const f = await makeFilter(xmlFilter, { source: 'm', target: 'd', remove_namespaces: true, xpath: { '/Envelope/Body/Code/text()': 'code' } });
  const [e] = await f.one({ m: '<soap:Envelope xmlns:soap="urn:soap" xmlns:a="urn:a"><soap:Body a:lang="en"><a:Code>7</a:Code></soap:Body></soap:Envelope>' });
  assert.deepEqual(e!.get('d'), { Body: [{ lang: 'en', Code: ['7'] }] });
  assert.deepEqual(e!.get('code'), ['7']);
});

test('xml: malformed XML is tagged _xmlparsefailure without decorations; empty or missing source is left alone', async () => {
  const f = await makeFilter(xmlFilter, { source: 'm', target: 'd', add_tag: ['parsed'] });
  const [bad] = await f.one({ m: '<a><b></a>' });
  assert.deepEqual(bad!.get('tags'), ['_xmlparsefailure']);
  assert.equal(bad!.get('d'), undefined);
  const [junk] = await f.one({ m: 'not xml at all' });
  assert.deepEqual(junk!.get('tags'), ['_xmlparsefailure']);
  const [none] = await f.one({ other: 1 });
  assert.equal(none!.get('tags'), undefined);
});

test('xml: store_xml without target, and an invalid XPath, are refused at start', async () => {
  await assert.rejects(makeFilter(xmlFilter, { source: 'm' }), /needs a target/);
  await assert.rejects(makeFilter(xmlFilter, { source: 'm', store_xml: false, xpath: { '//[bad': 'x' } }), /invalid XPath/);
});
