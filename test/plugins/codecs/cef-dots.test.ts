/** The cef and dots codecs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../src/core/event.js';
import { CEF_FAILURE_TAG } from '../../../src/plugins/codecs/cef.js';
import { makeCodec, settingsOf } from '../../helpers/harness.js';

const decodeAll = (codec: ReturnType<typeof makeCodec>, text: string): Event[] => {
  const out: Event[] = [];
  codec.decode(text, (e) => out.push(e));
  return out;
};

test('cef decode: header fields, escaped pipes and equals, extension keys under their full names, a syslog prefix kept', () => {
  const text = 'Sep 19 08:26:10 host CEF:0|Security|threat\\|manager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 msg=a b\\=c \\\\ d\\nnext cs1Label=Custom vendorKey=x y';
  const [e] = decodeAll(makeCodec('cef'), text);
  assert.equal(e!.get('syslog'), 'Sep 19 08:26:10 host');
  assert.equal(e!.get('cefVersion'), '0');
  assert.equal(e!.get('deviceVendor'), 'Security');
  assert.equal(e!.get('deviceProduct'), 'threat|manager');
  assert.equal(e!.get('deviceVersion'), '1.0');
  assert.equal(e!.get('deviceEventClassId'), '100');
  assert.equal(e!.get('name'), 'worm successfully stopped');
  assert.equal(e!.get('severity'), '10');
  assert.equal(e!.get('sourceAddress'), '10.0.0.1');
  assert.equal(e!.get('destinationAddress'), '2.1.2.2');
  assert.equal(e!.get('sourcePort'), '1232');
  assert.equal(e!.get('message'), 'a b=c \\ d\nnext');
  assert.equal(e!.get('deviceCustomString1Label'), 'Custom');
  assert.equal(e!.get('vendorKey'), 'x y');
});

test('cef decode: text that is not CEF is kept and tagged; delimiter splits a stream', () => {
  const [bad] = decodeAll(makeCodec('cef'), 'hello world');
  assert.equal(bad!.get('message'), 'hello world');
  assert.deepEqual(bad!.get('tags'), [CEF_FAILURE_TAG]);
  const [short] = decodeAll(makeCodec('cef'), 'CEF:0|only|three');
  assert.deepEqual(short!.get('tags'), [CEF_FAILURE_TAG]);
  const events = decodeAll(makeCodec({ name: 'cef', settings: settingsOf({ delimiter: '\n' }) }), 'CEF:0|a|b|1|s|n|1|src=1.1.1.1\nCEF:0|a|b|1|s|n|2|');
  assert.deepEqual(events.map((e) => e.get('severity')), ['1', '2']);
});

test('cef encode: sprintf header with escaping, fields as extension with escaping, reverse_mapping, round trip', () => {
  const codec = makeCodec({ name: 'cef', settings: settingsOf({ vendor: 'Acme|Corp', product: '%{app}', severity: '%{sev}', fields: ['sourceAddress', 'message', 'missing', '[nested][k]'] }) });
  const event = new Event({ app: 'fw', sev: 3, sourceAddress: '10.1.1.1', message: 'x=1\\y\nz', nested: { k: 'v' } });
  const line = codec.encode(event);
  assert.equal(line, 'CEF:0|Acme\\|Corp|fw|1.0|Logstash|Logstash|3|sourceAddress=10.1.1.1 message=x\\=1\\\\y\\nz nested.k=v\n');
  const reversed = makeCodec({ name: 'cef', settings: settingsOf({ fields: ['sourceAddress'], reverse_mapping: true, severity: '99' }) }).encode(event);
  assert.equal(reversed, 'CEF:0|Elasticsearch|Logstash|1.0|Logstash|Logstash|6|src=10.1.1.1\n');
  const [back] = decodeAll(makeCodec('cef'), line.trimEnd());
  assert.equal(back!.get('deviceVendor'), 'Acme|Corp');
  assert.equal(back!.get('message'), 'x=1\\y\nz');
  assert.equal(back!.get('sourceAddress'), '10.1.1.1');
});

test('dots writes one "." per event; on an input it keeps the text as plain does', () => {
  const codec = makeCodec('dots');
  assert.equal(codec.encode(new Event({ message: 'x' })), '.');
  assert.deepEqual(decodeAll(codec, 'x\ny').map((e) => e.get('message')), ['x\ny']);
});
