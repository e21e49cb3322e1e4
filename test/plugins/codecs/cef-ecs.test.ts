/** The cef codec with ECS field names (ecs_compatibility v1/v8): decode, encode, round trips in both modes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../src/core/event.js';
import { Timestamp } from '../../../src/core/timestamp.js';
import { CEF_FAILURE_TAG } from '../../../src/plugins/codecs/cef.js';
import type { Codec } from '../../../src/plugins/api.js';
import { makeCodec, settingsOf } from '../../helpers/harness.js';
import type { ConfigValue } from '../../../src/config/values.js';

const cef = (settings: Record<string, ConfigValue> = {}): Codec => makeCodec({ name: 'cef', settings: settingsOf({ ecs_compatibility: 'v1', ...settings }) });
const decodeOne = (codec: Codec, text: string): Event => {
  const out: Event[] = [];
  codec.decode(text, (e) => out.push(e));
  assert.equal(out.length, 1);
  return out[0]!;
};

test('ECS decode: header to [cef]/[observer]/[event], syslog prefix to [log][syslog][header], short keys and CEF names to ECS fields', () => {
  const e = decodeOne(cef(), 'Jan 18 11:07:53 host CEF:0|Security|threatmanager|1.0|100|worm stopped|10|src=10.0.0.1 dpt=443 destinationAddress=2.1.2.2 act=blocked suser=ann cs1Label=Rule cs1=r-7 cs12=twelve fname=a b.txt in=123 dvchost=fw1 vendorKey=x y msg=hello world');
  assert.equal(e.get('[cef][version]'), '0');
  assert.equal(e.get('[observer][vendor]'), 'Security');
  assert.equal(e.get('[observer][product]'), 'threatmanager');
  assert.equal(e.get('[observer][version]'), '1.0');
  assert.equal(e.get('[event][code]'), '100');
  assert.equal(e.get('[cef][name]'), 'worm stopped');
  assert.equal(e.get('[event][severity]'), '10');
  assert.equal(e.get('[log][syslog][header]'), 'Jan 18 11:07:53 host');
  assert.equal(e.get('[source][ip]'), '10.0.0.1');
  assert.equal(e.get('[destination][port]'), '443');
  assert.equal(e.get('[destination][ip]'), '2.1.2.2');
  assert.equal(e.get('[event][action]'), 'blocked');
  assert.equal(e.get('[source][user][name]'), 'ann');
  assert.deepEqual(e.get('[cef][device_custom_string_1]'), { label: 'Rule', value: 'r-7' });
  assert.equal(e.get('[cef][device_custom_string_12][value]'), 'twelve');
  assert.equal(e.get('[file][name]'), 'a b.txt');
  assert.equal(e.get('[source][bytes]'), '123');
  assert.equal(e.get('[observer][hostname]'), 'fw1');
  assert.equal(e.get('vendorKey'), 'x y', 'a key with no ECS field keeps its name');
  assert.equal(e.get('message'), 'hello world');
  for (const legacy of ['cefVersion', 'deviceVendor', 'sourceAddress', 'syslog']) assert.equal(e.get(legacy), undefined, legacy);
});

test('ECS decode: device => host sends the device fields to [host]; v8 names as v1', () => {
  const e = decodeOne(cef({ device: 'host', ecs_compatibility: 'v8' }), 'CEF:0|V|P|1|s|n|3|dvc=10.1.1.1 dvchost=web1 dvcmac=00:11:22:33:44:55 deviceExternalId=i-1');
  assert.equal(e.get('[host][ip]'), '10.1.1.1');
  assert.equal(e.get('[host][name]'), 'web1');
  assert.equal(e.get('[host][mac]'), '00:11:22:33:44:55');
  assert.equal(e.get('[host][id]'), 'i-1');
  assert.equal(e.get('[observer][hostname]'), undefined);
});

test('ECS decode: CEF times become timestamps (epoch ms, MMM dd yyyy HH:mm:ss with a zone, dtz for none, year guessed); a bad time fails the message', () => {
  const e = decodeOne(cef({ default_timezone: 'UTC' }), 'CEF:0|V|P|1|s|n|3|rt=1704164645006 end=Jan 02 2024 03:04:05.250 +02:00 start=Jan 02 2024 03:04:05 dtz=Europe/Berlin art=Jan 02 2024 03:04:05');
  assert.ok(e.get('@timestamp') instanceof Timestamp);
  assert.equal(e.timestamp.toISOString(), '2024-01-02T03:04:05.006Z');
  assert.equal((e.get('[event][end]') as Timestamp).toISOString(), '2024-01-02T01:04:05.250Z');
  assert.equal((e.get('[event][start]') as Timestamp).toISOString(), '2024-01-02T02:04:05.000Z', 'dtz (Europe/Berlin, +01:00 in winter) for a time with no zone');
  assert.equal(e.get('[event][timezone]'), 'Europe/Berlin');
  const noYear = decodeOne(cef({ default_timezone: 'UTC' }), 'CEF:0|V|P|1|s|n|3|mrt=Jan 02 03:04:05');
  const ingested = (noYear.get('[event][ingested]') as Timestamp).toISOString();
  assert.match(ingested, /^\d{4}-01-02T03:04:05\.000Z$/);
  assert.ok(Date.parse(ingested) <= Date.now() + 86_400_000, 'a year-less time is not in the future');
  const bad = decodeOne(cef(), 'CEF:0|V|P|1|s|n|3|rt=yesterday-ish src=1.2.3.4');
  assert.deepEqual(bad.get('tags'), [CEF_FAILURE_TAG]);
  assert.equal(bad.get('message'), 'CEF:0|V|P|1|s|n|3|rt=yesterday-ish src=1.2.3.4');
});

test('ECS encode: ECS fields written under their CEF names, or their short keys with reverse_mapping; the preferred of two names for one field', () => {
  const event = new Event({ source: { ip: '10.0.0.1', port: 5000 }, destination: { registered_domain: 'example.org' }, event: { action: 'allow' }, custom: 'v' });
  const fields = ['[source][ip]', '[source][port]', '[destination][registered_domain]', '[event][action]', '[custom]', '[missing]'];
  assert.equal(cef({ fields }).encode(event), 'CEF:0|Elasticsearch|Logstash|1.0|Logstash|Logstash|6|sourceAddress=10.0.0.1 sourcePort=5000 destinationDnsDomain=example.org deviceAction=allow custom=v\n');
  assert.equal(cef({ fields, reverse_mapping: true }).encode(event), 'CEF:0|Elasticsearch|Logstash|1.0|Logstash|Logstash|6|src=10.0.0.1 spt=5000 destinationDnsDomain=example.org act=allow custom=v\n');
});

test('round trip, ECS mode: encode an ECS event, decode it back to the same ECS fields', () => {
  const settings = { vendor: '%{[observer][vendor]}', product: '%{[observer][product]}', version: '%{[observer][version]}', signature: '%{[event][code]}', name: '%{[cef][name]}', severity: '%{[event][severity]}' };
  const fields = ['[source][ip]', '[destination][port]', '[event][action]', '[cef][device_custom_string_3][value]', '[url][original]', 'message'];
  const original = new Event({
    observer: { vendor: 'Acme|Corp', product: 'Wall', version: '2.1' }, event: { code: '4625', severity: 7, action: 'deny' }, cef: { name: 'Login failed', device_custom_string_3: { value: 'a=b \\ c' } },
    source: { ip: '192.0.2.1' }, destination: { port: '22' }, url: { original: 'https://x.test/?q=1' }, message: 'two\nlines',
  });
  for (const reverse_mapping of [false, true]) {
    const text = cef({ ...settings, fields, reverse_mapping }).encode(original);
    const back = decodeOne(cef(), text.replace(/\n$/, ''));
    assert.equal(back.get('[observer][vendor]'), 'Acme|Corp');
    assert.equal(back.get('[observer][product]'), 'Wall');
    assert.equal(back.get('[event][code]'), '4625');
    assert.equal(back.get('[event][severity]'), '7');
    assert.equal(back.get('[cef][name]'), 'Login failed');
    assert.equal(back.get('[source][ip]'), '192.0.2.1');
    assert.equal(back.get('[destination][port]'), '22');
    assert.equal(back.get('[event][action]'), 'deny');
    assert.equal(back.get('[cef][device_custom_string_3][value]'), 'a=b \\ c');
    assert.equal(back.get('[url][original]'), 'https://x.test/?q=1');
    assert.equal(back.get('message'), 'two\nlines');
  }
});

test('round trip, legacy mode (ecs_compatibility disabled) is unchanged: CEF names on decode, short keys with reverse_mapping', () => {
  const legacy = (settings: Record<string, ConfigValue> = {}): Codec => makeCodec({ name: 'cef', settings: settingsOf({ ecs_compatibility: 'disabled', ...settings }) });
  const original = new Event({ sourceAddress: '10.0.0.1', destinationPort: '80', deviceCustomString1: 'x', vendorKey: 'v' });
  const text = legacy({ fields: ['sourceAddress', 'destinationPort', 'deviceCustomString1', 'vendorKey'], reverse_mapping: true }).encode(original);
  assert.equal(text, 'CEF:0|Elasticsearch|Logstash|1.0|Logstash|Logstash|6|src=10.0.0.1 dpt=80 cs1=x vendorKey=v\n');
  const back = decodeOne(legacy(), text.trim());
  assert.equal(back.get('cefVersion'), '0');
  assert.equal(back.get('deviceVendor'), 'Elasticsearch');
  assert.equal(back.get('sourceAddress'), '10.0.0.1');
  assert.equal(back.get('destinationPort'), '80');
  assert.equal(back.get('deviceCustomString1'), 'x');
  assert.equal(back.get('vendorKey'), 'v');
  assert.equal(back.get('[source][ip]'), undefined);
});

test('ECS mode: an unknown default_timezone is a config error', () => {
  assert.throws(() => cef({ default_timezone: 'Mars/Olympus' }), /default_timezone/);
});
