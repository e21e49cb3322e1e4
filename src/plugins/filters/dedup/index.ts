/**
 * dedup (logpipe's own; Logstash has no such filter): drops an event whose key
 * (by default the `fingerprint` filter's output) was already seen within the
 * last `ttl` seconds, or tags it with `tag_on_duplicate` instead.
 *
 * Stores: `memory` (per filter instance, hence per pipeline worker; a bounded
 * LRU) and `redis` (shared by every worker, pipeline and host using the same
 * server and prefix). A store error never drops anything: the event passes
 * with `_dedup_store_error` (fail open).
 *
 * A key is recorded only once the event's batch is acknowledged
 * (PluginContext.deferUntilAcknowledged): until then it is held as in flight in
 * this worker, so repeats of it are still duplicates, but a watchdog re-run of
 * the batch or a redelivery after a crash finds nothing recorded and passes.
 * At-least-once therefore never turns into loss; the price is that two workers
 * (or hosts) handling the same key at the same moment may both pass it.
 * The common decorations (add_tag, ...) apply to duplicates, like Logstash's
 * throttle filter decorates throttled events; they are only visible with
 * `tag_on_duplicate`, since otherwise duplicates are dropped.
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import type { OptionsOf } from '../../../config/schema.js';
import { defineFilter, type Filter, type PluginContext } from '../../api.js';
import { compileKey } from './key.js';
import { MemoryDedupStore } from './memory-store.js';
import { RedisDedupStore } from './redis-store.js';

export { MemoryDedupStore } from './memory-store.js';
export { RedisDedupStore } from './redis-store.js';

export const DEDUP_STORE_ERROR = '_dedup_store_error';
export const DEDUP_KEY_MISSING = '_dedup_key_missing';

const options = {
  key: { type: 'string', description: 'sprintf template of the de-duplication key. Default: %{[fingerprint]} (ECS off) or %{[event][hash]} (ECS on), i.e. the fingerprint filter\'s target.' },
  ttl: { type: 'number', default: 600, description: 'Window in seconds: a key seen again within it is a duplicate. Counted from the first sighting.' },
  store: { type: 'string', values: ['memory', 'redis'], default: 'memory', description: 'memory: per worker, bounded LRU. redis: shared across workers, pipelines and hosts.' },
  max_entries: { type: 'number', default: 100_000, description: 'memory store: the most keys remembered; the least recently seen are forgotten first.' },
  redis_url: { type: 'password', description: 'redis store: connection URL (redis://[:password@]host:port/db); overrides host, port and db. Treated as a secret.' },
  host: { type: 'string', default: '127.0.0.1', description: 'redis store: server host.' },
  port: { type: 'number', default: 6379, description: 'redis store: server port.' },
  db: { type: 'number', default: 0, description: 'redis store: database number.' },
  password: { type: 'password', description: 'redis store: password (AUTH).' },
  key_prefix: { type: 'string', default: 'logpipe:dedup:', description: 'redis store: prefix of every key written.' },
  timeout: { type: 'number', default: 5, description: 'redis store: connect and command timeout in seconds; past it the batch passes through, tagged.' },
  tag_on_duplicate: { type: 'string_list', description: 'If set, duplicates are kept and get these tags instead of being dropped.' },
} as const;

export type DedupOptions = OptionsOf<typeof options>;

export interface DedupDeps {
  /** Clock for the memory store (ms since epoch); tests inject one. */
  now?: () => number;
}

