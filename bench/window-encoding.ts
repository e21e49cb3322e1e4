/**
 * Microbenchmark for docs/decisions/0026 "Wire side": CPU per line of turning windows of 256
 * straight-path documents (Apache common-log lines) into the bytes the client writes, measured
 * on the event loop (the main thread's own CPU time, /proc/self/task/<pid>/stat) and for the
 * whole process (the thread pool's deflate included), interleaved, for
 *   before — J frames copied per document through a view, W and C frames joined in a second
 *            copy, and a zlib.deflate() per window (what the client did until this change);
 *   now    — encodeWindowFramesAsync (one pass, scratch buffers, a kept zlib stream per slot).
 * Two windows in flight, as with the default pipelining.
 *
 *   node dist/bench/window-encoding.js [MiB=16] [rounds=7] [level=3]
 */
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import type { EventDocuments } from '../src/protocols/lumberjack/client.js';
import { encodeWindowFramesAsync } from '../src/protocols/lumberjack/window-encoding.js';
import { StraightDocuments } from '../src/plugins/outputs/logstash/straight-documents.js';
import { commonLog } from './data.js';

const mib = Number(process.argv[2] ?? 16);
const rounds = Number(process.argv[3] ?? 7);
const level = Number(process.argv[4] ?? 3);
const IN_FLIGHT = 2;

const file = await commonLog(0, mib);
const data = readFileSync(file);
const straight = new StraightDocuments({
  layout: 'ecs', kind: 'log', metadata: { beat: 'filebeat', type: '_doc', version: '0.1.0' }, host: { name: 'bench-host' }, escapeHtml: false,
  agent: { type: 'filebeat', name: 'bench-host', hostname: 'bench-host', version: '0.1.0', id: '2f4c1f7e-2d55-4b5f-9a0e-0f5c7b2a9c11', ephemeral_id: '8a1b3c5d-7e9f-4a2b-8c4d-6e8f0a2b4c6d' },
});
const windows: EventDocuments[] = [];
for (let pos = 0, lines = 0, start = 0; pos < data.length; ) {
  const nl = data.indexOf(10, pos);
  pos = nl < 0 ? data.length : nl + 1;
  if (++lines === 256 || pos === data.length) {
    const d = straight.documents({ path: file, start, bytes: new Uint8Array(data.buffer, data.byteOffset + start, pos - start) });
    windows.push({ bytes: d.bytes.slice(), ends: d.ends.slice() });
    start = pos;
    lines = 0;
  }
}
const totalLines = windows.reduce((n, w) => n + w.ends.length, 0);

const deflateInPool = promisify(deflate);

/** The encoder as it was: a view and a copy per document, a second copy to join, a zlib.deflate() per window. */
async function before(bytes: Uint8Array, ends: ArrayLike<number>, from: number, to: number, compressionLevel: number): Promise<Buffer> {
  const start = from === 0 ? 0 : ends[from - 1]!;
  const frames = Buffer.allocUnsafe((to - from) * 10 + ends[to - 1]! - start);
  let at = 0;
  let prev = start;
  for (let i = from; i < to; i++) {
    const end = ends[i]!;
    frames[at] = 0x32;
    frames[at + 1] = 0x4a;
    frames.writeUInt32BE(i - from + 1, at + 2);
    frames.writeUInt32BE(end - prev, at + 6);
    frames.set(bytes.subarray(prev, end), at + 10);
    at += 10 + end - prev;
    prev = end;
  }
  const window = Buffer.from([0x32, 0x57, 0, 0, 0, 0]);
  window.writeUInt32BE(to - from, 2);
  if (compressionLevel <= 0) return Buffer.concat([window, frames]);
  const body = await deflateInPool(frames, { level: compressionLevel });
  const head = Buffer.from([0x32, 0x43, 0, 0, 0, 0]);
  head.writeUInt32BE(body.length, 2);
  return Buffer.concat([window, head, body]);
}

/** CPU ms of this process's main thread (the event loop). */
function eventLoopCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

type Encoder = typeof before;

async function run(encode: Encoder): Promise<{ loop: number; process: number; bytes: number }> {
  const loop0 = eventLoopCpuMs();
  const cpu0 = process.cpuUsage();
  let bytes = 0;
  const inFlight = new Set<Promise<void>>();
  for (const w of windows) {
    const p: Promise<void> = encode(w.bytes, w.ends, 0, w.ends.length, level).then((b) => {
      bytes += b.length;
      inFlight.delete(p);
    });
    inFlight.add(p);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const cpu = process.cpuUsage(cpu0);
  return { loop: (eventLoopCpuMs() - loop0) * 1000 / totalLines, process: (cpu.user + cpu.system) / totalLines, bytes };
}

const results: Record<string, { loop: number[]; process: number[]; bytes: number }> = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, encode] of (r % 2 === 0 ? [['before', before], ['now', encodeWindowFramesAsync]] : [['now', encodeWindowFramesAsync], ['before', before]]) as [string, Encoder][]) {
    const x = await run(encode);
    const entry = (results[name] ??= { loop: [], process: [], bytes: 0 });
    entry.loop.push(x.loop);
    entry.process.push(x.process);
    entry.bytes = x.bytes;
  }
}
const range = (a: number[]): string => `${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)}`;
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;
console.log(`${totalLines} lines in ${windows.length} windows, zlib level ${level}, ${IN_FLIGHT} in flight, ${rounds} interleaved rounds; CPU µs per line, range (median)`);
for (const [name, r] of Object.entries(results)) {
  console.log(`${name.padEnd(7)} event loop ${range(r.loop)} (${median(r.loop).toFixed(2)})  process ${range(r.process)} (${median(r.process).toFixed(2)})  ${(r.bytes / 1048576).toFixed(1)} MiB out`);
}
