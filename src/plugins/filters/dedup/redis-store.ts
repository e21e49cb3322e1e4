/**
 * Shared seen-keys store in Redis. A batch's keys are looked up with one MGET; the keys of the
 * events that passed are recorded (`SET <prefix><key> 1 NX EX <ttl>`, pipelined) only once the
 * batch is acknowledged, so a re-run or a redelivery of an unacknowledged event is not taken for
 * its own duplicate. NX keeps the window counted from the first recorded sighting. Several
 * filter instances, workers, pipelines or hosts pointing at the same Redis and prefix share one
 * window.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { lazyRequire } from '../../../core/lazy.js';
import type { Logger } from '../../../core/logger.js';

const ioredis = lazyRequire<typeof import('ioredis')>('ioredis');

export interface RedisStoreSettings {
  url?: string | undefined;
  host: string;
  port: number;
  db: number;
  password?: string | undefined;
  keyPrefix: string;
  ttlSeconds: number;
  /** Bound on connect and on each command, in ms: past it the batch fails open. */
  timeoutMs: number;
}

/** Per key: true = duplicate, false = new, Error = the store could not answer. */
export type SeenResult = boolean | Error;

export class RedisDedupStore {
  readonly client: Redis;
  private lastErrorLog = 0;

  constructor(private readonly settings: RedisStoreSettings, private readonly logger: Logger) {
    const options: RedisOptions = {
      connectTimeout: settings.timeoutMs,
      commandTimeout: settings.timeoutMs,
      // Fail a command after one reconnect attempt instead of ioredis' 20: we fail open.
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      lazyConnect: false,
    };
    if (settings.password !== undefined) options.password = settings.password;
    if (settings.url !== undefined) {
      this.client = new (ioredis().Redis)(settings.url, options);
    } else {
      options.host = settings.host;
      options.port = settings.port;
      options.db = settings.db;
      this.client = new (ioredis().Redis)(options);
    }
    // Without a listener ioredis' 'error' events would crash the worker.
    this.client.on('error', (err: Error) => this.logError('dedup: Redis connection error', err));
  }

  /** Logs at most one error every 10 s: while Redis is down every batch fails. */
  logError(message: string, err: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = now;
    this.logger.error(message, { error: err });
  }

  /** Per key, whether it is recorded (a duplicate); an Error for every key when Redis cannot answer. */
  async lookup(keys: readonly string[]): Promise<SeenResult[]> {
    if (keys.length === 0) return [];
    const status = this.client.status;
    // While disconnected, answer at once rather than make every batch wait.
    if (status === 'reconnecting' || status === 'end' || status === 'close') {
      const err = new Error(`Redis is not connected (${status})`);
      return keys.map(() => err);
    }
    const prefix = this.settings.keyPrefix;
    try {
      const values = await this.client.mget(keys.map((k) => prefix + k));
      return values.map((v) => v !== null);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      return keys.map(() => err);
    }
  }

  /** Records keys whose events were acknowledged. Failures are logged (rate-limited), not thrown. */
  async record(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const { keyPrefix, ttlSeconds } = this.settings;
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.set(keyPrefix + key, '1', 'EX', ttlSeconds, 'NX');
    try {
      const replies = await pipeline.exec();
      const failed = replies?.find(([err]) => err)?.[0];
      if (failed) throw failed;
    } catch (e) {
      this.logError('dedup: could not record acknowledged keys in Redis; their repeats will pass', e instanceof Error ? e : new Error(String(e)));
    }
  }

  async close(): Promise<void> {
    try {
      if (this.client.status === 'ready') await this.client.quit();
      else this.client.disconnect();
    } catch {
      this.client.disconnect();
    }
  }
}
