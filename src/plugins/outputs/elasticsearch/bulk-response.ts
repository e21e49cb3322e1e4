/**
 * Reading a bulk response item by item. Each item is done (written, or a 409 conflict: a `create`
 * whose document exists was written before — a redelivery), failed for good (400/404 and
 * `dlq_custom_codes`: a mapping error, a missing index with auto-creation off — the event goes to
 * the failure path with the server's reason), or to retry (429 back-pressure, 5xx, anything else).
 */
import type { BulkAction } from './options.js';

export type ItemOutcome = 'done' | 'conflict' | 'failed' | 'retry';

interface ItemError {
  type?: unknown;
  reason?: unknown;
  caused_by?: ItemError;
}

export interface ItemResult {
  outcome: ItemOutcome;
  status: number;
  /** The server's error, as text ("mapper_parsing_exception: failed to parse … (caused by …)"). */
  reason?: string;
}

export interface BulkResponseBody {
  errors?: boolean;
  items?: Array<Record<string, { status?: number; error?: ItemError | string } | undefined>>;
}

/** How one item status is handled. */
export function classifyStatus(status: number, action: BulkAction, failureCodes: ReadonlySet<number>): ItemOutcome {
  if (status >= 200 && status < 300) return 'done';
  if (status === 409) return action === 'create' ? 'done' : 'conflict';
  if (status === 400 || status === 404 || failureCodes.has(status)) return 'failed';
  return 'retry';
}

export function describeError(error: ItemError | string | undefined): string {
  if (error === undefined) return 'no reason given';
  if (typeof error === 'string') return error;
  let text = `${String(error.type ?? 'error')}: ${String(error.reason ?? '')}`;
  if (error.caused_by) text += ` (caused by ${describeError(error.caused_by)})`;
  return text;
}

/**
 * One result per item sent, in order. A response with fewer items than were sent (a proxy cut it,
 * a server bug) leaves the missing ones to retry rather than counting them written.
 */
export function readItems(body: BulkResponseBody, actions: readonly BulkAction[], failureCodes: ReadonlySet<number>): ItemResult[] {
  const items = body.items ?? [];
  return actions.map((action, i) => {
    const entry = items[i];
    const result = entry ? Object.values(entry)[0] : undefined;
    if (!result || typeof result.status !== 'number') return { outcome: 'retry', status: 0, reason: 'the bulk response has no result for this item' };
    const outcome = classifyStatus(result.status, action, failureCodes);
    return outcome === 'done' ? { outcome, status: result.status } : { outcome, status: result.status, reason: describeError(result.error) };
  });
}
