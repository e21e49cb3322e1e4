/**
 * Side effects a filter defers until its batch is acknowledged (PluginContext.deferUntilAcknowledged),
 * held in the worker that ran the batch. A worker runs one batch at a time, so an effect belongs to
 * the batch being run when it was deferred. The main thread names the batch back once every
 * output is done with it; a batch that is re-run after a cut-off, abandoned at a forced stop or
 * lost in a crash is never named, and its effects never run.
 */
import type { Logger } from '../core/logger.js';

type Effect = () => void | Promise<void>;

export class DeferredEffects {
  private collecting: Effect[] | undefined;
  private readonly held = new Map<number, Effect[]>();
  private nextId = 1;

  constructor(private readonly logger: Logger) {}

  /** PluginContext.deferUntilAcknowledged. */
  readonly defer = (effect: Effect): void => {
    if (!this.collecting) throw new Error('deferUntilAcknowledged called outside a batch');
    this.collecting.push(effect);
  };

  /** A batch starts: effects deferred from now on belong to it. */
  begin(): void {
    this.collecting = [];
  }

  /** The batch is done: returns the id to acknowledge its effects with, or 0 when it deferred none. */
  end(): number {
    const effects = this.collecting;
    this.collecting = undefined;
    if (!effects || effects.length === 0) return 0;
    const id = this.nextId++;
    this.held.set(id, effects);
    return id;
  }

  /** Every event of batch `id` is acknowledged: run its effects. A failing effect is logged, never thrown. */
  async acknowledge(id: number): Promise<void> {
    const effects = this.held.get(id);
    if (!effects) return;
    this.held.delete(id);
    for (const effect of effects) {
      try {
        await effect();
      } catch (err) {
        this.logger.error('a side effect deferred until acknowledgement failed', { error: err });
      }
    }
  }

  /** Batches whose effects still wait for their acknowledgement. */
  get pending(): number {
    return this.held.size;
  }
}
