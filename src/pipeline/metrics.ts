/**
 * Per-plugin figures: how a worker counts them for each batch result, and how the main
 * thread adds them up for the monitoring API.
 *
 * A worker keeps one Float64Array of FIGURES_PER_PLUGIN numbers per plugin, in slot order:
 * every input decoder (graph.inputs), then every filter (graph.filterList), then every output
 * (graph.outputList). It adds to it as batch steps run (per step, never per event) and hands a
 * copy with each BatchResult (`figures`), zeroing its own: the array crosses threads by
 * structured clone with every result, so it stays a few hundred bytes, and since each copy
 * holds only what happened since the previous one, the sum over results is exact even when a
 * worker overlaps batches that await I/O.
 */

/** Offsets inside one plugin's figures. */
export const FIGURE = {
  /** Filters/outputs: events that reached the plugin. Inputs: payloads decoded. */
  IN: 0,
  /** Events that left it: past a filter (clones included, cancelled excluded), encoded by an output, decoded by an input. */
  OUT: 1,
  /** Milliseconds spent in the plugin's batch steps (wall clock, awaited I/O included). */
  MS: 2,
  /** Events it failed on: tagged by fault isolation, or rejected by an output's encoder. */
  FAILURES: 3,
} as const;

export const FIGURES_PER_PLUGIN = 4;

export type PluginKindWithFigures = 'input' | 'filter' | 'output';

/** The worker side: accumulates figures between results. */
export class WorkerFigures {
  private values: Float64Array;

  constructor(readonly inputs: number, readonly filters: number, readonly outputs: number) {
    this.values = new Float64Array((inputs + filters + outputs) * FIGURES_PER_PLUGIN);
  }

  inputSlot(index: number): number {
    return index;
  }

  filterSlot(index: number): number {
    return this.inputs + index;
  }

  outputSlot(index: number): number {
    return this.inputs + this.filters + index;
  }

  /** Adds one batch step of the plugin in `slot`. */
  record(slot: number, eventsIn: number, eventsOut: number, ms: number): void {
    const at = slot * FIGURES_PER_PLUGIN;
    const v = this.values;
    v[at + FIGURE.IN]! += eventsIn;
    v[at + FIGURE.OUT]! += eventsOut;
    v[at + FIGURE.MS]! += ms;
  }

  failed(slot: number, events = 1): void {
    this.values[slot * FIGURES_PER_PLUGIN + FIGURE.FAILURES]! += events;
  }

  /** What was counted since the last call; counting starts again from zero. */
  take(): Float64Array {
    const taken = this.values;
    this.values = new Float64Array(taken.length);
    return taken;
  }
}

/** A plugin as the aggregator knows it. */
export interface PluginFigureSource {
  id: string;
  name?: string;
}

export interface PluginFigures {
  kind: PluginKindWithFigures;
  name?: string;
  /** Filters and outputs: events in. Inputs: payloads decoded. */
  eventsIn: number;
  eventsOut: number;
  durationMs: number;
  failures: number;
}

type PluginList = readonly (string | PluginFigureSource)[];

/**
 * The main-thread side: `add(result.figures)` for each batch result of a pipeline (from
 * every worker, flush results included), `snapshot()` for the monitoring API.
 */
export class PipelineMetrics {
  private readonly slots: { id: string; kind: PluginKindWithFigures; name: string | undefined }[] = [];
  private readonly totals: Float64Array;

  /** Plugins per kind in graph order: graph.inputs, graph.filterList, graph.outputList (ids, or { id, name }). */
  constructor(plugins: { inputs: PluginList; filters: PluginList; outputs: PluginList }) {
    const addAll = (kind: PluginKindWithFigures, list: PluginList): void => {
      for (const p of list) {
        if (typeof p === 'string') this.slots.push({ id: p, kind, name: undefined });
        else this.slots.push({ id: p.id, kind, name: p.name });
      }
    };
    addAll('input', plugins.inputs);
    addAll('filter', plugins.filters);
    addAll('output', plugins.outputs);
    this.totals = new Float64Array(this.slots.length * FIGURES_PER_PLUGIN);
  }

  /** From a compiled graph: ids and plugin names in the workers' slot order. */
  static forGraph(graph: {
    inputs: readonly { id: string; definition: { name: string } }[];
    filterList: readonly { id: string; definition: { name: string } }[];
    outputList: readonly { id: string; definition: { name: string } }[];
  }): PipelineMetrics {
    const refs = (list: readonly { id: string; definition: { name: string } }[]): PluginFigureSource[] =>
      list.map((p) => ({ id: p.id, name: p.definition.name }));
    return new PipelineMetrics({ inputs: refs(graph.inputs), filters: refs(graph.filterList), outputs: refs(graph.outputList) });
  }

  /** Adds one batch result's figures. Missing figures (an older worker) are ignored; a layout mismatch throws. */
  add(figures: ArrayLike<number> | undefined): void {
    if (figures === undefined) return;
    if (figures.length !== this.totals.length) {
      throw new RangeError(`figures for ${figures.length / FIGURES_PER_PLUGIN} plugins, expected ${this.slots.length}`);
    }
    for (let i = 0; i < figures.length; i++) this.totals[i]! += figures[i]!;
  }

  /** Totals so far per plugin id. */
  snapshot(): Record<string, PluginFigures> {
    const out: Record<string, PluginFigures> = {};
    this.slots.forEach((slot, i) => {
      const at = i * FIGURES_PER_PLUGIN;
      const figures: PluginFigures = {
        kind: slot.kind,
        eventsIn: this.totals[at + FIGURE.IN]!,
        eventsOut: this.totals[at + FIGURE.OUT]!,
        durationMs: this.totals[at + FIGURE.MS]!,
        failures: this.totals[at + FIGURE.FAILURES]!,
      };
      if (slot.name !== undefined) figures.name = slot.name;
      out[slot.id] = figures;
    });
    return out;
  }
}
