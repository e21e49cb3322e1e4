/**
 * logstash output: ships events over the Lumberjack v2 protocol (src/protocols/lumberjack), what
 * Filebeat's output.logstash does. The encoder (worker) makes each event the JSON document a Beat
 * sends (encoder.ts); the sink (main thread) sends windows over the host pool (hosts.ts, sink.ts)
 * and resolves a write only once every event of it was ACKed. Behind the agent's plain file
 * inputs the worker skips Events altogether (fuse.ts).
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../core/errors.js';
import { defineOutput } from '../../api.js';
import { logstashEncoder } from './encoder.js';
import { fuseLogstash } from './fuse.js';
import { HostPool, parseHost } from './hosts.js';
import { LOGSTASH_OUTPUT_OPTIONS } from './options.js';
import { LogstashSink } from './sink.js';
import { clientTls } from './tls.js';
import { parseDuration } from '../../../config/schema.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const logstashOutput = defineOutput({
  kind: 'output',
  name: 'logstash',
  description: 'Ships events to Logstash or another Beats receiver over the Lumberjack v2 protocol (Filebeat\'s output.logstash): windows, compression, TLS, load balancing, retries until acknowledged.',
  options: LOGSTASH_OUTPUT_OPTIONS,
  createEncoder(options) {
    return logstashEncoder({ index: options.index, version: VERSION, escapeHtml: options.escape_html });
  },
  fuse(options, _ctx, upstream) {
    return fuseLogstash({ index: options.index, version: VERSION, escapeHtml: options.escape_html }, upstream);
  },
  createSink(options, ctx) {
    const fail = (message: string): never => {
      throw new ConfigError(`logstash: ${message}`, ctx.location);
    };
    if (!options.enabled) fail('enabled is false: remove the output instead');
    if (options.hosts.length === 0) fail('hosts is empty');
    const hosts = options.hosts.map((h) => parseHost(h, ctx.location));
    const worker = options.workers ?? options.worker;
    if (!(Number.isInteger(worker) && worker >= 1)) fail(`worker must be a whole number ≥ 1, got ${worker}`);
    if (!(Number.isInteger(options.pipelining) && options.pipelining >= 0)) fail(`pipelining must be a whole number ≥ 0, got ${options.pipelining}`);
    if (!(Number.isInteger(options.compression_level) && options.compression_level >= 0 && options.compression_level <= 9)) fail(`compression_level must be 0–9, got ${options.compression_level}`);
    if (!(options.timeout > 0)) fail('timeout must be positive');
    if (!(Number.isInteger(options.max_retries) && options.max_retries >= -1)) fail(`max_retries must be -1 (until delivered) or a whole number ≥ 0, got ${options.max_retries}`);
    const backoff = options.backoff;
    for (const key of Object.keys(backoff)) if (key !== 'init' && key !== 'max') fail(`unknown backoff option "${key}" (init, max)`);
    const duration = (value: unknown, fallback: number, name: string): number => {
      if (value === undefined) return fallback;
      try {
        return parseDuration(value);
      } catch (err) {
        return fail(`${name}: ${(err as Error).message}`);
      }
    };
    const backoffInitMs = duration(backoff['init'], 1000, 'backoff.init');
    const backoffMaxMs = Math.max(backoffInitMs, duration(backoff['max'], 60_000, 'backoff.max'));
    const tls = clientTls(options.ssl, ctx.location, (m) => ctx.logger.warn(m));
    const pool = new HostPool(hosts, worker, {
      timeoutMs: options.timeout,
      compressionLevel: options.compression_level,
      pipelining: Math.max(1, options.pipelining),
      ttlMs: Math.max(0, options.ttl),
      backoffInitMs,
      backoffMaxMs,
    }, tls, options.loadbalance);
    const connections = options.loadbalance ? hosts.length * worker : worker;
    return new LogstashSink(pool, {
      windowEvents: options.bulk_max_size,
      // max_retries counts retries after the first attempt; -1 = until delivered (maxAttempts 0).
      retry: { initialMs: backoffInitMs, maxMs: backoffMaxMs, maxAttempts: options.max_retries < 0 ? 0 : options.max_retries + 1 },
      // One window more per connection than its pipeline holds: it is compressed (on the thread
      // pool) while the others wait for their ACKs, so the next write never waits for a deflate.
      concurrency: connections * (Math.max(1, options.pipelining) + 1),
      compressionLevel: options.compression_level,
    }, ctx.logger);
  },
});
