/**
 * A connection's bytes → line payloads: when lines held are handed over without a full payload
 * (the connection went quiet for QUIET_FLUSH_MS), with real timers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../src/core/logger.js';
import type { LineChunk } from '../../../src/core/lines.js';
import { LogRateLimiter } from '../../../src/core/rate-limit.js';
import { LineStreamHandler, QUIET_FLUSH_MS } from '../../../src/plugins/net/line-stream.js';

function handler(): { h: LineStreamHandler; pushed: { at: number; text: string }[] } {
  const pushed: { at: number; text: string }[] = [];
  const h = new LineStreamHandler({
    sink: { push: async () => {}, stopping: false },
    maxLines: 1000, maxLineBytes: 1000, logger: createLogger('fatal'), label: 't', limiter: new LogRateLimiter(),
    push: async (_sink, chunk: LineChunk) => void pushed.push({ at: performance.now(), text: Buffer.from(chunk.bytes).toString() }),
  });
  return { h, pushed };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('lines held are handed over once the connection was quiet for QUIET_FLUSH_MS after the last read, not while reads keep coming', async () => {
  const { h, pushed } = handler();
  const reads: number[] = [];
  const lines = Array.from({ length: 10 }, (_, i) => `line ${i}\n`);
  // A read every QUIET_FLUSH_MS / 2: quiet spells only where the machine made a sleep run long.
  for (const line of lines) {
    await h.data(Buffer.from(line));
    reads.push(performance.now());
    await sleep(QUIET_FLUSH_MS / 2);
  }
  await sleep(QUIET_FLUSH_MS * 3);
  assert.equal(pushed.map((p) => p.text).join(''), lines.join(''));
  assert.ok(pushed.length < lines.length || reads.every((r, i) => i === 0 || r - reads[i - 1]! >= QUIET_FLUSH_MS), 'reads closer than the quiet time share payloads');
  for (const p of pushed) {
    const lastRead = Math.max(...reads.filter((r) => r <= p.at));
    // Timers count whole milliseconds: allow one.
    assert.ok(p.at - lastRead >= QUIET_FLUSH_MS - 1, `handed over ${(p.at - lastRead).toFixed(1)} ms after the last read`);
  }
  await h.end();
});

test('a read leaving only part of a line starts no quiet flush; the line goes once complete, or at the end', async () => {
  const { h, pushed } = handler();
  await h.data(Buffer.from('whole\npart'));
  await sleep(QUIET_FLUSH_MS * 3);
  assert.deepEqual(pushed.map((p) => p.text), ['whole\n']);
  await h.data(Buffer.from('ial'));
  await sleep(QUIET_FLUSH_MS * 3);
  assert.deepEqual(pushed.map((p) => p.text), ['whole\n'], 'an unterminated line waits');
  await h.data(Buffer.from(' line\n'));
  await sleep(QUIET_FLUSH_MS * 3);
  assert.deepEqual(pushed.map((p) => p.text), ['whole\n', 'partial line\n']);
  await h.data(Buffer.from('tail'));
  await h.end();
  assert.deepEqual(pushed.map((p) => p.text), ['whole\n', 'partial line\n', 'tail']);
});
