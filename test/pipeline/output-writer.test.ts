import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/core/logger.js';
import { OutputError, type OutputSink, type RetryPolicy, type WriteResult } from '../../src/plugins/api.js';
import { OutputWriter } from '../../src/pipeline/output-writer.js';
import type { FailedEvent, FailurePath } from '../../src/queue/dead-letter.js';

class RecordedFailures implements FailurePath {
  readonly records: FailedEvent[] = [];
  readonly counts = new Map<string, number>();
  async record(failures: FailedEvent[]): Promise<void> {
    this.records.push(...failures);
  }
}

const FAST: RetryPolicy = { initialMs: 2, maxMs: 8, maxAttempts: 0 };
const quiet = createLogger('fatal');

function writer(sink: OutputSink, opts: { concurrency?: number; onDead?: (reason: string) => void } = {}) {
  const failures = new RecordedFailures();
  const w = new OutputWriter('out_1', sink, opts.concurrency ?? 1, failures, quiet, opts.onDead ?? (() => {}));
  return { w, failures };
}

test('a failing write is retried by the sink\'s policy until it succeeds; nothing is failed meanwhile', async () => {
  let attempts = 0;
  const { w, failures } = writer({
    retry: FAST,
    async write() {
      if (++attempts < 4) throw new Error('server away');
    },
  });
  assert.equal(await w.write({ data: 'x', events: 3 }), 'done');
  assert.equal(attempts, 4);
  assert.equal(w.figures.retries, 3);
  assert.deepEqual(failures.records, []);
});

test('maxAttempts: past it the events fail for good, with the reason, and the write counts as done', async () => {
  let attempts = 0;
  const { w, failures } = writer({
    retry: { ...FAST, maxAttempts: 3 },
    async write() {
      attempts++;
      throw new Error('still away');
    },
  });
  assert.equal(await w.write({ data: 'x', events: 2 }), 'done');
  assert.equal(attempts, 3);
  assert.equal(failures.records.length, 2, 'one record per event of the write');
  assert.match(failures.records[0]!.reason, /gave up after 3 attempts: still away/);
  assert.equal(failures.records[0]!.output, 'out_1');
});

test('a permanent OutputError fails every event of the write at once, without retrying', async () => {
  let attempts = 0;
  const { w, failures } = writer({
    retry: FAST,
    async write() {
      attempts++;
      throw new OutputError('400 bad request', 'permanent');
    },
  });
  assert.equal(await w.write({ data: 'x', events: 5 }), 'done');
  assert.equal(attempts, 1);
  assert.equal(failures.records.length, 5);
  assert.match(failures.records[0]!.reason, /refused the write: 400 bad request/);
});

test('a closed output abandons the write, reports itself dead once, and abandons later writes without calling the sink', async () => {
  let calls = 0;
  const dead: string[] = [];
  const { w, failures } = writer({
    retry: FAST,
    async write() {
      calls++;
      throw new OutputError('EPIPE', 'closed');
    },
  }, { onDead: (r) => dead.push(r) });
  assert.equal(await w.write({ data: 'a' }), 'abandoned');
  assert.equal(await w.write({ data: 'b' }), 'abandoned');
  assert.equal(calls, 1);
  assert.deepEqual(dead, ['EPIPE']);
  assert.equal(w.dead, 'EPIPE');
  assert.deepEqual(failures.records, [], 'abandoned events are handed back, not failed');
});

test('per-event results: failed events go to the failure path, retryable ones are written again with their original positions', async () => {
  const payloads: unknown[] = [];
  const results: WriteResult[] = [
    // 5 events: #1 is refused for good, #2 and #4 are busy.
    { failed: [{ index: 1, reason: 'mapping conflict', event: '{"n":1}' }], retry: { data: ['e2', 'e4'], indexes: [2, 4] } },
    // Of the retry payload [e2, e4], e4 (position 1 here, 4 originally) fails for good.
    { failed: [{ index: 1, reason: 'too large' }] },
  ];
  const { w, failures } = writer({
    retry: FAST,
    async write(data) {
      payloads.push(data);
      return results.shift();
    },
  });
  assert.equal(await w.write({ data: ['e0', 'e1', 'e2', 'e3', 'e4'], events: 5 }), 'done');
  assert.deepEqual(payloads, [['e0', 'e1', 'e2', 'e3', 'e4'], ['e2', 'e4']]);
  assert.deepEqual(failures.records.map((f) => [f.reason, f.event]), [['mapping conflict', '{"n":1}'], ['too large', undefined]]);
  assert.equal(w.figures.failedEvents, 2);
});

test('retryable events past maxAttempts fail for good', async () => {
  const { w, failures } = writer({
    retry: { ...FAST, maxAttempts: 2 },
    async write(data) {
      const n = (data as string[]).length;
      return { retry: { data, indexes: Array.from({ length: n }, (_, i) => i) } };
    },
  });
  assert.equal(await w.write({ data: ['a', 'b'], events: 2 }), 'done');
  assert.equal(failures.records.length, 2);
  assert.match(failures.records[0]!.reason, /gave up after 2 attempts/);
});

test('concurrency 1: writes run one at a time, in the order they were handed over', async () => {
  const order: string[] = [];
  let active = 0;
  let most = 0;
  const { w } = writer({
    async write(data) {
      active++;
      most = Math.max(most, active);
      order.push(`start ${data}`);
      await new Promise((r) => setTimeout(r, data === 'a' ? 20 : 1));
      order.push(`end ${data}`);
      active--;
    },
  });
  await Promise.all(['a', 'b', 'c'].map((d) => w.write({ data: d })));
  assert.equal(most, 1);
  assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('concurrency N: up to N writes in flight, started in order', async () => {
  const started: string[] = [];
  let active = 0;
  let most = 0;
  const { w } = writer({
    async write(data) {
      started.push(data as string);
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 10));
      active--;
    },
  }, { concurrency: 3 });
  await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((d) => w.write({ data: d })));
  assert.equal(most, 3);
  assert.deepEqual(started, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
});

test('a sink may declare its own concurrency over the pipeline default', async () => {
  let active = 0;
  let most = 0;
  const { w } = writer({
    concurrency: 2,
    async write() {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
    },
  }, { concurrency: 8 });
  await Promise.all(Array.from({ length: 6 }, (_, i) => w.write({ data: i })));
  assert.equal(most, 2);
});

test('abandon(): a write waiting for its next retry gives up at once', async () => {
  const { w, failures } = writer({
    retry: { initialMs: 60_000, maxMs: 60_000, maxAttempts: 0 },
    async write() {
      throw new Error('down');
    },
  });
  const pending = w.write({ data: 'x', events: 1 });
  await new Promise((r) => setTimeout(r, 20));
  w.abandon();
  assert.equal(await pending, 'abandoned');
  assert.deepEqual(failures.records, []);
});
