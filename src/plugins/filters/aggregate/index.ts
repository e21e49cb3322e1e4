/**
 * aggregate: gathers information from the several events of one task (by `task_id`) into a
 * map, and puts it on the task's last event or pushes it as a new event — Logstash's
 * logstash-filter-aggregate 2.x options and behaviour. `code` and `timeout_code` are Ruby, run
 * on the ruby filter's embedded CRuby (ruby-code.ts), or JavaScript in the js filter's sandbox
 * with `code_language => "javascript"` (js-code.ts, our extension); maps are shared by the
 * aggregate filters of a pipeline that use the same task_id pattern (maps.ts).
 *
 * A batch is planned first, event by event in order (which task, whether its map is created,
 * updated, ended, expired or pushed: none of it depends on what the code does), then the code
 * runs over the planned steps in one call into the language (code-runner.ts), then the events
 * come out in the order a per-event run would give: each event, then the maps its arrival
 * expired, the events its code made, and the previous task's map it pushed.
 *
 * Maps live in each worker's memory: a task's events must all reach the same worker, so the
 * filter needs `pipeline.workers: 1`, as in Logstash; it warns when it is built in a second
 * worker. Pushed maps and timeouts come out at the periodic flush (every 5 s) and, for
 * push_previous_map_as_event, at the final one. What is in the maps is lost on a crash
 * (kept across a clean restart with aggregate_maps_path), as in Logstash.
 */
import { resolve } from 'node:path';
import { ConfigError } from '../../../core/errors.js';
import { Event } from '../../../core/event.js';
import { LogRateLimiter } from '../../../core/rate-limit.js';
import { compileTemplate } from '../../../core/sprintf.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineFilter } from '../../api.js';
import { toHost } from '../js/host.js';
import type { RubyLogLine } from '../ruby/runtime.js';
import { noCode, type CodeOutcome, type CodeRunner, type CodeStep } from './code-runner.js';
import { jsCodeRunner } from './js-code.js';
import { claimMapsPath, handlesTimeouts, joinGroup, loadMaps, saveMaps, type TaskEntry } from './maps.js';
import { rubyCodeRunner } from './ruby-code.js';

const EXCEPTION_TAG = '_aggregateexception';
const DEFAULT_TIMEOUT_S = 1800;
/**
 * Pipeline settings do not reach plugins; a filter built in a second worker (index 1 or more)
 * knows there are several. Warned once per pipeline and thread.
 */
const warnedPipelines = new Set<string>();

/** A map leaving the task store as an event: its task id and entry. */
type Pushed = [taskId: string, entry: TaskEntry];

/** What the plan decided for one event of a batch. */
interface EventPlan {
  /** Whether the event counts as matched (decorated) unless its code raises. */
  matched: boolean;
  /** Its index in the code steps, or -1 when no code runs for it. */
  step: number;
  /** Maps its arrival expired (timeout_timestamp_field), pushed after it. */
  expired: Pushed[];
  /** The previous task's map its new task pushed (push_previous_map_as_event). */
  previous: Pushed | undefined;
}

