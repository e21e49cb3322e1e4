/**
 * Runs test suites against pipelines and judges each case: the captured events, prepared as
 * logstash-filter-verifier prepares them (metadata export, output ids, ignored fields, sort),
 * compared with the expected events.
 */
import { dirname, resolve } from 'node:path';
import type { Logger } from '../core/logger.js';
import { parseConfig } from '../config/logstash/parser.js';
import { compileGraph } from '../config/compile.js';
import { loadConfigSources } from '../config/logstash/sources.js';
import { builtinRegistry } from '../plugins/builtins.js';
import type { PipelineSettings } from '../pipeline/settings.js';
import { type Fields, type TestCase, type TestSuite } from './cases.js';
import { diffEvents, removeIgnored, sortEvents, type FieldDifference } from './compare.js';
import { TestEngine, type CapturedEvent } from './engine.js';
import { compilePipeline, type PipelineUnderTest, type PluginMock } from './project.js';

export type Mode = 'standalone' | 'daemon';

export interface RunOptions {
  mode: Mode;
  /** Standalone: the one pipeline (its outputs are not used). Daemon: every pipeline of pipelines.yml. */
  pipelines: PipelineUnderTest[];
  mocks: PluginMock[];
  addMissingId: boolean;
  /** Key the event's @metadata is exported under (LFV: `__metadata` standalone, `@metadata` daemon). */
  metadataKey: string | undefined;
  settings: PipelineSettings;
  logger?: Logger;
}

export interface EventMismatch {
  /** 0-based position among the case's events. */
  index: number;
  differences: FieldDifference[];
}

export interface CaseResult {
  suite: string;
  name: string;
  passed: boolean;
  /** Why the case could not be judged event by event (wrong count, wrong outputs, a setup error). */
  problem?: string;
  mismatches: EventMismatch[];
  expected: Fields[];
  actual: Fields[];
  durationMs: number;
}

export async function runSuite(suite: TestSuite, options: RunOptions): Promise<CaseResult[]> {
  const started = performance.now();
  let engine: TestEngine;
  try {
    engine = await engineFor(suite, options);
  } catch (err) {
    const problem = (err as Error).message;
    return suite.cases.map((tc) => ({ suite: suite.file, name: tc.name, passed: false, problem, mismatches: [], expected: [], actual: [], durationMs: performance.now() - started }));
  }
  const results: CaseResult[] = [];
  try {
    for (const tc of suite.cases) {
      const start = performance.now();
      let result: CaseResult;
      try {
        result = judge(suite, tc, await engine.run(tc), options);
      } catch (err) {
        result = { suite: suite.file, name: tc.name, passed: false, problem: `the pipeline failed: ${(err as Error).message}`, mismatches: [], expected: [], actual: [], durationMs: 0 };
      }
      result.durationMs = performance.now() - start;
      results.push(result);
    }
  } finally {
    await engine.close();
  }
  return results;
}

