/**
 * Filebeat's `expand_keys`: keys with dots become nested objects (`{"a.b": 1}` → `{a: {b: 1}}`),
 * recursively, merged with objects already there. A clash between an object and a value (`{"a": 1,
 * "a.b": 2}`) keeps the value that was there first and is reported, as Filebeat reports it.
 */
export interface Expanded {
  value: Record<string, unknown>;
  /** The dotted keys that could not be expanded. */
  conflicts: string[];
}

export function expandDottedKeys(source: Record<string, unknown>): Expanded {
  const conflicts: string[] = [];
  return { value: expand(source, '', conflicts), conflicts };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function expand(source: Record<string, unknown>, prefix: string, conflicts: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(source)) {
    const value = isObject(raw) ? expand(raw, `${prefix}${key}.`, conflicts) : raw;
    const path = key.split('.');
    let at = out;
    let clash = false;
    for (const part of path.slice(0, -1)) {
      const next = at[part];
      if (next === undefined) at = at[part] = {} as Record<string, unknown>;
      else if (isObject(next)) at = next;
      else {
        clash = true;
        break;
      }
    }
    const last = path[path.length - 1]!;
    if (!clash && at[last] !== undefined && !(isObject(at[last]) && isObject(value))) clash = true;
    if (clash) {
      conflicts.push(prefix + key);
      continue;
    }
    at[last] = isObject(at[last]) && isObject(value) ? merge(at[last] as Record<string, unknown>, value, `${prefix}${key}.`, conflicts) : value;
  }
  return out;
}

function merge(into: Record<string, unknown>, from: Record<string, unknown>, prefix: string, conflicts: string[]): Record<string, unknown> {
  for (const [k, v] of Object.entries(from)) {
    const there = into[k];
    if (there === undefined) into[k] = v;
    else if (isObject(there) && isObject(v)) merge(there, v, `${prefix}${k}.`, conflicts);
    else conflicts.push(prefix + k);
  }
  return into;
}
