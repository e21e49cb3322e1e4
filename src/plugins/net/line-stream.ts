/**
 * A connection's bytes → payloads of whole lines (tcp input, newline-framed syslog): the
 * connection handler for protocols/net/tcp-connection.ts.
 *
 * Lines gather (core/lines.ts LineChunker: at most `maxLines` lines or ~PAYLOAD_TARGET_BYTES per
 * payload, a line longer than `maxLineBytes` cut there and the rest of it dropped) and are pushed
 * when a payload is full or the connection goes quiet for QUIET_FLUSH_MS. A push waits while the
 * pipeline's queue is full, and the connection does not read meanwhile. When the connection ends,
 * what it sent is pushed, an unterminated last line included (as Logstash's line codec flushes
 * at close).
 */
import { LineChunker, type LineChunk } from '../../core/lines.js';
import { LogRateLimiter } from '../../core/rate-limit.js';
import type { Logger } from '../../core/logger.js';
import type { ConnectionHandler } from '../../protocols/net/tcp-connection.js';
import { PAYLOAD_TARGET_BYTES, type InputSink } from '../api.js';
import { TRUNCATED_TAG } from '../line-payloads.js';
import type { MultilineStreamSettings } from '../codecs/multiline.js';
import type { CharsetStream, TextCharset } from '../codecs/charset.js';
import { MultilineBoundary } from '../multiline-stream.js';

/** How long a connection may be quiet before the lines it sent are handed over. */
export const QUIET_FLUSH_MS = 10;

export interface LineStreamOptions {
  sink: InputSink;
  maxLines: number;
  maxLineBytes: number;
  /** Pushes one chunk (the caller adds the connection's metadata to the payload). */
  push(sink: InputSink, chunk: LineChunk): Promise<void>;
  logger: Logger;
  label: string;
  /** Shared by the input's connections: one truncation warning per 10 s in all. */
  limiter: LogRateLimiter;
  /** With a multiline codec: payloads are cut only between its events, per connection. */
  multiline?: MultilineStreamSettings;
  /**
   * The codec's charset when not UTF-8: each read becomes UTF-8 before lines are cut, so lines are
   * cut on decoded text (a UTF-16 "\n" is two bytes, and its NUL must not start the next line).
   */
  charset?: TextCharset | undefined;
}

export class LineStreamHandler implements ConnectionHandler {
  private readonly chunker: LineChunker;
  private readonly ready: LineChunk[] = [];
  private readonly collect = (c: LineChunk): void => void this.ready.push(c);
  /** Pushes in progress, in order (data, quiet flushes, the end). */
  private chain: Promise<void> = Promise.resolve();
  /** Steps queued or running on `chain`. */
  private inFlight = 0;
  private quiet: NodeJS.Timeout | undefined;
  private lastReadAt = 0;
  /** The last read left complete lines: a quiet spell after it hands them over. */
  private quietFlushDue = false;
  private reportedTruncations = 0;
  private readonly boundary: MultilineBoundary | undefined;
  private autoFlush: NodeJS.Timeout | undefined;
  private readonly toUtf8: CharsetStream | undefined;

  constructor(private readonly o: LineStreamOptions) {
    // Socket reads are fresh buffers, never reused: the chunker holds views of them, not copies.
    this.chunker = new LineChunker(PAYLOAD_TARGET_BYTES, { maxLines: o.maxLines, maxLineBytes: o.maxLineBytes, borrowInput: true });
    this.boundary = o.multiline ? new MultilineBoundary(o.multiline) : undefined;
    this.toUtf8 = o.charset?.streamToUtf8();
  }

  data(chunk: Buffer): void | Promise<void> {
    this.lastReadAt = performance.now();
    clearTimeout(this.autoFlush);
    this.chunker.push(this.toUtf8 ? this.toUtf8.push(chunk) : chunk, this.collect);
    this.reportTruncations();
    this.quietFlushDue = this.chunker.hasCompleteLines;
    if (this.quietFlushDue) this.quiet ??= setTimeout(this.onQuiet, QUIET_FLUSH_MS);
    // Most reads complete no payload: no promise, no pause.
    if (this.ready.length === 0 && this.inFlight === 0) return undefined;
    return this.enqueue(() => this.pushReady());
  }

  end(): Promise<void> {
    clearTimeout(this.quiet);
    clearTimeout(this.autoFlush);
    return this.enqueue(async () => {
      if (this.toUtf8) this.chunker.push(this.toUtf8.end(), this.collect);
      this.chunker.end(this.collect);
      this.reportTruncations();
      await this.pushReady();
      const held = this.boundary?.release();
      if (held) await this.o.push(this.o.sink, held);
    });
  }

  /**
   * The quiet timer: the lines held are handed over QUIET_FLUSH_MS after the last read that left
   * complete lines. One timer per quiet spell, not one per read: a read only moves `lastReadAt`,
   * and the timer waits again for what is left (re-arming a timer per 64 KiB read cost ~5% of
   * the reading thread on tcp → null).
   */
  private readonly onQuiet = (): void => {
    const quietFor = performance.now() - this.lastReadAt;
    if (quietFor < QUIET_FLUSH_MS) {
      this.quiet = setTimeout(this.onQuiet, QUIET_FLUSH_MS - quietFor);
      return;
    }
    this.quiet = undefined;
    if (!this.quietFlushDue) return;
    void this.enqueue(async () => {
      this.chunker.flush(this.collect);
      await this.pushReady();
    });
  };

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.inFlight++;
    const next = this.chain.then(step).finally(() => void this.inFlight--);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async pushReady(): Promise<void> {
    while (this.ready.length > 0) {
      const chunk = this.boundary ? this.boundary.take(this.ready.shift()!) : this.ready.shift()!;
      if (chunk) await this.o.push(this.o.sink, chunk);
    }
    this.armAutoFlush();
  }

  /** auto_flush_interval: an event whose next line is late is handed over. */
  private armAutoFlush(): void {
    const ms = this.o.multiline?.autoFlushMs;
    if (ms === undefined || !this.boundary?.holding) return;
    clearTimeout(this.autoFlush);
    this.autoFlush = setTimeout(() => {
      void this.enqueue(async () => {
        const held = this.boundary!.release();
        if (held) await this.o.push(this.o.sink, held);
      });
    }, ms);
  }

  private reportTruncations(): void {
    const total = this.chunker.truncatedLines;
    if (total === this.reportedTruncations) return;
    const suppressed = this.o.limiter.allow('truncated');
    if (suppressed === undefined) return;
    this.o.logger.warn(`${this.o.label}: ${total - this.reportedTruncations} line(s) longer than max_bytes were cut and tagged ${TRUNCATED_TAG}`, {
      max_bytes: this.o.maxLineBytes, discarded_bytes: this.chunker.discardedBytes,
    });
    this.reportedTruncations = total;
  }
}
