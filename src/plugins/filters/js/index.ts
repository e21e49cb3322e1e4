/**
 * js: runs JavaScript per event, logpipe's replacement for the ruby filter.
 *
 * Inline mode: `code` is the body of `function (event, emit)`; `init` runs
 * once first. File mode: `path` names a script defining `register(params)`
 * (called once with `script_params`) and `filter(event)`, which returns an
 * array of events (the original is kept only if it is in the array), null to
 * drop, or undefined to keep the event as is.
 *
 * Each filter instance (one per worker) has its own node:vm context. In a
 * worker thread the pipeline's watchdog enforces the per-event `timeout_ms`
 * (one heartbeat add per event; see pipeline/heartbeat.ts). Elsewhere, and
 * when the watchdog has re-sent a batch, events run a batch at a time inside
 * one `runInContext` whose own watchdog enforces it (see prelude.ts for the
 * scheme): a watchdog per event would cost ~70 µs each. An exception or a
 * timeout tags that event only.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vm from 'node:vm';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { defineFilter } from '../../api.js';
import { checkScriptMode } from '../script-mode.js';
import { createPreludeHost, describeThrown, ErrorReporter } from './host.js';
import { PRELUDE, type PreludeApi, type RunState } from './prelude.js';

const TIMEOUT_CODE = 'ERR_SCRIPT_EXECUTION_TIMEOUT';

/** How one event fared. */
type Outcome = 'ok' | 'error' | 'timeout' | 'dropped';

