/**
 * grok: parses text fields with named regular-expression patterns (Logstash's logstash-filter-grok).
 *
 * Every pattern compiles once at create() to one RegExp (see compiler.ts / translate.ts); captures
 * map to precompiled FieldRefs with their :int/:float conversion. A runaway match is stopped by
 * the pipeline's watchdog in a worker thread (heartbeat), or else by a vm guard (engine.ts): for
 * that, matching is split in a pure phase (regexp exec only — the part that can run away) and an
 * apply phase (setting fields), so the pure phase can be interrupted safely.
 */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';
import { compileGrok, CompiledGrok, convertValue, GrokCompileError, parsePatternText, type CompileOptions } from './compiler.js';
import { GuardTimeout, runGuarded } from './engine.js';
import { standardPatterns } from './patterns/index.js';

export { compileGrok, CompiledGrok, parsePatternText, GrokCompileError } from './compiler.js';
export type { CompileOptions, GrokCapture } from './compiler.js';
export { standardPatterns } from './patterns/index.js';
export { enableLinearFallback } from './engine.js';

/** A compiled grok bound to this filter's target/overwrite settings. */
interface Bound {
  grok: CompiledGrok;
  refs: FieldRef[];
  overwrite: boolean[];
}

interface FieldGroks {
  ref: FieldRef;
  groks: Bound[];
}

/** Matches found for one event: alternating Bound, RegExpExecArray. */
type Found = Array<Bound | RegExpExecArray>;

const TIMED_OUT = 1;

