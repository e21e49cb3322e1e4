/**
 * Code evaluated inside each js filter's VM context: the Event class user
 * code sees and the batch runner. It lives in the context so that values
 * handed to user code are that realm's objects (`x instanceof Array` works)
 * and so a whole batch runs inside one `runInContext` call.
 *
 * The runner stops voluntarily before starting an event once the run has used
 * `budget` ms; the host gives every run a watchdog of 2 × budget. So an event
 * always starts with at least `budget` ms left, and when the watchdog fires,
 * the event then running has used more than `budget` ms: it is the offender.
 */

/** Functions the host hands to the prelude (host realm). */
export interface PreludeHost {
  newEvent(fields: unknown): object;
  get(e: object, ref: unknown): unknown;
  set(e: object, ref: unknown, value: unknown): void;
  remove(e: object, ref: unknown): unknown;
  has(e: object, ref: unknown): boolean;
  tag(e: object, tag: unknown): void;
  setCancelled(e: object, cancelled: boolean): void;
  isCancelled(e: object): boolean;
  clone(e: object): object;
  toObject(e: object, withMetadata: boolean): unknown;
  timestampMs(e: object): number;
  sprintf(e: object, template: unknown): string;
  isTimestamp(v: unknown): boolean;
}

/** State of one batch run, shared between host and context. */
export interface RunState {
  fn: (...args: unknown[]) => unknown;
  /** Wrapped events (context realm). */
  events: unknown[];
  /** First index still to run. */
  next: number;
  /** Index of the event being run (-1 before the first). */
  current: number;
  /** Milliseconds a run may use before it stops starting new events. */
  budget: number;
  results: unknown[];
  /** errors[i] is [thrown value] when event i threw. */
  errors: Array<[unknown] | undefined>;
  /** Flat list of [index, host event] pairs, in emission order. */
  emitted: unknown[];
  /** When set, extra[i] is passed to user code after event i (the aggregate filter's map). */
  extra: unknown[] | undefined;
  /** Passed to user code as the last argument (inline mode). */
  passEmit: boolean;
  /** Called before each event when the worker's watchdog watches the run (then budget is 0). */
  step: (() => void) | undefined;
}

/** What evaluating the prelude returns to the host. */
export interface PreludeApi {
  run(state: RunState): void;
  wrap(hostEvent: object): unknown;
  unwrap(value: unknown): object | undefined;
  /** Deep-copies a host value into the context realm. */
  toLocal(value: unknown): unknown;
  Event: unknown;
  emit: (e: unknown) => void;
}

export const PRELUDE = String.raw`
(function (host) {
  'use strict';
  const TOKEN = {};
  let state = null;

  function toLocal(v) {
    if (v === null || typeof v !== 'object') return v;
    if (host.isTimestamp(v)) return v;
    if (Array.isArray(v)) {
      const out = new Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = toLocal(v[i]);
      return out;
    }
    const out = {};
    for (const k of Object.keys(v)) out[k] = toLocal(v[k]);
    return out;
  }

  class Event {
    #e;
    /** new Event({ message: 'x' }) creates an event, as LogStash::Event.new does. */
    constructor(fields, token, hostEvent) {
      this.#e = token === TOKEN ? hostEvent : host.newEvent(fields === undefined ? {} : fields);
    }
    static unwrap(v) { return v !== null && typeof v === 'object' && #e in v ? v.#e : undefined; }
    get(ref) { return toLocal(host.get(this.#e, ref)); }
    set(ref, value) { host.set(this.#e, ref, value); }
    remove(ref) { return toLocal(host.remove(this.#e, ref)); }
    has(ref) { return host.has(this.#e, ref); }
    include(ref) { return host.has(this.#e, ref); }
    tag(t) { host.tag(this.#e, t); }
    cancel() { host.setCancelled(this.#e, true); }
    uncancel() { host.setCancelled(this.#e, false); }
    cancelled() { return host.isCancelled(this.#e); }
    clone() { return new Event(undefined, TOKEN, host.clone(this.#e)); }
    toObject() { return toLocal(host.toObject(this.#e, false)); }
    to_hash() { return toLocal(host.toObject(this.#e, false)); }
    toObjectWithMetadata() { return toLocal(host.toObject(this.#e, true)); }
    timestamp() { return new Date(host.timestampMs(this.#e)); }
    sprintf(template) { return host.sprintf(this.#e, template); }
    toJSON() { return this.toObject(); }
  }
  Object.freeze(Event.prototype);

  function emit(e) {
    if (state === null || state.current < 0) throw new Error('emit() can only be called while an event is being filtered');
    const h = Event.unwrap(e) ?? host.newEvent(e);
    state.emitted.push(state.current, h);
  }

  function run(s) {
    state = s;
    const fn = s.fn;
    const events = s.events;
    const n = events.length;
    const first = s.next;
    const start = Date.now();
    const budget = s.budget;
    const extra = s.extra;
    for (let i = first; i < n; i++) {
      if (i > first && budget > 0 && Date.now() - start > budget) { s.next = i; return; }
      s.current = i;
      if (s.step !== undefined) s.step();
      try {
        s.results[i] = extra !== undefined
          ? (s.passEmit ? fn(events[i], extra[i], emit) : fn(events[i], extra[i]))
          : (s.passEmit ? fn(events[i], emit) : fn(events[i]));
      } catch (err) {
        s.errors[i] = [err]; // boxed: user code may throw null or 0
      }
    }
    s.next = n;
  }

  return {
    run,
    wrap: (h) => new Event(undefined, TOKEN, h),
    unwrap: (v) => Event.unwrap(v),
    toLocal,
    Event,
    emit,
  };
})
`;