async function engineFor(suite: TestSuite, options: RunOptions): Promise<TestEngine> {
  let pipelines = options.pipelines;
  if (suite.pipeline !== undefined) {
    const path = resolve(dirname(suite.file), suite.pipeline);
    pipelines = [{ id: path, sources: await loadConfigSources(path) }];
  }
  const daemon = options.mode === 'daemon' && suite.pipeline === undefined;
  const compiled = pipelines.map((p) => ({ p, ...compilePipeline(p, { mocks: options.mocks, requireIds: daemon && !options.addMissingId, supportEscapes: options.settings.supportEscapes, ...(options.logger ? { logger: options.logger } : {}) }) }));
  if (compiled.length === 0) throw new Error('no pipeline to test: give a configuration');
  let chosen = compiled[0]!;
  let inputOptions: Record<string, unknown> | undefined;
  if (suite.inputPlugin !== undefined) {
    const found = compiled.find((c) => c.graph.inputs.some((i) => i.id === suite.inputPlugin));
    if (!found) throw new Error(`input_plugin "${suite.inputPlugin}" is not an input of ${compiled.map((c) => `pipeline "${c.p.id}"`).join(', ')} (inputs: ${compiled.flatMap((c) => c.graph.inputs.map((i) => i.id)).join(', ') || 'none'})`);
    chosen = found;
    inputOptions = found.graph.inputs.find((i) => i.id === suite.inputPlugin)!.options;
  } else if (compiled.length > 1) {
    throw new Error(`several pipelines (${compiled.map((c) => c.p.id).join(', ')}): name the input the test feeds with "input_plugin"`);
  } else if (daemon && chosen.graph.inputs.length === 1) {
    inputOptions = chosen.graph.inputs[0]!.options;
  } else if (daemon && chosen.graph.inputs.length > 1) {
    throw new Error(`the pipeline has several inputs (${chosen.graph.inputs.map((i) => i.id).join(', ')}): name one with "input_plugin"`);
  }
  inputOptions ??= codecInput(suite.codec);
  const perOutput = daemon || suite.cases.some((c) => c.expectedOutputs.length > 0);
  return TestEngine.create({
    graph: chosen.graph, sources: chosen.sources, settings: options.settings, inputOptions,
    capture: perOutput ? 'outputs' : 'filters', plugin: suite.plugin,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/** The options of a stdin input with the test file's codec (`line`, `json_lines`, `plain { charset => ... }`). */
function codecInput(codec: string): Record<string, unknown> {
  const source = { name: 'test codec', text: `input { stdin { codec => ${codec} } }` };
  try {
    return compileGraph(parseConfig([source]), { registry: builtinRegistry() }).inputs[0]!.options;
  } catch (err) {
    throw new Error(`bad "codec" ${JSON.stringify(codec)}: ${(err as Error).message}`);
  }
}

function judge(suite: TestSuite, tc: TestCase, captured: CapturedEvent[], options: RunOptions): CaseResult {
  const metadataKey = options.metadataKey ?? (options.mode === 'daemon' || suite.format === 'logpipe' ? '@metadata' : '__metadata');
  const exportMetadata = suite.exportMetadata || (options.mode === 'standalone' && suite.format === 'lfv');
  let actual = captured.map((c) => {
    const event = c.fields;
    const metadata = exportableMetadata(c.metadata);
    if (exportMetadata && Object.keys(metadata).length > 0) event[metadataKey] = metadata;
    if (suite.exportOutputs) event['_lfv_out_passed'] = c.output;
    return removeIgnored(event, suite.ignore);
  });
  if (suite.sortBy !== undefined) actual = sortEvents(actual, suite.sortBy);
  const base = { suite: suite.file, name: tc.name, expected: tc.expected, actual, durationMs: 0 };
  if (tc.expectedOutputs.length > 0) {
    const got = [...new Set(captured.map((c) => c.output))].sort();
    const want = [...new Set(tc.expectedOutputs)].sort();
    if (got.join('\n') !== want.join('\n')) {
      return { ...base, passed: false, problem: `expected the events to leave by outputs [${want.join(', ')}], they left by [${got.join(', ')}]`, mismatches: [] };
    }
  }
  const mismatches: EventMismatch[] = [];
  const n = Math.min(actual.length, tc.expected.length);
  for (let i = 0; i < n; i++) {
    const differences = diffEvents(tc.expected[i]!, actual[i]!, suite.subset);
    if (differences.length > 0) mismatches.push({ index: i, differences });
  }
  if (actual.length !== tc.expected.length) {
    return { ...base, passed: false, problem: `expected ${tc.expected.length} event(s), got ${actual.length}`, mismatches };
  }
  return { ...base, passed: mismatches.length === 0, mismatches };
}

/** @metadata without the keys LFV reserves for itself (`__lfv_*`, `__tmp_*`). */
function exportableMetadata(metadata: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(metadata)) if (!k.startsWith('__lfv_') && !k.startsWith('__tmp_')) out[k] = v;
  return out;
}

