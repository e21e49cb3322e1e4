/**
 * Child process of the tap benchmark: two WorkerCores (the code a pipeline worker runs) over the
 * same access log, one built without the tap hook and one with it (cells given, no tap
 * attached), run in alternating rounds in this one process so both see the same machine load;
 * writes each one's fastest round to OUT. Payloads of 500 lines, as stdin cuts them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfigSources } from '../src/config/logstash/sources.js';
import { loadGraph } from '../src/config/load.js';
import { serializeGraph } from '../src/config/serialize.js';
import { builtinRegistry } from '../src/plugins/builtins.js';
import { defaultSettings } from '../src/pipeline/settings.js';
import { TapHub } from '../src/pipeline/tap.js';
import { runBatch, WorkerCore } from '../src/pipeline/worker-core.js';

const [config, log, out, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? 7);
const sources = await loadConfigSources(config!);
const settings = defaultSettings();
const graph = loadGraph(sources, { registry: builtinRegistry(), supportEscapes: false });
const build = (taps?: SharedArrayBuffer): Promise<WorkerCore> =>
  WorkerCore.create({ graph: serializeGraph(graph), sources, settings, workerIndex: 0, ...(taps ? { taps } : {}) });
const cores = { none: await build(), hook: await build(TapHub.forGraph(graph).cells) };
const bytes = readFileSync(log!);
const payloads: Uint8Array[] = [];
for (let start = 0, lines = 0, i = 0; i < bytes.length; i++) {
  if (bytes[i] === 10 && ++lines === 500) {
    payloads.push(bytes.subarray(start, i + 1));
    start = i + 1;
    lines = 0;
  }
}
const pass = async (core: WorkerCore): Promise<number> => {
  const t0 = performance.now();
  for (const data of payloads) await runBatch(core, () => core.process([{ input: 0, data }]));
  return (performance.now() - t0) / 1000;
};
const best = { none: Infinity, hook: Infinity };
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (['none', 'hook'] as const) : (['hook', 'none'] as const);
  for (const v of order) best[v] = Math.min(best[v], await pass(cores[v]));
}
writeFileSync(out!, JSON.stringify(best));
