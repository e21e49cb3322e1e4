/**
 * Per-plugin figures: how a worker counts them, and how the main thread adds them up for the
 * monitoring API.
 *
 * Each worker adds to one Float64Array of FIGURES_PER_PLUGIN numbers per plugin, in slot order:
 * every input decoder (graph.inputs), then every filter (graph.filterList), then every output
 * (graph.outputList), per batch step, never per event. The array lives in a SharedArrayBuffer
 * the main thread allocated (as the heartbeat's cells do), so the figures cost nothing to hand
 * over: the main thread reads every worker's array when it is asked for a snapshot. (Sending a
 * copy with every batch result cost ~4 µs per batch and +11 MB peak RSS in the generator
 * benchmark.) A thread that replaces one the watchdog cut off keeps counting in the same cells.
 * Figures of a batch that is re-run after a cut-off count twice, as the work was done twice.
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

/** Bytes of the shared cells holding the figures of a graph with this many plugins. */
export function figuresBytes(plugins: number): number {
  return plugins * FIGURES_PER_PLUGIN * Float64Array.BYTES_PER_ELEMENT;
}

/** The worker side: adds to the cells as batch steps run. */
export class WorkerFigures {
  private readonly values: Float64Array;

  /** `shared`: the cells the main thread reads (figuresBytes); a private array when none is given. */
  constructor(readonly inputs: number, readonly filters: number, readonly outputs: number, shared?: SharedArrayBuffer) {
    const length = (inputs + filters + outputs) * FIGURES_PER_PLUGIN;
    if (shared && shared.byteLength !== length * Float64Array.BYTES_PER_ELEMENT) {
      throw new RangeError(`figures cells for ${shared.byteLength / Float64Array.BYTES_PER_ELEMENT / FIGURES_PER_PLUGIN} plugins, expected ${length / FIGURES_PER_PLUGIN}`);
    }
    this.values = shared ? new Float64Array(shared) : new Float64Array(length);
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

  /** A copy of everything counted so far. */
  read(): Float64Array {
    return this.values.slice();
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
 * The main-thread side: `watch(cells)` for each worker's shared cells, `snapshot()` for the
 * monitoring API (the sum over every worker).
 */
export class PipelineMetrics {
  private readonly slots: { id: string; kind: PluginKindWithFigures; name: string | undefined }[] = [];
  private readonly length: number;
  private readonly watched: Float64Array[] = [];

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
    this.length = this.slots.length * FIGURES_PER_PLUGIN;
  }

  /** Bytes of one worker's cells for this pipeline. */
  get cellBytes(): number {
    return figuresBytes(this.slots.length);
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

  /** Adds a worker's cells to those summed by snapshot(); a layout from another graph throws. */
  watch(cells: SharedArrayBuffer | Float64Array): void {
    const values = cells instanceof Float64Array ? cells : new Float64Array(cells);
    if (values.length !== this.length) {
      throw new RangeError(`figures for ${values.length / FIGURES_PER_PLUGIN} plugins, expected ${this.slots.length}`);
    }
    this.watched.push(values);
  }

  /** Totals so far per plugin id, over every watched worker. */
  snapshot(): Record<string, PluginFigures> {
    const totals = new Float64Array(this.length);
    for (const values of this.watched) for (let i = 0; i < this.length; i++) totals[i]! += values[i]!;
    const out: Record<string, PluginFigures> = {};
    this.slots.forEach((slot, i) => {
      const at = i * FIGURES_PER_PLUGIN;
      const figures: PluginFigures = {
        kind: slot.kind,
        eventsIn: totals[at + FIGURE.IN]!,
        eventsOut: totals[at + FIGURE.OUT]!,
        durationMs: totals[at + FIGURE.MS]!,
        failures: totals[at + FIGURE.FAILURES]!,
      };
      if (slot.name !== undefined) figures.name = slot.name;
      out[slot.id] = figures;
    });
    return out;
  }
}
