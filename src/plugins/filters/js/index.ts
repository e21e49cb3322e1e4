/**
 * js: runs JavaScript per event, logpipe's replacement for the ruby filter.
 *
 * Inline mode: `code` is the body of `function (event, emit)`; `init` runs
 * once first. File mode: `path` names a script defining `register(params)`
 * (called once with `script_params`) and `filter(event)`, which returns an
 * array of events (the original is kept only if it is in the array), null to
 * drop, or undefined to keep the event as is.
 *
 * Each filter instance (one per worker) has its own node:vm context
 * (sandbox.ts, which also enforces the per-event `timeout_ms`). An exception
 * or a timeout tags that event only.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { defineFilter } from '../../api.js';
import { checkScriptMode } from '../script-mode.js';
import { describeThrown, ErrorReporter } from './host.js';
import { createSandbox, SandboxSetupError, type Outcome } from './sandbox.js';

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
    const logger = ctx.logger;
    const fileMode = hasPath;
    const label = hasPath ? resolve(options.path!) : `${ctx.id} code`;
    const sandbox = createSandbox({ id: ctx.id, plugin: 'js', logger, heartbeat: ctx.heartbeat, timeoutMs, label });
    const api = sandbox.api;
    const context = sandbox.context;
    const evaluate = (source: string, filename: string, what: string): unknown => {
      try {
        return sandbox.evaluate(source, filename, what);
      } catch (e) {
        if (!(e instanceof SandboxSetupError)) throw e;
        return fail(e.message, e.compile
          ? 'the code must be JavaScript (a ruby block has to be ported: event.get/set/remove/tag/cancel work the same; see docs/plugins/filters/js.md)'
          : undefined);
      }
    };

    let fn: (...args: unknown[]) => unknown;
    if (hasCode) {
      if (options.init !== undefined) evaluate(options.init, `${ctx.id} init`, '`init`');
      fn = evaluate(`(function (event, emit) {\n${options.code}\n})`, label, '`code`') as typeof fn;
    } else {
      let source: string;
      try {
        source = readFileSync(label, 'utf8');
      } catch (e) {
        return fail(`cannot read script ${label}: ${(e as Error).message}`);
      }
      evaluate(source, label, `script ${label}`);
      const [register, filter] = evaluate('[typeof register === "function" ? register : undefined, typeof filter === "function" ? filter : undefined]', 'logpipe:js-lookup', 'lookup') as [unknown, unknown];
      if (typeof filter !== 'function') fail(`script ${label} must define a function filter(event)`);
      fn = filter as typeof fn;
      if (typeof register === 'function') {
        (context as Record<string, unknown>)['__logpipe_params'] = api.toLocal(options.script_params);
        evaluate('register(__logpipe_params)', label, `register(params) in ${label}`);
        delete (context as Record<string, unknown>)['__logpipe_params'];
      }
    }

    const reporter = new ErrorReporter(logger);
    const tagOnException = options.tag_on_exception;
    const withMessage = options.tag_with_exception_message;
    const tagOnTimeout = options.tag_on_timeout;

    /** Runs user code over the events; tags the events that threw or were interrupted. */
    const execute = (events: Event[]): { outcomes: Outcome[]; emitted: unknown[]; results: unknown[] } => {
      const { outcomes, messages, emitted, results } = sandbox.run(fn, events, !fileMode);
      for (let i = 0; i < events.length; i++) {
        if (outcomes[i] === 'error') {
          const message = messages[i]!;
          reporter.report(`js: exception in script: ${message}`, { plugin: ctx.id, script: label });
          const event = events[i]!;
          event.tag(tagOnException);
          if (withMessage) event.tag(`${tagOnException}: ${message}`);
        } else if (outcomes[i] === 'timeout') {
          events[i]!.tag(tagOnTimeout);
        }
      }
      return { outcomes, emitted, results };
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
