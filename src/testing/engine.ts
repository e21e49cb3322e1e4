/**
 * Runs test cases through the real pipeline: the configuration is compiled by the same
 * compiler as `logpipe run` (config/compile.ts) and executed by the same `WorkerCore` a pipeline
 * worker runs (decoder, filters with their conditionals and fault isolation, output routing).
 * Only the two ends are swapped, as logstash-filter-verifier swaps them in Logstash:
 *
 * * the input becomes `__test_input`: the real stdin decoder with the codec (and `type`, `tags`,
 *   `add_field`) of the input under test, then the test case's `fields`;
 * * each output becomes `__test_capture`, whose encoder keeps a JSON snapshot of each event it
 *   is routed, with the output's id; or, when the test looks at what leaves the filters (LFV
 *   standalone mode, logpipe's concise form), a single capture output replaces the section.
 */
import { Event } from '../core/event.js';
import { createLogger, type Logger } from '../core/logger.js';
import type { GraphNode, GraphPlugin, PipelineGraph } from '../config/compile.js';
import type { ConfigSource } from '../config/logstash/ast.js';
import { serializeGraph } from '../config/serialize.js';
import type { InputDefinition, OutputDefinition, PluginDefinition } from '../plugins/api.js';
import { builtinRegistry } from '../plugins/builtins.js';
import { PluginRegistry } from '../plugins/registry.js';
import { runBatch, WorkerCore } from '../pipeline/worker-core.js';
import type { PipelineSettings } from '../pipeline/settings.js';
import { isObject, type Fields, type TestCase } from './cases.js';

/** Where input order is kept on each test event (LFV uses the same key), removed before comparing. */
export const ORDER_KEY = '__lfv_id';

export interface CapturedEvent {
  /** The id of the output that received it, or "" when captured after the filters. */
  output: string;
  /** Position of the input event it came from (clones and splits share their parent's). */
  order: number;
  /** The event as JSON (what an output's json codec writes), without `@metadata`. */
  fields: Fields;
  metadata: Fields;
}

interface TestInputData {
  text: string;
  events: Fields[];
  fields: Fields;
  firstOrder: number;
}

const TEST_INPUT = '__test_input';
const TEST_CAPTURE = '__test_capture';
const utf8 = new TextEncoder();

function testRegistry(): PluginRegistry {
  const builtins = builtinRegistry();
  const stdin = builtins.find('input', 'stdin');
  if (!stdin) throw new Error('the stdin input is not registered');
  const registry = new PluginRegistry();
  for (const d of builtins.all()) registry.register(d);
  registry.register(testInput(stdin));
  registry.register(captureOutput as PluginDefinition);
  return registry;
}

/** The stdin decoder (codec, host field) followed by the test case's fields and the order key. */
function testInput(stdin: InputDefinition): PluginDefinition {
  const definition: InputDefinition = {
    ...stdin,
    name: TEST_INPUT,
    description: 'logpipe test: the input under test',
    createSource() {
      throw new Error(`${TEST_INPUT} has no source: logpipe test hands payloads to the worker directly`);
    },
    createDecoder(options, ctx) {
      const lines = stdin.createDecoder(options, ctx);
      return {
        decode(data, emit) {
          const { text, events, fields, firstOrder } = data as TestInputData;
          let order = firstOrder;
          const stamp = (event: Event): void => {
            for (const [key, value] of Object.entries(fields)) {
              if (key === '@metadata' && isObject(value)) event.metadata = { ...event.metadata, ...structuredClone(value) };
              else event.set(`[${key}]`, structuredClone(value));
            }
            event.metadata = { ...event.metadata, [ORDER_KEY]: order++ };
            emit(event);
          };
          if (text.length > 0) lines.decode(utf8.encode(text), stamp);
          for (const e of events) stamp(new Event(structuredClone(e)));
        },
      };
    },
  };
  return definition as PluginDefinition;
}

const captureOutput: OutputDefinition = {
  kind: 'output',
  name: TEST_CAPTURE,
  description: 'logpipe test: keeps what an output would receive',
  options: {},
  createEncoder(_options, ctx) {
    const output = ctx.id === TEST_CAPTURE ? '' : ctx.id;
    return {
      encode(events) {
        const data: CapturedEvent[] = events.map((e) => {
          const metadata = (e.metadata ? JSON.parse(JSON.stringify(e.metadata)) : {}) as Fields;
          const order = typeof metadata[ORDER_KEY] === 'number' ? (metadata[ORDER_KEY] as number) : Number.MAX_SAFE_INTEGER;
          return { output, order, fields: JSON.parse(JSON.stringify(e.data)) as Fields, metadata };
        });
        return { data };
      },
    };
  },
  async createSink() {
    return { async write() {}, async close() {} };
  },
};

