/**
 * A PROTOTYPE of the agent's straight path, for measuring only (docs/decisions/0026 "Straight
 * path"); not the product. Same command line as `logpipe agent -c FILE` for the configs the
 * straight path would take (one log/filestream input without processors, fields, tags, json or
 * multiline; one logstash output), so bench/agent.ts can run it in place of the agent:
 * the tailer's payloads → StraightDocuments → the logstash output's sink; a payload is
 * acknowledged to the tailer (which advances the registry to the highest contiguous
 * acknowledged offset) once the sink delivered all of it. A partially delivered write crashes
 * it; the shutdown timeout and every other part of the real agent are left out.
 *
 *   node dist/bench/straight-agent-proto.js agent -c filebeat.yml
 * Beside the agent, interleaved: a directory D with D/bin/logpipe.js containing
 *   await import('<this worktree>/dist/bench/straight-agent-proto.js');
 * then BENCH_ONLY=agent BENCH_AGENT_AGAINST=D npm run bench ("(other)" is the prototype).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { loadFilebeatConfig } from '../src/config/filebeat/load.js';
import { createLogger } from '../src/core/logger.js';
import type { OutputDefinition, PluginContext } from '../src/plugins/api.js';
import { agentRegistry } from '../src/plugins/agent-plugins.js';
import { beatsTailSource, type BeatsFileOptions, type BeatsInputKind } from '../src/plugins/inputs/log/beats-input.js';
import { DocumentJsonWriter } from '../src/plugins/outputs/logstash/document-json.js';
import { StraightDocuments } from '../src/plugins/outputs/logstash/straight-documents.js';
import type { LinesPayload } from '../src/tailing/payload.js';

setFlagsFromString('--max-semi-space-size=1');
const file = process.argv[process.argv.indexOf('-c') + 1]!;
const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const logger = createLogger('warn', 'agent');
const registry = await agentRegistry(readFileSync(file, 'utf8'));
const config = loadFilebeatConfig(file, { registry, strict: false, defaultDataDir: 'data', version, logger });
const input = config.graph.inputs[0]!;
const output = config.graph.outputList[0]!;
const metadataFilter = config.graph.filterList[0]!;
if (config.graph.inputs.length !== 1 || config.graph.outputList.length !== 1 || config.graph.filterList.length !== 1 || output.definition.name !== 'logstash') {
  throw new Error('the prototype takes one input, no processors and one logstash output');
}
const ctx = { id: input.id, name: input.definition.name, pipelineId: 'agent', logger, ecs: 'v8', workerIndex: -1, dataDir: config.dataDir, batchSize: 256 } as unknown as PluginContext;
const options = input.options as unknown as BeatsFileOptions;
const host = hostname();
let agentId: string = randomUUID();
try { agentId = readFileSync(join(config.dataDir, 'agent-id'), 'utf8').trim(); } catch { /* a fresh data dir */ }
const outputOptions = output.options as { index?: string; escape_html: boolean };
const metadata = new DocumentJsonWriter({ index: outputOptions.index, version }).documentOf({}, (metadataFilter.options as { fields: Record<string, unknown> }).fields)['@metadata'] as Record<string, unknown>;
const straight = new StraightDocuments({
  layout: options.field_layout === 'legacy' ? 'legacy' : 'ecs', kind: input.definition.name, metadata, escapeHtml: outputOptions.escape_html, docType: options.type ?? 'log',
  host: options.field_layout === 'legacy' ? { hostname: host, name: host, version } : { name: host },
  agent: { type: 'filebeat', name: host, hostname: host, version, id: agentId, ephemeral_id: randomUUID() },
});
const sink = await (output.definition as OutputDefinition).createSink(output.options as never, { ...ctx, id: output.id, name: 'logstash' } as PluginContext);
const source = beatsTailSource(input.definition.name as BeatsInputKind, options, ctx);
const MAX_IN_FLIGHT = Number(process.env["STRAIGHT_IN_FLIGHT"] ?? sink.concurrency ?? 2);
let inFlight = 0;
const room: (() => void)[] = [];
// How much of the time the event loop had work (the rest it waited: for reads, deflates or ACKs).
let loopAtStart: EventLoopUtilization | undefined;
let loopAtLastPush: EventLoopUtilization | undefined;
process.once('SIGTERM', () => {
  if (loopAtStart && loopAtLastPush) process.stderr.write(`event loop utilisation from the first payload to the last: ${performance.eventLoopUtilization(loopAtLastPush, loopAtStart).utilization.toFixed(2)}\n`);
  void source.stop();
});
await source.run({
  stopping: false,
  async push(payload, delivery) {
    loopAtLastPush = performance.eventLoopUtilization();
    loopAtStart ??= loopAtLastPush;
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => room.push(r));
    inFlight++;
    const docs = straight.documents(payload.data as LinesPayload);
    void sink.write(docs).then((result) => {
      if (result && 'retry' in result && result.retry) throw new Error('prototype: partial delivery is not handled');
      delivery?.ack();
    }).finally(() => {
      inFlight--;
      room.shift()?.();
    });
  },
});
await sink.close?.();
process.exit(0);
