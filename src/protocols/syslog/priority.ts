/**
 * Syslog PRI arithmetic shared by the syslog input and the syslog_pri filter: priority =
 * facility × 8 + severity (RFC 3164 §4.1.1, RFC 5424 §6.2.1), and label lookup with Ruby's array
 * indexing (a negative index counts from the end), which is what Logstash's plugins do.
 */

/** RFC 3164's "unknown" priority: user-level (1) notice (5). Logstash uses it for unparsed lines. */
export const DEFAULT_PRIORITY = 13;

export interface PriorityParts {
  facility: number;
  severity: number;
}

/** Splits a priority into facility and severity as Ruby's `>> 3` and `& 7` do for any integer. */
export function splitPriority(priority: number): PriorityParts {
  const facility = Math.floor(priority / 8);
  return { facility, severity: priority - facility * 8 };
}

/** `labels[index]` with Ruby semantics: negative counts from the end; out of range is undefined. */
export function labelAt(labels: readonly unknown[], index: number): string | undefined {
  const at = index < 0 ? labels.length + index : index;
  const label = at >= 0 ? labels[at] : undefined;
  return label === undefined || label === null ? undefined : String(label);
}

/**
 * Ruby's `value.to_i` as Logstash applies it to a priority field: integers as they are, floats
 * truncated, strings by their leading integer (0 when there is none), nil as 0. Anything else
 * (an array from a field captured twice, a hash, a boolean) has no `to_i` in Ruby: undefined.
 */
export function rubyToInteger(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string') {
    const m = /^\s*([+-]?\d+(?:_\d+)*)/.exec(value);
    if (!m) return 0;
    const n = Number(m[1]!.replace(/_/g, ''));
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}
