/**
 * The http input's worker half: the body goes through the codec its content type names in
 * additional_codecs (else `codec`); each event then gets the client address and the request
 * headers, and in ECS mode the http/url/user_agent fields, as logstash-input-http sets them
 * (fields the body already set are left as they are).
 */
import { TextDecoder } from 'node:util';
import { Event } from '../../../core/event.js';
import type { Codec, EcsCompatibility, InputDecoder } from '../../api.js';
import type { HttpRequestPayload } from './payload.js';

export interface HttpDecoderSettings {
  codec: Codec;
  /** Codec per content type (lower case, without parameters). */
  codecsByMimeType: ReadonlyMap<string, Codec>;
  remoteHostField: string;
  headersField: string;
  ecs: EcsCompatibility;
}

export function httpDecoder(settings: HttpDecoderSettings): InputDecoder {
  const utf8 = new TextDecoder('utf-8');
  const decoders = new Map<string, TextDecoder>();
  const ecs = settings.ecs !== 'disabled';

  // The content type's charset wins; without one, the codec's `charset` (when not UTF-8) reads the body.
  const textOf = (payload: HttpRequestPayload, codec: Codec): string => {
    if (payload.charset === undefined && codec.charset) return codec.charset.decode(payload.body);
    if (payload.charset === undefined || payload.charset === 'utf-8' || payload.charset === 'utf8') return utf8.decode(payload.body);
    let decoder = decoders.get(payload.charset);
    if (decoder === undefined) {
      try {
        decoder = new TextDecoder(payload.charset);
      } catch {
        decoder = utf8; // a charset nobody knows: read as UTF-8, invalid bytes become U+FFFD
      }
      decoders.set(payload.charset, decoder);
    }
    return decoder.decode(payload.body);
  };

  const setAbsent = (event: Event, field: string, value: unknown): void => {
    if (value !== undefined && !event.has(field)) event.set(field, value);
  };

  const decorate = (event: Event, payload: HttpRequestPayload): void => {
    const headers = payload.headers;
    if (ecs) {
      setAbsent(event, '[http][version]', headers['http_version']);
      setAbsent(event, '[user_agent][original]', headers['http_user_agent']);
      const host = headers['http_host'];
      if (host !== undefined) {
        // "name:port", "[v6]:port" or a bare name
        const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host);
        setAbsent(event, '[url][domain]', m ? m[1] : host);
        if (m?.[2] !== undefined) setAbsent(event, '[url][port]', m[2]);
      }
      setAbsent(event, '[http][method]', headers['request_method']);
      setAbsent(event, '[url][path]', headers['request_path']);
      setAbsent(event, '[http][request][body][bytes]', headers['content_length']);
      setAbsent(event, '[http][request][mime_type]', headers['content_type']);
    }
    setAbsent(event, settings.headersField, { ...headers });
    setAbsent(event, settings.remoteHostField, payload.remoteAddress);
  };

  return {
    decode(data, emit) {
      const payload = data as HttpRequestPayload;
      const codec = settings.codecsByMimeType.get(payload.mimeType) ?? settings.codec;
      let emitted = false;
      const take = (event: Event): void => {
        emitted = true;
        decorate(event, payload);
        emit(event);
      };
      let empty: boolean;
      if (codec.binary) {
        // A binary codec (application/msgpack → msgpack) reads the body's bytes as they came.
        empty = payload.body.length === 0;
        if (!empty) codec.binary.decodeBytes(payload.body, take);
      } else {
        const text = textOf(payload, codec);
        empty = text.length === 0;
        codec.decode(text, take);
      }
      // A request without a body (a bare webhook ping) is still one event, as in Logstash.
      if (!emitted && empty) {
        const event = new Event({ message: '' });
        decorate(event, payload);
        emit(event);
      }
    },
  };
}
