/**
 * Redis list round trip: stdin → redis output (RPUSH) in one logpipe, then redis input (LPOP) →
 * null in another, beside the raw ioredis client pushing the same JSON documents and popping
 * them (baselines/redis-list.ts). Each phase is timed on its own; the consumer, which never ends
 * by itself, gets SIGTERM once the list is empty and counts until it has drained and exited.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Measurement } from './run.js';
import type { Scenario } from './scenarios.js';

export const redisScenario: Scenario = {
  name: 'redis',
  async run(t) {
    // The whole log (1 M lines by default): with 200 k, logpipe's fixed start-up (~0.7 s per
    // process, two processes) weighed more than the work and the ratio said little.
    const events = t.lines;
    const log = await t.accessLog(events);
    const size = statSync(log).size;
    const redis = new Redis({ host: '127.0.0.1', port: 6379, protocol: 2, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const key = `logpipe-bench:redis:${process.pid}`;
    const baselineScript = join(t.root, 'dist', 'bench', 'baselines', 'redis-list.js');
    const total = (a: Measurement, b: Measurement): Measurement => ({ seconds: a.seconds + b.seconds, peakRssMb: Math.max(a.peakRssMb, b.peakRssMb), code: a.code || b.code, stderr: a.stderr + b.stderr });
    try {
      await redis.del(key);
      const basePush = await t.measure([baselineScript, 'push', key], { stdinFile: log });
      const basePop = await t.measure([baselineScript, 'pop', key]);
      const base = total(basePush, basePop);
      t.printRow({ scenario: 'redis list round trip', variant: 'baseline (ioredis)', events, bytes: size, m: base });

      for (const workers of [1, 2]) {
        await redis.del(key);
        const push = await t.measure([t.logpipe, 'run', '-w', String(workers), '--log.level', 'warn',
          '-e', `input { stdin { } } output { redis { data_type => "list" key => "${key}" batch => true batch_events => 500 } }`], { stdinFile: log });
        const length = await redis.llen(key);
        if (length !== events) push.code = push.code || 98;
        t.printRow({ scenario: 'redis list push', variant: `logpipe -w ${workers}`, events, bytes: size, m: push, baseline: basePush });
        let polling: NodeJS.Timeout | undefined;
        const pop = await t.measure([t.logpipe, 'run', '-w', String(workers), '--log.level', 'warn',
          '-e', `input { redis { data_type => "list" key => "${key}" batch_count => 500 } } output { null { } }`], {
          onSpawn(child) {
            polling = setInterval(() => {
              void redis.llen(key).then((n) => {
                if (n === 0) {
                  clearInterval(polling);
                  child.kill('SIGTERM');
                }
              });
            }, 20);
          },
        });
        clearInterval(polling);
        t.printRow({ scenario: 'redis list pop → null', variant: `logpipe -w ${workers}`, events, bytes: size, m: pop, baseline: basePop });
        t.printRow({ scenario: 'redis list round trip', variant: `logpipe -w ${workers}`, events, bytes: size, m: total(push, pop), baseline: base });
      }
    } finally {
      await redis.del(key).catch(() => undefined);
      redis.disconnect();
    }
  },
};
