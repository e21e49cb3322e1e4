/** The PROXY protocol header parser: v1 and v2, partial input, health checks, malformed headers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeProxyV1, encodeProxyV2, parseProxyHeader } from '../../../src/protocols/net/proxy-protocol.js';

const addresses = { sourceAddress: '10.1.2.3', sourcePort: 4567, destinationAddress: '10.0.0.1', destinationPort: 514 };

test('v1 TCP4 and TCP6 headers give the addresses and the header length; the data after stays out', () => {
  const v1 = Buffer.concat([encodeProxyV1(addresses), Buffer.from('data')]);
  assert.deepEqual(parseProxyHeader(v1), { kind: 'header', version: 1, length: v1.length - 4, addresses });
  const v6 = Buffer.from('PROXY TCP6 2001:db8::1 ::1 40000 443\r\n');
  const r = parseProxyHeader(v6);
  assert.equal(r.kind, 'header');
  assert.deepEqual(r.kind === 'header' && r.addresses, { sourceAddress: '2001:db8::1', sourcePort: 40000, destinationAddress: '::1', destinationPort: 443 });
  assert.deepEqual(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n')), { kind: 'header', version: 1, length: 15, addresses: undefined });
});

test('every prefix of a header is incomplete, not invalid', () => {
  for (const header of [encodeProxyV1(addresses), encodeProxyV2(addresses)]) {
    for (let n = 1; n < header.length; n++) assert.equal(parseProxyHeader(header.subarray(0, n)).kind, 'incomplete', `${n} bytes`);
    assert.equal(parseProxyHeader(header).kind, 'header');
  }
});

test('v2 PROXY over IPv4 and IPv6, LOCAL (health check), and unspecified families', () => {
  assert.deepEqual(parseProxyHeader(encodeProxyV2(addresses)), { kind: 'header', version: 2, length: 28, addresses });
  const v6 = Buffer.alloc(16 + 36);
  encodeProxyV2(addresses).copy(v6, 0, 0, 12);
  v6[12] = 0x21;
  v6[13] = 0x21;
  v6.writeUInt16BE(36, 14);
  v6[16 + 15] = 1; // source ::1
  v6.writeUInt16BE(0x2001, 32);
  v6.writeUInt16BE(0x0db8, 34);
  v6[32 + 15] = 2; // destination 2001:db8::2
  v6.writeUInt16BE(1234, 48);
  v6.writeUInt16BE(80, 50);
  const r = parseProxyHeader(v6);
  assert.deepEqual(r.kind === 'header' && r.addresses, { sourceAddress: '::1', sourcePort: 1234, destinationAddress: '2001:db8::2', destinationPort: 80 });
  const local = Buffer.from(encodeProxyV2(addresses).subarray(0, 16));
  local[12] = 0x20;
  local.writeUInt16BE(0, 14);
  assert.deepEqual(parseProxyHeader(local), { kind: 'header', version: 2, length: 16, addresses: undefined });
});

test('garbage, a wrong version, a bad address or an over-long v1 line are invalid', () => {
  assert.equal(parseProxyHeader(Buffer.from('GET / HTTP/1.1\r\n')).kind, 'invalid');
  assert.equal(parseProxyHeader(Buffer.from('PROXY TCP4 999.1.1.1 10.0.0.1 1 2\r\n')).kind, 'invalid');
  assert.equal(parseProxyHeader(Buffer.from('PROXY TCP4 10.1.1.1 10.0.0.1 1 70000\r\n')).kind, 'invalid');
  assert.equal(parseProxyHeader(Buffer.from('PROXY TCP4 ' + '1'.repeat(120))).kind, 'invalid');
  const v3 = encodeProxyV2(addresses);
  v3[12] = 0x31;
  assert.equal(parseProxyHeader(v3).kind, 'invalid');
});
