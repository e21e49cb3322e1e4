/** The Kafka client's errors, described for logs and failure reasons (no client import here). */

interface KafkaErrorShape {
  message: string;
  apiId?: string;
  errors?: unknown[];
  cause?: unknown;
}

/** The broker error codes inside a client error (it nests them in aggregate errors). */
export function apiIds(err: unknown, out: string[] = [], depth = 0): string[] {
  if (err === null || typeof err !== 'object' || depth > 6) return out;
  const e = err as KafkaErrorShape;
  if (typeof e.apiId === 'string') out.push(e.apiId);
  if (Array.isArray(e.errors)) for (const inner of e.errors) apiIds(inner, out, depth + 1);
  if (e.cause) apiIds(e.cause, out, depth + 1);
  return out;
}

export function describeKafkaError(err: unknown): string {
  const ids = [...new Set(apiIds(err))];
  const message = err instanceof Error ? err.message : String(err);
  return ids.length > 0 ? `${message} (${ids.join(', ')})` : message;
}
