/**
 * What every mode of the redis input shares: a stop switch that also cuts sleeps short, and the
 * read loop that reconnects after a failure. A server going away never ends the input: the loop
 * logs (rate-limited), waits RECONNECT_MS and connects again, to the next host of the list.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../../core/logger.js';
import { LogRateLimiter } from '../../../core/rate-limit.js';
import { Sleeps } from '../../../core/sleeps.js';
import type { RedisConnector } from '../../redis-connection.js';

/** Logstash's redis input waits a second before reconnecting. */
export const RECONNECT_MS = 1000;

/** Blocking reads (BLPOP, BLMOVE, XREADGROUP BLOCK) return after this long, so a stop is seen within it. */
export const BLOCK_SECONDS = 1;

export class StopSwitch {
  stopped = false;
  private readonly sleeps = new Sleeps();

  stop(): void {
    this.stopped = true;
    this.sleeps.interruptAll();
  }

  /** Resolves after `ms`, or at once on stop. */
  async sleep(ms: number): Promise<void> {
    if (!this.stopped) await this.sleeps.sleep(ms);
  }
}

const limiter = new LogRateLimiter();

/**
 * Runs `body` on a connection until the stop switch is set; when it throws (connection lost,
 * server restarting) the connection is dropped, and `onReconnect` runs on the next one before
 * `body` again.
 */
export async function readLoop(
  name: string,
  connector: RedisConnector,
  stop: StopSwitch,
  logger: Logger,
  body: (client: Redis) => Promise<void>,
  onReconnect?: (client: Redis) => Promise<void>,
): Promise<void> {
  let failed = false;
  while (!stop.stopped) {
    try {
      const client = await connector.get();
      if (failed) {
        logger.info('Redis reachable again; reading', { reader: name, host: connector.current?.host, port: connector.current?.port });
        await onReconnect?.(client);
        failed = false;
      }
      await body(client);
    } catch (err) {
      if (stop.stopped) break;
      failed = true;
      connector.reset();
      const held = limiter.allow(name);
      if (held !== undefined) logger.warn('Redis read failed; reconnecting', { reader: name, error: (err as Error).message, retry_in_ms: RECONNECT_MS, held_back: held });
      await stop.sleep(RECONNECT_MS);
    }
  }
}
