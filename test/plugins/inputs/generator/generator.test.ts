/** The generator input: sequence ranges on the main thread, events built in the worker's decoder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../../../../src/core/event.js';
import type { InputPayload, InputSink } from '../../../../src/plugins/api.js';
import { generatorInput } from '../../../../src/plugins/inputs/generator/index.js';
import { registryWith, settingsOf, testContext } from '../../../helpers/harness.js';
import type { ConfigValue } from '../../../../src/config/values.js';
import type { EcsCompatibility } from '../../../../src/plugins/api.js';

function build(settings: Record<string, ConfigValue>, ecs: EcsCompatibility = 'disabled') {
  const registry = registryWith(generatorInput);
  const options = registry.validate(generatorInput, settingsOf(settings));
  const ctx = testContext('generator', { registry, ecs }); // batchSize 125
  return { source: generatorInput.createSource(options as never, ctx), decoder: generatorInput.createDecoder(options as never, ctx) };
}

function collectingSink(payloads: InputPayload[], opts: { failAfter?: number } = {}): InputSink {
  return {
    async push(p) {
      if (opts.failAfter !== undefined && payloads.length >= opts.failAfter) throw new Error('queue went away');
      payloads.push(p);
    },
    stopping: false,
  };
}

const decodeAll = (decoder: ReturnType<typeof build>['decoder'], payloads: InputPayload[]): Event[] => {
  const events: Event[] = [];
  for (const p of payloads) decoder.decode(p.data, (e) => events.push(e));
  return events;
};

test('count events in payloads of at most one batch; each cycle of lines shares a sequence number', async () => {
  const { source, decoder } = build({ lines: ['a', 'b'], count: 100 });
  const payloads: InputPayload[] = [];
  await source.run(collectingSink(payloads));
  assert.ok(payloads.every((p) => p.events <= 125), payloads.map((p) => p.events).join(','));
  const events = decodeAll(decoder, payloads);
  assert.equal(events.length, 200);
  assert.deepEqual(events.slice(0, 4).map((e) => [e.get('message'), e.get('sequence')]), [['a', 0], ['b', 0], ['a', 1], ['b', 1]]);
  assert.equal(events.at(-1)!.get('sequence'), 99);
});

test('ECS names: [event][sequence] and [host][name]', async () => {
  const { source, decoder } = build({ count: 1, message: 'hi' }, 'v8');
  const payloads: InputPayload[] = [];
  await source.run(collectingSink(payloads));
  const [e] = decodeAll(decoder, payloads);
  assert.equal(e!.get('[event][sequence]'), 0);
  assert.equal(typeof e!.get('[host][name]'), 'string');
  assert.equal(e!.get('sequence'), undefined);
});

test('a source run again after a failure goes on where it stopped: no sequence twice, none missing', async () => {
  const { source, decoder } = build({ count: 1000 });
  const payloads: InputPayload[] = [];
  await assert.rejects(source.run(collectingSink(payloads, { failAfter: 3 })), /queue went away/);
  await source.run(collectingSink(payloads));
  const sequences = decodeAll(decoder, payloads).map((e) => e.get('sequence') as number);
  // The payload whose push failed is generated again; the ones handed over are not.
  assert.deepEqual(sequences, Array.from({ length: 1000 }, (_, i) => i));
});
