/**
 * The redis output's main-thread half: one MULTI … EXEC per write, resolved once Redis replied.
 *
 * MULTI makes a write all or nothing as far as a lost connection goes: if the connection drops
 * before EXEC reached the server nothing was pushed, so the retry does not duplicate half a
 * batch (a reply lost after EXEC still means the retry duplicates the whole batch: at least once).
 * A command Redis refuses inside the transaction (WRONGTYPE: the key holds another type) fails
 * only the events of that command, for good; the rest of the write stands.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../../core/logger.js';
import { LogRateLimiter } from '../../../core/rate-limit.js';
import { OutputError, type OutputSink, type RetryPolicy, type WriteResult } from '../../api.js';
import type { RedisConnector } from '../../redis-connection.js';
import { chunkValues, type KeyChunk } from './chunks.js';

export type OutputDataType = 'list' | 'channel' | 'stream';

export interface RedisSinkSettings {
  dataType: OutputDataType;
  /** list: at most this many values per RPUSH; 1 = one RPUSH per event (Logstash's batch => false). */
  valuesPerPush: number;
  /** list: wait while a key holds more than this many values; 0 = never wait. */
  congestionThreshold: number;
  congestionIntervalMs: number;
  /** stream: XADD … MAXLEN ~ this; 0 = no trimming. */
  streamMaxlen: number;
  streamField: string;
  retry: RetryPolicy;
}

/** Enough to cover a loopback or LAN round trip at the batch sizes pipelines use. */
const WRITES_IN_FLIGHT = 4;

export class RedisSink implements OutputSink {
  readonly retry: RetryPolicy;
  /**
   * Writes in flight. They share one connection, and ioredis sends each MULTI … EXEC in one go,
   * so Redis applies them in the order they were started: several in flight hide the round trip
   * without reordering. With a congestion threshold one at a time, so the check holds for the
   * write that follows it.
   */
  readonly concurrency: number;
  private closed = false;
  private wakeClosed: (() => void) | undefined;
  private readonly logLimiter = new LogRateLimiter();

  constructor(private readonly connector: RedisConnector, private readonly settings: RedisSinkSettings, private readonly logger: Logger) {
    this.retry = settings.retry;
    this.concurrency = settings.dataType === 'list' && settings.congestionThreshold > 0 ? 1 : WRITES_IN_FLIGHT;
  }

  async write(data: unknown): Promise<WriteResult | void> {
    const chunks = data as KeyChunk[] | undefined;
    if (!chunks || chunks.length === 0) return;
    const client = await this.connection();
    try {
      if (this.settings.dataType === 'list' && this.settings.congestionThreshold > 0) await this.waitWhileCongested(client, chunks);
      return await this.push(client, chunks);
    } catch (err) {
      if (err instanceof OutputError) throw err;
      // The connection is in an unknown state (a timeout, a reset): start afresh on the next try.
      this.connector.reset();
      throw new OutputError(`Redis write failed: ${(err as Error).message}`, 'retryable', { cause: err });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeClosed?.();
    await this.connector.close();
  }

  private async connection(): Promise<Redis> {
    try {
      return await this.connector.get();
    } catch (err) {
      throw new OutputError((err as Error).message, 'retryable', { cause: err });
    }
  }

  private async push(client: Redis, chunks: KeyChunk[]): Promise<WriteResult | void> {
    const { dataType, valuesPerPush, streamMaxlen, streamField } = this.settings;
    const multi = client.multi();
    /** Per command queued: the positions of the events it carries. */
    const carried: { chunk: KeyChunk; from: number; to: number }[] = [];
    for (const chunk of chunks) {
      const values = chunkValues(chunk);
      if (dataType === 'list') {
        for (let from = 0; from < values.length; from += valuesPerPush) {
          const to = Math.min(values.length, from + valuesPerPush);
          multi.rpush(chunk.key, ...values.slice(from, to));
          carried.push({ chunk, from, to });
        }
      } else {
        for (let i = 0; i < values.length; i++) {
          if (dataType === 'channel') multi.publish(chunk.key, values[i]!);
          else if (streamMaxlen > 0) multi.xadd(chunk.key, 'MAXLEN', '~', streamMaxlen, '*', streamField, values[i]!);
          else multi.xadd(chunk.key, '*', streamField, values[i]!);
          carried.push({ chunk, from: i, to: i + 1 });
        }
      }
    }
    const replies = await multi.exec();
    // A null reply means the transaction was aborted (a WATCH we do not use): nothing was written.
    if (replies === null) throw new OutputError('Redis aborted the transaction', 'retryable');
    let failed: NonNullable<WriteResult['failed']> | undefined;
    for (let c = 0; c < replies.length; c++) {
      const err = replies[c]![0];
      if (!err) continue;
      const { chunk, from, to } = carried[c]!;
      for (let i = from; i < to; i++) (failed ??= []).push({ index: chunk.positions[i]!, reason: `Redis refused the ${dataType === 'list' ? 'RPUSH' : dataType === 'channel' ? 'PUBLISH' : 'XADD'} to "${chunk.key}": ${err.message}` });
    }
    return failed ? { failed } : undefined;
  }

  /**
   * Backpressure: while any list of the write is longer than the threshold, wait and look again.
   * Checked before every write (not once per interval as Logstash does), so with one logpipe
   * pushing, a list never exceeds the threshold by more than one write's events.
   */
  private async waitWhileCongested(client: Redis, chunks: KeyChunk[]): Promise<void> {
    const { congestionThreshold, congestionIntervalMs } = this.settings;
    const keys = [...new Set(chunks.map((c) => c.key))];
    let since: number | undefined;
    for (;;) {
      const check = client.pipeline();
      for (const key of keys) check.llen(key);
      const lengths = (await check.exec()) ?? [];
      const congested: string[] = [];
      lengths.forEach(([err, length], i) => {
        // A key of another type is not a congested list; its RPUSH fails and says why.
        if (!err && (length as number) > congestionThreshold) congested.push(keys[i]!);
      });
      if (congested.length === 0) {
        if (since !== undefined) this.logger.info('Redis list below congestion_threshold again; pushing', { waited_ms: Date.now() - since });
        return;
      }
      since ??= Date.now();
      if (this.logLimiter.allow('congested') !== undefined) {
        this.logger.warn('Redis list longer than congestion_threshold; waiting before pushing', { keys: congested, congestion_threshold: congestionThreshold });
      }
      if (this.closed) throw new OutputError('output closing while Redis is congested', 'retryable');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, congestionIntervalMs);
        this.wakeClosed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeClosed = undefined;
    }
  }
}
