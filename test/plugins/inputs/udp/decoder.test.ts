/** The udp input's worker half without sockets: where the sender's address goes, and what it never overwrites. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsCompatibility } from '../../../../src/plugins/api.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { udpInput, type UdpPayload } from '../../../../src/plugins/inputs/udp/index.js';
import { settingsOf, testContext } from '../../../helpers/harness.js';

/** Each datagram's `host` field after decoding (as JSON), one sender for all. */
function hostsAfterDecode(datagrams: string[], ecs: EcsCompatibility): string[] {
  const options = builtinRegistry().validate(udpInput, settingsOf({ port: 0, codec: 'json' }));
  const decoder = udpInput.createDecoder(options as never, testContext('udp', { ecs }));
  const parts = datagrams.map((d) => Buffer.from(d));
  let at = 0;
  const payload: UdpPayload = { bytes: new Uint8Array(Buffer.concat(parts)), ends: Uint32Array.from(parts.map((p) => (at += p.length))), hosts: ['10.0.0.1'], senders: new Uint32Array(parts.length) };
  const out: string[] = [];
  decoder.decode(payload, (e) => out.push(JSON.stringify(e.data['host'])));
  return out;
}

const DATAGRAMS = ['{"m":1}', '{"host":"web1"}', '{"host":{"name":"n"}}', '{"host":["a","b"]}', '{"host":null}'];

test('ecs disabled: the address goes in host unless the datagram has one (null included)', () => {
  assert.deepEqual(hostsAfterDecode(DATAGRAMS, 'disabled'), ['"10.0.0.1"', '"web1"', '{"name":"n"}', '["a","b"]', 'null']);
});

test('ECS: the address goes in [host][ip], beside what [host] holds; a scalar or null host becomes the object, an array is left alone', () => {
  assert.deepEqual(hostsAfterDecode(DATAGRAMS, 'v8'), ['{"ip":"10.0.0.1"}', '{"ip":"10.0.0.1"}', '{"name":"n","ip":"10.0.0.1"}', '["a","b"]', '{"ip":"10.0.0.1"}']);
});
