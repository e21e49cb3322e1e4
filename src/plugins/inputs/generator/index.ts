/**
 * generator: makes events for tests and benchmarks. The main-thread half hands
 * out sequence ranges (tiny payloads); workers build the events, so the
 * generator scales with pipeline.workers like a real input.
 */
import { hostname } from 'node:os';
import { defineInput, type InputSource } from '../../api.js';

interface GeneratorRange {
  from: number;
  count: number;
}

export const generatorInput = defineInput({
  kind: 'input',
  name: 'generator',
  description: 'Generates events: `message` (or each of `lines` in turn) with a sequence number.',
  options: {
    message: { type: 'string', default: 'Hello world!', description: 'The message of every event.' },
    lines: { type: 'string_list', description: 'Messages to cycle through; each cycle is one sequence number.' },
    count: { type: 'number', default: 0, description: 'How many times to generate (0 = forever).' },
    threads: { type: 'number', default: 1, ignored: 'work is spread over pipeline.workers', description: 'Ignored.' },
    codec: { type: 'codec', default: { name: 'plain', settings: [] }, description: 'Codec applied to each message.' },
  },
  createSource(options, ctx): InputSource {
    let stopped = false;
    // Kept across runs: a restarted generator goes on where it stopped.
    let next = 0;
    const perCycle = options.lines?.length ?? 1;
    const cyclesPerPayload = Math.max(1, Math.floor(ctx.batchSize / perCycle));
    return {
      async run(sink) {
        const total = options.count > 0 ? options.count : Infinity;
        while (!stopped && !sink.stopping && next < total) {
          const count = Math.min(cyclesPerPayload, total - next);
          const range: GeneratorRange = { from: next, count };
          await sink.push({ data: range, events: count * perCycle, bytes: count * perCycle * 64 });
          next += count;
        }
      },
      stop() {
        stopped = true;
      },
    };
  },
  createDecoder(options, ctx) {
    const host = hostname();
    const messages = options.lines ?? [options.message];
    const codec = ctx.createCodec(options.codec);
    const ecs = ctx.ecs !== 'disabled';
    return {
      decode(data, emit) {
        const { from, count } = data as GeneratorRange;
        for (let seq = from; seq < from + count; seq++) {
          for (const message of messages) {
            codec.decode(message, (event) => {
              if (ecs) {
                event.set('[host][name]', host);
                event.set('[event][sequence]', seq);
              } else {
                event.data['host'] = host;
                event.data['sequence'] = seq;
              }
              emit(event);
            });
          }
        }
      },
    };
  },
});
