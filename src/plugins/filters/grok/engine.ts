/**
 * Keeping a pathological line from hanging the pipeline.
 *
 * Three mechanisms, chosen per compiled pattern and per batch:
 *  1. V8's linear-time engine. With --enable-experimental-regexp-engine-on-excessive-backtracks
 *     a regexp that backtracks too much is re-run on a breadth-first (linear) engine. That engine
 *     only takes regexps without lookarounds, backreferences, large counted repeats or \p{…}; we
 *     probe each compiled regexp with the `l` flag (which V8 rejects exactly when its engine can't
 *     run it). Patterns it accepts need no guard at all.
 *  2. Everything else (most of the standard library: IPV4 and NUMBER use lookbehinds, atomic
 *     groups become lookahead+backreference) in a worker thread marks each event on the worker's
 *     heartbeat; the pipeline's watchdog stops a thread stuck in one match past timeout_millis
 *     and re-runs its batches guarded (pipeline/heartbeat.ts, docs/decisions/0005).
 *  3. Guarded: under vm's timeout, which really interrupts a running regexp (V8
 *     TerminateExecution). One guarded call costs ~85 µs (a watchdog thread), so the filter
 *     guards a whole batch and re-runs the rest of the batch after a cut-off. Used outside worker
 *     threads and for the re-run after a cut-off.
 */
import vm from 'node:vm';

export { enableLinearFallback, linearCapable } from '../../../core/regexp-engine.js';

export class GuardTimeout extends Error {}

const guardContext = vm.createContext({ task: null as null | (() => void) });
const guardScript = new vm.Script('task()', { filename: 'grok-guard' });

/**
 * Runs `task` and interrupts it after `ms` milliseconds (throws GuardTimeout). The task must not
 * leave shared state half-updated: the filter only runs pure matching under the guard.
 */
export function runGuarded(task: () => void, ms: number): void {
  (guardContext as { task: null | (() => void) }).task = task;
  try {
    guardScript.runInContext(guardContext, { timeout: Math.max(1, Math.floor(ms)) });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new GuardTimeout(`grok match exceeded ${ms} ms`);
    throw e;
  } finally {
    (guardContext as { task: null | (() => void) }).task = null;
  }
}
