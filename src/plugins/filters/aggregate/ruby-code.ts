/**
 * Runs the aggregate filter's `code` (with `event` and `map`) and `timeout_code` (with `event`)
 * on the ruby filter's embedded CRuby, one interpreter per filter instance, one call into the
 * interpreter per batch (a call costs far more than a small snippet's run).
 *
 * Within a call, each task's map is a Hash in the interpreter, kept under a slot number the host
 * gives the task for this batch: the event that first uses a slot brings the map in (as JSON
 * text in its @metadata), each event's code gets the Hash as the previous event of its task left
 * it, and the slot's last event takes it back out in its @metadata (unless its task ended). After each event (in an
 * `ensure`, so what the code changed before raising is kept, as with Logstash's shared Hash) the
 * map is made plain data — strings, numbers, booleans, nil, arrays and hashes; a Time or
 * Timestamp becomes its ISO8601 string, a symbol key a string — exactly what it was when every
 * event's map crossed on its own, so what an event sees does not depend on batch boundaries.
 */
import { Event } from '../../../core/event.js';
import type { PluginContext } from '../../api.js';
import { bootRuntime } from '../ruby/engine.js';
import { applyOps } from '../ruby/index.js';
import { FLAG_EXCEPTION, RubySetupError, type RubyBatchResult, type RubyLogLine, type RubyRuntime } from '../ruby/runtime.js';
import type { CodeOutcome, CodeRunner, CodeStep } from './code-runner.js';
import type { TaskEntry } from './maps.js';

/** @metadata keys of the wire (removed from the event in the interpreter before the code runs). */
const SLOT_KEY = '__aggregate_slot';
const MAP_KEY = '__aggregate_map';
const LAST_KEY = '__aggregate_last';

/** Per-event budget for the worker's watchdog (as the ruby filter's default timeout_ms). */
const STEP_BUDGET_MS = 10_000;

/**
 * The code's wrapper. Its first line is the prologue, so the user's first line shares it and
 * line numbers in errors are the code's own. An event without a slot is a pushed map's event.
 */
const wrap = (code: string): string =>
  `__a = event.__meta; return __aggregate_timeout(event) unless __a && __a.key?('${SLOT_KEY}'); ` +
  `__s = __a.delete('${SLOT_KEY}'); __l = __a.delete('${LAST_KEY}'); map = __aggregate_enter(__s, __a); ` +
  `begin; ${code}\nensure\n__aggregate_leave(__s, map, event, __l)\nend`;

/**
 * Methods the wrapper calls, and timeout_code as a method of its own. After each event the map
 * is made what JSON would give back, in place: already plain values are left as they are (a
 * walk, no copy); the others (symbol keys, a Time, a Timestamp, a NaN) are converted through
 * the wire's own encoding; a value the wire cannot store (a Set) is kept as its text and the
 * event raises, as it did when every event's map crossed on its own.
 */
const helpers = (timeoutCode: string | undefined): string => String.raw`
@__aggregate_maps = {}
def __aggregate_enter(slot, meta)
  return @__aggregate_maps[slot] unless meta.key?('${MAP_KEY}')
  text = meta.delete('${MAP_KEY}')
  @__aggregate_maps[slot] = text ? JSON.parse(text) : {}
end
def __aggregate_leave(slot, map, event, last)
  @__aggregate_unstorable = nil
  @__aggregate_maps[slot] = __aggregate_plain(map, 0) if map.is_a?(::Hash)
  raise TypeError, "#{@__aggregate_unstorable}; the map keeps it as text" if @__aggregate_unstorable
ensure
  if last
    map = @__aggregate_maps.delete(slot)
    event.set('[@metadata][${MAP_KEY}]', map) if last == 1
  end
end
def __aggregate_plain(node, depth)
  raise ArgumentError, 'the map is nested too deeply (a cycle?)' if depth > 100
  if node.is_a?(::Hash)
    keys = node.keys
    rekey = false
    i = 0
    while i < keys.length
      k = keys[i]
      rekey = true unless k.is_a?(::String)
      v = node[k]
      w = __aggregate_plain(v, depth + 1)
      node[k] = w unless w.equal?(v)
      i += 1
    end
    if rekey
      h = {}
      keys.each_index { |j| h[keys[j].is_a?(::String) ? keys[j] : keys[j].to_s] = node[keys[j]] }
      node.replace(h)
    end
    node
  elsif node.is_a?(::Array)
    i = 0
    while i < node.length
      v = node[i]
      w = __aggregate_plain(v, depth + 1)
      node[i] = w unless w.equal?(v)
      i += 1
    end
    node
  else
    case node
    when ::String then return node if node.valid_encoding? && (node.ascii_only? || node.encoding == ::Encoding::UTF_8)
    when ::Integer, true, false, nil then return node
    when ::Float then return node if node.finite?
    end
    begin
      JSON.parse(LogStash::Wire.encode([LogStash::Wire.plain(node)]))[0]
    rescue TypeError => e
      @__aggregate_unstorable ||= e.message
      JSON.parse(LogStash::Wire.encode([node]))[0]
    end
  end
end
def __aggregate_timeout(event)
${timeoutCode ?? ''}
end`;

