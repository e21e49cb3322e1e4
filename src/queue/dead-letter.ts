/**
 * The failure path: where an event goes when an output can never write it (the encoder refused
 * it, the server rejected it for good, the retries ran out). It is logged with the reason,
 * counted per output and, when `failed_events.path` is set, appended as a JSON line to that file;
 * then it counts as done, so the pipeline never blocks on it and never drops it silently. A
 * persisted dead-letter queue will implement the same interface.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../core/logger.js';
import { LogRateLimiter } from '../core/rate-limit.js';

export interface FailedEvent {
  /** The output's plugin id. */
  output: string;
  reason: string;
  /** The event as the output saw it (JSON text where possible); absent when the output cannot say. */
  event?: string | undefined;
}

export interface FailurePath {
  /** Records failures; resolves once they are kept (or reported as lost in the log). Never rejects. */
  record(failures: FailedEvent[]): Promise<void>;
  /** Failed events per output id. */
  readonly counts: ReadonlyMap<string, number>;
}

export class FailedEventsLog implements FailurePath {
  readonly counts = new Map<string, number>();
  /** One log line per output per interval, with how many were not logged in between. */
  private readonly limiter: LogRateLimiter;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly pipelineId: string,
    private readonly logger: Logger,
    /** failed_events.path; undefined: log and count only. */
    private readonly path?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.limiter = new LogRateLimiter(10_000, now);
  }

  async record(failures: FailedEvent[]): Promise<void> {
    if (failures.length === 0) return;
    for (const f of failures) {
      this.counts.set(f.output, (this.counts.get(f.output) ?? 0) + 1);
      this.log(f);
    }
    if (!this.path) return;
    const at = new Date(this.now()).toISOString();
    const lines = failures.map((f) => JSON.stringify({
      '@timestamp': at, pipeline: this.pipelineId, plugin_id: f.output, reason: f.reason, event: parseOrText(f.event),
    }) + '\n').join('');
    try {
      this.ready ??= mkdir(dirname(this.path), { recursive: true }).then(() => {});
      await this.ready;
      await appendFile(this.path, lines);
    } catch (err) {
      // Not silent: the events themselves go to the log.
      this.ready = undefined;
      this.logger.error('could not write failed events to failed_events.path; they are logged here instead', {
        path: this.path, error: err, events: lines,
      });
    }
  }

  private log(f: FailedEvent): void {
    const suppressed = this.limiter.allow(f.output);
    if (suppressed === undefined) return;
    this.logger.error('an output failed an event for good; it goes to the failure path', {
      output: f.output, reason: f.reason, ...(suppressed > 0 ? { more_since_last_report: suppressed } : {}),
      ...(this.path ? { written_to: this.path } : {}),
    });
  }
}

function parseOrText(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
