/**
 * Expected values are computed here with node:crypto from the string Logstash
 * builds, or taken from logstash-filter-fingerprint's own spec (MurmurHash3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { Event } from '../../../../src/core/event.js';
import { Timestamp } from '../../../../src/core/timestamp.js';
import { fingerprintFilter } from '../../../../src/plugins/filters/fingerprint/index.js';
import { makeFilter } from '../../../helpers/harness.js';
import type { ConfigValue } from '../../../../src/config/values.js';

const sha = (alg: string, s: string, enc: 'hex' | 'base64' = 'hex'): string => createHash(alg).update(s, 'utf8').digest(enc);
const hmac = (alg: string, key: string, s: string, enc: 'hex' | 'base64' = 'hex'): string => createHmac(alg, key).update(s, 'utf8').digest(enc);

async function fp(settings: Record<string, ConfigValue>, fields: Record<string, unknown>, ecs?: 'disabled' | 'v8'): Promise<unknown> {
  const f = await makeFilter(fingerprintFilter, settings, ecs ? { ecs } : {});
  // An Event is built here (not by the harness's structuredClone) so Timestamp values keep their class.
  const [e] = await f.one(new Event({ ...fields }));
  return e!.get(ecs === 'v8' ? '[event][hash]' : 'fingerprint');
}

test('seed case: SHA256 HMAC over concatenated sources with integer fields', async () => {
  const fields = { ymd: 20240115, network: '10.1.0.0/16', active_time: 3600, ip: '10.1.2.3' };
  const result = await fp(
    { method: 'SHA256', key: 'KEYKEYKEY', concatenate_sources: true, source: ['ymd', 'network', 'active_time', 'ip'] },
    fields,
  );
  // Logstash: sorted source names, "|name|value" each, then a closing "|".
  const expected = hmac('sha256', 'KEYKEYKEY', '|active_time|3600|ip|10.1.2.3|network|10.1.0.0/16|ymd|20240115|');
  assert.equal(result, expected);
});

test('SHA1/SHA256/SHA384/SHA512/MD5: plain digest, HMAC with key, hex or base64', async () => {
  const value = '123.123.123.123';
  assert.equal(await fp({ source: ['clientip'] }, { clientip: value }), '3a5076c520b4b463f43806896ea0b3978d09dcae'); // Logstash spec
  for (const [method, alg] of [['SHA1', 'sha1'], ['SHA256', 'sha256'], ['SHA384', 'sha384'], ['SHA512', 'sha512'], ['MD5', 'md5']] as const) {
    assert.equal(await fp({ method, source: ['clientip'] }, { clientip: value }), sha(alg, value), method);
    assert.equal(await fp({ method, source: ['clientip'], base64encode: true }, { clientip: value }), sha(alg, value, 'base64'), method);
    assert.equal(await fp({ method, source: ['clientip'], key: 'longencryptionkey' }, { clientip: value }), hmac(alg, 'longencryptionkey', value), method);
    assert.equal(
      await fp({ method, source: ['clientip'], key: 'longencryptionkey', base64encode: true }, { clientip: value }),
      hmac(alg, 'longencryptionkey', value, 'base64'),
      method,
    );
  }
  // Two values from Logstash's spec, as a cross-check of the test's own helpers.
  assert.equal(hmac('sha256', 'longencryptionkey', value), '345bec3eff242d53b568916c2610b3e393d885d6b96d643f38494fd74bf4a9ca');
  assert.equal(hmac('md5', 'longencryptionkey', value, 'base64'), 'kzbIeeMFyWBKOEP8PnWUjw==');
});

test('MURMUR3: unsigned 32-bit, strings by bytes, integers as int64 (Logstash spec values)', async () => {
  assert.equal(await fp({ method: 'MURMUR3', source: ['clientip'] }, { clientip: '123.123.123.123' }), 4013733395);
  assert.equal(await fp({ method: 'MURMUR3', source: ['clientip'] }, { clientip: 123 }), 823512154);
  assert.equal(await fp({ method: 'MURMUR3', source: ['@timestamp'] }, { '@timestamp': new Timestamp(0) }), 1154765817);
  assert.equal(await fp({ method: 'MURMUR3', source: ['clientip'], key: 'ignored' }, { clientip: '123.123.123.123' }), 4013733395);
});

test('MURMUR3_128: seed 2, gem byte order, int32/int64 forms (Logstash spec values)', async () => {
  const m = (v: unknown, b64 = false): Promise<unknown> => fp({ method: 'MURMUR3_128', source: ['clientip'], base64encode: b64 }, { clientip: v });
  assert.equal(await m('123.123.123.123'), '41cbc4056eed401d091dfbeabf7ea9e0');
  assert.equal(await m('123.123.123.123', true), 'QcvEBW7tQB0JHfvqv36p4A==');
  assert.equal(await m(123), '286816c693ac410ed63e1430dcd6f6fe');
  assert.equal(await m(123, true), 'KGgWxpOsQQ7WPhQw3Nb2/g==');
  assert.equal(await m(2148483647), 'fdc7699a82556c8c584131f0133ee989');
  assert.equal(await m(2148483647, true), '/cdpmoJVbIxYQTHwEz7piQ==');
  assert.equal(await fp({ method: 'MURMUR3_128', source: ['@timestamp'] }, { '@timestamp': new Timestamp(0) }), 'a0287bec80fce9eb6a1457efae3a7aeb');
});

test('Timestamp values hash as Logstash 8 prints them (java.time.Instant)', async () => {
  assert.equal(await fp({ source: ['@timestamp'], key: '0123' }, { '@timestamp': new Timestamp(0) }), hmac('sha1', '0123', '1970-01-01T00:00:00Z'));
  assert.equal(hmac('sha1', '0123', '1970-01-01T00:00:00Z'), '437291481f9b52199fcc6e3c6ea31ef4ad1c8fe5'); // Logstash spec (>= 8)
  assert.equal(await fp({ source: ['t'] }, { t: new Timestamp(Date.UTC(2017, 6, 26, 14, 44, 27, 64)) }), sha('sha1', '2017-07-26T14:44:27.064Z'));
  assert.equal(await fp({ source: ['t'] }, { t: new Timestamp(Date.UTC(2017, 6, 26, 14, 44, 27, 64), 100_000) }), sha('sha1', '2017-07-26T14:44:27.064100Z'));
});

test('several sources without concatenation: each overwrites the target; arrays give arrays', async () => {
  assert.equal(await fp({ source: ['field1', 'field2'] }, { field1: 'test1', field2: 'test2' }), sha('sha1', 'test2'));
  assert.deepEqual(
    await fp({ source: ['clientip'] }, { clientip: ['123.123.123.123', '223.223.223.223'] }),
    [sha('sha1', '123.123.123.123'), sha('sha1', '223.223.223.223')],
  );
  assert.equal(await fp({ source: ['missing'] }, { message: 'x' }), undefined);
});

test('concatenate_sources: Ruby string forms of arrays, hashes (deep-sorted), numbers, booleans, nil', async () => {
  assert.equal(
    await fp({ source: ['field1', 'field2'], concatenate_sources: true }, { field1: 'test1', field2: 'test2' }),
    sha('sha1', '|field1|test1|field2|test2|'),
  );
  assert.equal(sha('sha1', '|field1|test1|field2|test2|'), 'e3b6b71eedc656f1d29408264e8a75535db985cb'); // Logstash spec
  assert.equal(
    await fp({ source: ['field1', 'field2'], concatenate_sources: true }, { field1: [{ inner_key: '🂡' }, { 1: '2' }], field2: '🂡' }),
    'd74f41841c7cdc793a97c218d2ff18064a5f1950', // Logstash spec
  );
  const fields = { h: { b: { y: 1, x: [true, null, 1.5] }, a: 'q"uo\\te' }, f: 0.25, big: 1e-5, none: null, n: -7 };
  const expected = '|big|1.0e-05|f|0.25|h|{"a"=>"q\\"uo\\\\te", "b"=>{"x"=>[true, nil, 1.5], "y"=>1}}|missing||n|-7|none||';
  assert.equal(await fp({ source: ['none', 'n', 'missing', 'h', 'f', 'big'], concatenate_sources: true }, fields), sha('sha1', expected));
});

test('concatenate_all_fields (Logstash spec event)', async () => {
  const data = {
    '@timestamp': '2017-07-26T14:44:27.064Z', clientip: '123.123.123.123', message: 'This is a test message',
    log_level: 'INFO', offset: 123456789, type: 'test',
  };
  assert.equal(await fp({ concatenate_all_fields: true }, data), 'cbf022518e97860403160ed8a41847c0db104e63');
  assert.equal(
    await fp({ concatenate_all_fields: true, method: 'SHA256', key: 'k' }, data),
    hmac('sha256', 'k', '|@timestamp|2017-07-26T14:44:27.064Z|@version|1|clientip|123.123.123.123|log_level|INFO|message|This is a test message|offset|123456789|type|test|'),
  );
});

test('hash key order does not matter', async () => {
  const a = await fp({ source: ['a'] }, { a: { a0: 0, a1: 1 } });
  const b = await fp({ source: ['a'] }, { a: { a1: 1, a0: 0 } });
  assert.equal(a, b);
  assert.equal(a, sha('sha1', '{"a0"=>0, "a1"=>1}'));
});

test('PUNCTUATION keeps punctuation and symbols only (Logstash spec)', async () => {
  const message = "PHP Warning:  json_encode() [<a href='function.json-encode'>function.json-encode</a>]: Invalid UTF-8 sequence in argument in /var/www/htdocs/test.php on line 233";
  assert.equal(await fp({ method: 'PUNCTUATION', source: ['field1'] }, { field1: message }), ":_()[<='.-'>.-</>]:-////.");
});

test('IPV4_NETWORK masks with the key as prefix length; key required', async () => {
  assert.equal(await fp({ method: 'IPV4_NETWORK', key: '24', source: ['clientip'] }, { clientip: '123.123.123.123' }), '123.123.123.0');
  assert.equal(await fp({ method: 'IPV4_NETWORK', key: '16', source: ['clientip'] }, { clientip: '1.2.3.4' }), '1.2.0.0');
  assert.equal(await fp({ method: 'IPV4_NETWORK', key: '64', source: ['clientip'] }, { clientip: '2001:db8:1:2:3:4:5:6' }), '2001:db8:1:2::');
  const f = await makeFilter(fingerprintFilter, { method: 'IPV4_NETWORK', key: '24', source: ['clientip'], add_tag: ['fp'] });
  const [bad] = await f.one({ clientip: 'not an ip' });
  assert.equal(bad!.get('fingerprint'), undefined);
  assert.deepEqual(bad!.tags, []);
  await assert.rejects(makeFilter(fingerprintFilter, { method: 'IPV4_NETWORK' }), /key/);
});

test('UUID ignores sources; ECS target is [event][hash]', async () => {
  const uuid = await fp({ method: 'UUID' }, {});
  assert.match(uuid as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(await fp({ source: ['message'] }, { message: 'hello' }, 'v8'), sha('sha1', 'hello'));
  assert.equal(await fp({ source: ['message'], target: 'h' }, { message: 'hello' }), undefined);
});
