/**
 * The fused step: for a pipeline that is only inputs, a straight chain of unconditional filters and
 * one output reached unconditionally, the output may offer an encoder that goes from the input's
 * payloads to its own payloads without Events (OutputDefinition.fuse, plugins/api.ts). The worker
 * then runs that instead of decode → filters → route → encode, and everything around the worker
 * (dispatcher, queue, retries, acknowledgements, shutdown) is unchanged.
 *
 * Why: for the agent's usual config (a file input, no processors, a Beats output) nearly all of
 * its CPU went to Events that only carried a line from bytes to bytes (docs/decisions/0026).
 *
 * The per-plugin figures are counted as the regular path counts them (input: payloads in, events
 * out; each filter and the output: events in and out), so monitoring does not see the difference;
 * the time is the output's, since its encoder does all the work.
 */
import { performance } from 'node:perf_hooks';
import type { GraphNode, GraphPlugin, PipelineGraph } from '../config/compile.js';
import { rateLimitedWarn, type LogRateLimiter } from '../core/rate-limit.js';
import type { FusedEncoder, FusedInput, UpstreamPlugin } from '../plugins/api.js';
import type { EncodedOutput, MakeContext } from './executor.js';
import type { WorkerFigures } from './metrics.js';
import { errorText } from './plugin-errors.js';

/** What the fused step made of one batch's payloads. */
export interface FusedBatch {
  outputs: EncodedOutput[];
  /** Events in all (decoded, filtered and encoded alike). */
  events: number;
}

/** Runs a batch's payloads fused; undefined means: run them on the regular path. */
export type FusedStep = (payloads: readonly FusedInput[], batchSize: number) => FusedBatch | undefined;

export interface FusionInit {
  makeContext: MakeContext;
  figures: WorkerFigures;
  /** Whether a tap is attached to any plugin now (tap.ts): taps need Events, so the regular path runs. */
  tapped: () => boolean;
  limiter: LogRateLimiter;
}

/** The fused step for `graph`, or undefined when its shape does not allow one or its output declines. */
export function buildFusion(graph: PipelineGraph, init: FusionInit): FusedStep | undefined {
  const shape = straightShape(graph);
  if (!shape) return undefined;
  const { inputs, filters, output } = shape;
  const fuse = output.definition.kind === 'output' ? output.definition.fuse : undefined;
  if (!fuse) return undefined;
  const upstream = (p: GraphPlugin): UpstreamPlugin => ({ name: p.definition.name, options: p.options, ctx: init.makeContext(p) });
  const outputCtx = init.makeContext(output);
  let encoder: FusedEncoder | undefined;
  try {
    encoder = fuse.call(output.definition, output.options as never, outputCtx, { inputs: inputs.map(upstream), filters: filters.map(upstream) });
  } catch (err) {
    // Fusing is an optimisation: a plugin failing to decide leaves the regular path, which works.
    outputCtx.logger.warn('the output could not tell whether it fuses; events take the regular path', { plugin: output.id, error: errorText(err) });
    return undefined;
  }
  if (!encoder) return undefined;

  const { figures } = init;
  const inputSlots = inputs.map((_, i) => figures.inputSlot(i));
  const filterSlots = filters.map((p) => figures.filterSlot(graph.filterList.indexOf(p as (typeof graph.filterList)[number])));
  const outputSlot = figures.outputSlot(0);
  const warn = rateLimitedWarn(outputCtx.logger, init.limiter);
  outputCtx.logger.info('shipping straight: the output fuses with the inputs and filters before it (no events in between)', { inputs: inputs.map((p) => p.id).join(', ') });
  return (payloads, batchSize) => {
    if (init.tapped()) return undefined;
    const start = performance.now();
    let fused;
    try {
      fused = encoder.encode(payloads, batchSize);
    } catch (err) {
      warn(`fused:${output.id}`, 'the fused step failed on a batch; the regular path takes it', { plugin: output.id, error: errorText(err) });
      return undefined;
    }
    const ms = performance.now() - start;
    let events = 0;
    const outputs: EncodedOutput[] = [];
    for (const f of fused.outputs) {
      events += f.events;
      outputs.push({ index: 0, payload: f.payload, events: f.events });
    }
    payloads.forEach((p, i) => figures.record(inputSlots[p.input]!, 1, fused.eventsPerPayload[i] ?? 0, 0));
    for (const slot of filterSlots) figures.record(slot, events, events, 0);
    figures.record(outputSlot, events, events, ms);
    return { outputs, events };
  };
}

/** Inputs, filters that all run on every event, and one output every event reaches. */
function straightShape(graph: PipelineGraph): { inputs: readonly GraphPlugin[]; filters: GraphPlugin[]; output: GraphPlugin } | undefined {
  if (graph.inputs.length === 0 || graph.outputList.length !== 1) return undefined;
  const filters = pluginsOnly(graph.filters);
  const outputs = pluginsOnly(graph.outputs);
  if (!filters || !outputs || outputs.length !== 1) return undefined;
  return { inputs: graph.inputs, filters, output: outputs[0]! };
}

function pluginsOnly(nodes: readonly GraphNode[]): GraphPlugin[] | undefined {
  const plugins: GraphPlugin[] = [];
  for (const node of nodes) {
    if (node.kind !== 'plugin') return undefined;
    plugins.push(node.plugin);
  }
  return plugins;
}