export const grokFilter = defineFilter({
  kind: 'filter',
  name: 'grok',
  description: 'Parses unstructured text into fields with named regular-expression patterns.',
  options: {
    match: { type: 'hash', default: {}, description: 'Field → pattern or list of patterns, tried in order.' },
    pattern_definitions: { type: 'hash', default: {}, description: 'Extra patterns: name → regex (override the library and patterns_dir).' },
    patterns_dir: { type: 'string_list', default: [], description: 'Directories of pattern files (`NAME regex` lines).' },
    patterns_files_glob: { type: 'string', default: '*', description: 'Which files of patterns_dir to load.' },
    break_on_match: { type: 'boolean', default: true, description: 'Stop at the first pattern that matches.' },
    named_captures_only: { type: 'boolean', default: true, description: 'Keep only captures with a semantic name.' },
    keep_empty_captures: { type: 'boolean', default: false, description: 'Keep captures that are empty or did not participate.' },
    overwrite: { type: 'string_list', default: [], description: 'Fields to overwrite instead of turning an existing value into an array.' },
    tag_on_failure: { type: 'string_list', default: ['_grokparsefailure'], description: 'Tags added when no pattern matches.' },
    tag_on_timeout: { type: 'string', default: '_groktimeout', description: 'Tag added when matching is cut off by timeout_millis.' },
    timeout_millis: { type: 'number', default: 30000, description: 'Cut off a match after this long; 0 disables.' },
    timeout_scope: { type: 'string', default: 'pattern', values: ['pattern', 'event'], description: 'Accepted; the budget applies per event (see docs).' },
    target: { type: 'string', description: 'Put captures under this field instead of the event root.' },
  },
  create(options, ctx) {
    const patterns = new Map(standardPatterns(ctx.ecs));
    const where = { location: ctx.location, warn: (m: string) => ctx.logger.warn(`grok: ${m}`) };
    for (const dir of options.patterns_dir) loadPatternDir(dir, options.patterns_files_glob, patterns, where);
    for (const [name, def] of Object.entries(options.pattern_definitions)) patterns.set(name, String(def));
    const compileOpts: CompileOptions = { patterns, namedCapturesOnly: options.named_captures_only };
    const overwrite = new Set(options.overwrite);
    const target = options.target;

    const bind = (pattern: string): Bound => {
      let grok: CompiledGrok;
      try {
        grok = compileGrok(pattern, compileOpts);
      } catch (e) {
        if (e instanceof GrokCompileError) throw new ConfigError(e.message, ctx.location);
        throw e;
      }
      const refs = grok.captures.map((c) => (target ? fieldRef(`[${target}]${c.field.startsWith('[') ? c.field : `[${c.field}]`}`) : c.ref));
      return { grok, refs, overwrite: grok.captures.map((c) => overwrite.has(c.field)) };
    };
    const fields: FieldGroks[] = Object.entries(options.match).map(([field, pats]) => ({
      ref: fieldRef(field),
      groks: (Array.isArray(pats) ? pats : [pats]).map((p) => bind(String(p))),
    }));

    const breakOnMatch = options.break_on_match;
    const keepEmpty = options.keep_empty_captures;
    const failureTags = options.tag_on_failure;
    const timeoutTag = options.tag_on_timeout;
    const timeoutMs = options.timeout_millis;
    // Patterns V8 can fall back to linear time on need no guard; see engine.ts.
    const guarded = timeoutMs > 0 && fields.some((f) => f.groks.some((b) => !b.grok.linear));

    const matchText = (groks: Bound[], text: string, found: Found): boolean => {
      let matched = false;
      for (const b of groks) {
        const m = b.grok.regex.exec(text);
        if (m !== null) {
          found.push(b, m);
          matched = true;
          if (breakOnMatch) break;
        }
      }
      return matched;
    };

    /** Pure phase: regexp work only, nothing written to the event. */
    const matchEvent = (event: Event): Found | null => {
      let found: Found | null = null;
      for (const f of fields) {
        const input = f.ref.get(event);
        if (input === undefined || input === null) continue;
        let matched = false;
        if (Array.isArray(input)) {
          for (const el of input) if (el !== undefined && el !== null && matchText(f.groks, toText(el), (found ??= []))) matched = true;
        } else {
          matched = matchText(f.groks, toText(input), (found ??= []));
        }
        if (matched && breakOnMatch) break;
      }
      return found !== null && found.length > 0 ? found : null;
    };

    const apply = (event: Event, found: Found): void => {
      for (let i = 0; i < found.length; i += 2) {
        const b = found[i] as Bound;
        const m = found[i + 1] as RegExpExecArray;
        const caps = b.grok.captures;
        for (let k = 0; k < caps.length; k++) {
          const c = caps[k]!;
          const raw = m[c.group];
          if (raw === undefined || raw === '') {
            if (!keepEmpty) continue;
          }
          const value = raw === undefined ? null : convertValue(raw, c.convert);
          const ref = b.refs[k]!;
          if (b.overwrite[k]) {
            ref.set(event, value);
            continue;
          }
          const v = ref.get(event);
          if (v === undefined || v === null) ref.set(event, value);
          else if (Array.isArray(v)) v.push(value);
          else if (typeof v === 'string') ref.set(event, [v, value]);
          // Other existing values (numbers, objects) are left alone, as Logstash does.
        }
      }
    };

    const finish = (event: Event, found: Found | null | typeof TIMED_OUT): boolean => {
      if (found === TIMED_OUT) {
        event.tag(timeoutTag);
        return false;
      }
      if (found === null) {
        for (const t of failureTags) event.tag(t);
        return false;
      }
      apply(event, found);
      return true;
    };

    const onTimeout = (event: Event): void => {
      ctx.logger.warn(`grok: matching took longer than ${timeoutMs} ms, tagged ${timeoutTag}`, { id: ctx.id, value: String(fields[0]?.ref.get(event) ?? '').slice(0, 256) });
    };

    if (!guarded) {
      return { filter: (event) => finish(event, matchEvent(event)) };
    }

    const heartbeat = ctx.heartbeat;
    heartbeat.arm();

    /**
     * In a watched worker thread: one atomic add per event. A match that runs away stops the
     * whole thread (the pipeline's watchdog) and the batch comes back with `watched` false.
     */
    const filterWatched = (events: Event[], matched: (event: Event) => void): Event[] => {
      heartbeat.enter(timeoutMs);
      try {
        for (let k = 0; k < events.length; k++) {
          heartbeat.step();
          const event = events[k]!;
          if (finish(event, matchEvent(event))) matched(event);
        }
      } finally {
        heartbeat.leave();
      }
      return events;
    };

    /**
     * Guarding ourselves: one guarded call (one watchdog thread) per batch. After a cut-off the
     * event being matched is retried under a fresh guard unless it already had the whole budget,
     * so every event gets at least timeout_millis before it is tagged.
     */
    const filterGuarded = (events: Event[], matched: (event: Event) => void): Event[] => {
      const n = events.length;
      const results: Array<Found | null | typeof TIMED_OUT> = new Array(n).fill(null);
      let next = 0;
      let i = 0;
      while (i < n) {
        const start = i;
        try {
          runGuarded(() => {
            for (let k = start; k < n; k++) {
              next = k;
              results[k] = matchEvent(events[k]!);
            }
            next = n;
          }, timeoutMs);
          i = n;
        } catch (e) {
          if (!(e instanceof GuardTimeout)) throw e;
          if (next === start) {
            results[next] = TIMED_OUT;
            onTimeout(events[next]!);
            i = next + 1;
          } else {
            i = next;
          }
        }
      }
      for (let k = 0; k < n; k++) if (finish(events[k]!, results[k]!)) matched(events[k]!);
      return events;
    };

    return {
      filter(event) {
        let found: Found | null | typeof TIMED_OUT = null;
        try {
          runGuarded(() => { found = matchEvent(event); }, timeoutMs);
        } catch (e) {
          if (!(e instanceof GuardTimeout)) throw e;
          onTimeout(event);
          found = TIMED_OUT;
        }
        return finish(event, found);
      },
      filterBatch: (events, matched) => (heartbeat.watched ? filterWatched(events, matched) : filterGuarded(events, matched)),
    };
  },
});

