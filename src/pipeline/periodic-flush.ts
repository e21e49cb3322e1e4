/**
 * Periodic flushes: filters whose definition asks for it (aggregation timeouts, metrics ticks)
 * get flush(emit, false) every PERIODIC_FLUSH_MS, as Logstash's periodic_flush. The events they
 * hand on go through the rest of the filters and the outputs like a batch with no input payload
 * (nothing to acknowledge: the events they were made from were acknowledged already).
 */
import type { Logger } from '../core/logger.js';
import { errorText } from './plugin-errors.js';

export class PeriodicFlush {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly flush: () => Promise<void>, private readonly intervalMs: number, private readonly logger: Logger) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.intervalMs);
  }

  /** No new flush starts; resolves once a running one is done (the final flush must come after it). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return; // the previous one is still writing: skip a beat rather than pile up
    this.running = this.flush()
      .catch((err: unknown) => this.logger.error('a periodic flush of the filters failed', { error: errorText(err) }))
      .finally(() => (this.running = undefined));
  }
}
