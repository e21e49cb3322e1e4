/**
 * prune: removes top-level fields by name (whitelist/blacklist of regexes) or
 * by value (per-field regexes; arrays are filtered element by element).
 * Mirrors logstash-filter-prune 3.0.x, except that `@timestamp` is never
 * removed (in Logstash that breaks every output that formats a date, see
 * logstash-filter-prune#22).
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { TIMESTAMP } from '../../../core/event.js';
import { compileTemplate, hasInterpolation, valueToString, type Template } from '../../../core/sprintf.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineFilter, type PluginContext } from '../../api.js';
import { compileRubyRegex } from '../../../core/ruby-regex.js';

type Tester = (text: string) => boolean;

/** Tests a text against any of several patterns (Ruby's Regexp.union, keeping each pattern's own flags). */
function anyOf(patterns: readonly string[]): Tester {
  const res = patterns.map((p) => compileRubyRegex(p));
  if (res.length === 1) {
    const re = res[0]!;
    return (text) => re.test(text);
  }
  return (text) => {
    for (const re of res) if (re.test(text)) return true;
    return false;
  };
}

/** A pattern that may be a sprintf template; compiled regexes are cached per rendered text. */
type Matcher = (event: Event) => Tester;

class RegexCache {
  private readonly cache = new Map<string, Tester>();
  get(source: string, build: (s: string) => Tester): Tester {
    let re = this.cache.get(source);
    if (!re) {
      re = build(source);
      // Interpolated patterns can be unbounded in variety; keep the cache small.
      if (this.cache.size >= 1000) this.cache.clear();
      this.cache.set(source, re);
    }
    return re;
  }
}

function compileNames(patterns: readonly string[], interpolate: boolean, cache: RegexCache, what: string, ctx: PluginContext): Matcher | undefined {
  if (patterns.length === 0) return undefined;
  if (interpolate && patterns.some(hasInterpolation)) {
    const templates = patterns.map(compileTemplate);
    return (event) => {
      const rendered = templates.map((t) => t(event));
      return cache.get(rendered.join('\u0000'), () => safeAnyOf(rendered));
    };
  }
  let tester: Tester;
  try {
    tester = anyOf(patterns);
  } catch (e) {
    throw new ConfigError(`prune: invalid regular expression in ${what}: ${(e as Error).message}`, ctx.location);
  }
  return () => tester;
}

/** A rendered pattern that is not a valid regex matches nothing rather than failing the event. */
const NEVER: Tester = () => false;
function safeAnyOf(patterns: readonly string[]): Tester {
  try {
    return anyOf(patterns);
  } catch {
    return NEVER;
  }
}

interface ValueRule {
  /** Field name (top level), possibly interpolated. */
  key: Template;
  pattern: Matcher;
}

function compileValues(hash: Record<string, unknown>, interpolate: boolean, cache: RegexCache, what: string, ctx: PluginContext): ValueRule[] {
  const rules: ValueRule[] = [];
  for (const [key, raw] of Object.entries(hash)) {
    // A list of patterns is accepted too (any of them matches).
    const list = Array.isArray(raw) ? raw.map(String) : [String(raw)];
    const keyTemplate: Template = interpolate ? compileTemplate(key) : () => key;
    if (interpolate && list.some(hasInterpolation)) {
      const templates = list.map(compileTemplate);
      rules.push({
        key: keyTemplate,
        pattern: (event) => {
          const rendered = templates.map((t) => t(event));
          return cache.get(rendered.join('\u0000'), () => safeAnyOf(rendered));
        },
      });
      continue;
    }
    let tester: Tester;
    try {
      tester = anyOf(list);
    } catch (e) {
      throw new ConfigError(`prune: invalid regular expression for "${key}" in ${what}: ${(e as Error).message}`, ctx.location);
    }
    rules.push({ key: keyTemplate, pattern: () => tester });
  }
  return rules;
}

/** The text a value is matched as: strings and scalars by their string form; hashes never match. */
function matchable(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Timestamp) return valueToString(value);
  return undefined;
}

export const pruneFilter = defineFilter({
  kind: 'filter',
  name: 'prune',
  description: 'Removes top-level fields by name or by value, using lists of regular expressions.',
  options: {
    whitelist_names: { type: 'string_list', default: [], description: 'Keep only fields whose names match one of these regexes (empty: keep all).' },
    blacklist_names: { type: 'string_list', default: ['%\\{[^}]+\\}'], description: 'Remove fields whose names match one of these regexes; by default, names with an unresolved %{...}.' },
    whitelist_values: { type: 'hash', default: {}, description: 'field => regex: keep the field (or array elements) only if the value matches.' },
    blacklist_values: { type: 'hash', default: {}, description: 'field => regex: remove the field (or array elements) if the value matches.' },
    interpolate: { type: 'boolean', default: false, description: 'Expand %{field} references in names, patterns and keys for each event.' },
  },
  create(options, ctx) {
    const cache = new RegexCache();
    const interpolate = options.interpolate;
    const whitelistNames = compileNames(options.whitelist_names, interpolate, cache, 'whitelist_names', ctx);
    const blacklistNames = compileNames(options.blacklist_names, interpolate, cache, 'blacklist_names', ctx);
    const whitelistValues = compileValues(options.whitelist_values, interpolate, cache, 'whitelist_values', ctx);
    const blacklistValues = compileValues(options.blacklist_values, interpolate, cache, 'blacklist_values', ctx);

    /** Applies one value rule; `keep` is true for whitelists. */
    const applyValueRule = (data: Record<string, unknown>, key: string, test: Tester, keep: boolean): void => {
      if (key === TIMESTAMP) return;
      const value = data[key];
      // Logstash skips nil and false values.
      if (value === undefined || value === null || value === false) return;
      if (Array.isArray(value)) {
        const kept = value.filter((item) => {
          const text = matchable(item);
          // Elements that cannot be matched (hashes) count as non-matching.
          const hit = text !== undefined && test(text);
          return keep ? hit : !hit;
        });
        if (kept.length === value.length) return;
        if (kept.length === 0) delete data[key];
        else data[key] = kept;
        return;
      }
      const text = matchable(value);
      if (text === undefined) return;
      if (test(text) !== keep) delete data[key];
    };

    return {
      filter(event) {
        const data = event.data;
        // Every template is rendered before anything is removed, so interpolated
        // references still see the fields they point at (as in Logstash).
        const white = whitelistNames?.(event);
        const black = blacklistNames?.(event);
        let resolved: Array<[string, Tester, boolean]> | undefined;
        if (whitelistValues.length > 0 || blacklistValues.length > 0) {
          resolved = [];
          for (const r of whitelistValues) resolved.push([r.key(event), r.pattern(event), true]);
          for (const r of blacklistValues) resolved.push([r.key(event), r.pattern(event), false]);
        }
        if (white || black) {
          for (const name of Object.keys(data)) {
            if (name === TIMESTAMP) continue;
            if ((white && !white(name)) || (black && black(name))) delete data[name];
          }
        }
        if (resolved) for (const [key, test, keep] of resolved) applyValueRule(data, key, test, keep);
        return true;
      },
    };
  },
});
