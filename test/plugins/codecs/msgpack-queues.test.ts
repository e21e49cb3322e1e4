/**
 * msgpack in the queue plugins' worker halves (kafka, rabbitmq, redis): the encoders lay each
 * event's msgpack value as one record / message / value, and the decoders read each message's
 * bytes as one value. The brokers themselves are covered by the plugins' own integration tests
 * and, for Redis, by msgpack-transport.test.ts (a real round trip).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from '@msgpack/msgpack';
import { Event } from '../../../src/core/event.js';
import type { ConfigValue } from '../../../src/config/values.js';
import type { InputDefinition, OutputDefinition } from '../../../src/plugins/api.js';
import { MSGPACK_FAILURE_TAG } from '../../../src/plugins/codecs/msgpack.js';
import { kafkaInput } from '../../../src/plugins/inputs/kafka/index.js';
import { rabbitmqInput } from '../../../src/plugins/inputs/rabbitmq/index.js';
import { redisInput } from '../../../src/plugins/inputs/redis/index.js';
import { kafkaOutput } from '../../../src/plugins/outputs/kafka/index.js';
import { rabbitmqOutput } from '../../../src/plugins/outputs/rabbitmq/index.js';
import { redisOutput } from '../../../src/plugins/outputs/redis/index.js';
import { chunkValues, type KeyChunk } from '../../../src/plugins/outputs/redis/chunks.js';
import { packBodies } from '../../../src/plugins/message-bodies.js';
import { registryWith, settingsOf, testContext } from '../../helpers/harness.js';

const MSGPACK: ConfigValue = 'msgpack';

function encoderOf(definition: OutputDefinition<any>, settings: Record<string, ConfigValue>) {
  const registry = registryWith(definition);
  const options = registry.validate(definition, settingsOf({ ...settings, codec: MSGPACK }));
  return definition.createEncoder(options as never, testContext(definition.name, { registry }));
}

function decoderOf(definition: InputDefinition<any>, settings: Record<string, ConfigValue>) {
  const registry = registryWith(definition);
  const options = registry.validate(definition, settingsOf({ ...settings, codec: MSGPACK }));
  return definition.createDecoder(options as never, testContext(definition.name, { registry }));
}

/** Each message of a packed payload, as its own bytes. */
function messagesOf(bytes: Uint8Array, ends: Uint32Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (const end of ends) {
    out.push(bytes.subarray(start, end));
    start = end;
  }
  return out;
}

const events = (): Event[] => [new Event({ message: 'a', n: 1 }), new Event({ message: 'b', n: 2, deep: { x: [1, 'y'] } })];

test('kafka and rabbitmq outputs: one msgpack value per record / message body', () => {
  for (const [definition, settings] of [[kafkaOutput, { topic_id: 'logs' }], [rabbitmqOutput, { host: '127.0.0.1', exchange: 'x', exchange_type: 'direct' }]] as const) {
    const payload = encoderOf(definition, settings).encode(events())!;
    const { bytes, ends } = payload.data as { bytes: Uint8Array; ends: Uint32Array };
    const values = messagesOf(bytes, ends).map((m) => decode(m) as Record<string, unknown>);
    assert.deepEqual(values.map((v) => v['message']), ['a', 'b'], definition.name);
    assert.deepEqual(values[1]!['deep'], { x: [1, 'y'] }, definition.name);
    assert.equal(typeof values[0]!['@timestamp'], 'string', definition.name);
  }
});

test('redis output: one msgpack value per list value', () => {
  const payload = encoderOf(redisOutput, { key: 'k', data_type: 'list' }).encode(events())!;
  const [chunk] = payload.data as KeyChunk[];
  assert.deepEqual(chunkValues(chunk!).map((v) => (decode(v) as Record<string, unknown>)['n']), [1, 2]);
});

test('kafka, rabbitmq and redis inputs: each message one value; bytes that are not msgpack one tagged event, the rest still decoded', () => {
  const bodies = [encode({ message: 'one' }), Uint8Array.of(0xc1, 0x00), encode({ message: 'three', list: [3] })];
  const total = bodies.reduce((n, b) => n + b.length, 0);
  const cases: [InputDefinition<any>, Record<string, ConfigValue>][] = [
    [kafkaInput, { topics: ['logs'] }], [rabbitmqInput, { host: '127.0.0.1', queue: 'q' }], [redisInput, { key: 'k', data_type: 'list' }],
  ];
  for (const [definition, settings] of cases) {
    const out: Event[] = [];
    decoderOf(definition, settings).decode(packBodies(bodies, total), (e) => out.push(e));
    assert.equal(out.length, 3, definition.name);
    assert.equal(out[0]!.get('message'), 'one', definition.name);
    assert.deepEqual(out[1]!.get('tags'), [MSGPACK_FAILURE_TAG], definition.name);
    assert.equal(out[1]!.get('message'), Buffer.from([0xc1, 0x00]).toString('base64'), definition.name);
    assert.deepEqual(out[2]!.get('list'), [3], definition.name);
  }
});
