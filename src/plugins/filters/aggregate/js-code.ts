/**
 * Runs the aggregate filter's `code` and `timeout_code` written in JavaScript
 * (`code_language => "javascript"`, a logpipe extension), in the js filter's sandbox: `code` is
 * the body of `function (event, map, emit)`, `timeout_code` of `function (event)`, with the js
 * filter's Event API. A batch runs in one call into the sandbox.
 *
 * The map is a live object of the sandbox's realm, shared by the events of its task as
 * Logstash shares its Hash: what one event's code stored, the next one sees as it was left
 * (a Date stays a Date). A map that comes from elsewhere (a Ruby filter of the same task_id
 * pattern, a maps file) is copied into the sandbox's realm once, so user code never holds
 * objects of the host's realm.
 */
import type { Event } from '../../../core/event.js';
import type { PluginContext } from '../../api.js';
import { createSandbox, SandboxSetupError, type SandboxRun } from '../js/sandbox.js';
import type { CodeOutcome, CodeRunner } from './code-runner.js';

/** The js filter's default timeout_ms: a per-event time limit enforced as for the js filter. */
const TIMEOUT_MS = 1000;

type UserFunction = (...args: unknown[]) => unknown;

export function jsCodeRunner(code: string | undefined, timeoutCode: string | undefined, ctx: PluginContext): CodeRunner {
  const label = `${ctx.id} code`;
  const sandbox = createSandbox({ id: ctx.id, plugin: 'aggregate', logger: ctx.logger, heartbeat: ctx.heartbeat, timeoutMs: TIMEOUT_MS, label });
  const evaluate = (source: string, what: string): UserFunction => {
    try {
      return sandbox.evaluate(source, `${ctx.id} ${what}`, `\`${what}\``) as UserFunction;
    } catch (e) {
      if (e instanceof SandboxSetupError) throw new Error(e.message);
      throw e;
    }
  };
  const codeFn = evaluate(`(function (event, map, emit) {\n${code ?? ''}\n})`, 'code');
  const timeoutFn = timeoutCode === undefined ? undefined : evaluate(`(function (event) {\n${timeoutCode}\n})`, 'timeout_code');
  const newLocalMap = evaluate('(function () { return {}; })', 'map') as () => Record<string, unknown>;
  const localObject = Object.getPrototypeOf(newLocalMap()) as object;
  const adopt = (map: Record<string, unknown>): Record<string, unknown> =>
    Object.getPrototypeOf(map) === localObject ? map : (sandbox.api.toLocal(map) as Record<string, unknown>);

  const outcomesOf = (run: SandboxRun, n: number): CodeOutcome[] => {
    const outcomes: CodeOutcome[] = [];
    for (let i = 0; i < n; i++) {
      const outcome = run.outcomes[i];
      outcomes.push(
        outcome === 'error' ? { error: run.messages[i]! } : outcome === 'timeout' ? { error: `code exceeded ${TIMEOUT_MS} ms and was interrupted` } : {},
      );
    }
    // Events emitted by an interrupted run are incomplete: dropped, as in the js filter.
    for (let p = 0; p < run.emitted.length; p += 2) {
      const i = run.emitted[p] as number;
      if (run.outcomes[i] === 'timeout') continue;
      (outcomes[i]!.produced ??= []).push(run.emitted[p + 1] as Event);
    }
    return outcomes;
  };

  return {
    run(steps) {
      const maps = steps.map((step) => (step.entry.map = adopt(step.entry.map)));
      return outcomesOf(sandbox.run(codeFn, steps.map((s) => s.event), true, maps), steps.length);
    },
    runTimeout(events) {
      if (timeoutFn === undefined) return events.map(() => ({}));
      return outcomesOf(sandbox.run(timeoutFn, events, false), events.length);
    },
    newMap: newLocalMap,
  };
}
