/**
 * Child process of the tap benchmark: runs the access log through a WorkerCore (the code a
 * pipeline worker runs) built with the tap hook ("hook": cells given, no tap attached) or without
 * it ("none"), and writes the filtering time to OUT (the process's start-up is not part of it). Payloads of 500 lines, as stdin cuts them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfigSources } from '../src/config/logstash/sources.js';
import { loadGraph } from '../src/config/load.js';
import { serializeGraph } from '../src/config/serialize.js';
import { builtinRegistry } from '../src/plugins/builtins.js';
import { defaultSettings } from '../src/pipeline/settings.js';
import { TapHub } from '../src/pipeline/tap.js';
import { runBatch, WorkerCore } from '../src/pipeline/worker-core.js';

const [variant, config, log, out] = process.argv.slice(2);
const sources = await loadConfigSources(config!);
const settings = defaultSettings();
const graph = loadGraph(sources, { registry: builtinRegistry(), supportEscapes: false });
const taps = variant === 'hook' ? TapHub.forGraph(graph).cells : undefined;
const core = await WorkerCore.create({ graph: serializeGraph(graph), sources, settings, workerIndex: 0, ...(taps ? { taps } : {}) });
const bytes = readFileSync(log!);
const payloads: Uint8Array[] = [];
for (let start = 0, lines = 0, i = 0; i < bytes.length; i++) {
  if (bytes[i] === 10 && ++lines === 500) {
    payloads.push(bytes.subarray(start, i + 1));
    start = i + 1;
    lines = 0;
  }
}
const t0 = performance.now();
let events = 0;
for (const data of payloads) events += (await runBatch(core, () => core.process([{ input: 0, data }]))).eventsIn;
const seconds = (performance.now() - t0) / 1000;
writeFileSync(out!, JSON.stringify({ events, seconds }));
