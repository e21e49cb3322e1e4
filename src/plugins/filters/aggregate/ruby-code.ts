/**
 * Runs the aggregate filter's `code` (with `event` and `map`) and `timeout_code` (with `event`)
 * on the ruby filter's embedded CRuby, one interpreter per filter instance.
 *
 * The map crosses into the interpreter with its event, in the event's @metadata, and comes back
 * the same way: the wrapper reads it into a local `map` before the user's code and writes it
 * back after it (in an `ensure`, so what the code changed before raising is kept, as with
 * Logstash's shared Hash). The map is therefore plain data — strings, numbers, booleans, nil,
 * arrays and hashes (and timestamps, which come back as ISO8601 strings) — which is what
 * Logstash turns a map into when it pushes it as an event anyway.
 *
 * Events run one at a time: the next event of the same task must see this one's changes.
 */
import { Event } from '../../../core/event.js';
import type { PluginContext } from '../../api.js';
import { bootRuntime } from '../ruby/engine.js';
import { applyOps } from '../ruby/index.js';
import { FLAG_EXCEPTION, RubySetupError, type RubyLogLine, type RubyRuntime } from '../ruby/runtime.js';

const MAP_KEY = '__aggregate_map';
const TIMEOUT_KEY = '__aggregate_timeout';

/** What running the code on one event did. */
export interface CodeOutcome {
  /** The exception's message, when the code raised. */
  error?: string;
  /** The map after the code ran (present when a map was given). */
  map?: Record<string, unknown>;
  /** Events the code made with `new_event_block.call(LogStash::Event.new(...))`. */
  produced?: Event[];
}

export interface CodeRunner {
  run(event: Event, map: Record<string, unknown>): CodeOutcome;
  runTimeout(event: Event): CodeOutcome;
}

/** Per-event budget for the worker's watchdog (as the ruby filter's default timeout_ms). */
const STEP_BUDGET_MS = 10_000;

export async function rubyCodeRunner(
  code: string | undefined,
  timeoutCode: string | undefined,
  ctx: PluginContext,
  onLogs: (lines: RubyLogLine[]) => void,
): Promise<CodeRunner> {
  // No Ruby to run (only end_of_task or push options): no interpreter to load.
  if (code === undefined && timeoutCode === undefined) return { run: () => ({}), runTimeout: () => ({}) };
  // The first line of the user's code shares its line with the prologue, so line numbers in
  // errors are the code's own.
  const wrapped =
    `return __aggregate_timeout(event) if event.include?('[@metadata][${TIMEOUT_KEY}]'); ` +
    `map = event.get('[@metadata][${MAP_KEY}]') || {}; begin; ${code ?? ''}\n` +
    `ensure\nevent.set('[@metadata][${MAP_KEY}]', map)\nend`;
  const init = `def __aggregate_timeout(event)\n${timeoutCode ?? ''}\nend`;
  let runtime: RubyRuntime;
  try {
    const booted = await bootRuntime({ id: ctx.id, kind: 'inline', init, code: wrapped, label: `(aggregate filter ${ctx.id} code)` });
    runtime = booted.runtime;
    onLogs(booted.logs);
  } catch (e) {
    if (e instanceof RubySetupError) throw new Error(`the code does not compile: ${e.message}`);
    throw e;
  }
  const heartbeat = ctx.heartbeat;
  heartbeat.arm();
  const stepHolder = globalThis as { __logpipeRubyStep?: () => void };

  const execute = (event: Event): CodeOutcome => {
    const input = `[${JSON.stringify([event.data, event.metadata ?? null])}]`;
    let result;
    if (heartbeat.watched) {
      stepHolder.__logpipeRubyStep = () => heartbeat.step();
      heartbeat.enter(STEP_BUDGET_MS);
      try {
        result = runtime.run(input, STEP_BUDGET_MS / 4);
      } finally {
        heartbeat.leave();
      }
    } else {
      result = runtime.run(input, undefined);
    }
    onLogs(result.l);
    const entry = result.r[0];
    if (entry === undefined || entry === 0) return {};
    const [flags, ops, made, error] = entry;
    applyOps(event, ops);
    const outcome: CodeOutcome = (flags & FLAG_EXCEPTION) !== 0 ? { error: error ?? 'unknown error' } : {};
    if (made.length > 0) outcome.produced = made.map(([data, metadata]) => new Event(data, metadata ?? undefined));
    return outcome;
  };

  return {
    run(event, map) {
      event.set(`[@metadata][${MAP_KEY}]`, map);
      const outcome = execute(event);
      const after = event.remove(`[@metadata][${MAP_KEY}]`);
      if (event.metadata !== undefined && Object.keys(event.metadata).length === 0) event.metadata = undefined;
      const isMap = after !== null && typeof after === 'object' && !Array.isArray(after);
      return { ...outcome, map: isMap ? (after as Record<string, unknown>) : map };
    },
    runTimeout(event) {
      if (timeoutCode === undefined) return {};
      event.set(`[@metadata][${TIMEOUT_KEY}]`, true);
      const outcome = execute(event);
      event.remove(`[@metadata][${TIMEOUT_KEY}]`);
      if (event.metadata !== undefined && Object.keys(event.metadata).length === 0) event.metadata = undefined;
      return outcome;
    },
  };
}
