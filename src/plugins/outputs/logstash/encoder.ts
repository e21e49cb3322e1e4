/**
 * The logstash output's worker half: each event becomes the JSON document a Beat sends —
 * `@timestamp`, `@metadata` {beat, type, version, …} and the event's fields — laid end to end in
 * one transferable byte array with the end offset of each document. The JSON is written by
 * DocumentJsonWriter, which reuses the text of the parts that repeat from event to event.
 */
import type { Event } from '../../../core/event.js';
import type { OutputEncoder } from '../../api.js';
import { encodeEach } from '../encoding.js';
import type { EventDocuments } from '../../../protocols/lumberjack/client.js';
import { DocumentJsonWriter, type DocumentMetadata } from './document-json.js';

export interface LogstashEncoderSettings extends DocumentMetadata {
  escapeHtml: boolean;
}

const HTML = /[<>&]/g;
const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

export function logstashEncoder(settings: LogstashEncoderSettings): OutputEncoder {
  const utf8 = new TextEncoder();
  const documents = new DocumentJsonWriter(settings);
  const documentOf = (event: Event): string => {
    const json = documents.write(event.data, event.metadata);
    // Outside strings JSON has no <, > or &: escaping them everywhere only touches string contents.
    return settings.escapeHtml ? json.replace(HTML, (c) => HTML_ESCAPES[c]!) : json;
  };
  return {
    encode(events) {
      const texts: string[] = [];
      const rejected = encodeEach(events, (event) => void texts.push(documentOf(event)));
      if (texts.length === 0) return rejected ? { data: undefined, rejected } : undefined;
      const joined = texts.join('');
      const bytes = utf8.encode(joined);
      const ends = new Uint32Array(texts.length);
      // All ASCII (the usual log line): byte offsets are string offsets, no second UTF-8 pass.
      const ascii = bytes.length === joined.length;
      let at = 0;
      for (let i = 0; i < texts.length; i++) ends[i] = at += ascii ? texts[i]!.length : Buffer.byteLength(texts[i]!, 'utf8');
      const data: EventDocuments = { bytes, ends };
      const payload = { data, transfer: [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer] };
      return rejected ? { ...payload, rejected } : payload;
    },
  };
}
