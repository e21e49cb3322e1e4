/**
 * The tcp input's worker half without sockets: the peer's fields per ECS mode, for events the codec
 * made without @metadata (seeded as one tree) and with it (each field added only where missing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigValue } from '../../../../src/config/values.js';
import type { EcsCompatibility } from '../../../../src/plugins/api.js';
import type { Event } from '../../../../src/core/event.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { tcpInput } from '../../../../src/plugins/inputs/tcp/index.js';
import type { TcpPayload, TcpPeer } from '../../../../src/plugins/inputs/tcp/payload.js';
import { settingsOf, testContext } from '../../../helpers/harness.js';

const PEER: TcpPeer = { name: 'client.example', ip: '192.0.2.7', port: 40512 };

function decode(text: string, ecs: EcsCompatibility, settings: Record<string, ConfigValue> = {}, peer: TcpPeer = PEER): Event[] {
  const options = builtinRegistry().validate(tcpInput, settingsOf({ port: 0, ...settings }));
  const decoder = tcpInput.createDecoder(options as never, testContext('tcp', { ecs }));
  const out: Event[] = [];
  const payload: TcpPayload = { bytes: new Uint8Array(Buffer.from(text)), peer };
  decoder.decode(payload, (e) => out.push(e));
  return out;
}

/** The metadata tree as JSON, so that key order counts too. */
const metadataJson = (e: Event): string => JSON.stringify(e.metadata);

test('ECS: a line event gets the peer under [@metadata][input][tcp][source], nothing at the top level', () => {
  for (const ecs of ['v1', 'v8'] as const) {
    const events = decode('first\nsecond\n', ecs);
    assert.equal(events.length, 2);
    for (const e of events) {
      assert.equal(metadataJson(e), JSON.stringify({ input: { tcp: { source: { name: 'client.example', ip: '192.0.2.7', port: 40512 } } } }));
      assert.equal(e.get('host'), undefined);
      assert.equal(e.get('port'), undefined);
    }
    // Each event has its own tree: changing one leaves the other alone.
    events[0]!.set('[@metadata][input][tcp][source][ip]', 'changed');
    assert.equal(events[1]!.get('[@metadata][input][tcp][source][ip]'), '192.0.2.7');
  }
});

test('ecs disabled: host and port at the top level, the address in [@metadata][ip_address]', () => {
  const [e] = decode('a line\n', 'disabled');
  assert.equal(e!.get('host'), 'client.example');
  assert.equal(e!.get('port'), 40512);
  assert.equal(metadataJson(e!), JSON.stringify({ ip_address: '192.0.2.7' }));
});

test('fields the codec already set are kept; the missing ones are added beside them', () => {
  const doc = JSON.stringify({ message: 'm', host: 'from-the-document', '@metadata': { input: { tcp: { source: { ip: '203.0.113.1' } } }, other: 1 } });
  const [v8] = decode(`${doc}\n`, 'v8', { codec: 'json_lines' });
  assert.equal(v8!.get('[@metadata][input][tcp][source][ip]'), '203.0.113.1');
  assert.equal(v8!.get('[@metadata][input][tcp][source][name]'), 'client.example');
  assert.equal(v8!.get('[@metadata][input][tcp][source][port]'), 40512);
  assert.equal(v8!.get('[@metadata][other]'), 1);
  assert.equal(v8!.get('host'), 'from-the-document');

  const [legacy] = decode(`${doc}\n`, 'disabled', { codec: 'json_lines' });
  assert.equal(legacy!.get('host'), 'from-the-document');
  assert.equal(legacy!.get('port'), 40512);
  assert.equal(legacy!.get('[@metadata][ip_address]'), '192.0.2.7');
  assert.equal(legacy!.get('[@metadata][other]'), 1);
});

test('proxy and client-certificate fields join the seeded tree', () => {
  const peer: TcpPeer = { ...PEER, proxyIp: '198.51.100.2', proxyPort: 443, subject: 'CN=client' };
  const [e] = decode('x\n', 'v8', {}, peer);
  assert.deepEqual(e!.metadata, {
    input: { tcp: { source: { name: 'client.example', ip: '192.0.2.7', port: 40512 }, proxy: { ip: '198.51.100.2', port: 443 }, tls: { client: { subject: 'CN=client' } } } },
  });
  const [legacy] = decode('x\n', 'disabled', {}, peer);
  assert.equal(legacy!.get('proxy_host'), '198.51.100.2');
  assert.equal(legacy!.get('proxy_port'), 443);
  assert.equal(legacy!.get('sslsubject'), 'CN=client');
});

test('a line cut at max_bytes is tagged as well as decorated', () => {
  const options = builtinRegistry().validate(tcpInput, settingsOf({ port: 0 }));
  const decoder = tcpInput.createDecoder(options as never, testContext('tcp', { ecs: 'v8' }));
  const out: Event[] = [];
  decoder.decode({ bytes: new Uint8Array(Buffer.from('whole\ncut\n')), peer: PEER, truncated: [1] } satisfies TcpPayload, (e) => out.push(e));
  assert.deepEqual(out.map((e) => e.tags), [[], ['_line_truncated']]);
  assert.equal(out[1]!.get('[@metadata][input][tcp][source][port]'), 40512);
});