export async function rubyCodeRunner(
  code: string | undefined,
  timeoutCode: string | undefined,
  ctx: PluginContext,
  onLogs: (lines: RubyLogLine[]) => void,
): Promise<CodeRunner> {
  let runtime: RubyRuntime;
  try {
    const booted = await bootRuntime({ id: ctx.id, kind: 'inline', init: helpers(timeoutCode), code: wrap(code ?? ''), label: `(aggregate filter ${ctx.id} code)` });
    runtime = booted.runtime;
    onLogs(booted.logs);
  } catch (e) {
    if (e instanceof RubySetupError) throw new Error(`the code does not compile: ${e.message}`);
    throw e;
  }
  const heartbeat = ctx.heartbeat;
  heartbeat.arm();
  const stepHolder = globalThis as { __logpipeRubyStep?: () => void };

  /** One call into the interpreter for all the items (`[data, metadata]` JSON each). */
  const execute = (items: string[]): RubyBatchResult => {
    const input = `[${items.join(',')}]`;
    let result: RubyBatchResult;
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
    return result;
  };

  /** Applies what the code did to each event; returns the outcomes. */
  const outcomesOf = (events: Event[], result: RubyBatchResult): CodeOutcome[] =>
    events.map((event, i) => {
      const entry = result.r[i];
      if (entry === undefined || entry === 0) return {};
      const [flags, ops, made, error] = entry;
      applyOps(event, ops);
      const outcome: CodeOutcome = (flags & FLAG_EXCEPTION) !== 0 ? { error: error ?? 'unknown error' } : {};
      if (made.length > 0) outcome.produced = made.map(([data, metadata]) => new Event(data, metadata ?? undefined));
      return outcome;
    });

  return {
    run(steps: CodeStep[], ended: ReadonlySet<TaskEntry>): CodeOutcome[] {
      const slots = new Map<TaskEntry, number>();
      const lastOf: number[] = [];
      steps.forEach((step, i) => {
        let slot = slots.get(step.entry);
        if (slot === undefined) slots.set(step.entry, (slot = slots.size));
        lastOf[slot] = i;
      });
      const seen = new Set<number>();
      const items = steps.map((step, i) => {
        const slot = slots.get(step.entry)!;
        const meta: Record<string, unknown> = { ...step.event.metadata, [SLOT_KEY]: slot };
        if (!seen.has(slot)) {
          seen.add(slot);
          // As text, parsed only when the event runs (after the batch's JSON); null: a new map.
          meta[MAP_KEY] = Object.keys(step.entry.map).length === 0 ? null : JSON.stringify(step.entry.map);
        }
        // 1: send the map back; 0: the task ended, forget it.
        if (lastOf[slot] === i) meta[LAST_KEY] = ended.has(step.entry) ? 0 : 1;
        return JSON.stringify([step.event.data, meta]);
      });
      const events = steps.map((s) => s.event);
      const outcomes = outcomesOf(events, execute(items));
      for (const [entry, slot] of slots) {
        if (ended.has(entry)) continue;
        const event = events[lastOf[slot]!]!;
        const map = event.remove(`[@metadata][${MAP_KEY}]`);
        // Without it (the result could not be encoded) the map stays as it came in.
        if (map !== null && typeof map === 'object' && !Array.isArray(map)) entry.map = map as Record<string, unknown>;
      }
      for (const event of events) dropEmptyMetadata(event);
      return outcomes;
    },
    runTimeout(events: Event[]): CodeOutcome[] {
      if (timeoutCode === undefined || events.length === 0) return events.map(() => ({}));
      return outcomesOf(events, execute(events.map((e) => JSON.stringify([e.data, e.metadata ?? null]))));
    },
    newMap: () => ({}),
  };
}

function dropEmptyMetadata(event: Event): void {
  if (event.metadata !== undefined && Object.keys(event.metadata).length === 0) event.metadata = undefined;
}
