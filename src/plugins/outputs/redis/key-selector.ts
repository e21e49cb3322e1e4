/**
 * Filebeat's `keys` rules for the redis output: the first rule whose `when` condition matches the
 * event (and, with `mappings`, whose rendered key is mapped, or has a `default`) gives the key;
 * when none does, `key`. Rules are compiled once, when the encoder is created.
 */
import type { Event } from '../../../core/event.js';
import { compileTemplate, type Template } from '../../../core/sprintf.js';
import { compileCondition, type Condition } from '../../beats-processors.js';

interface Rule {
  key: Template;
  when: Condition | undefined;
  mappings: Map<string, string> | undefined;
  fallback: string | undefined;
}

export function compileKeySelector(key: string, rules: unknown[]): Template {
  const fallbackKey = compileTemplate(key);
  if (rules.length === 0) return fallbackKey;
  const compiled: Rule[] = rules.map((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new Error(`keys[${i}] must be a map with a key`);
    const rule = r as { key?: unknown; when?: unknown; mappings?: unknown; default?: unknown };
    if (typeof rule.key !== 'string') throw new Error(`keys[${i}].key must be a string`);
    let mappings: Map<string, string> | undefined;
    if (rule.mappings !== undefined) {
      if (rule.mappings === null || typeof rule.mappings !== 'object') throw new Error(`keys[${i}].mappings must be a map`);
      mappings = new Map(Object.entries(rule.mappings as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    }
    return {
      key: compileTemplate(rule.key),
      when: rule.when === undefined ? undefined : compileCondition(rule.when),
      mappings,
      fallback: rule.default === undefined ? undefined : String(rule.default),
    };
  });
  return (event: Event) => {
    for (const rule of compiled) {
      if (rule.when && !rule.when(event)) continue;
      const rendered = rule.key(event);
      if (!rule.mappings) return rendered;
      const mapped = rule.mappings.get(rendered) ?? rule.fallback;
      if (mapped !== undefined) return mapped;
    }
    return fallbackKey(event);
  };
}
