/**
 * Worker half of the elasticsearch output: events → bulk request body. Each event becomes an
 * action line (`{"index":{"_index":…,"_id":…}}`) and its document; the whole batch is built as one
 * string and encoded once. What does not change between events (a constant index, the action)
 * is rendered once; an index that depends only on the date is rendered once per UTC day.
 */
import type { Event } from '../../../core/event.js';
import { stringifyLimited } from '../../../core/json-depth.js';
import { Utf8Builder } from '../../../core/utf8-builder.js';
import { compileTemplate, hasInterpolation, type Template } from '../../../core/sprintf.js';
import { fieldRef } from '../../../core/fieldref.js';
import type { OutputPayload } from '../../api.js';
import { encodeEach, rejection } from '../encoding.js';
import { ACTION_CODES, type BulkBatch } from './bulk-batch.js';
import { ACTIONS, type BulkAction } from './options.js';

export interface DataStreamTarget {
  type: string;
  dataset: string;
  namespace: string;
  /** Take type/dataset/namespace from the event's data_stream.* fields when set. */
  autoRouting: boolean;
  /** Write the data stream used into the document's data_stream.* fields. */
  syncFields: boolean;
}

export interface BulkEncoderSettings {
  /** Undefined with a data stream (the target is the data stream). */
  index: string | undefined;
  action: string;
  documentId: string | undefined;
  routing: string | undefined;
  pipeline: string | undefined;
  version: string | undefined;
  versionType: string | undefined;
  docAsUpsert: boolean;
  /** JSON text (sprintf) of the document to create on update when none exists; '' for none. */
  upsert: string;
  retryOnConflict: number;
  dataStream: DataStreamTarget | undefined;
}

const DATE_ONLY = /^[yYxMdDwEeG.\-_/ ]+$/;
const MS_PER_DAY = 86_400_000;

