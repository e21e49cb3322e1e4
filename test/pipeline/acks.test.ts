/**
 * The end-to-end contract: a payload is acknowledged to its input only after
 * every output accepted its events; a failing output is retried, never skipped.
 * Fakes here are our own test plugins, registered in a private registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../src/core/event.js';
import { createLogger } from '../../src/core/logger.js';
import { defineFilter, defineInput, defineOutput, type InputSink } from '../../src/plugins/api.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';
import { PluginRegistry } from '../../src/plugins/registry.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../src/pipeline/settings.js';

/** Shared by the fakes (inline workers run on this thread). */
const log = { acked: [] as number[], written: [] as string[][], failuresLeft: 0, attempts: 0 };

const countingInput = defineInput({
  kind: 'input',
  name: 'counting',
  description: 'test input: payload i holds events "i-0".."i-2"',
  options: { payloads: { type: 'number', default: 5, description: '' } },
  createSource(options) {
    return {
      async run(sink: InputSink) {
        for (let i = 0; i < options.payloads; i++) await sink.push({ data: i, events: 3, bytes: 30 }, { ack: () => void log.acked.push(i) });
      },
      stop() {},
    };
  },
  createDecoder() {
    return { decode: (data, emit) => [0, 1, 2].forEach((j) => emit(new Event({ message: `${data}-${j}` }))) };
  },
});

const flakyOutput = defineOutput({
  kind: 'output',
  name: 'flaky',
  description: 'test output: the first writes fail',
  options: {},
  createEncoder() {
    return { encode: (events) => ({ data: events.map((e) => e.get('message') as string) }) };
  },
  createSink() {
    return {
      async write(data) {
        log.attempts++;
        if (log.failuresLeft > 0) {
          log.failuresLeft--;
          throw new Error('output down');
        }
        log.written.push(data as string[]);
      },
    };
  },
});

/** A filter with a bug: it throws on the event "1-1" (filters are meant to tag, not throw). */
const buggyFilter = defineFilter({
  kind: 'filter',
  name: 'buggy',
  description: 'test filter that throws',
  options: {},
  create() {
    return {
      filter(event) {
        if (event.get('message') === '1-1') throw new Error('bug');
        return true;
      },
    };
  },
});

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  for (const d of builtinRegistry().all()) r.register(d);
  return r.register(countingInput).register(flakyOutput).register(buggyFilter);
}

test('acks follow successful writes only; a failing output is retried until it accepts', async () => {
  Object.assign(log, { acked: [], written: [], failuresLeft: 2, attempts: 0 });
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0 };
  const p = new Pipeline([{ name: 't', text: 'input { counting { payloads => 4 } } output { flaky { } }' }], settings, createLogger('fatal'), registry());
  await p.start();
  // While the first write keeps failing, nothing may be acknowledged.
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(log.acked, []);
  assert.ok(log.attempts >= 1);
  assert.equal(await p.run(), 'drained');
  assert.deepEqual(log.acked, [0, 1, 2, 3]);
  assert.deepEqual(log.written.flat(), ['0-0', '0-1', '0-2', '1-0', '1-1', '1-2', '2-0', '2-1', '2-2', '3-0', '3-1', '3-2']);
  assert.equal(log.attempts, 4 + 2);
});

test('a forced stop while the output is down acknowledges nothing', async () => {
  Object.assign(log, { acked: [], written: [], failuresLeft: 1_000_000, attempts: 0 });
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0, shutdownTimeoutMs: 200 };
  const p = new Pipeline([{ name: 't', text: 'input { counting { payloads => 2 } } output { flaky { } }' }], settings, createLogger('fatal'), registry());
  await p.start();
  assert.equal(await p.run(), 'timeout');
  assert.deepEqual(log.acked, []);
  assert.deepEqual(log.written, []);
});

// A filter's exception used to fail the worker and stop the pipeline here; it is now isolated at
// the event (filter-runner.ts), so the payload holding it is written and acknowledged like the others.
test('a filter that throws on one event does not stop the pipeline: every payload is written and acknowledged', async () => {
  Object.assign(log, { acked: [], written: [], failuresLeft: 0, attempts: 0 });
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0 };
  const p = new Pipeline([{ name: 't', text: 'input { counting { payloads => 3 } } filter { buggy { } } output { flaky { } }' }], settings, createLogger('fatal'), registry());
  await p.start();
  assert.equal(await p.run(), 'drained');
  assert.deepEqual([...log.acked].sort(), [0, 1, 2]);
  assert.deepEqual(log.written.flat().sort(), ['0-0', '0-1', '0-2', '1-0', '1-1', '1-2', '2-0', '2-1', '2-2']);
});

test('stop() with an input blocked on a full queue still ends at the shutdown deadline', async () => {
  Object.assign(log, { acked: [], written: [], failuresLeft: 1_000_000, attempts: 0 });
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0, queueMaxEvents: 6, shutdownTimeoutMs: 300 };
  const p = new Pipeline([{ name: 't', text: 'input { counting { payloads => 1000 } } output { flaky { } }' }], settings, createLogger('fatal'), registry());
  await p.start();
  const running = p.run();
  await new Promise((r) => setTimeout(r, 200));
  const t0 = Date.now();
  await p.stop();
  assert.equal(await running, 'timeout');
  assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  assert.deepEqual(log.acked, []);
});