export interface EngineOptions {
  /** The compiled pipeline under test (compiled with the built-in registry). */
  graph: PipelineGraph;
  sources: ConfigSource[];
  settings: PipelineSettings;
  /** The options of the input whose decoder the test uses (its codec, type, tags, add_field). */
  inputOptions: Record<string, unknown>;
  /** Capture per output (LFV daemon mode) or what leaves the filters. */
  capture: 'outputs' | 'filters';
  /** Run only this filter. */
  plugin?: string | undefined;
  logger?: Logger;
}

/** A pipeline ready to run test cases; filter state lasts across the cases of one file, as in one LFV run. */
export class TestEngine {
  private order = 0;
  private constructor(private readonly core: WorkerCore) {}

  static async create(options: EngineOptions): Promise<TestEngine> {
    const { graph, settings } = options;
    const registry = testRegistry();
    const inputDefinition = registry.find('input', TEST_INPUT)!;
    const capture = registry.find('output', TEST_CAPTURE)!;
    const location = graph.inputs[0]?.location ?? { file: 'test', line: 1, column: 1 };
    let filters = graph.filters;
    let filterList = graph.filterList;
    if (options.plugin !== undefined) {
      const one = graph.filterList.find((p) => p.id === options.plugin);
      if (!one) throw new Error(`no filter with id "${options.plugin}" in the pipeline (filters: ${graph.filterList.map((p) => p.id).join(', ') || 'none'})`);
      filters = [{ kind: 'plugin', plugin: one }];
      filterList = [one];
    }
    const captureAs = (id: string, loc = location): GraphPlugin<OutputDefinition> => ({ id, definition: capture, options: {}, location: loc });
    let outputs: GraphNode[];
    let outputList: GraphPlugin<OutputDefinition>[];
    if (options.capture === 'outputs' && graph.outputList.length > 0) {
      const swapped = new Map(graph.outputList.map((p) => [p, captureAs(p.id, p.location)]));
      outputs = mapNodes(graph.outputs, (p) => swapped.get(p as GraphPlugin<OutputDefinition>)!);
      outputList = [...swapped.values()];
    } else {
      const all = captureAs(TEST_CAPTURE);
      outputs = [{ kind: 'plugin', plugin: all }];
      outputList = [all];
    }
    const testGraph: PipelineGraph = {
      inputs: [{ id: TEST_INPUT, definition: inputDefinition, options: options.inputOptions, location }],
      filters, filterList, outputs, outputList,
    };
    const logger = options.logger ?? createLogger('error', 'test');
    const core = await WorkerCore.create({ graph: serializeGraph(testGraph), sources: options.sources, settings, workerIndex: 0 }, registry, logger);
    return new TestEngine(core);
  }

  /** Runs one case's input; returns every event captured, in input order (then output order). */
  async run(tc: TestCase): Promise<CapturedEvent[]> {
    const data: TestInputData = {
      text: tc.lines.length > 0 ? tc.lines.join('\n') + '\n' : '',
      events: tc.events, fields: tc.fields, firstOrder: this.order,
    };
    this.order += tc.lines.length + tc.events.length;
    const result = await runBatch(this.core, () => this.core.process([{ input: 0, data }]));
    if (result.deferred) await this.core.effects.acknowledge(result.deferred);
    const captured: CapturedEvent[] = [];
    for (const o of result.outputs) for (const e of o.payload.data as CapturedEvent[]) captured.push(e);
    // Stable: clones keep their place after their original, each output's events keep their order.
    return captured.map((e, i) => ({ e, i })).sort((a, b) => a.e.order - b.e.order || a.i - b.i).map((x) => x.e);
  }

  close(): Promise<void> {
    return this.core.close();
  }
}

function mapNodes(nodes: GraphNode[], swap: (p: GraphPlugin) => GraphPlugin): GraphNode[] {
  return nodes.map((n): GraphNode => n.kind === 'plugin'
    ? { kind: 'plugin', plugin: swap(n.plugin) }
    : { kind: 'if', branches: n.branches.map((b) => ({ condition: b.condition, body: mapNodes(b.body, swap) })), elseBody: mapNodes(n.elseBody, swap) });
}