export const aggregateFilter = defineFilter({
  kind: 'filter',
  name: 'aggregate',
  description: 'Aggregates the events of one task (task_id) into a map with Ruby (or JavaScript) code, and puts or pushes the result (Logstash aggregate). Needs pipeline.workers: 1.',
  options: {
    task_id: { type: 'string', required: true, description: 'The task of an event, with %{field} references, e.g. "%{type}%{my_task_id}".' },
    code: { type: 'string', description: 'Ruby run for each event of a task, with `event` and `map` (the task\'s Hash); JavaScript with code_language.' },
    code_language: { type: 'string', values: ['ruby', 'javascript'], default: 'ruby', description: 'logpipe only: the language of code and timeout_code; javascript runs them as the js filter does, much faster.' },
    map_action: { type: 'string', values: ['create', 'update', 'create_or_update'], default: 'create_or_update', description: 'create: only when the task has no map yet; update: only when it has one; create_or_update: both.' },
    end_of_task: { type: 'boolean', default: false, description: 'The task ends with this event: its map is deleted after the code ran.' },
    timeout: { type: 'number', description: 'Seconds after its creation a task\'s map expires (default 1800).' },
    inactivity_timeout: { type: 'number', description: 'Seconds without a new event of a task after which its map expires; lower than timeout.' },
    timeout_code: { type: 'string', description: 'Ruby (or JavaScript, with code_language) run on the event made from an expired (or pushed) map, with `event`.' },
    push_map_as_event_on_timeout: { type: 'boolean', default: false, description: 'An expired map becomes a new event.' },
    push_previous_map_as_event: { type: 'boolean', default: false, description: 'A new task pushes the previous task\'s map as a new event (tasks come one after the other).' },
    timeout_task_id_field: { type: 'string', description: 'Field of a pushed map\'s event that gets the task id.' },
    timeout_tags: { type: 'array', default: [], description: 'Tags added to a pushed map\'s event.' },
    timeout_timestamp_field: { type: 'field_reference', description: 'Measure timeouts on this event field (e.g. "@timestamp") instead of the clock: for replays of old logs.' },
    aggregate_maps_path: { type: 'path', description: 'File the maps are saved to at shutdown and loaded from (then deleted) at start; on one aggregate filter per pipeline.' },
  },
  periodicFlush: () => true,
  // Running a batch twice runs the code twice on the maps.
  rerunSafe: false,
  exceptionTags: () => [EXCEPTION_TAG],
  async create(options, ctx) {
    const fail = (reason: string, hint?: string): never => {
      throw new ConfigError(`aggregate: ${reason}`, ctx.location, hint);
    };
    const taskTemplate = compileTemplate(options.task_id);
    const timeoutOwner =
      options.timeout !== undefined || options.inactivity_timeout !== undefined || options.timeout_code !== undefined ||
      options.push_map_as_event_on_timeout || options.push_previous_map_as_event || options.timeout_task_id_field !== undefined ||
      options.timeout_timestamp_field !== undefined || options.timeout_tags.length > 0;
    const timeoutS = options.timeout ?? DEFAULT_TIMEOUT_S;
    if (timeoutS <= 0) fail(`timeout must be a positive number of seconds, got ${timeoutS}`);
    const inactivityS = options.inactivity_timeout;
    if (inactivityS !== undefined && (inactivityS <= 0 || inactivityS >= timeoutS)) {
      fail(`inactivity_timeout (${inactivityS}) must be positive and lower than timeout (${timeoutS})`);
    }
    if (options.code === undefined && options.timeout_code === undefined && !options.push_map_as_event_on_timeout && !options.push_previous_map_as_event && !options.end_of_task) {
      fail('set `code` (or a timeout or push option): without it the filter does nothing');
    }

    const javascript = options.code_language === 'javascript';
    for (const [name, text] of [['code', options.code], ['timeout_code', options.timeout_code]] as const) {
      if (!javascript && text !== undefined && /\bmap_meta\b/.test(text)) {
        fail(`${name} uses map_meta, which logpipe does not provide yet`, 'keep what you need in the map itself (e.g. map[\'started\'] ||= event.get(\'@timestamp\'))');
      }
    }

    const limiter = new LogRateLimiter(60_000);
    const log = (level: string, message: string, fields: Record<string, unknown>): void => {
      const held = limiter.allow(`${level} ${message}`);
      if (held === undefined) return;
      const all = held > 0 ? { ...fields, repeated: held } : fields;
      if (level === 'error' || level === 'fatal') ctx.logger.error(message, all);
      else if (level === 'warn') ctx.logger.warn(message, all);
      else if (level === 'info') ctx.logger.info(message, all);
      else ctx.logger.debug(message, all);
    };
    const scriptLogs = (lines: RubyLogLine[]): void => {
      for (const [level, message, fields] of lines) log(level, message, { plugin: ctx.id, ...(fields ?? {}) });
    };

    if (ctx.workerIndex > 0 && !warnedPipelines.has(ctx.pipelineId)) {
      warnedPipelines.add(ctx.pipelineId);
      ctx.logger.warn('aggregate: pipeline.workers is greater than 1; the filter needs a single worker (a task\'s events must meet in one worker\'s maps), set pipeline.workers: 1', { plugin: ctx.id });
    }

    const scope = { pipelineId: ctx.pipelineId, workerIndex: Math.max(0, ctx.workerIndex) };
    let group;
    try {
      group = joinGroup(scope, ctx.id, options.task_id, timeoutOwner);
    } catch (e) {
      return fail((e as Error).message);
    }
    let mapsFile: string | undefined;
    if (options.aggregate_maps_path !== undefined) {
      mapsFile = resolve(options.aggregate_maps_path) + (scope.workerIndex > 0 ? `.${scope.workerIndex}` : '');
      try {
        claimMapsPath(scope, ctx.id);
        const loaded = loadMaps(scope, mapsFile);
        if (loaded > 0) ctx.logger.info(`aggregate: loaded ${loaded} map(s) from ${mapsFile}`, { plugin: ctx.id });
      } catch (e) {
        return fail(`aggregate_maps_path: ${(e as Error).message}`);
      }
    }

    let runner: CodeRunner = noCode;
    if (options.code !== undefined || options.timeout_code !== undefined) {
      try {
        runner = javascript
          ? jsCodeRunner(options.code, options.timeout_code, ctx)
          : await rubyCodeRunner(options.code, options.timeout_code, ctx, scriptLogs);
      } catch (e) {
        return fail((e as Error).message, javascript
          ? 'with code_language => "javascript", code is the body of function (event, map, emit); see docs/plugins/filters/aggregate.md'
          : 'code and timeout_code are Ruby as Logstash runs them; see docs/plugins/filters/aggregate.md');
      }
    }

    const tasks = group.tasks;
    const timeoutMs = timeoutS * 1000;
    const inactivityMs = inactivityS === undefined ? undefined : inactivityS * 1000;
    const stampRef = options.timeout_timestamp_field;

    /** The fields of a pushed map's event: a copy of the map as event data (a JavaScript Date becomes a Timestamp). */
    const fieldsOf = (taskId: string, map: Record<string, unknown>): { fields: Record<string, unknown>; error?: string } => {
      try {
        return { fields: toHost(map) as Record<string, unknown> };
      } catch (e) {
        // A JavaScript map holding a function or a class instance: keep what JSON keeps.
        log('error', `aggregate: the map of a pushed task cannot become an event as is: ${(e as Error).message}`, { plugin: ctx.id, task_id: taskId });
        return { fields: JSON.parse(JSON.stringify(map)) as Record<string, unknown>, error: (e as Error).message };
      }
    };

    /** The events made from maps that are pushed (a timeout, the previous task), timeout_code run on them in one call. */
    const pushedEvents = (pushed: Pushed[]): Event[] => {
      if (pushed.length === 0) return [];
      const events = pushed.map(([taskId, entry]) => {
        const { fields, error } = fieldsOf(taskId, entry.map);
        const event = new Event(fields);
        if (error !== undefined) event.tag(EXCEPTION_TAG);
        if (options.timeout_task_id_field !== undefined) event.set(options.timeout_task_id_field, taskId);
        for (const t of options.timeout_tags) event.tag(String(t));
        return event;
      });
      let outcomes: CodeOutcome[];
      try {
        outcomes = runner.runTimeout(events);
      } catch (e) {
        outcomes = events.map(() => ({ error: `the interpreter failed: ${(e as Error).message}` }));
      }
      outcomes.forEach((outcome, i) => {
        if (outcome.error === undefined) return;
        log('error', `aggregate: exception occurred in timeout_code: ${outcome.error}`, { plugin: ctx.id });
        events[i]!.tag(EXCEPTION_TAG);
      });
      return events;
    };

    /** Removes the maps expired at `nowMs` (per-task reference time with timeout_timestamp_field); returns those to push. */
    const expire = (nowOf: (entry: TaskEntry) => number): Pushed[] => {
      const push = options.push_map_as_event_on_timeout || options.push_previous_map_as_event;
      const out: Pushed[] = [];
      for (const [taskId, entry] of tasks) {
        const now = nowOf(entry);
        const expired = now - entry.createdMs > timeoutMs || (inactivityMs !== undefined && now - entry.lastMs > inactivityMs);
        if (!expired) continue;
        tasks.delete(taskId);
        if (push) out.push([taskId, entry]);
      }
      return out;
    };

    /** The previous (oldest) task's map, removed. */
    const shiftPrevious = (): Pushed | undefined => {
      const first = tasks.entries().next();
      if (first.done === true) return undefined;
      tasks.delete(first.value[0]);
      return first.value;
    };

    const referenceMs = (event: Event): number => {
      if (stampRef === undefined) return Date.now();
      const value = event.get(stampRef);
      if (value instanceof Timestamp) return value.epochMs;
      const parsed = typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value * 1000 : NaN;
      return Number.isNaN(parsed) ? Date.now() : parsed;
    };

    const NO_PUSH: Pushed[] = [];

    /**
     * Decides what happens to one event, in order with the others: the task store changes now
     * (created, ended, expired, shifted maps), the code runs later over `steps`.
     */
    const plan = (event: Event, steps: CodeStep[], ended: Set<TaskEntry>): EventPlan | undefined => {
      const taskId = taskTemplate(event);
      // An unresolved reference leaves the pattern as it was: no task, as in Logstash.
      if (taskId === options.task_id) return undefined;
      const now = referenceMs(event);
      // With event-time timeouts, an event tells how late it is: expire what is older.
      const expired = stampRef !== undefined && handlesTimeouts(group, ctx.id) ? expire(() => now) : NO_PUSH;
      let entry = tasks.get(taskId);
      let previous: Pushed | undefined;
      if (entry === undefined) {
        if (options.map_action === 'update') return { matched: false, step: -1, expired, previous };
        if (options.push_previous_map_as_event) previous = shiftPrevious();
        entry = { map: runner.newMap(), createdMs: now, lastMs: now, clockOffsetMs: Date.now() - now };
        tasks.set(taskId, entry);
      } else if (options.map_action === 'create') {
        return { matched: false, step: -1, expired, previous };
      }
      entry.lastMs = now;
      entry.clockOffsetMs = Date.now() - now;
      let step = -1;
      if (options.code !== undefined) step = steps.push({ event, entry }) - 1;
      if (options.end_of_task) {
        tasks.delete(taskId);
        ended.add(entry);
      }
      return { matched: true, step, expired, previous };
    };

    /** Runs the code over the planned steps; an interpreter that fails tags every step's event. */
    const runSteps = (steps: CodeStep[], ended: ReadonlySet<TaskEntry>): CodeOutcome[] => {
      if (steps.length === 0) return [];
      try {
        return runner.run(steps, ended);
      } catch (e) {
        return steps.map(() => ({ error: `the interpreter failed: ${(e as Error).message}` }));
      }
    };

    const filterBatch = (events: Event[], matched: (e: Event) => void): Event[] => {
      const steps: CodeStep[] = [];
      const ended = new Set<TaskEntry>();
      const plans = events.map((event) => plan(event, steps, ended));
      const outcomes = runSteps(steps, ended);
      const pushed: Pushed[] = [];
      for (const p of plans) {
        if (p === undefined) continue;
        pushed.push(...p.expired);
        if (p.previous !== undefined) pushed.push(p.previous);
      }
      const made = pushedEvents(pushed);
      let nextPushed = 0;
      const out: Event[] = [];
      const created = (e: Event): void => {
        // Events a filter creates get its decorations, as with filter()'s emit.
        matched(e);
        if (!e.cancelled) out.push(e);
      };
      events.forEach((event, i) => {
        const p = plans[i];
        const outcome: CodeOutcome = p === undefined || p.step < 0 ? {} : outcomes[p.step]!;
        if (outcome.error !== undefined) {
          const fields: Record<string, unknown> = { plugin: ctx.id };
          const taskId = taskTemplate(event);
          if (taskId !== options.task_id) fields['task_id'] = taskId;
          log('error', `aggregate: exception occurred: ${outcome.error}`, fields);
          event.tag(EXCEPTION_TAG);
        }
        if (p?.matched === true && outcome.error === undefined && !event.cancelled) matched(event);
        if (!event.cancelled) out.push(event);
        if (p === undefined) return;
        for (let k = 0; k < p.expired.length; k++) created(made[nextPushed++]!);
        for (const e of outcome.produced ?? []) created(e);
        if (p.previous !== undefined) created(made[nextPushed++]!);
      });
      return out;
    };

    return {
      // The pipeline uses filterBatch; this per-event form is for callers outside it.
      filter(event, emit) {
        let ok = false;
        const out = filterBatch([event], (e) => {
          if (e === event) ok = true;
        });
        for (const e of out) if (e !== event) emit(e);
        return ok;
      },
      filterBatch,
      flush(emit, final) {
        if (!handlesTimeouts(group, ctx.id)) return;
        const pushed = expire((entry) => Date.now() - entry.clockOffsetMs);
        // At shutdown the last task's map is pushed too: nothing else would ever push it
        // (Logstash does the same, for the jdbc input's last task).
        if (final && options.push_previous_map_as_event) {
          for (let p = shiftPrevious(); p !== undefined; p = shiftPrevious()) pushed.push(p);
        }
        for (const e of pushedEvents(pushed)) emit(e);
      },
      close() {
        if (mapsFile === undefined) return;
        try {
          const saved = saveMaps(scope, mapsFile);
          if (saved > 0) ctx.logger.info(`aggregate: saved ${saved} map(s) to ${mapsFile}`, { plugin: ctx.id });
        } catch (e) {
          ctx.logger.error(`aggregate: could not save the maps to ${mapsFile}: ${(e as Error).message}`, { plugin: ctx.id });
        }
      },
    };
  },
});
