/**
 * The dispatcher's own logic with a fake worker pool and fake outputs: which payloads are
 * acknowledged, which handed back (nack), and when.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/core/logger.js';
import type { Delivery, OutputSink } from '../../src/plugins/api.js';
import { BoundedQueue } from '../../src/queue/memory.js';
import type { FailedEvent, FailurePath } from '../../src/queue/dead-letter.js';
import { Deliveries } from '../../src/pipeline/deliveries.js';
import { Dispatcher, MESSAGE_MAX_BATCHES, type BatchRunner } from '../../src/pipeline/dispatcher.js';
import { OutputWriter } from '../../src/pipeline/output-writer.js';
import type { BatchResult } from '../../src/pipeline/worker-core.js';
import type { WorkerHandle } from '../../src/pipeline/workers.js';

const quiet = createLogger('fatal');

class NoFailures implements FailurePath {
  readonly counts = new Map<string, number>();
  readonly records: FailedEvent[] = [];
  async record(f: FailedEvent[]): Promise<void> {
    this.records.push(...f);
  }
}

/**
 * A worker that "encodes" payload n as the string "n" for output 0, or fails on payloads listed in
 * `crashOn`; a message takes `msPerEvent` per event (at least 1 ms).
 */
function fakePool(crashOn: Set<number>, acknowledged: number[], msPerEvent = 0): BatchRunner {
  let inFlight = 0;
  const worker = {
    index: 0, watched: false,
    acknowledge: (id: number) => void acknowledged.push(id),
  } as unknown as WorkerHandle;
  let deferred = 0;
  return {
    get inFlight() {
      return inFlight;
    },
    available: () => (inFlight < 2 ? worker : undefined),
    async process(_w, payloads) {
      inFlight++;
      await new Promise((r) => setTimeout(r, Math.max(1, msPerEvent * payloads.length)));
      inFlight--;
      const ids = payloads.map((p) => p.data as number);
      if (ids.some((i) => crashOn.has(i))) throw new Error('worker 0 exited (code 1)');
      const result: BatchResult = { outputs: [{ index: 0, payload: { data: ids.join(',') }, events: ids.length }], eventsIn: ids.length, eventsOut: ids.length, deferred: ++deferred };
      return { result, worker };
    },
    flush: async () => [],
  };
}

function setup(opts: { crashOn?: number[]; sink?: OutputSink; batchSize?: number; batchDelayMs?: number; producing?: boolean; msPerEvent?: number; messageMaxBatches?: number } = {}) {
  const outcome = new Map<number, string>();
  const acknowledged: number[] = [];
  const fatal: Error[] = [];
  const failures = new NoFailures();
  const written: string[] = [];
  const sink: OutputSink = opts.sink ?? { async write(d) { written.push(d as string); } };
  const writer = new OutputWriter('out', sink, 1, failures, quiet, () => {});
  const deliveries = new Deliveries(['in'], quiet);
  let dispatcher: Dispatcher;
  const queue = new BoundedQueue(1000, 1 << 20, () => dispatcher.dispatch(), (item, reason) => deliveries.nack([item], reason));
  dispatcher = new Dispatcher(queue, fakePool(new Set(opts.crashOn ?? []), acknowledged, opts.msPerEvent), [writer], deliveries, failures, {
    batchSize: opts.batchSize ?? 1, batchDelayMs: opts.batchDelayMs ?? 0, maxPendingWrites: 4, messageMaxBatches: opts.messageMaxBatches ?? MESSAGE_MAX_BATCHES,
    outputIds: ['out'], producing: () => opts.producing ?? false,
    onFatal: (e) => void fatal.push(e),
  });
  const push = (n: number, endOfBurst?: boolean): Promise<void> => {
    const delivery: Delivery = { ack: () => void outcome.set(n, 'ack'), nack: (why) => void outcome.set(n, `nack: ${why}`) };
    return queue.push(0, { data: n, events: 1, bytes: 1, ...(endOfBurst ? { endOfBurst } : {}) }, delivery);
  };
  return { dispatcher, push, outcome, acknowledged, fatal, written, writer, failures, deliveries };
}

test('each batch is acknowledged once the output wrote it, and its deferred side effects are released', async () => {
  const s = setup();
  for (let i = 0; i < 5; i++) await s.push(i);
  await s.dispatcher.waitIdle();
  assert.deepEqual([...s.outcome].sort(), [[0, 'ack'], [1, 'ack'], [2, 'ack'], [3, 'ack'], [4, 'ack']]);
  assert.deepEqual(s.written, ['0', '1', '2', '3', '4']);
  assert.deepEqual(s.acknowledged.sort(), [1, 2, 3, 4, 5]);
  assert.deepEqual(s.dispatcher.figures, { batches: 5, eventsIn: 5, eventsFiltered: 5, eventsOut: 5 });
});

