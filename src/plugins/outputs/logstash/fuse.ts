/**
 * The logstash output's fused step (OutputDefinition.fuse): the agent's usual pipeline —
 * `log`/`filestream` inputs whose decoders map each line to an event of fixed shape, the @metadata
 * filter the Filebeat front end puts first, and this output — goes from the tailer's line bytes to
 * the Beats documents (straight-documents.ts) without an Event per line. Anything else is declined
 * and runs on the regular path. Measured gain: docs/decisions/0026, "Straight path".
 */
import type { EventDocuments } from '../../../protocols/lumberjack/client.js';
import type { LinesPayload, TailPayload } from '../../../tailing/payload.js';
import { isEventsPayload } from '../../../tailing/payload.js';
import { deepUpdate } from '../../beats-processors.js';
import type { FusedEncoder, FusedPayload, FusionUpstream, UpstreamPlugin } from '../../api.js';
import { plainLineEvents, type BeatsFileOptions, type BeatsInputKind } from '../../inputs/log/beats-input.js';
import { DocumentJsonWriter } from './document-json.js';
import { constantFieldsFit, StraightDocuments, type StraightDocumentConstants } from './straight-documents.js';

export interface FusableEncoderSettings {
  index: string | undefined;
  version: string;
  escapeHtml: boolean;
}

const INPUTS: ReadonlySet<string> = new Set<BeatsInputKind>(['log', 'filestream']);

/** The fused encoder for `upstream`, or undefined when the straight documents would not be exactly the regular ones. */
export function fuseLogstash(settings: FusableEncoderSettings, upstream: FusionUpstream): FusedEncoder | undefined {
  const { inputs, filters } = upstream;
  if (filters.length !== 1) return undefined;
  const metadata = metadataOf(filters[0]!);
  if (!metadata) return undefined;
  const metadataJson = new DocumentJsonWriter({ index: settings.index, version: settings.version }).documentOf({}, metadata)['@metadata'] as Record<string, unknown>;
  const constants: StraightDocumentConstants[] = [];
  for (const input of inputs) {
    const c = inputConstants(input, metadataJson, settings.escapeHtml);
    if (!c) return undefined;
    constants.push(c);
  }
  const straight = new StraightDocuments(constants);
  return {
    encode(payloads, batchSize) {
      straight.clear();
      const eventsPerPayload: number[] = [];
      for (const { input, data } of payloads) {
        // Joined multiline events come only from inputs plainLineEvents declines; never guess.
        if (isEventsPayload(data as TailPayload)) throw new Error('the fused step takes line payloads only');
        eventsPerPayload.push(straight.append(data as LinesPayload, input));
      }
      return { outputs: straight.take(batchSize).map(fusedPayload), eventsPerPayload };
    },
  };
}

/** What every document of `input` has in common, or undefined when its events are not of a fixed shape the straight documents write. */
function inputConstants(input: UpstreamPlugin, metadata: Record<string, unknown>, escapeHtml: boolean): StraightDocumentConstants | undefined {
  if (!INPUTS.has(input.name)) return undefined;
  const lines = plainLineEvents(input.name as BeatsInputKind, input.options as unknown as BeatsFileOptions, input.ctx);
  if (!lines) return undefined;
  if (!constantFieldsFit(lines.layout, lines.fields, lines.fieldsUnderRoot)) return undefined;
  // What the pipeline adds to a decoded event itself: add_field (not reproduced), `tags` (the
  // decoder's own option, already on the event), and `type` when the event has none (legacy
  // events always have one).
  if (!isEmpty(input.options['add_field'])) return undefined;
  const type = lines.layout === 'ecs' && typeof input.options['type'] === 'string' ? input.options['type'] : undefined;
  const { shipper } = lines;
  return {
    layout: lines.layout,
    kind: lines.kind,
    metadata,
    host: lines.layout === 'ecs' ? { name: shipper.hostname } : { hostname: shipper.hostname, name: shipper.hostname, version: shipper.version },
    ...(shipper.agent ? { agent: shipper.agent } : {}),
    docType: lines.docType,
    fields: lines.fields,
    fieldsUnderRoot: lines.fieldsUnderRoot,
    tags: lines.tags,
    ...(type !== undefined ? { type } : {}),
    escapeHtml,
  };
}

function fusedPayload(data: EventDocuments): FusedPayload {
  return { payload: { data, transfer: [data.bytes.buffer as ArrayBuffer, data.ends.buffer as ArrayBuffer] }, events: data.ends.length };
}

/**
 * The `@metadata` an event has after `filter` when it had none: only for the Filebeat front end's
 * first filter (beats_add_fields into @metadata, always, with flat text values) and no decorations.
 */
function metadataOf(filter: UpstreamPlugin): Record<string, unknown> | undefined {
  const o = filter.options;
  if (filter.name !== 'beats_add_fields' || o['target'] !== '@metadata' || !isEmpty(o['when'])) return undefined;
  for (const decoration of ['add_field', 'remove_field', 'add_tag', 'remove_tag']) if (!isEmpty(o[decoration])) return undefined;
  const fields = o['fields'];
  if (!isPlainMap(fields) || !Object.values(fields).every((v) => typeof v === 'string')) return undefined;
  const metadata: Record<string, unknown> = {};
  deepUpdate(metadata, fields, o['overwrite'] !== false);
  return metadata;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isPlainMap(v) && Object.keys(v).length === 0;
}
