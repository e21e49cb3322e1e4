/**
 * For tests of the redis plugins: a client of the shared server (127.0.0.1:6379) that fails
 * rather than waits when it is missing, unique key prefixes removed after the run, private
 * redis-server instances (for fault tests that restart the server), and in-process pipelines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/core/logger.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { defaultSettings, type PipelineSettings } from '../../src/pipeline/settings.js';
import type { PluginRegistry } from '../../src/plugins/registry.js';

/** A client that fails at once when the server is away (so a missing Redis fails the test). */
export function client(port = 6379): Redis {
  return new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null, protocol: 2 });
}

/** A unique key prefix for one test file; `cleanup` deletes every key under it. */
export function keyPrefix(name: string): { prefix: string; cleanup: () => Promise<void> } {
  const prefix = `logpipe-test:${name}:${randomBytes(4).toString('hex')}:`;
  return {
    prefix,
    async cleanup() {
      const c = client();
      try {
        let cursor = '0';
        do {
          const [next, keys] = await c.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await c.del(...keys);
        } while (cursor !== '0');
      } catch {
        // Redis unreachable: the tests that needed it have failed already.
      } finally {
        c.disconnect();
      }
    },
  };
}

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'logpipe-redis-'));

import { sleep, waitFor } from './wait.js';
import { freePort } from './ports.js';

export { freePort };

/** A redis-server of our own, persisting every write (AOF, fsync always) under a temporary directory. */
export class PrivateRedis {
  private process: ChildProcess | undefined;
  readonly dir = tmp();
  /** With `tls`, the server speaks only TLS on `port`, with this certificate and key (PEM files), trusted through `ca`. */
  constructor(readonly port: number, readonly tls?: { cert: string; key: string; ca: string }) {}

  static async start(): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort());
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    const listen = this.tls
      ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', this.tls.cert, '--tls-key-file', this.tls.key, '--tls-ca-cert-file', this.tls.ca, '--tls-auth-clients', 'no']
      : ['--port', String(this.port)];
    const child = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', this.dir], { stdio: 'ignore' });
    this.process = child;
    await waitFor(`redis-server on port ${this.port}`, async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      const c = new Redis({ host: '127.0.0.1', port: this.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, ...(this.tls ? { tls: { ca: readFileSync(this.tls.ca) } } : {}) });
      c.on('error', () => undefined);
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        c.disconnect();
      }
    }, 10_000);
  }

  /** SIGTERM: Redis finishes the AOF and exits. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    this.process = undefined;
  }

  /** SIGSTOP / SIGCONT: a server that hangs without closing its connections. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async restart(downMs: number): Promise<void> {
    await this.stop();
    await sleep(downMs);
    await this.start();
  }
}

export function settings(overrides: Partial<PipelineSettings> = {}): PipelineSettings {
  return { ...defaultSettings(), workers: 1, threads: false, batchSize: 50, batchDelayMs: 5, shutdownTimeoutMs: 10_000, ...overrides };
}

/** A started pipeline running `text`; `done` resolves with its outcome. */
export async function startPipeline(text: string, overrides: Partial<PipelineSettings> = {}, registry?: PluginRegistry): Promise<{ pipeline: Pipeline; done: Promise<string> }> {
  const pipeline = new Pipeline([{ name: 'test.conf', text }], settings(overrides), createLogger('fatal'), registry);
  await pipeline.start();
  return { pipeline, done: pipeline.run() };
}

/** Runs `text` until its inputs end and it drained. */
export async function runPipeline(text: string, overrides: Partial<PipelineSettings> = {}): Promise<string> {
  const { done } = await startPipeline(text, overrides);
  return done;
}

/**
 * The `sequence` of each whole JSON line of a file (missing file: none). A last line without its
 * newline is left out: a writer (or a process killed) is in the middle of it.
 */
export function sequences(path: string): number[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop();
  return lines.filter((l) => l.length > 0).map((l) => (JSON.parse(l) as { sequence: number }).sequence);
}

/** The numbers 0..n-1 missing from `seen`. */
export function missing(seen: Iterable<number>, n: number): number[] {
  const set = new Set(seen);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!set.has(i)) out.push(i);
  return out;
}