export function createDedup(opts: DedupOptions, ctx: PluginContext, deps: DedupDeps = {}): Filter {
  const keyTemplate = opts.key ?? (ctx.ecs === 'disabled' ? '%{[fingerprint]}' : '%{[event][hash]}');
  const keyOf = compileKey(keyTemplate);
  if (!(opts.ttl > 0)) throw new ConfigError(`dedup: ttl must be a number of seconds > 0, got ${opts.ttl}`, ctx.location);
  const dupTags = opts.tag_on_duplicate && opts.tag_on_duplicate.length > 0 ? opts.tag_on_duplicate : undefined;

  /** What happens to a duplicate; returns whether it gets the decorations. */
  const onDuplicate = (event: Event): boolean => {
    if (dupTags) {
      for (const t of dupTags) event.tag(t);
      return true;
    }
    event.cancel();
    return false;
  };

  /** Keys of events passed in batches not yet acknowledged; their repeats are duplicates too. */
  const inFlight = new Set<string>();

  if (opts.store === 'memory') {
    if (!Number.isInteger(opts.max_entries) || opts.max_entries < 1) {
      throw new ConfigError(`dedup: max_entries must be a whole number >= 1, got ${opts.max_entries}`, ctx.location);
    }
    const store = new MemoryDedupStore(opts.ttl * 1000, opts.max_entries, deps.now);
    return {
      filter(event) {
        // Only reached if a caller bypasses filterBatch: no batch to defer the record to.
        event.tag(DEDUP_STORE_ERROR);
        return false;
      },
      filterBatch(events, matched) {
        const passed: string[] = [];
        for (const event of events) {
          const key = keyOf(event);
          if (key === undefined) {
            event.tag(DEDUP_KEY_MISSING);
          } else if (inFlight.has(key) || store.has(key)) {
            if (onDuplicate(event)) matched(event);
          } else {
            inFlight.add(key);
            passed.push(key);
          }
        }
        if (passed.length > 0) {
          ctx.deferUntilAcknowledged(() => {
            for (const key of passed) {
              store.seen(key);
              inFlight.delete(key);
            }
          });
        }
        return events;
      },
      close() {
        store.clear();
      },
    };
  }

  // Redis: EX takes whole seconds.
  if (!Number.isInteger(opts.ttl)) throw new ConfigError(`dedup: with store => redis, ttl must be whole seconds, got ${opts.ttl}`, ctx.location);
  if (!(opts.timeout > 0)) throw new ConfigError(`dedup: timeout must be > 0 seconds, got ${opts.timeout}`, ctx.location);
  const store = new RedisDedupStore({
    url: opts.redis_url?.reveal(),
    host: opts.host,
    port: opts.port,
    db: opts.db,
    password: opts.password?.reveal(),
    keyPrefix: opts.key_prefix,
    ttlSeconds: opts.ttl,
    timeoutMs: Math.round(opts.timeout * 1000),
  }, ctx.logger);

  return {
    filter(event) {
      // Only reached if a caller bypasses filterBatch: there is no synchronous
      // answer from Redis, so fail open as for any store error.
      event.tag(DEDUP_STORE_ERROR);
      return false;
    },
    async filterBatch(events, matched) {
      const keys: string[] = [];
      const owners: Event[] = [];
      for (const event of events) {
        const key = keyOf(event);
        if (key === undefined) {
          event.tag(DEDUP_KEY_MISSING);
          continue;
        }
        keys.push(key);
        owners.push(event);
      }
      const results = await store.lookup(keys);
      const passed: string[] = [];
      let firstError: Error | undefined;
      for (let i = 0; i < owners.length; i++) {
        const result = results[i];
        const event = owners[i]!;
        const key = keys[i]!;
        if (result instanceof Error || result === undefined) {
          firstError ??= result ?? new Error('no reply');
          event.tag(DEDUP_STORE_ERROR);
        } else if (result || inFlight.has(key)) {
          if (onDuplicate(event)) matched(event);
        } else {
          inFlight.add(key);
          passed.push(key);
        }
      }
      if (firstError) store.logError('dedup: Redis store failed; events passed through undeduplicated', firstError);
      if (passed.length > 0) {
        ctx.deferUntilAcknowledged(async () => {
          await store.record(passed);
          for (const key of passed) inFlight.delete(key);
        });
      }
      return events;
    },
    close() {
      return store.close();
    },
  };
}

export const dedupFilter = defineFilter({
  kind: 'filter',
  name: 'dedup',
  description: 'Drops (or tags) events whose key was already seen within a time window; memory or shared Redis store.',
  options,
  create: (opts, ctx) => createDedup(opts, ctx),
});
