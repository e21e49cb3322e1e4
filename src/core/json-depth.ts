/**
 * Nesting limits for JSON. V8's JSON.parse is iterative and accepts any depth, but
 * JSON.stringify, sprintf and every recursive walk over the result overflow the stack near
 * ten thousand levels, so a deep document that gets in crashes whatever touches it next.
 * Codecs and the json filter refuse documents deeper than MAX_JSON_DEPTH; encoders refuse
 * events deeper than it. The value is Jackson's default (StreamReadConstraints /
 * StreamWriteConstraints maxNestingDepth), which is what Logstash's parser enforces.
 */

/** Most objects/arrays open at once (`{}` is depth 1, `{"a":[1]}` depth 2). */
export const MAX_JSON_DEPTH = 1000;

/**
 * Whether JSON text of this length could nest deeper than `limit`: each level needs an
 * opening and a closing bracket, so shorter text cannot. Lets the common short event skip
 * the walk entirely.
 */
export function jsonLengthMayExceed(length: number, limit = MAX_JSON_DEPTH): boolean {
  return length > 2 * limit;
}

/**
 * Whether `value` nests objects/arrays deeper than `limit`. A cycle counts as too deep. The
 * recursion stops at limit + 1 frames, so the check itself cannot overflow the stack.
 */
export function nestingExceeds(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  return deeper(value, limit + 1);
}

/** True when `value` holds an object/array chain of `remaining` levels or more. */
function deeper(value: unknown, remaining: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (remaining <= 1) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (deeper(value[i], remaining - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (deeper((value as Record<string, unknown>)[key], remaining - 1)) return true;
  }
  return false;
}

/** The error codecs and encoders throw for a value past the limit (encoders report it as the rejection reason). */
export class NestingTooDeepError extends RangeError {
  override name = 'NestingTooDeepError';
  constructor(limit = MAX_JSON_DEPTH) {
    super(`nested deeper than ${limit} levels`);
  }
}

/**
 * JSON.stringify that refuses values nested deeper than `limit` with NestingTooDeepError
 * instead of a stack overflow (or, below the overflow, silently writing them). The depth is
 * only walked when the text is long enough to hide such nesting.
 */
export function stringifyLimited(value: unknown, limit = MAX_JSON_DEPTH): string {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    // A stack overflow is a RangeError; a cycle (TypeError) or a BigInt keeps its own message.
    if (err instanceof RangeError && nestingExceeds(value, limit)) throw new NestingTooDeepError(limit);
    throw err;
  }
  if (jsonLengthMayExceed(text.length, limit) && nestingExceeds(value, limit)) throw new NestingTooDeepError(limit);
  return text;
}

/**
 * Text for diagnostics (a rejected event, a raw payload): JSON of anything, never throwing.
 * Levels past `maxDepth` become "[deeper than N levels]", cycles "[circular]", BigInts their
 * decimal text; values with toJSON (Timestamp) are written as it returns.
 */
export function diagnosticJson(value: unknown, maxDepth = MAX_JSON_DEPTH): string {
  const parts: string[] = [];
  const ancestors = new Set<object>();
  const write = (v: unknown, depth: number): void => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      try {
        v = (v as { toJSON(): unknown }).toJSON();
      } catch {
        v = String(v);
      }
    }
    switch (typeof v) {
      case 'string': parts.push(JSON.stringify(v)); return;
      case 'number': parts.push(Number.isFinite(v) ? String(v) : 'null'); return;
      case 'boolean': parts.push(String(v)); return;
      case 'bigint': parts.push(JSON.stringify(v.toString())); return;
      case 'undefined': case 'function': case 'symbol': parts.push('null'); return;
    }
    if (v === null) return void parts.push('null');
    const obj = v as object;
    if (ancestors.has(obj)) return void parts.push('"[circular]"');
    if (depth >= maxDepth) return void parts.push(JSON.stringify(`[deeper than ${maxDepth} levels]`));
    ancestors.add(obj);
    if (Array.isArray(obj)) {
      parts.push('[');
      for (let i = 0; i < obj.length; i++) {
        if (i > 0) parts.push(',');
        write(obj[i], depth + 1);
      }
      parts.push(']');
    } else {
      parts.push('{');
      let first = true;
      for (const key of Object.keys(obj)) {
        const item = (obj as Record<string, unknown>)[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        if (!first) parts.push(',');
        first = false;
        parts.push(JSON.stringify(key), ':');
        write(item, depth + 1);
      }
      parts.push('}');
    }
    ancestors.delete(obj);
  };
  write(value, 0);
  return parts.join('');
}
