import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../../../../src/core/event.js';
import type { ConfigValue } from '../../../../src/config/values.js';
import type { EcsCompatibility } from '../../../../src/plugins/api.js';
import { beatsInput } from '../../../../src/plugins/inputs/beats/index.js';
import type { BeatsPayload } from '../../../../src/plugins/inputs/beats/payload.js';
import { registryWith, settingsOf, testContext } from '../../../helpers/harness.js';

function decode(documents: string[], settings: Record<string, ConfigValue> = {}, ecs: EcsCompatibility = 'disabled', extra: Partial<BeatsPayload> = {}): Event[] {
  const registry = registryWith(beatsInput);
  const options = registry.validate(beatsInput, settingsOf(settings));
  const decoder = beatsInput.createDecoder(options as never, testContext('beats', { ecs, registry }));
  const bytes = Buffer.from(documents.join(''));
  let at = 0;
  const payload: BeatsPayload = { bytes, ends: Uint32Array.from(documents.map((d) => (at += Buffer.byteLength(d)))), ip: '10.1.2.3', tls: false, ...extra };
  const out: Event[] = [];
  decoder.decode(payload, (e) => out.push(e));
  return out;
}

const FILEBEAT_5 = JSON.stringify({
  '@timestamp': '2017-08-01T10:20:30.123Z',
  '@metadata': { beat: 'filebeat', type: 'doc', version: '5.5.0' },
  message: 'player 42 logged in',
  source: '/var/log/game/login.log',
  offset: 1234,
  beat: { hostname: 'game-01', name: 'game-01', version: '5.5.0' },
  fields: { log_group: 'login' },
  type: 'log',
});

test('a Filebeat event: the document\'s fields, @timestamp and @metadata, the peer address, the plain codec tag', () => {
  const [event] = decode([FILEBEAT_5]);
  assert.equal(event!.get('message'), 'player 42 logged in');
  assert.equal(event!.timestamp.toISOString(), '2017-08-01T10:20:30.123Z');
  assert.equal(event!.get('[@metadata][beat]'), 'filebeat');
  assert.equal(event!.get('[@metadata][version]'), '5.5.0');
  assert.equal(event!.get('[@metadata][ip_address]'), '10.1.2.3');
  assert.equal(event!.get('[fields][log_group]'), 'login');
  assert.equal(event!.get('offset'), 1234);
  assert.deepEqual(event!.tags, ['beats_input_codec_plain_applied']);
  assert.equal(event!.get('host'), undefined, 'add_hostname is off by default, as in Logstash 6+');
  assert.equal('@metadata' in event!.data, false, '@metadata is the event\'s metadata, not a field');
  assert.deepEqual(Object.keys(event!.data), ['@timestamp', 'message', 'source', 'offset', 'beat', 'fields', 'type', '@version', 'tags'], 'the document\'s order');
});

test('@metadata that is not an object is dropped; a json codec\'s events get the document\'s @metadata', () => {
  const [odd] = decode([JSON.stringify({ '@metadata': 'x', message: 'm' })]);
  assert.equal('@metadata' in odd!.data, false);
  assert.equal(odd!.get('[@metadata][ip_address]'), '10.1.2.3');
  assert.equal(odd!.get('[@metadata][0]'), undefined);
  const [coded] = decode([JSON.stringify({ '@metadata': { beat: 'filebeat' }, message: '{"a":1}' })], { codec: 'json' });
  assert.equal(coded!.get('a'), 1);
  assert.equal(coded!.get('[@metadata][beat]'), 'filebeat');
  assert.equal('@metadata' in coded!.data, false);
});

test('ECS: the peer address goes to [@metadata][input][beats][host][ip]', () => {
  const [event] = decode([FILEBEAT_5], {}, 'v8');
  assert.equal(event!.get('[@metadata][input][beats][host][ip]'), '10.1.2.3');
  assert.equal(event!.get('[@metadata][ip_address]'), undefined);
});

