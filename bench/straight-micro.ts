/**
 * Microbenchmark for docs/decisions/0026 "Straight path": CPU per line from a tailer's payload of
 * Apache common-log lines to a compressed Lumberjack window (deflate level 3), on
 *   regular — the log input's decoder (an Event per line) + the @metadata the generated filter
 *             adds + the logstash output's encoder + J frames + deflate, and
 *   straight — StraightDocuments (bytes → documents) + J frames + deflate,
 * interleaved, best of several rounds. Also the same two without deflate.
 *
 *   node dist/bench/straight-micro.js [MiB=8] [rounds=5]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../src/core/logger.js';
import type { Event } from '../src/core/event.js';
import { validateSettings } from '../src/config/schema.js';
import { beatsTailDecoder, type BeatsFileOptions } from '../src/plugins/inputs/log/beats-input.js';
import { FILEBEAT_FILE_OPTIONS } from '../src/plugins/inputs/log/options.js';
import { logstashEncoder } from '../src/plugins/outputs/logstash/encoder.js';
import { StraightDocuments } from '../src/plugins/outputs/logstash/straight-documents.js';
import type { PluginContext } from '../src/plugins/api.js';
import type { EventDocuments } from '../src/protocols/lumberjack/client.js';
import { encodeWindowFrames } from '../src/protocols/lumberjack/frames.js';
import type { LinesPayload } from '../src/tailing/payload.js';
import { commonLog } from './data.js';

const mib = Number(process.argv[2] ?? 8);
const rounds = Number(process.argv[3] ?? 5);
const LINES_PER_PAYLOAD = 256;

const file = await commonLog(0, mib);
const data = readFileSync(file);
// Payloads of 256 whole lines, as the tailer cuts them for batches of 256.
const payloads: LinesPayload[] = [];
for (let pos = 0, lines = 0, start = 0; pos < data.length; ) {
  const nl = data.indexOf(10, pos);
  pos = nl < 0 ? data.length : nl + 1;
  if (++lines === LINES_PER_PAYLOAD || pos === data.length) {
    payloads.push({ path: file, start, bytes: new Uint8Array(data.buffer, data.byteOffset + start, pos - start) });
    start = pos;
    lines = 0;
  }
}
const totalLines = payloads.length * LINES_PER_PAYLOAD;

// The input's options as the config loader gives them: every default of the schema filled in.
const LOCATION = { file: 'straight-micro', line: 1, column: 1 };
const options = validateSettings(FILEBEAT_FILE_OPTIONS, [{ name: 'paths', value: [file], location: LOCATION }, { name: 'field_layout', value: 'ecs', location: LOCATION }],
  { kind: 'input', plugin: 'log' }) as BeatsFileOptions;
const ctx = { dataDir: mkdtempSync(join(tmpdir(), 'straight-micro-')), logger: createLogger('error', 'bench') } as unknown as PluginContext;
const decoder = beatsTailDecoder('log', options, ctx);
const metadata = { beat: 'filebeat', type: '_doc', version: '0.1.0' };
const encoder = logstashEncoder({ index: undefined, version: '0.1.0', escapeHtml: false });
let agent: Record<string, unknown> = {};
decoder.decode(payloads[0]!, (e) => void (agent = (e as Event).data['agent'] as Record<string, unknown>));
const straight = new StraightDocuments({ layout: 'ecs', kind: 'log', metadata, host: { name: (agent['name'] as string) }, agent, escapeHtml: false });

function regular(p: LinesPayload): EventDocuments {
  const events: Event[] = [];
  decoder.decode(p, (e) => {
    const event = e as Event;
    event.metadata = { ...metadata };
    events.push(event);
  });
  return encoder.encode(events)!.data as EventDocuments;
}

function run(name: string, documents: (p: LinesPayload) => EventDocuments, level: number): number {
  const t0 = performance.now();
  let out = 0;
  for (const p of payloads) {
    const d = documents(p);
    out += encodeWindowFrames(d.bytes, d.ends, 0, d.ends.length, level).length;
  }
  const ms = performance.now() - t0;
  if (out === 0) throw new Error(name);
  return ms;
}

const best: Record<string, number> = {};
for (let r = 0; r < rounds; r++) {
  for (const level of [3, 0]) {
    for (const [name, f] of [['regular', regular], ['straight', (p: LinesPayload) => straight.documents(p)]] as const) {
      const key = `${name} level ${level}`;
      const ms = run(key, f, level);
      best[key] = Math.min(best[key] ?? Infinity, ms);
    }
  }
}
const bytes = data.length;
console.log(`${totalLines} lines, ${(bytes / 1048576).toFixed(1)} MiB, best of ${rounds} interleaved rounds`);
for (const [key, ms] of Object.entries(best)) {
  console.log(`${key.padEnd(18)} ${(ms * 1000 / totalLines).toFixed(2)} µs/line  ${(bytes / 1048576 / (ms / 1000)).toFixed(1)} MiB/s  ${(ms / 1000 / (bytes / 1073741824)).toFixed(1)} CPU s/GiB`);
}
for (const level of [3, 0]) console.log(`level ${level}: regular/straight = ${(best[`regular level ${level}`]! / best[`straight level ${level}`]!).toFixed(2)}×`);

// Where the straight path's time goes.
{
  const docs = payloads.map((p) => straight.documents(p));
  const t = (f: () => void): number => { let b = Infinity; for (let r = 0; r < rounds; r++) { const t0 = performance.now(); f(); b = Math.min(b, performance.now() - t0); } return b * 1000 / totalLines; };
  const { deflateSync } = await import('node:zlib');
  const framed = docs.map((d) => encodeWindowFrames(d.bytes, d.ends, 0, d.ends.length, 0));
  console.log(`parts, µs/line: documents ${t(() => { for (const p of payloads) straight.documents(p); }).toFixed(2)}, frames ${t(() => { for (const d of docs) encodeWindowFrames(d.bytes, d.ends, 0, d.ends.length, 0); }).toFixed(2)}, deflate-3 ${t(() => { for (const f of framed) deflateSync(f, { level: 3 }); }).toFixed(2)}, deflate-1 ${t(() => { for (const f of framed) deflateSync(f, { level: 1 }); }).toFixed(2)}`);
}
