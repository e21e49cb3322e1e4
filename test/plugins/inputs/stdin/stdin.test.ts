/** The stdin input, fed a substitute stream: payloads bounded in lines and bytes, over-long lines cut and tagged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Event } from '../../../../src/core/event.js';
import { PAYLOAD_MAX_BATCHES, type InputPayload } from '../../../../src/plugins/api.js';
import { stdinInput, stdinStream, TRUNCATED_TAG } from '../../../../src/plugins/inputs/stdin/index.js';
import { LINE_PIECE_BYTES } from '../../../../src/plugins/line-payloads.js';
import { registryWith, settingsOf, testContext } from '../../../helpers/harness.js';
import type { ConfigValue } from '../../../../src/config/values.js';

/** Runs stdin over `reads`; returns the payloads it handed over and the events they decode to. */
async function runStdin(reads: Iterable<Buffer | string> | AsyncIterable<Buffer | string>, settings: Record<string, ConfigValue> = {}) {
  const registry = registryWith(stdinInput);
  const options = registry.validate(stdinInput, settingsOf(settings));
  const ctx = testContext('stdin', { registry }); // batchSize 125
  const payloads: InputPayload[] = [];
  const previous = stdinStream.current;
  stdinStream.current = () => Readable.from(reads, { objectMode: false });
  try {
    const source = stdinInput.createSource(options as never, ctx);
    await source.run({ push: async (p) => void payloads.push(p), stopping: false });
  } finally {
    stdinStream.current = previous;
  }
  const decoder = stdinInput.createDecoder(options as never, ctx);
  const events: Event[] = [];
  for (const p of payloads) decoder.decode(p.data, (e) => events.push(e));
  return { payloads, events, options: options as { max_bytes: number } };
}

test('with the multiline codec, events split across payloads never share memory (each payload\'s bytes are transferred on their own)', async () => {
  const codec = { kind: 'plugin' as const, name: 'multiline', settings: settingsOf({ pattern: '^\\s', what: 'previous' }), location: { file: 't.conf', line: 1, column: 1 } };
  const { payloads, events } = await runStdin([Buffer.from('a\n b\nc\n d\ne\n')], { codec });
  assert.deepEqual(events.map((e) => e.get('message')), ['a\n b', 'c\n d', 'e']);
  const buffers = payloads.flatMap((p) => p.transfer ?? []);
  assert.ok(payloads.length >= 2, `${payloads.length} payloads`);
  assert.equal(new Set(buffers).size, buffers.length, 'no ArrayBuffer is transferred twice');
  for (const p of payloads) assert.equal(p.transfer?.[0], (p.data as Uint8Array).buffer);
});

test('with the multiline codec, an event longer than a decoding piece stays one event', async () => {
  const codec = { kind: 'plugin' as const, name: 'multiline', settings: settingsOf({ pattern: '^\\s', what: 'previous', max_lines: 100000 }), location: { file: 't.conf', line: 1, column: 1 } };
  const trace = ['Exception in thread "main"', ...Array.from({ length: 3000 }, (_, i) => `    at frame${i} (${'f'.repeat(40)}.java:${i})`)];
  assert.ok(trace.join('\n').length > 2 * LINE_PIECE_BYTES);
  const { events } = await runStdin([Buffer.from(`${trace.join('\n')}\nnext\n`)], { codec });
  assert.deepEqual(events.map((e) => String(e.get('message')).length), [trace.join('\n').length, 4]);
  assert.equal(events[0]!.get('message'), trace.join('\n'));
});

test('max_bytes defaults to 10 MiB and takes Logstash byte sizes', async () => {
  assert.equal((await runStdin([])).options.max_bytes, 10 * 1024 * 1024);
  assert.equal((await runStdin([], { max_bytes: '64 KiB' })).options.max_bytes, 65536);
});

test('payloads hold at most PAYLOAD_MAX_BATCHES × pipeline.batch.size lines, even when one read brings many more', async () => {
  const input = Array.from({ length: 4000 }, (_, i) => `line ${i}`).join('\n') + '\n';
  const { payloads, events } = await runStdin([Buffer.from(input)]);
  assert.equal(PAYLOAD_MAX_BATCHES * 125, 500);
  assert.deepEqual(payloads.map((p) => p.events), Array(8).fill(500));
  assert.ok(payloads.every((p) => p.data instanceof Uint8Array), 'no truncation: plain bytes, as before');
  assert.deepEqual(events.map((e) => e.get('message')), Array.from({ length: 4000 }, (_, i) => `line ${i}`));
});

test('a line with no end is cut at max_bytes and tagged; the rest of it is dropped and the next line is intact', async () => {
  async function* endless() {
    const block = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 320; i++) yield block; // 20 MiB without a newline
    yield Buffer.from('tail of the long line\nnext\n');
  }
  const { events } = await runStdin(endless(), { max_bytes: '1 KiB' });
  assert.equal(events.length, 2);
  assert.equal(events[0]!.get('message'), 'x'.repeat(1024));
  assert.deepEqual(events[0]!.get('tags'), [TRUNCATED_TAG]);
  assert.equal(events[1]!.get('message'), 'next');
  assert.equal(events[1]!.get('tags'), undefined);
});

test('only the events of a cut line are tagged, with codecs that decode line by line', async () => {
  const input = `{"n":1}\n{"n":2,"long":"${'y'.repeat(50)}"}\n{"n":3}\n`;
  const plain = await runStdin([input], { max_bytes: 20 });
  assert.deepEqual(plain.events.map((e) => e.hasTag(TRUNCATED_TAG)), [false, true, false]);
  assert.equal(plain.events[1]!.get('message'), `{"n":2,"long":"yyyyy`);
  const json = await runStdin([input], { max_bytes: 20, codec: 'json' });
  assert.deepEqual(json.events.map((e) => e.get('n')), [1, undefined, 3]);
  assert.ok(json.events[1]!.hasTag(TRUNCATED_TAG), 'the cut line is tagged (and fails to parse)');
  assert.ok(!json.events[0]!.hasTag(TRUNCATED_TAG) && !json.events[2]!.hasTag(TRUNCATED_TAG));
});

test('a cut keeps whole UTF-8 characters', async () => {
  const { events } = await runStdin(['ééééé\n'], { max_bytes: 5 });
  assert.equal(events[0]!.get('message'), 'éé');
  assert.ok(events[0]!.hasTag(TRUNCATED_TAG));
});