export const jsFilter = defineFilter({
  kind: 'filter',
  name: 'js',
  description: 'Runs JavaScript code for each event (the replacement for Logstash\'s ruby filter).',
  options: {
    code: { type: 'string', description: 'Body of a function (event, emit) run for every event.' },
    init: { type: 'string', description: 'Code run once at startup, in the same context as `code` (define helpers and state here).' },
    path: { type: 'path', description: 'Script file defining register(params) and filter(event).' },
    script_params: { type: 'hash', default: {}, description: 'Passed to register(params) of a `path` script.' },
    tag_on_exception: { type: 'string', default: '_jsexception', description: 'Tag added to an event whose code threw.' },
    tag_with_exception_message: { type: 'boolean', default: false, description: 'Also add a tag "<tag_on_exception>: <message>".' },
    timeout_ms: { type: 'number', default: 1000, description: 'Per-event time limit in ms (0 = none). A script still running is interrupted after between 1× and 2× this.' },
    tag_on_timeout: { type: 'string', default: '_jstimeout', description: 'Tag added to an event whose code was interrupted by timeout_ms.' },
  },
  exceptionTags: (options) => [options.tag_on_exception],
  create(options, ctx) {
    const fail = (reason: string, hint?: string): never => {
      throw new ConfigError(`js: ${reason}`, ctx.location, hint);
    };
    checkScriptMode(options, fail);
    const hasCode = options.code !== undefined;
    const hasPath = options.path !== undefined;

    const timeoutMs = options.timeout_ms;
    const setupTimeout = timeoutMs > 0 ? Math.max(10_000, timeoutMs) : undefined;
    const logger = ctx.logger;
    const consoleShim = {
      log: (...args: unknown[]) => logger.info(args.map(String).join(' '), { plugin: ctx.id }),
      info: (...args: unknown[]) => logger.info(args.map(String).join(' '), { plugin: ctx.id }),
      warn: (...args: unknown[]) => logger.warn(args.map(String).join(' '), { plugin: ctx.id }),
      error: (...args: unknown[]) => logger.error(args.map(String).join(' '), { plugin: ctx.id }),
      debug: (...args: unknown[]) => logger.debug(args.map(String).join(' '), { plugin: ctx.id }),
    };
    const context = vm.createContext({ console: consoleShim }, { name: `js filter ${ctx.id}`, codeGeneration: { strings: true, wasm: false } });
    const api = (new vm.Script(PRELUDE, { filename: 'logpipe:js-prelude' }).runInContext(context) as (h: unknown) => PreludeApi)(createPreludeHost());
    (context as Record<string, unknown>)['Event'] = api.Event;

    const compile = (source: string, filename: string, what: string): vm.Script => {
      try {
        return new vm.Script(source, { filename });
      } catch (e) {
        return fail(`${what} does not compile: ${describeThrown(e)}`,
          'the code must be JavaScript (a ruby block has to be ported: event.get/set/remove/tag/cancel work the same; see docs/plugins/filters/js.md)');
      }
    };
    const runSetup = (script: vm.Script, what: string): unknown => {
      try {
        return script.runInContext(context, setupTimeout !== undefined ? { timeout: setupTimeout } : {});
      } catch (e) {
        return fail(`${what} failed: ${describeThrown(e)}`);
      }
    };

    let fn: (...args: unknown[]) => unknown;
    const fileMode = hasPath;
    const label = hasPath ? resolve(options.path!) : `${ctx.id} code`;
    if (hasCode) {
      if (options.init !== undefined) runSetup(compile(options.init, `${ctx.id} init`, '`init`'), '`init`');
      fn = runSetup(compile(`(function (event, emit) {\n${options.code}\n})`, label, '`code`'), '`code`') as typeof fn;
    } else {
      let source: string;
      try {
        source = readFileSync(label, 'utf8');
      } catch (e) {
        return fail(`cannot read script ${label}: ${(e as Error).message}`);
      }
      runSetup(compile(source, label, `script ${label}`), `script ${label}`);
      const lookup = new vm.Script('[typeof register === "function" ? register : undefined, typeof filter === "function" ? filter : undefined]');
      const [register, filter] = lookup.runInContext(context) as [unknown, unknown];
      if (typeof filter !== 'function') fail(`script ${label} must define a function filter(event)`);
      fn = filter as typeof fn;
      if (typeof register === 'function') {
        (context as Record<string, unknown>)['__logpipe_params'] = api.toLocal(options.script_params);
        runSetup(new vm.Script('register(__logpipe_params)', { filename: label }), `register(params) in ${label}`);
        delete (context as Record<string, unknown>)['__logpipe_params'];
      }
    }

    const runner = new vm.Script('__logpipe_run(__logpipe_state)', { filename: 'logpipe:js-runner' });
    (context as Record<string, unknown>)['__logpipe_run'] = api.run;
    const reporter = new ErrorReporter(logger);
    const tagOnException = options.tag_on_exception;
    const withMessage = options.tag_with_exception_message;
    const tagOnTimeout = options.tag_on_timeout;
    const heartbeat = ctx.heartbeat;
    const step = (): void => heartbeat.step();
    if (timeoutMs > 0) heartbeat.arm();

    /** Runs user code over the events; fills outcomes and the events each one emitted. */
    const execute = (events: Event[]): { outcomes: Outcome[]; emitted: unknown[]; results: unknown[] } => {
      const n = events.length;
      const state: RunState = {
        fn,
        events: events.map((e) => api.wrap(e)),
        next: 0,
        current: -1,
        budget: timeoutMs,
        results: new Array(n),
        errors: new Array(n),
        emitted: [],
        passEmit: !fileMode,
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
            reporter.report(`js: script exceeded timeout_ms (${timeoutMs} ms) and was interrupted`, { plugin: ctx.id, script: label });
          }
        }
        (context as Record<string, unknown>)['__logpipe_state'] = undefined;
      }
      for (let i = 0; i < n; i++) {
        const boxed = state.errors[i];
        if (boxed && outcomes[i] === 'ok') {
          outcomes[i] = 'error';
          const message = describeThrown(boxed[0]);
          reporter.report(`js: exception in script: ${message}`, { plugin: ctx.id, script: label });
          const event = events[i]!;
          event.tag(tagOnException);
          if (withMessage) event.tag(`${tagOnException}: ${message}`);
        } else if (outcomes[i] === 'timeout') {
          events[i]!.tag(tagOnTimeout);
        }
      }
      return { outcomes, emitted: state.emitted, results: state.results };
    };

    /**
     * Puts events in output order: each original (if kept) followed by the
     * events it produced. `matched` receives the events the decorations apply to.
     */
    const assemble = (events: Event[], matched: ((e: Event) => void) | undefined): Event[] => {
      const { outcomes, emitted, results } = execute(events);
      const out: Event[] = [];
      let p = 0;
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        const outcome = outcomes[i]!;
        const extra: Event[] = [];
        // Events emitted by an interrupted script are incomplete: dropped.
        for (; p < emitted.length && emitted[p] === i; p += 2) if (outcome !== 'timeout') extra.push(emitted[p + 1] as Event);
        if (fileMode && outcome === 'ok') {
          const r = results[i];
          if (r === null) {
            event.cancel();
          } else if (Array.isArray(r)) {
            let keep = false;
            const produced: Event[] = [];
            let bad: string | undefined;
            for (const item of r) {
              const h = api.unwrap(item) as Event | undefined;
              if (h === undefined) bad ??= `filter() returned a non-event in its array: ${describeThrown(item)}`;
              else if (h === event) keep = true;
              else produced.push(h);
            }
            if (bad !== undefined) {
              reporter.report(`js: ${bad}`, { plugin: ctx.id, script: label });
              event.tag(tagOnException);
              if (withMessage) event.tag(`${tagOnException}: ${bad}`);
            } else {
              if (!keep) event.cancel();
              extra.push(...produced);
            }
          } else if (r !== undefined) {
            const message = 'filter() must return an array of events, null (drop) or undefined (keep)';
            reporter.report(`js: ${message}`, { plugin: ctx.id, script: label });
            event.tag(tagOnException);
            if (withMessage) event.tag(`${tagOnException}: ${message}`);
          }
        } else if (!fileMode && outcome === 'ok' && !event.cancelled) {
          // As in Logstash's ruby filter: inline code that returns normally counts as a match.
          matched?.(event);
        }
        if (!event.cancelled) out.push(event);
        for (const e of extra) if (!e.cancelled) out.push(e);
      }
      return out;
    };

    return {
      // The pipeline uses filterBatch; this per-event form pays a watchdog per event.
      filter(event, emit) {
        let ok = false;
        const out = assemble([event], () => {
          ok = true;
        });
        for (const e of out) if (e !== event) emit(e);
        return ok;
      },
      filterBatch: (events, matched) => assemble(events, matched),
    };
  },
});
