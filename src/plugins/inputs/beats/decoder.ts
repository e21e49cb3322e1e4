/**
 * The beats input's worker half: each document of a payload is a Beats event in JSON. As
 * Logstash does, an event with a `message` (`line` from logstash-forwarder) has the codec applied to it and the codec's events
 * take the other fields (tag beats_input_codec_<codec>_applied); an event without one is taken
 * as it is (tag beats_input_raw_event). Then the source metadata ([@metadata][ip_address], or
 * [@metadata][input][beats][host][ip] with ECS) and, with add_hostname, `host`.
 */
import { Event } from '../../../core/event.js';
import type { Codec, EcsCompatibility, InputDecoder } from '../../api.js';
import type { BeatsPayload } from './payload.js';

/** Tag of an event whose document was not a JSON object (the text is kept as `message`). */
export const BEATS_DECODE_ERROR_TAG = '_beats_json_parse_failure';
export const RAW_EVENT_TAG = 'beats_input_raw_event';

export interface BeatsDecoderSettings {
  codec: Codec;
  codecName: string;
  /** The codec is plain without settings: the event is the document itself. */
  plain: boolean;
  codecTags: boolean;
  sourceMetadata: boolean;
  peerMetadata: boolean;
  addHostname: boolean;
  ecs: EcsCompatibility;
}

export function beatsDecoder(settings: BeatsDecoderSettings): InputDecoder {
  const text = new TextDecoder('utf-8');
  const codecTag = `beats_input_codec_${settings.codecName}_applied`;
  const ecs = settings.ecs !== 'disabled';

  const decorate = (event: Event, payload: BeatsPayload): void => {
    if (settings.addHostname && event.get('host') === undefined) {
      const hostname = event.get('[beat][hostname]');
      if (hostname !== undefined) event.set('host', hostname);
    }
    if (settings.sourceMetadata) {
      if (ecs) event.set('[@metadata][input][beats][host][ip]', payload.ip);
      else event.set('[@metadata][ip_address]', payload.ip);
    }
    if (settings.peerMetadata && payload.tls) {
      event.set('[@metadata][tls_peer][status]', payload.peerSubject !== undefined ? 'verified' : 'unverified');
      if (payload.peerSubject !== undefined) event.set('[@metadata][tls_peer][subject]', payload.peerSubject);
    }
  };

  /** The codec's events for `message`, each given the document's other fields. */
  const withCodec = (fields: Record<string, unknown>, message: string, emit: (event: Event) => void, payload: BeatsPayload): void => {
    const base = new Event(fields);
    let emitted = false;
    const take = (event: Event): void => {
      emitted = true;
      for (const [key, value] of Object.entries(base.data)) {
        const existing = event.data[key];
        event.data[key] = isPlainObject(existing) && isPlainObject(value) ? { ...existing, ...value } : value;
      }
      if (base.metadata) event.metadata = { ...event.metadata, ...base.metadata };
      finish(event, payload, emit, codecTag);
    };
    settings.codec.decode(message, take);
    // A codec that makes nothing of an empty message must not lose the event.
    if (!emitted) take(new Event({ message }));
  };

  const finish = (event: Event, payload: BeatsPayload, emit: (event: Event) => void, tag: string): void => {
    decorate(event, payload);
    if (settings.codecTags) event.tag(tag);
    emit(event);
  };

  return {
    decode(data, emit) {
      const payload = data as BeatsPayload;
      const { bytes, ends } = payload;
      let start = 0;
      for (let i = 0; i < ends.length; i++) {
        const end = ends[i]!;
        const document = text.decode(bytes.subarray(start, end));
        start = end;
        let fields: unknown;
        try {
          fields = JSON.parse(document);
        } catch {
          fields = undefined;
        }
        if (!isObject(fields)) {
          const event = new Event({ message: document });
          event.tag(BEATS_DECODE_ERROR_TAG);
          decorate(event, payload);
          emit(event);
          continue;
        }
        // Filebeat's line is `message`; logstash-forwarder's (v1 data frames) is `line`.
        let key = 'message';
        let message = fields['message'];
        if (message === undefined || message === null) {
          key = 'line';
          message = fields['line'];
        }
        if (message === undefined || message === null) {
          finish(new Event(fields), payload, emit, RAW_EVENT_TAG);
          continue;
        }
        const line = typeof message === 'string' ? message : typeof message === 'object' ? JSON.stringify(message) : String(message);
        if (settings.plain) {
          if (key !== 'message') delete fields[key];
          fields['message'] = line;
          finish(new Event(fields), payload, emit, codecTag);
        } else {
          delete fields[key];
          withCodec(fields, line, emit, payload);
        }
      }
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return isObject(value) && Object.getPrototypeOf(value) === Object.prototype;
}