test('add_hostname copies [beat][hostname] into host unless the event has one', () => {
  assert.equal(decode([FILEBEAT_5], { add_hostname: true })[0]!.get('host'), 'game-01');
  const withHost = JSON.stringify({ message: 'm', host: { name: 'h' }, beat: { hostname: 'game-01' } });
  assert.deepEqual(decode([withHost], { add_hostname: true })[0]!.get('host'), { name: 'h' });
});

test('an event without message is taken raw and tagged beats_input_raw_event', () => {
  const [event] = decode([JSON.stringify({ metricset: { name: 'cpu' }, system: { cpu: { total: 0.5 } } })]);
  assert.equal(event!.get('[system][cpu][total]'), 0.5);
  assert.deepEqual(event!.tags, ['beats_input_raw_event']);
});

test('a codec decodes message; its events take the document\'s other fields (nested hashes merged)', () => {
  const doc = JSON.stringify({ '@timestamp': '2020-01-02T03:04:05.000Z', message: '{"level":"warn","fields":{"inner":1}}', fields: { outer: 2 }, beat: { name: 'b' } });
  const [event] = decode([doc], { codec: 'json' });
  assert.equal(event!.get('level'), 'warn');
  assert.deepEqual(event!.get('fields'), { inner: 1, outer: 2 });
  assert.equal(event!.get('[beat][name]'), 'b');
  assert.equal(event!.timestamp.toISOString(), '2020-01-02T03:04:05.000Z');
  assert.deepEqual(event!.tags, ['beats_input_codec_json_applied']);
  assert.equal(event!.get('message'), undefined);
});

test('include_codec_tag false, or enrich without codec_metadata / source_metadata, leaves tags and metadata out', () => {
  assert.deepEqual(decode([FILEBEAT_5], { include_codec_tag: false })[0]!.tags, []);
  const bare = decode([FILEBEAT_5], { enrich: 'none' })[0]!;
  assert.deepEqual(bare.tags, []);
  assert.equal(bare.get('[@metadata][ip_address]'), undefined);
  const all = decode([FILEBEAT_5], { enrich: 'all' }, 'disabled', { tls: true, peerSubject: 'CN=beat-1' })[0]!;
  assert.equal(all.get('[@metadata][tls_peer][status]'), 'verified');
  assert.equal(all.get('[@metadata][tls_peer][subject]'), 'CN=beat-1');
});

test('a document that is not a JSON object becomes a tagged event holding its text; the others decode', () => {
  const events = decode(['{"message":"a"}', 'not json', '[1,2]', '{"message":"b"}']);
  assert.deepEqual(events.map((e) => e.get('message')), ['a', 'not json', '[1,2]', 'b']);
  assert.deepEqual(events.map((e) => e.tags.join()), ['beats_input_codec_plain_applied', '_beats_json_parse_failure', '_beats_json_parse_failure', 'beats_input_codec_plain_applied']);
});

test('an empty message is kept, with the plain codec and with another codec', () => {
  assert.equal(decode(['{"message":"","n":1}'])[0]!.get('message'), '');
  const [event] = decode(['{"message":"","n":1}'], { codec: 'json' });
  assert.equal(event!.get('n'), 1);
});

test('the multiline codec is refused, as Logstash does', () => {
  const registry = registryWith(beatsInput);
  const options = registry.validate(beatsInput, settingsOf({ codec: 'line' }));
  (options as { codec: { name: string } }).codec.name = 'multiline';
  assert.throws(() => beatsInput.createSource(options as never, testContext('beats', { registry })), /multiline/);
});

test('logstash-forwarder (v1 data frames): `line` is the text the codec gets and becomes message', () => {
  const [event] = decode([JSON.stringify({ line: 'old shipper', host: 'h', file: '/var/log/x' })]);
  assert.equal(event!.get('message'), 'old shipper');
  assert.equal(event!.get('line'), undefined);
  assert.equal(event!.get('file'), '/var/log/x');
  assert.deepEqual(event!.tags, ['beats_input_codec_plain_applied']);
});
