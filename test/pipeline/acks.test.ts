/**
 * The end-to-end contract: a payload is acknowledged to its input only after
 * every output accepted its events; a failing output is retried, never skipped.
 * Fakes here are our own test plugins, registered in a private registry.
 */
import { test } from 'node:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { Event } from '../../src/core/event.js';
import { createLogger } from '../../src/core/logger.js';
import { defineFilter, defineInput, defineOutput, type InputDecoder, type InputSink } from '../../src/plugins/api.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';
import { PluginRegistry } from '../../src/plugins/registry.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../src/pipeline/settings.js';

/** Shared by the fakes (inline workers run on this thread). */
const log = { acked: [] as number[], nacked: [] as number[], written: [] as string[][], failuresLeft: 0, attempts: 0 };

/** Payload i decodes to the events "i-0", "i-1", "i-2". */
const threeEventsPerPayload = (): InputDecoder => ({ decode: (data, emit) => [0, 1, 2].forEach((j) => emit(new Event({ message: `${data}-${j}` }))) });

const countingInput = defineInput({
  kind: 'input',
  name: 'counting',
  description: 'test input: payload i holds events "i-0".."i-2"',
  options: { payloads: { type: 'number', default: 5, description: '' } },
  createSource(options) {
    return {
      async run(sink: InputSink) {
        for (let i = 0; i < options.payloads; i++) await sink.push({ data: i, events: 3, bytes: 30 }, { ack: () => void log.acked.push(i), nack: () => void log.nacked.push(i) });
      },
      stop() {},
    };
  },
  createDecoder: threeEventsPerPayload,
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

/** An input whose run() fails `fail_runs` times part-way, then finishes; it keeps its position across runs. */
const crashingInput = defineInput({
  kind: 'input',
  name: 'crashing',
  description: 'test input: run() throws after each payload until its failures are used up',
  options: { payloads: { type: 'number', default: 3, description: '' }, fail_runs: { type: 'number', default: 1, description: '' }, throwing_ack: { type: 'boolean', default: false, description: '' } },
  createSource(options) {
    let next = 0;
    let failuresLeft = options.fail_runs;
    return {
      async run(sink: InputSink) {
        while (next < options.payloads) {
          const i = next++;
          await sink.push({ data: i, events: 3, bytes: 30 }, {
            ack: () => {
              log.acked.push(i);
              if (options.throwing_ack) throw new Error(`ack callback bug on ${i}`);
            },
          });
          if (failuresLeft > 0) {
            failuresLeft--;
            throw new Error('connection reset');
          }
        }
      },
      stop() {},
    };
  },
  createDecoder: threeEventsPerPayload,
});

/** Makes event "1-1" nested deeper than any JSON encoder accepts. */
const deepeningFilter = defineFilter({
  kind: 'filter',
  name: 'deepen',
  description: 'test filter',
  options: {},
  create() {
    return {
      filter(event) {
        if (event.get('message') !== '1-1') return true;
        let deep: Record<string, unknown> = {};
        const root = deep;
        for (let i = 0; i < 5000; i++) deep = (deep['x'] = {}) as Record<string, unknown>;
        event.set('deep', root);
        return true;
      },
    };
  },
});

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  for (const d of builtinRegistry().all()) r.register(d);
  return r.register(countingInput).register(flakyOutput).register(buggyFilter).register(crashingInput).register(deepeningFilter);
}

test('acks follow successful writes only; a failing output is retried until it accepts', async () => {
  Object.assign(log, { acked: [], nacked: [], written: [], failuresLeft: 2, attempts: 0 });
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

test('inputs that end let the pipeline drain however long it takes; only a stop starts the shutdown clock', async () => {
  Object.assign(log, { acked: [], nacked: [], written: [], failuresLeft: 1_000_000, attempts: 0 });
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0, shutdownTimeoutMs: 200 };
  const p = new Pipeline([{ name: 't', text: 'input { counting { payloads => 2 } } output { flaky { } }' }], settings, createLogger('fatal'), registry());
  await p.start();
  const running = p.run();
  let ended = false;
  void running.then(() => (ended = true));
  // The input has long ended and the shutdown timeout (200 ms) has passed twice: still draining.
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(ended, false, 'the pipeline gave up a drain nobody asked to stop');
  await p.stop();
  assert.equal(await running, 'timeout');
  assert.deepEqual(log.acked, []);
  assert.deepEqual(log.written, []);
  // What the stop abandoned is handed back to the input.
  assert.deepEqual(log.nacked.sort(), [0, 1]);
});

// A filter's exception used to fail the worker and stop the pipeline here; it is now isolated at
// the event (filter-runner.ts), so the payload holding it is written and acknowledged like the others.
test('a filter that throws on one event does not stop the pipeline: every payload is written and acknowledged', async () => {
  Object.assign(log, { acked: [], nacked: [], written: [], failuresLeft: 0, attempts: 0 });
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0 };
  const p = new Pipeline([{ name: 't', text: 'input { counting { payloads => 3 } } filter { buggy { } } output { flaky { } }' }], settings, createLogger('fatal'), registry());
  await p.start();
  assert.equal(await p.run(), 'drained');
  assert.deepEqual([...log.acked].sort(), [0, 1, 2]);
  assert.deepEqual(log.written.flat().sort(), ['0-0', '0-1', '0-2', '1-0', '1-1', '1-2', '2-0', '2-1', '2-2']);
});

test('stop() with an input blocked on a full queue still ends at the shutdown deadline', async () => {
  Object.assign(log, { acked: [], nacked: [], written: [], failuresLeft: 1_000_000, attempts: 0 });
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0, queueMaxEvents: 6, shutdownTimeoutMs: 300 };
  const p = new Pipeline([{ name: 't', text: 'input { counting { payloads => 1000 } } output { flaky { } }' }], settings, createLogger('fatal'), registry());
  await p.start();
  const running = p.run();
  await new Promise((r) => setTimeout(r, 200));
  await p.stop();
  assert.equal(await running, 'timeout');
  assert.deepEqual(log.acked, []);
});

