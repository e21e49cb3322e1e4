/**
 * What the elasticsearch output's encoder hands its sink: the bulk body of a batch as one
 * transferable buffer, and each item's action. Item boundaries are not carried: every item is
 * one action line plus one source line (none for delete), and JSON text never holds a raw
 * newline, so the sink finds them by counting newlines — only when it must (a batch larger than
 * target_bulk_bytes, items to retry or to report).
 */
import type { BulkAction } from './options.js';

export const ACTION_CODES: Record<BulkAction, number> = { index: 0, create: 1, update: 2, delete: 3 };
export const ACTION_NAMES: readonly BulkAction[] = ['index', 'create', 'update', 'delete'];

export interface BulkBatch {
  /** NDJSON: action line, then source line (none for delete), per item. */
  bytes: Uint8Array;
  /** Per item, its ACTION_CODES value. */
  actions: Uint8Array;
}

export interface BulkItem {
  action: BulkAction;
  start: number;
  end: number;
}

const NEWLINE = 0x0a;

/** Where each item of `batch` starts and ends in its bytes. */
export function itemsOf(batch: BulkBatch): BulkItem[] {
  const { bytes, actions } = batch;
  const items: BulkItem[] = new Array(actions.length);
  let start = 0;
  for (let i = 0; i < actions.length; i++) {
    const code = actions[i]!;
    let end = bytes.indexOf(NEWLINE, start) + 1;
    if (code !== ACTION_CODES.delete) end = bytes.indexOf(NEWLINE, end) + 1;
    if (end <= 0) throw new Error(`bulk batch is truncated at item ${i}`);
    items[i] = { action: ACTION_NAMES[code]!, start, end };
    start = end;
  }
  return items;
}

/** A batch of the given items of `batch` (by position), for a retry or one request of a split batch. */
export function subsetOf(batch: BulkBatch, items: BulkItem[], positions: readonly number[]): BulkBatch {
  let total = 0;
  for (const p of positions) total += items[p]!.end - items[p]!.start;
  const bytes = new Uint8Array(total);
  const actions = new Uint8Array(positions.length);
  let offset = 0;
  positions.forEach((p, i) => {
    const item = items[p]!;
    bytes.set(batch.bytes.subarray(item.start, item.end), offset);
    offset += item.end - item.start;
    actions[i] = batch.actions[p]!;
  });
  return { bytes, actions };
}

/** The item's source line (its document) as text, for the failure path; the action line for delete. */
export function itemText(batch: BulkBatch, item: BulkItem): string {
  const decoder = new TextDecoder();
  const actionEnd = batch.bytes.indexOf(NEWLINE, item.start) + 1;
  const from = item.action === 'delete' ? item.start : actionEnd;
  return decoder.decode(batch.bytes.subarray(from, item.end - 1));
}
