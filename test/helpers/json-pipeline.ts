/**
 * A worker's pipeline from json_lines on stdin through the given filters to json_lines on
 * stdout, for filter tests that need the whole pipeline (conditionals, shared state, flushes).
 */
import { createLogger } from '../../src/core/logger.js';
import { defaultSettings } from '../../src/pipeline/settings.js';
import { WorkerCore, type BatchResult } from '../../src/pipeline/worker-core.js';
import type { EcsCompatibility } from '../../src/plugins/api.js';
import { workerInitFor } from './harness.js';

export type Fields = Record<string, unknown>;

/** The events the outputs of a batch wrote, parsed. */
export const writtenFields = (r: BatchResult): Fields[] =>
  r.outputs.flatMap((o) => (o.payload.data === undefined ? [] : Buffer.from(o.payload.data as Uint8Array).toString().trim().split('\n').map((l) => JSON.parse(l) as Fields)));

export async function jsonPipeline(filters: string, ecs: EcsCompatibility = 'disabled'): Promise<WorkerCore> {
  const config = `input { stdin { codec => json_lines } } filter { ${filters} } output { stdout { codec => json_lines } }`;
  return WorkerCore.create(workerInitFor([{ name: 'a.conf', text: config }], { ...defaultSettings(), ecs }), undefined, createLogger('error'));
}

/** Sends the lines as one payload (one batch) and returns what came out. */
export async function sendFields(core: WorkerCore, lines: Fields[]): Promise<Fields[]> {
  const data = new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return writtenFields(await core.process([{ input: 0, data }]));
}
