/**
 * The udp input in a real pipeline that cannot keep up: datagrams that find the input's queue full
 * are dropped, and the count shows in the pipeline's per-plugin figures (`source`), so that every
 * datagram received is either an event or a counted drop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../../src/core/logger.js';
import { Pipeline } from '../../../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

test('a burst into a slow pipeline: drops are counted in the input\'s figures; received = decoded + dropped', { timeout: 60_000 }, async () => {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const port = probe.address().port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const dataDir = mkdtempSync(join(tmpdir(), 'logpipe-udp-pipeline-'));
  const config = `input { udp { id => "in" host => "127.0.0.1" port => ${port} queue_size => 20 workers => 1 receive_buffer_bytes => 4194304 } }
    filter { js { code => "const until = Date.now() + 1; while (Date.now() < until) {}" } }
    output { null {} }`;
  const settings = { ...defaultSettings(), workers: 1, threads: true, batchSize: 50, batchDelayMs: 5, queueMaxEvents: 100, dataDir, shutdownTimeoutMs: 20_000 };
  const p = new Pipeline([{ name: 'udp.conf', text: config }], settings, createLogger('fatal'), builtinRegistry());
  await p.start();
  const running = p.run();
  try {
    await sleep(200);
    const sender = createSocket('udp4');
    for (let i = 0; i < 3000; i++) {
      sender.send(`datagram ${i}`, port, '127.0.0.1');
      if (i % 200 === 199) await sleep(1);
    }
    await sleep(300);
    sender.close();
    const source = (): Record<string, number> => p.pluginFigures()['in']?.source ?? {};
    await waitFor('the drops to be counted', () => (source()['dropped'] ?? 0) > 0, 20_000);
    // Once the input's queue is empty, what was received is decoded or dropped.
    await waitFor('the queue to drain', () => source()['queued'] === 0 && (p.pluginFigures()['in']?.eventsOut ?? 0) + source()['dropped']! === source()['received'], 30_000);
    const f = p.pluginFigures()['in']!;
    assert.ok(f.source!['received']! > 0);
    assert.equal(f.eventsOut + f.source!['dropped']!, f.source!['received']);
  } finally {
    await p.stop();
    await running;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
