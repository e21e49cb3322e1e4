/**
 * The node:vm sandbox user JavaScript runs in: one context per filter instance with the
 * prelude's Event class, setup code run under a generous time limit, and batch runs of a
 * per-event function under the per-event `timeout_ms`. Used by the js filter and by the
 * aggregate filter's JavaScript `code`.
 *
 * In a worker thread the pipeline's watchdog enforces the per-event limit (one heartbeat add
 * per event; see pipeline/heartbeat.ts). Elsewhere, and when the watchdog has re-sent a batch,
 * events run a batch at a time inside one `runInContext` whose own watchdog enforces it (see
 * prelude.ts for the scheme): a watchdog per event would cost ~70 µs each.
 */
import vm from 'node:vm';
import type { Event } from '../../../core/event.js';
import type { Logger } from '../../../core/logger.js';
import type { Heartbeat } from '../../api.js';
import { createPreludeHost, describeThrown, ErrorReporter } from './host.js';
import { PRELUDE, type PreludeApi, type RunState } from './prelude.js';

const TIMEOUT_CODE = 'ERR_SCRIPT_EXECUTION_TIMEOUT';

/** How one event fared. */
export type Outcome = 'ok' | 'error' | 'timeout';

export interface SandboxOptions {
  /** The filter's id (context name, log lines). */
  id: string;
  /** The plugin name, first word of the log lines ("js: …"). */
  plugin: string;
  logger: Logger;
  heartbeat: Heartbeat;
  /** Per-event time limit in ms (0 = none). */
  timeoutMs: number;
  /** Names the code in timeout log lines (a script path, or "<id> code"). */
  label: string;
}

/** What a batch run did, per event (same order as the events given). */
export interface SandboxRun {
  outcomes: Outcome[];
  /** The message of what event i threw (outcome 'error'). */
  messages: Array<string | undefined>;
  /** Flat list of [index, host event] pairs, in emission order. */
  emitted: unknown[];
  /** What the function returned for each event. */
  results: unknown[];
}

export interface ScriptSandbox {
  readonly api: PreludeApi;
  readonly context: vm.Context;
  /**
   * Compiles and runs setup code (init, a script, a function expression) and returns its value.
   * Throws `SandboxSetupError` when it does not compile or fails.
   */
  evaluate(source: string, filename: string, what: string): unknown;
  /**
   * Runs `fn` over the events in order: `fn(event, emit)` (or `fn(event)` when `passEmit` is
   * false); with `extra`, `fn(event, extra[i], emit)`.
   */
  run(fn: (...args: unknown[]) => unknown, events: Event[], passEmit: boolean, extra?: unknown[]): SandboxRun;
}

/** Setup code that does not compile (`compile` true) or throws. */
export class SandboxSetupError extends Error {
  constructor(message: string, readonly compile: boolean) {
    super(message);
  }
}

export function createSandbox(options: SandboxOptions): ScriptSandbox {
  const { id, plugin, logger, heartbeat, timeoutMs, label } = options;
  const setupTimeout = timeoutMs > 0 ? Math.max(10_000, timeoutMs) : undefined;
  const consoleShim = {
    log: (...args: unknown[]) => logger.info(args.map(String).join(' '), { plugin: id }),
    info: (...args: unknown[]) => logger.info(args.map(String).join(' '), { plugin: id }),
    warn: (...args: unknown[]) => logger.warn(args.map(String).join(' '), { plugin: id }),
    error: (...args: unknown[]) => logger.error(args.map(String).join(' '), { plugin: id }),
    debug: (...args: unknown[]) => logger.debug(args.map(String).join(' '), { plugin: id }),
  };
  const context = vm.createContext({ console: consoleShim }, { name: `${plugin} filter ${id}`, codeGeneration: { strings: true, wasm: false } });
  const api = (new vm.Script(PRELUDE, { filename: 'logpipe:js-prelude' }).runInContext(context) as (h: unknown) => PreludeApi)(createPreludeHost());
  (context as Record<string, unknown>)['Event'] = api.Event;

  const runner = new vm.Script('__logpipe_run(__logpipe_state)', { filename: 'logpipe:js-runner' });
  (context as Record<string, unknown>)['__logpipe_run'] = api.run;
  const reporter = new ErrorReporter(logger);
  const step = (): void => heartbeat.step();
  if (timeoutMs > 0) heartbeat.arm();

  const evaluate = (source: string, filename: string, what: string): unknown => {
    let script: vm.Script;
    try {
      script = new vm.Script(source, { filename });
    } catch (e) {
      throw new SandboxSetupError(`${what} does not compile: ${describeThrown(e)}`, true);
    }
    try {
      return script.runInContext(context, setupTimeout !== undefined ? { timeout: setupTimeout } : {});
    } catch (e) {
      throw new SandboxSetupError(`${what} failed: ${describeThrown(e)}`, false);
    }
  };

  const run = (fn: (...args: unknown[]) => unknown, events: Event[], passEmit: boolean, extra?: unknown[]): SandboxRun => {
    const n = events.length;
    const state: RunState = {
      fn,
      events: events.map((e) => api.wrap(e)),
      extra,
      next: 0,
      current: -1,
      budget: timeoutMs,
      results: new Array(n),
      errors: new Array(n),
      emitted: [],
      passEmit,
      step: undefined,
    };
    const outcomes: Outcome[] = new Array(n).fill('ok');
    if (timeoutMs <= 0) {
      api.run(state);
    } else if (heartbeat.watched) {
      // The pipeline's watchdog stops the worker if one event outlasts timeout_ms, and re-runs
      // the batch with watched false (below): no vm timeout, no thread per batch.
      state.budget = 0;
      state.step = step;
      heartbeat.enter(timeoutMs);
      try {
        api.run(state);
      } finally {
        heartbeat.leave();
      }
    } else {
      (context as Record<string, unknown>)['__logpipe_state'] = state;
      while (state.next < n) {
        try {
          runner.runInContext(context, { timeout: 2 * timeoutMs });
        } catch (e) {
          if ((e as { code?: unknown }).code !== TIMEOUT_CODE) throw e;
          const i = state.current;
          outcomes[i] = 'timeout';
          state.next = i + 1;
          reporter.report(`${plugin}: script exceeded timeout_ms (${timeoutMs} ms) and was interrupted`, { plugin: id, script: label });
        }
      }
      (context as Record<string, unknown>)['__logpipe_state'] = undefined;
    }
    const messages: Array<string | undefined> = new Array(n);
    for (let i = 0; i < n; i++) {
      const boxed = state.errors[i];
      if (boxed && outcomes[i] === 'ok') {
        outcomes[i] = 'error';
        messages[i] = describeThrown(boxed[0]);
      }
    }
    return { outcomes, messages, emitted: state.emitted, results: state.results };
  };

  return { api, context, evaluate, run };
}
