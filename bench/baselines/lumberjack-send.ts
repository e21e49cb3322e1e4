/**
 * Baseline for the beats scenario: our Lumberjack client alone sending the documents the
 * logstash output would send for the generator's events (same JSON shape, windows of 2048,
 * compression level 3, 2 windows in flight), with no pipeline, no threads and no event model.
 *   node lumberjack-send.js <port> <count>
 */
import { hostname } from 'node:os';
import { LumberjackClient, type EventDocuments } from '../../src/protocols/lumberjack/client.js';

const [port, count] = process.argv.slice(2).map(Number) as [number, number];
const WINDOW = 2048;
const client = new LumberjackClient({ host: '127.0.0.1', port, timeoutMs: 30_000, compressionLevel: 3, pipelining: 2, ttlMs: 0, backoffInitMs: 1000, backoffMaxMs: 60_000 });
const host = hostname();
const utf8 = new TextEncoder();

function documents(from: number, n: number): EventDocuments {
  const texts: string[] = [];
  const ends = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const text = JSON.stringify({
      '@timestamp': new Date().toISOString(),
      '@metadata': { beat: 'logpipe', type: '_doc', version: '0.1.0' },
      message: 'Hello world!', host, sequence: from + i,
    });
    texts.push(text);
    ends[i] = at += Buffer.byteLength(text);
  }
  return { bytes: utf8.encode(texts.join('')), ends };
}

const inFlight: Promise<void>[] = [];
for (let from = 0; from < count; from += WINDOW) {
  const n = Math.min(WINDOW, count - from);
  inFlight.push(client.send(documents(from, n), 0, n));
  if (inFlight.length >= 2) await inFlight.shift();
}
await Promise.all(inFlight);
client.close();
