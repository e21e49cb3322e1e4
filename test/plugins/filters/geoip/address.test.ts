import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIPv4 } from 'node:net';
import { parseIPv4 } from '../../../../src/plugins/filters/geoip/address.js';

test('parseIPv4: the 32-bit value of a dotted quad', () => {
  assert.equal(parseIPv4('0.0.0.0'), 0);
  assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
  assert.equal(parseIPv4('81.2.69.142'), ((81 * 256 + 2) * 256 + 69) * 256 + 142);
  assert.equal(parseIPv4('10.0.0.1') >>> 8, (10 * 256) * 256);
});

test('parseIPv4 accepts exactly what net.isIPv4 accepts', () => {
  const fixed = ['1.2.3.4', '01.2.3.4', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.04', '1..3.4', '.1.2.3', '1.2.3.', '1.2.3.4 ',
    ' 1.2.3.4', '::1', '::ffff:1.2.3.4', 'example.com', '', '1234.1.1.1', '1.2.3.255', '0.0.0.00', '9.9.9.9x', '1.2.3.-4', '１.2.3.4'];
  let seed = 42;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  const alphabet = '0123456789.....a:';
  const random = Array.from({ length: 50_000 }, () => Array.from({ length: 5 + rand(12) }, () => alphabet[rand(alphabet.length)]).join(''));
  let valid = 0;
  for (const s of [...fixed, ...random]) {
    const ok = isIPv4(s);
    if (ok) valid++;
    assert.equal(parseIPv4(s) >= 0, ok, JSON.stringify(s));
    if (ok) assert.equal(parseIPv4(s), s.split('.').reduce((a, o) => a * 256 + Number(o), 0), s);
  }
  assert.ok(valid > 100, `the random strings include valid addresses (${valid})`);
});
