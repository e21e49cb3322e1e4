/**
 * The logstash output's main-thread half. A write is cut into windows of at most bulk_max_size
 * events, sent concurrently over the host pool; a window whose connection fails goes on from its
 * first unacknowledged event on another host. The write resolves only when every event was
 * ACKed; what could not be delivered on any host is handed back for a retry (the events that
 * were ACKed are not sent again), or the write rejects retryable when nothing was.
 */
import type { Logger } from '../../../core/logger.js';
import { OutputError, type OutputSink, type RetryPolicy, type WriteResult } from '../../api.js';
import { SendFailure, prepareWindow, type EventDocuments } from '../../../protocols/lumberjack/client.js';
import { documentBuffers } from './document-buffers.js';
import type { HostPool } from './hosts.js';

export interface LogstashSinkSettings {
  /** Most events per window (≤0: one window per write). */
  windowEvents: number;
  retry: RetryPolicy;
  /** Writes in flight: the windows the connections may have unacknowledged, and those being compressed ahead. */
  concurrency: number;
  /** zlib level of every client of the pool (the window is encoded before a client is picked). */
  compressionLevel: number;
}

export class LogstashSink implements OutputSink {
  readonly retry: RetryPolicy;
  readonly concurrency: number;

  constructor(private readonly pool: HostPool, private readonly settings: LogstashSinkSettings, private readonly logger: Logger) {
    this.retry = settings.retry;
    this.concurrency = settings.concurrency;
  }

  async write(data: unknown): Promise<WriteResult | void> {
    if (data === undefined) return;
    const docs = data as EventDocuments;
    const n = docs.ends.length;
    const size = this.settings.windowEvents > 0 ? this.settings.windowEvents : n;
    const windows: Promise<{ from: number; to: number; delivered: number; error?: string }>[] = [];
    for (let from = 0; from < n; from += size) windows.push(this.sendWindow(docs, from, Math.min(n, from + size)));
    const results = await Promise.all(windows);
    const undelivered: number[] = [];
    let errors = '';
    for (const r of results) {
      for (let i = r.from + r.delivered; i < r.to; i++) undelivered.push(i);
      if (r.error && !errors.includes(r.error)) errors += (errors ? '; ' : '') + r.error;
    }
    if (undelivered.length === 0) {
      documentBuffers.give(docs.bytes); // the fused step's buffer (others are ignored): nothing reads it now
      return;
    }
    if (undelivered.length === n) throw new OutputError(`no host acknowledged the events: ${errors}`, 'retryable');
    return { retry: { data: subset(docs, undelivered), indexes: undelivered } };
  }

  async close(): Promise<void> {
    this.pool.close();
  }

  /** Sends events [from, to) until ACKed, moving to another host after a failure; returns how many were delivered. */
  private async sendWindow(docs: EventDocuments, from: number, to: number): Promise<{ from: number; to: number; delivered: number; error?: string }> {
    const failed = new Set<string>();
    let start = from;
    let error: string | undefined;
    // Compressing starts now, while the window may still wait for room in a connection's pipeline.
    const prepared = prepareWindow(docs, from, to, this.settings.compressionLevel);
    let sentOnce = false;
    while (start < to) {
      const client = await this.pool.acquire(failed);
      if (client === undefined) break;
      try {
        await client.send(docs, start, to, 1, prepared);
        sentOnce = failed.size === 0;
        start = to;
      } catch (err) {
        if (!(err instanceof SendFailure)) throw err;
        start += err.delivered;
        failed.add(client.address);
        error = err.message;
        this.logger.warn(`logstash: sending to ${client.address} failed; ${to - start} event(s) of the window will go to another host or be retried`, {
          error: err.message, delivered: err.delivered,
        });
      }
    }
    // Acknowledged on the first host tried: no failed socket can still be writing the frames.
    if (sentOnce) prepared.release();
    return error === undefined ? { from, to, delivered: start - from } : { from, to, delivered: start - from, error };
  }
}

/** The documents at `indexes`, as a new payload. */
function subset(docs: EventDocuments, indexes: number[]): EventDocuments {
  let total = 0;
  for (const i of indexes) total += docs.ends[i]! - (i === 0 ? 0 : docs.ends[i - 1]!);
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(indexes.length);
  let at = 0;
  indexes.forEach((i, k) => {
    const start = i === 0 ? 0 : docs.ends[i - 1]!;
    bytes.set(docs.bytes.subarray(start, docs.ends[i]!), at);
    at += docs.ends[i]! - start;
    ends[k] = at;
  });
  return { bytes, ends };
}