test('an undersized batch waits for batch.delay while inputs produce, unless the newest payload ends a burst', async () => {
  const s = setup({ batchSize: 10, batchDelayMs: 60_000, producing: true });
  for (let i = 0; i < 3; i++) await s.push(i);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(s.written, [], 'three events wait for a fuller batch');
  await s.push(3, true);
  await s.dispatcher.waitIdle();
  assert.deepEqual(s.written, ['0,1,2,3'], 'the end of a burst (a Beats window) goes out at once, as one batch');
  assert.equal(s.outcome.get(3), 'ack');
});

const ids = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => from + i).join(',');

test('payloads queued while workers are busy go to the next free one together, once workers were seen to be quick: up to MESSAGE_MAX_BATCHES batches, each payload acknowledged', async () => {
  // Each payload is one event; the fake worker takes ~1 ms a message: far under batch.delay.
  const s = setup({ batchSize: 2, batchDelayMs: 10_000 });
  const perMessage = 2 * MESSAGE_MAX_BATCHES;
  const total = 2 + perMessage + 3;
  for (let i = 0; i < total; i++) await s.push(i);
  await s.dispatcher.waitIdle();
  // 0 and 1 leave as they come (the worker has room); once a message came back, the queue goes
  // as MESSAGE_MAX_BATCHES batches at a time.
  assert.deepEqual(s.written, ['0', '1', ids(2, 2 + perMessage), ids(2 + perMessage, total)]);
  assert.equal([...s.outcome.values()].filter((o) => o === 'ack').length, total);
  assert.equal(s.dispatcher.figures.batches, 4);
});

test('messageMaxBatches 1 (a worker on the main thread) keeps one batch per message, backlog or not', async () => {
  const s = setup({ batchSize: 2, batchDelayMs: 10_000, messageMaxBatches: 1 });
  for (let i = 0; i < 10; i++) await s.push(i);
  await s.dispatcher.waitIdle();
  assert.deepEqual(s.written, ['0', '1', '2,3', '4,5', '6,7', '8,9']);
});

test('a worker slower than batch.delay per batch keeps one batch per message, backlog or not', async () => {
  const s = setup({ batchSize: 2, batchDelayMs: 20, msPerEvent: 15 });
  for (let i = 0; i < 10; i++) await s.push(i);
  await s.dispatcher.waitIdle();
  assert.deepEqual(s.written, ['0', '1', '2,3', '4,5', '6,7', '8,9']);
});

test('a worker that fails hands its payloads back (nack), reports the failure, and the rest is still delivered', async () => {
  const s = setup({ crashOn: [2] });
  for (let i = 0; i < 4; i++) await s.push(i);
  await s.dispatcher.waitIdle();
  assert.match(s.outcome.get(2)!, /^nack: a pipeline worker failed: worker 0 exited/);
  assert.equal(s.fatal.length, 1);
  for (const i of [0, 1, 3]) assert.equal(s.outcome.get(i), 'ack');
  assert.equal(s.acknowledged.length, 3, 'no side effect of the failed batch is released');
});

test('halt() hands back everything still queued; an output that dies hands back its batch', async () => {
  let calls = 0;
  const s = setup({ sink: { async write() { calls++; throw new Error('closed for good'); }, retry: { initialMs: 50_000, maxMs: 50_000, maxAttempts: 0 } } });
  // Room for 2 batches in the worker and 4 waiting for the output: 2 stay queued.
  for (let i = 0; i < 8; i++) await s.push(i);
  await new Promise((r) => setTimeout(r, 20));
  s.dispatcher.halt('forced stop');
  s.writer.abandon();
  await s.dispatcher.waitIdle();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(calls, 1, 'one write attempt, then it waits for its retry');
  assert.equal([...s.outcome.values()].filter((o) => o === 'ack').length, 0);
  assert.equal(s.deliveries.figures.nacked, 8, 'in flight and queued alike');
  assert.ok([...s.outcome.values()].some((o) => o === 'nack: forced stop'), 'queued payloads carry the halt reason');
  assert.ok([...s.outcome.values()].some((o) => o === 'nack: the pipeline was forced to stop'), 'the abandoned write carries its own');
  // An input that pushes after the halt hears back at once.
  await s.push(99);
  assert.equal(s.outcome.get(99), 'nack: forced stop');
});
