/**
 * Runs the inputs' main-thread halves. A source whose run() fails while the pipeline is not
 * stopping is logged, counted and run again after a backoff (1 s doubling to 30 s, back to 1 s
 * after a run that lasted longer than that), as Logstash restarts a crashed input; the pipeline
 * does not end because an input failed.
 */
import type { Logger } from '../core/logger.js';
import { Sleeps } from '../core/sleeps.js';
import type { Delivery, InputPayload, InputSink, InputSource } from '../plugins/api.js';

export const INPUT_RESTART_INITIAL_MS = 1000;
export const INPUT_RESTART_MAX_MS = 30_000;

export interface RunnableInput {
  id: string;
  source: InputSource;
}

export class InputRunner {
  /** run() failures per input id. */
  readonly failures = new Map<string, number>();
  private running = 0;
  private stopping = false;
  private readonly backoffs = new Sleeps();
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly inputs: readonly RunnableInput[],
    /** Where payloads go: `index` is the input's position. */
    private readonly push: (index: number, payload: InputPayload, delivery?: Delivery) => Promise<void>,
    private readonly logger: Logger,
    /** Called when an input returns for good (the dispatcher stops waiting for batches to fill). */
    private readonly onInputDone: () => void,
    private readonly restartInitialMs = INPUT_RESTART_INITIAL_MS,
  ) {}

  /** Each source's own counters (InputSource.figures), by input id. */
  sourceFigures(): Map<string, Record<string, number>> {
    const out = new Map<string, Record<string, number>>();
    for (const { id, source } of this.inputs) if (source.figures) out.set(id, source.figures());
    return out;
  }

  /** Inputs still reading. */
  get active(): number {
    return this.running;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  start(): void {
    this.running = this.inputs.length;
    this.done = Promise.all(this.inputs.map((input, index) => this.runInput(input, index))).then(() => {});
  }

  /** Resolves when every input has returned for good. */
  finished(): Promise<void> {
    return this.done;
  }

  /** Asks every source to stop; a source waiting for a restart does not restart. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.backoffs.interruptAll();
    await Promise.all(this.inputs.map(async ({ id, source }) => {
      try {
        await source.stop();
      } catch (err) {
        this.logger.warn('input stop failed', { input: id, error: err });
      }
    }));
  }

  private async runInput({ id, source }: RunnableInput, index: number): Promise<void> {
    const runner = this;
    const sink: InputSink = {
      push: (payload, delivery) => this.push(index, payload, delivery),
      get stopping() {
        return runner.stopping;
      },
    };
    let delay = this.restartInitialMs;
    try {
      while (!this.stopping) {
        const started = Date.now();
        try {
          await source.run(sink);
          return;
        } catch (err) {
          if (this.stopping) return;
          this.failures.set(id, (this.failures.get(id) ?? 0) + 1);
          if (Date.now() - started > INPUT_RESTART_MAX_MS) delay = this.restartInitialMs;
          this.logger.error('input failed; restarting it', { input: id, error: err, restart_in_ms: delay, failures: this.failures.get(id) });
          await this.backoffs.sleep(delay);
          delay = Math.min(delay * 2, INPUT_RESTART_MAX_MS);
        }
      }
    } finally {
      this.running--;
      this.onInputDone();
    }
  }
}