/** A template that renders the same text for a whole UTC day renders once per day. */
function indexRenderer(text: string): Template {
  const template = compileTemplate(text);
  if (!hasInterpolation(text)) return template;
  const pieces = text.match(/%\{[^}]*\}/g) ?? [];
  const dateOnly = pieces.every((p) => p.startsWith('%{+') && p !== '%{+%s}' && DATE_ONLY.test(p.slice(3, -1).replace(/'[^']*'/g, '')));
  if (!dateOnly) return template;
  let day = NaN;
  let rendered = '';
  return (event) => {
    const d = Math.floor(event.timestamp.epochMs / MS_PER_DAY);
    if (d !== day) {
      rendered = template(event);
      day = d;
    }
    return rendered;
  };
}

/** An optional per-event value: undefined when unset or rendering to an empty string. */
function optional(text: string | undefined): ((event: Event) => string | undefined) | undefined {
  if (text === undefined || text === '') return undefined;
  const template = compileTemplate(text);
  return (event) => {
    const value = template(event);
    return value === '' ? undefined : value;
  };
}

const dataStreamRefs = { type: fieldRef('[data_stream][type]'), dataset: fieldRef('[data_stream][dataset]'), namespace: fieldRef('[data_stream][namespace]') };

function routedDataStream(event: Event, target: DataStreamTarget): { type: string; dataset: string; namespace: string } {
  if (!target.autoRouting) return target;
  const pick = (ref: (typeof dataStreamRefs)[keyof typeof dataStreamRefs], fallback: string): string => {
    const value = ref.get(event);
    return typeof value === 'string' && value !== '' ? value : fallback;
  };
  return { type: pick(dataStreamRefs.type, target.type), dataset: pick(dataStreamRefs.dataset, target.dataset), namespace: pick(dataStreamRefs.namespace, target.namespace) };
}

export function createBulkEncoder(settings: BulkEncoderSettings): { encode(events: Event[]): OutputPayload | undefined } {
  const staticAction = !hasInterpolation(settings.action);
  const actionOf = compileTemplate(settings.action);
  const index = settings.index === undefined ? undefined : indexRenderer(settings.index);
  const staticIndex = settings.index !== undefined && !hasInterpolation(settings.index) ? JSON.stringify(settings.index) : undefined;
  const id = optional(settings.documentId);
  const routing = optional(settings.routing);
  const pipeline = optional(settings.pipeline);
  const version = optional(settings.version);
  const upsert = settings.upsert === '' ? undefined : compileTemplate(settings.upsert);
  const stream = settings.dataStream;
  const versionType = settings.versionType === undefined ? '' : `,"version_type":${JSON.stringify(settings.versionType)}`;
  const retryOnConflict = `,"retry_on_conflict":${settings.retryOnConflict}`;

  const checkedAction = (event: Event): BulkAction => {
    const name = staticAction ? settings.action : actionOf(event);
    if (!(ACTIONS as readonly string[]).includes(name)) throw new Error(`action "${name}" is not one of ${ACTIONS.join(', ')}`);
    return name as BulkAction;
  };

  // The common case: a fixed action (index or create) whose action line depends on the index
  // alone. The line is rebuilt only when the index changes (once per day for a dated index).
  const simple = staticAction && stream === undefined && (settings.action === 'index' || settings.action === 'create')
    && id === undefined && routing === undefined && pipeline === undefined && version === undefined;
  const simpleCode = ACTION_CODES[settings.action as BulkAction] ?? 0;
  let lastIndex = '';
  let lastLine = '';

  const encodeSimple = (events: Event[]): OutputPayload | undefined => {
    const body = new Utf8Builder();
    let count = 0;
    let rejected: OutputPayload['rejected'];
    const n = events.length;
    let i = 0;
    // encodeEach's loop, inlined: this is the hot path (one try, resumed after an event that threw).
    while (i < n) {
      try {
        for (; i < n; i++) {
          const event = events[i]!;
          const target = index!(event);
          if (target !== lastIndex) {
            lastLine = `{"${settings.action}":{"_index":${JSON.stringify(target)}}}\n`;
            lastIndex = target;
          }
          body.append(lastLine + stringifyLimited(event.data) + '\n');
          count++;
        }
      } catch (err) {
        (rejected ??= []).push(rejection(events[i]!, err));
        i++;
      }
    }
    return payload(body, new Uint8Array(count).fill(simpleCode), rejected);
  };

  const encodeGeneral = (events: Event[]): OutputPayload | undefined => {
    const body = new Utf8Builder();
    const actions = new Uint8Array(events.length);
    let count = 0;
    const rejected = encodeEach(events, (event) => {
      const action = stream ? 'create' : checkedAction(event);
      let source: unknown = event.data;
      let target: string;
      if (stream) {
        const ds = routedDataStream(event, stream);
        target = JSON.stringify(`${ds.type}-${ds.dataset}-${ds.namespace}`);
        if (stream.syncFields) {
          const current = event.data['data_stream'];
          const merged = current !== null && typeof current === 'object' && !Array.isArray(current) ? { ...(current as object), ...ds } : { ...ds };
          source = { ...event.data, data_stream: merged };
        }
      } else {
        target = staticIndex ?? JSON.stringify(index!(event));
      }
      let meta = `{"${action}":{"_index":${target}`;
      const docId = id?.(event);
      if (docId !== undefined) meta += `,"_id":${JSON.stringify(docId)}`;
      else if (action === 'update' || action === 'delete') throw new Error(`action ${action} needs a document_id, and this event renders none`);
      const route = routing?.(event);
      if (route !== undefined) meta += `,"routing":${JSON.stringify(route)}`;
      if (action !== 'delete') {
        const ingest = pipeline?.(event);
        if (ingest !== undefined) meta += `,"pipeline":${JSON.stringify(ingest)}`;
      }
      const v = version?.(event);
      if (v !== undefined) meta += `,"version":${JSON.stringify(v)}${versionType}`;
      if (action === 'update') meta += retryOnConflict;
      meta += '}}\n';
      let item: string;
      if (action === 'delete') {
        item = meta;
      } else if (action === 'update') {
        const doc = stringifyLimited(source);
        if (upsert) item = `${meta}{"doc":${doc},"upsert":${upsertJson(upsert(event))}}\n`;
        else if (settings.docAsUpsert) item = `${meta}{"doc":${doc},"doc_as_upsert":true}\n`;
        else item = `${meta}{"doc":${doc}}\n`;
      } else {
        item = meta + stringifyLimited(source) + '\n';
      }
      body.append(item);
      actions[count++] = ACTION_CODES[action];
    });
    return payload(body, count === actions.length ? actions : actions.slice(0, count), rejected);
  };

  return { encode: simple ? encodeSimple : encodeGeneral };
}

function payload(body: Utf8Builder, actions: Uint8Array, rejected: OutputPayload['rejected']): OutputPayload | undefined {
  if (actions.length === 0) return rejected ? { data: undefined, rejected } : undefined;
  const bytes = body.take();
  const data: BulkBatch = { bytes, actions };
  const transfer = [bytes.buffer as ArrayBuffer, actions.buffer as ArrayBuffer];
  return rejected ? { data, transfer, rejected } : { data, transfer };
}

/** The rendered `upsert` must be a JSON object; re-serialised so it holds no raw newline. */
function upsertJson(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`upsert is not JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('upsert must render to a JSON object');
  return JSON.stringify(parsed);
}