test('an input whose run() fails is logged, counted and restarted with backoff; the pipeline does not end with it', async () => {
  Object.assign(log, { acked: [], nacked: [], written: [], failuresLeft: 0, attempts: 0 });
  const logs: string[] = [];
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0 };
  const p = new Pipeline([{ name: 't', text: 'input { crashing { payloads => 3 fail_runs => 1 } } output { flaky { } }' }], settings,
    createLogger('error', 't', (l) => logs.push(l)), registry());
  await p.start();
  assert.equal(await p.run(), 'drained');
  assert.deepEqual(log.acked.sort(), [0, 1, 2], 'every payload, including those read after the restart');
  const failed = logs.filter((l) => l.includes('input failed; restarting it'));
  assert.equal(failed.length, 1);
  assert.match(failed[0]!, /input="crashing_input_1".*error="connection reset".*restart_in_ms=1000/);
});

test('an ack callback that throws is logged and the pipeline goes on: every batch is still written and acknowledged', async () => {
  Object.assign(log, { acked: [], nacked: [], written: [], failuresLeft: 0, attempts: 0 });
  const logs: string[] = [];
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0 };
  const p = new Pipeline([{ name: 't', text: 'input { crashing { payloads => 4 fail_runs => 0 throwing_ack => true } } output { flaky { } }' }], settings,
    createLogger('error', 't', (l) => logs.push(l)), registry());
  await p.start();
  assert.equal(await p.run(), 'drained');
  assert.deepEqual(log.acked, [0, 1, 2, 3]);
  assert.equal(log.written.flat().length, 12);
  assert.equal(logs.filter((l) => l.includes("an input's ack callback threw")).length, 4);
});

test('payloads whose events are all dropped by filters are acknowledged too', async () => {
  Object.assign(log, { acked: [], nacked: [], written: [], failuresLeft: 0, attempts: 0 });
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0 };
  const p = new Pipeline([{ name: 't', text: 'input { counting { payloads => 3 } } filter { if [message] =~ /^1-/ { drop {} } } output { flaky { } }' }],
    settings, createLogger('fatal'), registry());
  await p.start();
  assert.equal(await p.run(), 'drained');
  // A batch with nothing left to write is done at once, maybe before the one before it: acks may come out of order.
  assert.deepEqual(log.acked.sort(), [0, 1, 2]);
  assert.deepEqual(log.written.flat(), ['0-0', '0-1', '0-2', '2-0', '2-1', '2-2']);
});

test('an event the output cannot encode goes to the failure path; its batch is still acknowledged and counted per plugin', async () => {
  Object.assign(log, { acked: [], nacked: [], written: [], failuresLeft: 0, attempts: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-failed-'));
  const settings = { ...defaultSettings(), workers: 1, threads: false, batchSize: 3, batchDelayMs: 0, failedEventsPath: join(dir, 'failed.jsonl') };
  const p = new Pipeline([{ name: 't', text: `input { counting { payloads => 3 } } filter { deepen { id => "deep" } } output { file { id => "out" path => "${dir}/out.jsonl" } }` }],
    settings, createLogger('fatal'), registry());
  await p.start();
  assert.equal(await p.run(), 'drained');
  assert.deepEqual(log.acked.sort(), [0, 1, 2]);
  const written = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { message: string }).message);
  assert.deepEqual(written, ['0-0', '0-1', '0-2', '1-0', '1-2', '2-0', '2-1', '2-2']);
  const failed = readFileSync(join(dir, 'failed.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!['plugin_id'], 'out');
  assert.match(String(failed[0]!['reason']), /nest/i);
  assert.equal((failed[0]!['event'] as { message: string }).message, '1-1');
  assert.equal(p.stats.failed, 1);
  const figures = p.pluginFigures();
  assert.deepEqual([figures['deep']!.eventsIn, figures['deep']!.eventsOut], [9, 9]);
  assert.deepEqual([figures['out']!.eventsIn, figures['out']!.eventsOut, figures['out']!.failures], [9, 8, 1]);
});
