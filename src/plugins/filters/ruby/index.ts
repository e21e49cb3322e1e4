/**
 * ruby: runs Logstash `ruby` filter code unchanged on CRuby compiled to WebAssembly.
 *
 * Inline mode: `init` runs once, `code` is the body of `lambda { |event, &new_event_block| }`,
 * both evaluated on one object per filter instance, so `@instance_variables` set in init are
 * seen by code (as in Logstash). File mode: `path` names a script defining register(params)
 * and filter(event) (returning an array of events); its `test` blocks run when the filter is
 * built, and a failing one stops the configuration, as in Logstash.
 *
 * Events cross into the interpreter a batch at a time: one JSON string in, and per event only
 * what the script changed comes back (prelude-rb.ts). One interpreter per filter instance,
 * that is per worker; the compiled WebAssembly module is shared within a thread.
 *
 * Inline code without `init` that is within the subset fastpath/ translates runs as JavaScript;
 * the interpreter is then booted only for the events the translation hands over.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../../core/errors.js';
import { Event } from '../../../core/event.js';
import { LogRateLimiter } from '../../../core/rate-limit.js';
import { defineFilter } from '../../api.js';
import { checkScriptMode } from '../script-mode.js';
import { bootRuntime, HelperEngine, type EngineResult, type RubySetup } from './engine.js';
import { compileFastPath } from './fastpath/index.js';
import { FLAG_EXCEPTION, RubySetupError, type RubyBatchResult, type RubyLogLine, type RubyOp, type RubyRuntime } from './runtime.js';

export const rubyFilter = defineFilter({
  kind: 'filter',
  name: 'ruby',
  description: 'Runs Logstash ruby filter code (inline `code`/`init` or a `path` script) on an embedded CRuby (WebAssembly); simple inline code runs as JavaScript with the same results (fast path). The js filter is faster than the interpreter.',
  options: {
    code: { type: 'string', description: 'Ruby run for every event, with `event` (and `new_event_block` to emit events).' },
    init: { type: 'string', description: 'Ruby run once at startup, on the same object as `code` (set @variables here).' },
    path: { type: 'path', description: 'Ruby script file defining register(params) and filter(event); its `test` blocks run at startup.' },
    script_params: { type: 'hash', default: {}, description: 'Passed to register(params) of a `path` script.' },
    tag_on_exception: { type: 'string', default: '_rubyexception', description: 'Tag added to an event whose code raised.' },
    tag_with_exception_message: { type: 'boolean', default: false, description: 'Also add a tag "<tag_on_exception>: <message>".' },
    timeout_ms: { type: 'number', default: 10000, description: 'logpipe only: per-event time limit in ms (0 = none); an event still running is cut off (see docs). Generous: an interpreter\'s first events run unoptimised code.' },
    tag_on_timeout: { type: 'string', default: '_rubytimeout', description: 'logpipe only: tag added to an event cut off by timeout_ms.' },
  },
  exceptionTags: (options) => [options.tag_on_exception],
  async create(options, ctx) {
    const fail = (reason: string, hint?: string): never => {
      throw new ConfigError(`ruby: ${reason}`, ctx.location, hint);
    };
    checkScriptMode(options, fail);
    const hasCode = options.code !== undefined;

    let setup: RubySetup;
    if (hasCode) {
      setup = { id: ctx.id, kind: 'inline', init: options.init, code: options.code!, label: `(ruby filter ${ctx.id} code)` };
    } else {
      const path = resolve(options.path!);
      let source = '';
      try {
        source = readFileSync(path, 'utf8');
      } catch (e) {
        fail(`cannot read script ${path}: ${(e as Error).message}`);
      }
      setup = { id: ctx.id, kind: 'script', source, path, params: options.script_params };
    }

    const logger = ctx.logger;
    const limiter = new LogRateLimiter(60_000);
    const log = (level: string, message: string, fields: Record<string, unknown>): void => {
      const held = limiter.allow(`${level} ${message}`);
      if (held === undefined) return;
      const all = held > 0 ? { ...fields, repeated: held } : fields;
      if (level === 'error' || level === 'fatal') logger.error(message, all);
      else if (level === 'warn') logger.warn(message, all);
      else if (level === 'info') logger.info(message, all);
      else logger.debug(message, all);
    };
    const scriptLogs = (lines: RubyLogLine[]): void => {
      for (const [level, message, fields] of lines) log(level, message, { plugin: ctx.id, ...(fields ?? {}) });
    };

    // Inline code within the translatable subset runs as JavaScript; the interpreter is booted
    // only when an event's values need it (fastpath/).
    const fast = setup.kind === 'inline' && setup.init === undefined ? compileFastPath(setup.code) : undefined;

    // Otherwise load the code once here, in this thread: syntax errors, init/register failures
    // and the script's tests are configuration errors.
    let booting: Promise<RubyRuntime> | undefined;
    const boot = (): Promise<RubyRuntime> => (booting ??= bootRuntime(setup).then(({ runtime, logs }) => {
      scriptLogs(logs);
      return runtime;
    }));
    let runtime: RubyRuntime | undefined;
    if (fast === undefined) {
      try {
        runtime = await boot();
      } catch (e) {
        if (e instanceof RubySetupError) return fail(e.message, 'the code must be Ruby as Logstash runs it; see docs/plugins/filters/ruby.md for what is supported');
        throw e;
      }
    }
    if (setup.kind === 'script' && runtime !== undefined) {
      const { count, failures } = runtime.test(setup.source, setup.path);
      scriptLogs(runtime.drainLogs());
      if (failures.length > 0) fail(`${failures.length} of ${count} test(s) in ${setup.path} failed:\n  ${failures.join('\n  ')}`);
    }

    const timeoutMs = options.timeout_ms;
    const heartbeat = ctx.heartbeat;
    if (timeoutMs > 0) heartbeat.arm();
    const stepHolder = globalThis as { __logpipeRubyStep?: () => void };
    const step = (): void => heartbeat.step();
    let helper: HelperEngine | undefined;

    const execute = async (items: string[]): Promise<EngineResult> => {
      if (heartbeat.watched || timeoutMs <= 0) {
        runtime ??= await boot();
        if (timeoutMs <= 0) return { result: runtime.run(`[${items.join(',')}]`, undefined), timedOut: [] };
        // The watchdog cuts the thread off when no step comes for timeout_ms; the script marks a
        // step before an event once a quarter of the budget has passed since the last one, so an
        // event is cut off after running between 3/4 and 1 × timeout_ms (a step per event would
        // cost a call out of the interpreter each).
        stepHolder.__logpipeRubyStep = step;
        heartbeat.enter(timeoutMs);
        try {
          return { result: runtime.run(`[${items.join(',')}]`, timeoutMs / 4), timedOut: [] };
        } finally {
          heartbeat.leave();
        }
      }
      helper ??= new HelperEngine(setup, timeoutMs, scriptLogs);
      return helper.run(items);
    };

    const tagOnException = options.tag_on_exception;
    const withMessage = options.tag_with_exception_message;
    const tagOnTimeout = options.tag_on_timeout;
    const fileMode = setup.kind === 'script';
    const label = setup.kind === 'script' ? setup.path : ctx.id;

    /** The interpreter's entries for the events at `slow` (indexes into the batch), and the indexes cut off. */
    const runSlow = async (events: Event[], slow: number[]): Promise<{ entries: Map<number, RubyBatchResult['r'][number]>; cut: Set<number> }> => {
      const entries = new Map<number, RubyBatchResult['r'][number]>();
      const cut = new Set<number>();
      if (slow.length === 0) return { entries, cut };
      const items = slow.map((i) => JSON.stringify([events[i]!.data, events[i]!.metadata ?? null]));
      const { result, timedOut } = await execute(items);
      scriptLogs(result.l);
      for (const k of timedOut) {
        cut.add(slow[k]!);
        events[slow[k]!]!.tag(tagOnTimeout);
        log('warn', `ruby: script exceeded timeout_ms (${timeoutMs} ms) and was cut off`, { plugin: ctx.id, script: label });
      }
      slow.forEach((i, k) => entries.set(i, result.r[k]!));
      return { entries, cut };
    };

    const filterBatch = async (events: Event[], matched: ((e: Event) => void) | undefined): Promise<Event[]> => {
      let slow: number[];
      if (fast === undefined) slow = events.map((_, i) => i);
      else {
        slow = [];
        for (let i = 0; i < events.length; i++) if (!fast.run(events[i]!)) slow.push(i);
      }
      const { entries, cut } = await runSlow(events, slow);
      const out: Event[] = [];
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        const entry = cut.has(i) ? 0 : entries.get(i) ?? 0;
        const produced: Event[] = [];
        let ok = !cut.has(i);
        if (entry !== 0) {
          const [flags, ops, made, error] = entry;
          applyOps(event, ops);
          for (const [data, metadata] of made) produced.push(new Event(data, metadata ?? undefined));
          if ((flags & FLAG_EXCEPTION) !== 0) {
            ok = false;
            const message = error ?? 'unknown error';
            log('error', fileMode ? `ruby: could not process event: ${message}` : `ruby: exception occurred: ${message}`, { plugin: ctx.id, script: label });
            event.tag(tagOnException);
            if (withMessage) event.tag(`${tagOnException}: ${message}`);
          }
        }
        if (ok && !event.cancelled) matched?.(event);
        if (!event.cancelled) out.push(event);
        for (const e of produced) if (!e.cancelled) out.push(e);
      }
      return out;
    };

    return {
      // The pipeline uses filterBatch; this per-event form is for callers outside it.
      filter() {
        throw new Error('ruby: the filter runs on batches (filterBatch)');
      },
      filterBatch,
      async close() {
        await helper?.close();
      },
    };
  },
});

/** Replays what the script did to an event, in order (the Ruby side mirrors the field-reference rules). */
export function applyOps(event: Event, ops: RubyOp[]): void {
  for (const op of ops) {
    switch (op[0]) {
      case 0:
        event.set(op[1], op[2]);
        break;
      case 1:
        event.remove(op[1]);
        break;
      case 2:
        event.tag(op[1]);
        break;
      case 3:
        event.cancelled = true;
        break;
      case 4:
        event.cancelled = false;
        break;
    }
  }
}
