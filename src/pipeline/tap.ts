/**
 * Taps: copies of the events passing one plugin of a running pipeline, for `logpipe tap`.
 *
 * One Int32 cell per plugin (inputs, then filters, then outputs, in graph order) in a
 * SharedArrayBuffer every worker reads: non-zero while a tap is attached. A worker checks its
 * plugin's cell once per batch step and copies the step's events (as JSON) into the batch result
 * only when it is set; with no tap attached that check is the whole cost (bench/tap.ts). The
 * main thread hands the copies to the attached taps, which sample, count and write them.
 */
import type { PipelineGraph } from '../config/compile.js';

/** Events copied at one plugin during one batch, as JSON text. */
export interface TapRecord {
  slot: number;
  events: string[];
}

export interface TapSubscriber {
  /** Receives one event (JSON text); returns false once it wants no more (its limit reached, gone). */
  deliver(json: string): boolean;
}

export class TapHub {
  readonly cells: SharedArrayBuffer;
  private readonly flags: Int32Array;
  private readonly subscribers: Set<TapSubscriber>[];
  private readonly slots = new Map<string, number>();

  constructor(readonly pluginIds: readonly string[]) {
    this.cells = new SharedArrayBuffer(Math.max(1, pluginIds.length) * 4);
    this.flags = new Int32Array(this.cells);
    this.subscribers = pluginIds.map(() => new Set());
    pluginIds.forEach((id, slot) => this.slots.set(id, slot));
  }

  /** Inputs, then filters, then outputs: the slot layout the executor uses. */
  static forGraph(graph: PipelineGraph): TapHub {
    return new TapHub([...graph.inputs, ...graph.filterList, ...graph.outputList].map((p) => p.id));
  }

  slotOf(pluginId: string): number | undefined {
    return this.slots.get(pluginId);
  }

  attach(slot: number, subscriber: TapSubscriber): () => void {
    const set = this.subscribers[slot]!;
    set.add(subscriber);
    Atomics.store(this.flags, slot, set.size);
    return () => {
      set.delete(subscriber);
      Atomics.store(this.flags, slot, set.size);
    };
  }

  /** Hands a batch's copies to the taps attached to each plugin. */
  publish(records: readonly TapRecord[]): void {
    for (const { slot, events } of records) {
      const set = this.subscribers[slot];
      if (!set || set.size === 0) continue;
      for (const subscriber of [...set]) {
        for (const json of events) {
          if (!subscriber.deliver(json)) {
            set.delete(subscriber);
            Atomics.store(this.flags, slot, set.size);
            break;
          }
        }
      }
    }
  }
}