/** Logstash matches `input.to_s`: numbers and booleans as text, hashes as JSON here. */
function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !(typeof (value as { toISOString?: unknown }).toISOString === 'function')) return JSON.stringify(value);
  return String(value);
}

/** Where a pattern directory is named, and how to say one is not there. */
export interface PatternDirContext {
  location?: SourceLocation | undefined;
  warn(message: string): void;
}

/**
 * Loads the pattern files of one `patterns_dir` entry as Logstash's grok does: a directory's
 * files matching `glob`, a file itself, or a glob (".../patterns/*"). A path that does not exist
 * loads nothing, as in Logstash (a pattern it should have held is then reported as undefined);
 * we say so in the log.
 */
export function loadPatternDir(dir: string, glob: string, into: Map<string, string>, ctx: PatternDirContext): void {
  let top = dir;
  let pattern = glob;
  let st = statOrUndefined(dir);
  if (!st && /[*?{[]/.test(basename(dir))) {
    // A glob in the last segment: its directory with that glob.
    top = dirname(dir);
    pattern = basename(dir);
    st = statOrUndefined(top);
  }
  if (!st) {
    ctx.warn(`patterns_dir "${dir}" does not exist: no patterns are loaded from it (Logstash skips it too)`);
    return;
  }
  if (!st.isDirectory()) {
    parsePatternText(readFileSync(top, 'utf8'), into);
    return;
  }
  const re = globToRegExp(pattern);
  const files: string[] = [];
  const walk = (d: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch (e) {
      throw new ConfigError(`grok: cannot read patterns_dir "${dir}": ${(e as Error).message}`, ctx.location);
    }
    for (const name of entries) {
      const full = join(d, name);
      const entry = statSync(full);
      if (entry.isDirectory()) {
        if (pattern.includes('/')) walk(full);
      } else if (re.test(relative(top, full))) files.push(full);
    }
  };
  walk(top);
  for (const f of files) parsePatternText(readFileSync(f, 'utf8'), into);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function globToRegExp(glob: string): RegExp {
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') { src += '.*'; i++; if (glob[i + 1] === '/') i++; }
    else if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '{') src += '(?:';
    else if (c === '}') src += ')';
    else if (c === ',') src += '|';
    else src += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${src}$`);
}
