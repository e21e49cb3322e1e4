/**
 * The http output's worker half: events → the requests to send, rendered here (URL, headers,
 * body, gzip) so the main thread only sends bytes. Each request carries the positions of its
 * events in the batch, so the sink can report per event.
 */
import { gzipSync } from 'node:zlib';
import type { Event } from '../../../core/event.js';
import { stringifyLimited } from '../../../core/json-depth.js';
import { Utf8Builder } from '../../../core/utf8-builder.js';
import { compileTemplate, compileTemplateTree, valueToString, type Template } from '../../../core/sprintf.js';
import type { OutputPayload } from '../../api.js';
import { encodeEach } from '../encoding.js';

export type HttpFormat = 'json' | 'json_batch' | 'form' | 'message';

/** One request, ready to send. */
export interface HttpRequestSpec {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Positions in the batch of the events this request carries. */
  positions: number[];
}

export interface RequestBuilderSettings {
  url: string;
  format: HttpFormat;
  message: string | undefined;
  mapping: Record<string, unknown> | undefined;
  headers: Record<string, unknown>;
  contentType: string;
  compression: boolean;
}

function formEncode(document: unknown): string {
  const params = new URLSearchParams();
  if (document !== null && typeof document === 'object' && !Array.isArray(document)) {
    for (const [key, value] of Object.entries(document as Record<string, unknown>)) {
      // Repeated keys for an array, as Ruby's URI.encode_www_form does; a hash as JSON.
      if (Array.isArray(value)) for (const item of value) params.append(key, valueToString(item));
      else params.append(key, valueToString(value));
    }
  }
  return params.toString();
}

const text = new TextEncoder();

/** A body that owns its whole ArrayBuffer, so it can be transferred. */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

export function requestBuilder(settings: RequestBuilderSettings): (events: Event[]) => OutputPayload | undefined {
  const renderUrl = compileTemplate(settings.url);
  // A URL that renders to nonsense can never be sent: the event goes to the failure path.
  const url = (event: Event): string => {
    const target = renderUrl(event);
    let parsed: URL;
    try {
      parsed = new URL(target);
    } catch {
      throw new Error(`the url renders to "${target}", which is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`the url renders to "${target}", which is not http(s)`);
    return target;
  };
  const headerTemplates: [string, Template][] = Object.entries(settings.headers).map(([name, value]) => [name, compileTemplate(valueToString(value))]);
  const hasContentType = headerTemplates.some(([name]) => name.toLowerCase() === 'content-type');
  const mapped = settings.mapping ? compileTemplateTree(settings.mapping) : undefined;
  const messageOf = settings.message !== undefined ? compileTemplate(settings.message) : undefined;
  const documentOf = (event: Event): unknown => (mapped ? mapped(event) : event.data);

  const headersFor = (event: Event): Record<string, string> => {
    const headers: Record<string, string> = {};
    if (!hasContentType) headers['content-type'] = settings.contentType;
    for (const [name, template] of headerTemplates) headers[name] = template(event);
    if (settings.compression) headers['content-encoding'] = 'gzip';
    return headers;
  };
  const bodyOf = (body: string | Uint8Array): Uint8Array =>
    ownBytes(settings.compression ? gzipSync(body) : typeof body === 'string' ? text.encode(body) : body);
  // A batch's array is built as bytes (utf8-builder.ts: no string past V8's large-object size).
  const batchBody = (parts: string[]): Uint8Array => {
    const body = new Utf8Builder();
    body.append('[');
    for (let i = 0; i < parts.length; i++) body.append(i === 0 ? parts[i]! : `,${parts[i]!}`);
    body.append(']');
    return bodyOf(body.take());
  };

  /** json_batch: one request per rendered URL, its events as one JSON array. */
  const batched = (events: Event[]): { requests: HttpRequestSpec[]; rejected: ReturnType<typeof encodeEach> } => {
    const groups = new Map<string, { first: Event; parts: string[]; positions: number[] }>();
    let position = 0;
    const rejected = encodeEach(events, (event) => {
      const target = url(event);
      const part = stringifyLimited(documentOf(event));
      let group = groups.get(target);
      if (group === undefined) groups.set(target, (group = { first: event, parts: [], positions: [] }));
      group.parts.push(part);
      group.positions.push(position++);
    });
    const requests = [...groups].map(([target, group]) => ({
      url: target,
      headers: headersFor(group.first),
      body: batchBody(group.parts),
      positions: group.positions,
    }));
    return { requests, rejected };
  };

  // Positions count only the events encoded (encodeEach leaves out one it throws on, before it
  // is added): the writer numbers a write's events in encode order.
  return (events) => {
    let requests: HttpRequestSpec[];
    let rejected: ReturnType<typeof encodeEach>;
    if (settings.format === 'json_batch') ({ requests, rejected } = batched(events));
    else {
      const out: HttpRequestSpec[] = [];
      rejected = encodeEach(events, (event) => {
        const body = settings.format === 'json' ? stringifyLimited(documentOf(event))
          : settings.format === 'form' ? formEncode(documentOf(event))
            : messageOf!(event);
        const request = { url: url(event), headers: headersFor(event), body: bodyOf(body), positions: [out.length] };
        out.push(request);
      });
      requests = out;
    }
    if (requests.length === 0) return rejected ? { data: undefined, rejected } : undefined;
    const transfer = requests.map((r) => r.body.buffer as ArrayBuffer);
    return rejected ? { data: requests, transfer, rejected } : { data: requests, transfer };
  };
}
