/**
 * What the aggregate filter asks of the language its `code` and `timeout_code` are written in
 * (Ruby on the embedded CRuby, ruby-code.ts; JavaScript in the js filter's sandbox, js-code.ts).
 *
 * The filter decides, for a whole batch and before any code runs, which events run the code on
 * which task's map: that depends only on task ids, map_action, end_of_task and the timeouts,
 * never on what the code does. A runner then runs the code over those steps in order, in one
 * call into the language, each step seeing its map as the previous step of the same task left it.
 */
import type { Event } from '../../../core/event.js';
import type { TaskEntry } from './maps.js';

/** One event's run of `code` on its task's entry (the same entry object for every event of one task). */
export interface CodeStep {
  event: Event;
  entry: TaskEntry;
}

/** What running the code on one event did. */
export interface CodeOutcome {
  /** The exception's message, when the code raised. */
  error?: string;
  /** Events the code made (Ruby: `new_event_block.call`, JavaScript: `emit`). */
  produced?: Event[];
}

export interface CodeRunner {
  /**
   * Runs `code` over the steps in order (one outcome per step) and leaves each entry's final
   * map in `entry.map`, except for the `ended` entries (tasks that ended in this batch: nobody
   * reads their maps again). Throws only when the language itself failed (nothing reliable ran).
   */
  run(steps: CodeStep[], ended: ReadonlySet<TaskEntry>): CodeOutcome[];
  /** Runs `timeout_code` on pushed maps' events (one outcome per event). */
  runTimeout(events: Event[]): CodeOutcome[];
  /** A new task's empty map, as the runner's code expects it. */
  newMap(): Record<string, unknown>;
}

/** No code to run (only end_of_task or push options): no interpreter is loaded. */
export const noCode: CodeRunner = {
  run: (steps) => steps.map(() => ({})),
  runTimeout: (events) => events.map(() => ({})),
  newMap: () => ({}),
};
