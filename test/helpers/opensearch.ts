/**
 * A private single-node OpenSearch for integration tests, run from the jars that
 * test/servers/opensearch/install.sh resolved from Maven Central (CI: .ci/services.d/30-opensearch.sh).
 * Each node has its own directory and HTTP port; `kill()` is a crash (SIGKILL of the JVM itself),
 * `start()` again on the same node is a restart with the data kept. Startup takes ~12–40 s on this
 * machine, so a test file starts one node and shares it between its tests (unique index names).
 * Missing jars FAIL with the command to run: tests never skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited } from './processes.js';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const serverDir = join(repoRoot, 'test/servers/opensearch');

export interface OpenSearchOptions {
  /** Extra node settings (`-E` flags), e.g. a tiny write queue to force 429s. */
  settings?: Record<string, string | number>;
  /** Extra JVM flags (OPENSEARCH_JAVA_OPTS), e.g. the full JIT for a benchmark. */
  javaOpts?: string;
}

/** Settings that make the write thread pool reject bulk items under a modest load (HTTP 429 per item). */
export const TINY_WRITE_QUEUE = { 'thread_pool.write.size': 1, 'thread_pool.write.queue_size': 1 } as const;

export function openSearchVersion(): string {
  const pom = readFileSync(join(serverDir, 'pom.xml'), 'utf8');
  const match = /<opensearch\.version>([^<]+)<\/opensearch\.version>/.exec(pom);
  if (!match) throw new Error(`no <opensearch.version> in ${serverDir}/pom.xml`);
  return match[1]!;
}

function installedHome(): string {
  const root = process.env['LOGPIPE_TEST_SERVERS'] ?? join(homedir(), '.cache/logpipe-test-servers');
  const home = join(root, `opensearch-${openSearchVersion()}`);
  if (!existsSync(join(home, '.complete'))) {
    throw new Error(`OpenSearch ${openSearchVersion()} is not installed in ${home}: run test/servers/opensearch/install.sh (CI runs .ci/services.d/30-opensearch.sh)`);
  }
  return home;
}

let sigtermHooked = false;

/** SIGTERM ends the process through exit(), so the 'exit' hooks that kill the nodes run. */
function exitOnSigterm(): void {
  if (sigtermHooked) return;
  sigtermHooked = true;
  process.once('SIGTERM', () => process.exit(143));
}

/** Test-side requests to Elasticsearch or OpenSearch (set-up and assertions), on fetch. */
export class SearchClient {
  constructor(readonly url: string) {}

  /** A JSON request to the server (test assertions and set-up). */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(`${this.url}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Refreshes then counts the documents of `index` (a name, pattern or data stream). */
  async count(index: string): Promise<number> {
    await this.request('POST', `/${index}/_refresh`);
    const { body } = await this.request<{ count: number }>('GET', `/${index}/_count`);
    return body.count;
  }

  /** Every document's `_source` of `index` (up to 10 000), after a refresh. */
  async documents<T = Record<string, unknown>>(index: string): Promise<Array<{ _id: string; _index: string; _source: T }>> {
    await this.request('POST', `/${index}/_refresh`);
    const { body } = await this.request<{ hits: { hits: Array<{ _id: string; _index: string; _source: T }> } }>('POST', `/${index}/_search?size=10000`, { query: { match_all: {} } });
    return body.hits.hits;
  }
}

export class OpenSearchNode extends SearchClient {
  private jvm: ChildProcess | undefined;

  private constructor(readonly dir: string, readonly port: number, private readonly settings: Record<string, string | number>, private readonly javaOpts: string) {
    super(`http://127.0.0.1:${port}`);
  }

  static async start(options: OpenSearchOptions = {}): Promise<OpenSearchNode> {
    installedHome();
    const node = new OpenSearchNode(mkdtempSync(join(tmpdir(), 'logpipe-opensearch-')), await freePort(), options.settings ?? {}, options.javaOpts ?? '');
    await node.start();
    return node;
  }

  async start(): Promise<void> {
    const flags = Object.entries(this.settings).map(([key, value]) => `-E${key}=${value}`);
    const log = openSync(join(this.dir, 'node.log'), 'a');
    const jvm = spawn(join(serverDir, 'start.sh'), [this.dir, String(this.port), ...flags], { stdio: ['ignore', log, log], env: { ...process.env, OPENSEARCH_JAVA_OPTS: this.javaOpts } });
    closeSync(log);
    this.jvm = jvm;
    // A test process that ends without destroy() (a crash, a failed before hook, the test runner's
    // timeout SIGTERM) takes its node along.
    exitOnSigterm();
    const reap = (): void => void jvm.kill('SIGKILL');
    process.once('exit', reap);
    jvm.once('exit', () => process.off('exit', reap));
    await waitFor(`OpenSearch on port ${this.port}`, async () => {
      if (jvm.exitCode !== null || jvm.signalCode !== null) {
        throw new Error(`OpenSearch exited during startup (${jvm.exitCode ?? jvm.signalCode}): ${this.logTail()}`);
      }
      return this.healthy();
    }, 180_000);
  }

  /** Yellow or green: the node elected itself and accepts writes. */
  private async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/_cluster/health`);
      if (!response.ok) return false;
      const health = (await response.json()) as { status?: string };
      return health.status === 'green' || health.status === 'yellow';
    } catch {
      return false;
    }
  }

  logTail(): string {
    try {
      return readFileSync(join(this.dir, 'node.log'), 'utf8').slice(-3000);
    } catch {
      return '(no log)';
    }
  }

  /** SIGKILL of the JVM (a crash) or SIGTERM (a clean stop); resolves once it has exited. */
  async kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    const jvm = this.jvm;
    if (!jvm) return;
    if (jvm.exitCode === null && jvm.signalCode === null) jvm.kill(signal);
    await exited(jvm);
    this.jvm = undefined;
  }

  async destroy(): Promise<void> {
    await this.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A unique lowercase name (indices, templates) so tests sharing a node never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
