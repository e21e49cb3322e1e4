/**
 * The gelf input's worker half, as Logstash's logstash-input-gelf: inflate (gzip/zlib) when
 * needed, parse the JSON object into an event, `source_host` = the sender's address, a numeric
 * `timestamp` (seconds, fractions kept to the microsecond) becomes @timestamp, then `remap`
 * (full_message, or else short_message, becomes `message`) and `strip_leading_underscore`.
 * Text that is not a JSON object becomes an event whose `message` is that text, tagged
 * `_jsonparsefailure`; a message that does not inflate, `_gelfparsefailure`.
 */
import { Event } from '../../../core/event.js';
import { Timestamp } from '../../../core/timestamp.js';
import type { InputDecoder } from '../../api.js';
import { gelfText, GelfDecodeError } from '../../../protocols/gelf/message.js';
import type { NetworkPayload } from '../../net/message-payload.js';
import { TRUNCATED_TAG } from '../../line-payloads.js';

export const JSON_FAILURE_TAG = '_jsonparsefailure';
export const GELF_FAILURE_TAG = '_gelfparsefailure';

export interface GelfDecoderSettings {
  remap: boolean;
  stripLeadingUnderscore: boolean;
  maxMessageBytes: number;
}

const latin1 = new TextDecoder('latin1');

export function gelfDecoder(settings: GelfDecoderSettings): InputDecoder {
  const toEvent = (bytes: Uint8Array, host: string): Event => {
    let text: string;
    try {
      text = gelfText(bytes, settings.maxMessageBytes);
    } catch (e) {
      if (!(e instanceof GelfDecodeError)) throw e;
      // Kept, not lost: the first bytes as text, with why, for the failure path to see.
      const event = new Event({ message: latin1.decode(bytes.subarray(0, 1024)), source_host: host, error: e.message });
      event.tag(GELF_FAILURE_TAG);
      return event;
    }
    let fields: unknown;
    try {
      fields = JSON.parse(text);
    } catch {
      fields = undefined;
    }
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      const event = new Event({ message: text, source_host: host });
      event.tag(JSON_FAILURE_TAG);
      return event;
    }
    const data = fields as Record<string, unknown>;
    const gelfTimestamp = data['timestamp'];
    if (typeof gelfTimestamp === 'number' && Number.isFinite(gelfTimestamp)) {
      delete data['timestamp'];
      data['@timestamp'] = timestampOf(gelfTimestamp);
    }
    const event = new Event(data);
    event.data['source_host'] = host;
    if (settings.remap) remap(event.data);
    if (settings.stripLeadingUnderscore) stripLeadingUnderscore(event.data);
    return event;
  };

  return {
    decode(data, emit) {
      const { bytes, ends, hosts, truncated } = data as NetworkPayload;
      let start = 0;
      let t = 0;
      for (let i = 0; i < ends.length; i++) {
        const end = ends[i]!;
        const event = toEvent(bytes.subarray(start, end), hosts[i]!);
        start = end;
        if (truncated !== undefined && truncated[t] === i) {
          t++;
          event.tag(TRUNCATED_TAG);
        }
        emit(event);
      }
    },
  };
}

/** GELF seconds since the epoch (a float) as a Timestamp, to the microsecond. */
function timestampOf(seconds: number): Timestamp {
  const micros = Math.round(seconds * 1e6);
  const ms = Math.floor(micros / 1000);
  return new Timestamp(ms, (micros - ms * 1000) * 1000);
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** full_message, or else short_message, becomes `message` (Logstash's remap_gelf). */
function remap(data: Record<string, unknown>): void {
  const full = data['full_message'];
  if (nonEmptyString(full)) {
    data['message'] = full;
    delete data['full_message'];
    if (data['short_message'] === full) delete data['short_message'];
  } else {
    const short = data['short_message'];
    if (nonEmptyString(short)) {
      data['message'] = short;
      delete data['short_message'];
    }
  }
}

/** `_foo` becomes `foo` at the top level, replacing a `foo` already there, as Logstash does. */
function stripLeadingUnderscore(data: Record<string, unknown>): void {
  for (const key of Object.keys(data)) {
    if (key.length < 2 || key.charCodeAt(0) !== 0x5f) continue;
    const target = key.slice(1);
    if (target === '@timestamp' || target === '@metadata') continue; // would not be a timestamp / would vanish
    data[target] = data[key];
    delete data[key];
  }
}
