/**
 * Where a ruby filter's interpreter runs, and how a runaway script is stopped.
 *
 * - In a watched worker thread (the usual case) the interpreter runs in the thread itself,
 *   one call per batch; the pipeline's watchdog cuts the thread off when the script stops
 *   making progress (see index.ts for the heartbeat), and the batch comes back guarded.
 * - Otherwise (a guarded re-run, `--no-threads`, `check`, tests) the interpreter runs in a
 *   helper thread: WebAssembly cannot be interrupted from inside its own thread, but a helper
 *   can be terminated. The helper counts events in shared memory; an event that does not
 *   finish within timeout_ms gets the helper terminated, and the batch is run again without
 *   that event on a fresh helper (nothing of the abandoned run was applied).
 */
import { Worker } from 'node:worker_threads';
import { RubyRuntime, rubyModule, type RubyBatchResult, type RubyLogLine } from './runtime.js';

/** How a filter's interpreter is set up: inline code or a path script. */
export type RubySetup =
  | { id: string; kind: 'inline'; init: string | undefined; code: string; label: string }
  | { id: string; kind: 'script'; source: string; path: string; params: Record<string, unknown> };

/** Result of a batch run, with the indexes (into the events given) of the events cut off. */
export interface EngineResult {
  result: RubyBatchResult;
  timedOut: number[];
}

/** Boots an interpreter and loads the filter's code into it; returns the setup's log lines. */
export async function bootRuntime(setup: RubySetup, module?: WebAssembly.Module): Promise<{ runtime: RubyRuntime; logs: RubyLogLine[] }> {
  const runtime = await RubyRuntime.create(setup.id, module);
  if (setup.kind === 'inline') runtime.inline(setup.init, setup.code, setup.label);
  else runtime.script(setup.source, setup.path, setup.params);
  return { runtime, logs: runtime.drainLogs() };
}

interface HelperReply {
  type: 'ready' | 'failed' | 'result';
  logs?: RubyLogLine[];
  message?: string;
  result?: RubyBatchResult;
}

const POLL_MS = 10;

/** An interpreter in a helper thread that can be terminated mid-event. */
export class HelperEngine {
  private worker: Worker | undefined;
  /** The thread replies are taken from (set while it boots, cleared when it is cut off). */
  private current: Worker | undefined;
  private progress = new Int32Array(new SharedArrayBuffer(4));
  private pending: ((reply: HelperReply) => void) | undefined;

  constructor(
    private readonly setup: RubySetup,
    private readonly timeoutMs: number,
    /** Log lines from a helper's setup (each fresh helper runs init/register again). */
    private readonly onLogs: (lines: RubyLogLine[]) => void,
  ) {}

  /** Runs `items` (one wire item per event); events cut off are left out of the result. */
  async run(items: string[]): Promise<EngineResult> {
    const timedOut: number[] = [];
    let indexes = items.map((_, i) => i);
    const merged: RubyBatchResult = { r: new Array(items.length).fill(0), l: [] };
    while (indexes.length > 0) {
      const worker = await this.ready();
      Atomics.store(this.progress, 0, 0);
      const outcome = await this.request(worker, `[${indexes.map((i) => items[i]).join(',')}]`);
      if (outcome.stuckAt === undefined) {
        const r = outcome.reply!.result!;
        indexes.forEach((orig, k) => (merged.r[orig] = r.r[k]!));
        merged.l.push(...r.l);
        break;
      }
      // The helper is gone with whatever the run did: run the rest again, without the offender.
      timedOut.push(indexes[outcome.stuckAt]!);
      indexes = indexes.filter((_, k) => k !== outcome.stuckAt);
    }
    return { result: merged, timedOut: timedOut.sort((a, b) => a - b) };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.current = undefined;
    if (w) await w.terminate();
  }

  private async ready(): Promise<Worker> {
    if (this.worker) return this.worker;
    const module = await rubyModule();
    const worker = new Worker(new URL('./helper-thread.js', import.meta.url), {
      workerData: { setup: this.setup, module, progress: this.progress.buffer },
    });
    // Replies go to whoever waits on this very thread: a terminated helper's late 'exit' must
    // not answer its replacement's request.
    const deliver = (reply: HelperReply): void => {
      if (this.current === worker) this.pending?.(reply);
    };
    this.current = worker;
    worker.on('message', deliver);
    worker.on('error', (err) => deliver({ type: 'failed', message: err.message }));
    worker.on('exit', () => {
      deliver({ type: 'failed', message: 'the ruby helper thread exited' });
      if (this.worker === worker) this.worker = undefined;
    });
    const reply = await new Promise<HelperReply>((resolve) => (this.pending = resolve));
    this.pending = undefined;
    // Idle helpers must not keep the process alive; request() refs the thread while it waits.
    worker.unref();
    if (reply.type !== 'ready') {
      this.current = undefined;
      await worker.terminate();
      throw new Error(`ruby: the interpreter failed to start: ${reply.message}`);
    }
    this.onLogs(reply.logs ?? []);
    this.worker = worker;
    return worker;
  }

  /** Sends one batch; resolves with the reply, or with the index of the event that ran too long. */
  private request(worker: Worker, input: string): Promise<{ reply?: HelperReply; stuckAt?: number }> {
    return new Promise((resolve, reject) => {
      let seen = -1;
      let since = performance.now();
      const timer = this.timeoutMs > 0
        ? setInterval(() => {
            const step = Atomics.load(this.progress, 0);
            const now = performance.now();
            if (step !== seen) {
              seen = step;
              since = now;
            } else if (step > 0 && now - since >= this.timeoutMs) {
              finish();
              this.worker = undefined;
              this.current = undefined;
              void worker.terminate();
              resolve({ stuckAt: step - 1 });
            }
          }, POLL_MS)
        : undefined;
      const finish = (): void => {
        if (timer) clearInterval(timer);
        this.pending = undefined;
        worker.unref();
      };
      worker.ref();
      this.pending = (reply) => {
        finish();
        if (reply.type === 'result') resolve({ reply });
        else reject(new Error(`ruby: ${reply.message ?? 'the helper thread failed'}`));
      };
      worker.postMessage({ input });
    });
  }
}
