/**
 * ArcSight Common Event Format, both directions, with Logstash's cef codec field names:
 * `ecs_compatibility => disabled` gives cefVersion, deviceVendor … and the extension keys' full
 * names (cef-mappings.ts); v1/v8 give ECS fields ([observer][vendor], [source][ip] …,
 * cef-ecs-mappings.ts), with CEF times read as timestamps (cef-time.ts).
 *
 *   CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension
 *
 * Header values escape `\` and `|`; extension values escape `\`, `=` and line breaks (`\n`, `\r`).
 */
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import { Event } from '../../core/event.js';
import { compileTemplate, valueToString } from '../../core/sprintf.js';
import { systemZone, tryResolveZone } from '../../core/time/timezone.js';
import { LogRateLimiter, rateLimitedWarn } from '../../core/rate-limit.js';
import { defineCodec } from '../api.js';
import { CEF_FIELD_TO_KEY, CEF_HEADER_FIELDS, CEF_KEY_TO_FIELD } from './cef-mappings.js';
import { CEF_ECS_HEADER_FIELDS, CEF_ECS_SYSLOG_FIELD, cefEcsMapping, type CefDevice } from './cef-ecs-mappings.js';
import { cefTimeParser } from './cef-time.js';

export const CEF_FAILURE_TAG = '_cefparsefailure';

/** Splits the header on unescaped pipes: the seven header values and the extension text. */
function splitHeader(text: string): { header: string[]; extension: string } | undefined {
  const header: string[] = [];
  let current = '';
  let i = 0;
  for (; i < text.length && header.length < 7; i++) {
    const c = text[i]!;
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      current += text[++i];
    } else if (c === '|') {
      header.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (header.length < 7) return undefined;
  return { header, extension: text.slice(i) };
}

/** Keys: a word of letters, digits, _ . [ ] - right before an unescaped "=", at the start or after a space. */
const KEY = /(?:^|\s)([\w.[\]-]+)=/g;

function unescapeValue(v: string): string {
  return v.replace(/\\([\\=nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

function parseExtension(text: string): [string, string][] {
  const out: [string, string][] = [];
  const keys: { key: string; start: number; valueStart: number }[] = [];
  KEY.lastIndex = 0;
  for (let m = KEY.exec(text); m !== null; m = KEY.exec(text)) {
    // An "=" after a backslash is part of a value: the key class has no backslash, so it never matches there.
    keys.push({ key: m[1]!, start: m.index, valueStart: m.index + m[0].length });
  }
  for (let k = 0; k < keys.length; k++) {
    const end = k + 1 < keys.length ? keys[k + 1]!.start : text.length;
    out.push([keys[k]!.key, unescapeValue(text.slice(keys[k]!.valueStart, end).trim())]);
  }
  return out;
}

const escapeHeader = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const escapeValue = (v: string): string => v.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
/** A field reference as an extension key: [a][b] → a.b, anything else outside [\w.-] removed. */
const extensionKey = (field: string): string => field.replace(/^\[|\]$/g, '').replace(/\]\[/g, '.').replace(/[^\w.-]/g, '');

export const cefCodec = defineCodec({
  kind: 'codec',
  name: 'cef',
  description: 'ArcSight CEF: decodes a CEF message (an optional syslog prefix goes to `syslog`, or [log][syslog][header] with ECS) into header and extension fields, CEF names or ECS fields by ecs_compatibility; encodes events as CEF with `fields` as the extension.',
  options: {
    vendor: { type: 'string', default: 'Elasticsearch', description: 'Encode: Device Vendor (sprintf).' },
    product: { type: 'string', default: 'Logstash', description: 'Encode: Device Product (sprintf).' },
    version: { type: 'string', default: '1.0', description: 'Encode: Device Version (sprintf).' },
    signature: { type: 'string', default: 'Logstash', description: 'Encode: Signature ID / Device Event Class ID (sprintf).' },
    name: { type: 'string', default: 'Logstash', description: 'Encode: Name (sprintf).' },
    severity: { type: 'string', default: '6', description: 'Encode: Severity, 0–10 (sprintf); a value outside becomes 6 as in Logstash.' },
    fields: { type: 'string_list', default: [], description: 'Encode: the fields written as extension key=value pairs.' },
    reverse_mapping: { type: 'boolean', default: false, description: 'Encode: write the CEF short keys (src, dpt …) for known full field names.' },
    delimiter: { type: 'string', description: 'Decode: split the text on this (e.g. "\\n" on a stream); unset, each text is one message.' },
    raw_data_field: { type: 'string', description: 'Decode: keep the whole message in this field too.' },
    device: { type: 'string', default: 'observer', values: ['observer', 'host'], description: 'Decode, ECS mode: the device fields (dvc, dvchost, dvcmac …) describe the observer of the event or the host it happened on.' },
    default_timezone: { type: 'string', description: 'Decode, ECS mode: zone of CEF times that name none, when the event has no dtz; an IANA id or +hh:mm. Default: the system zone.' },
    locale: { type: 'string', description: 'Decode, ECS mode: locale of month names in CEF times; English by default.' },
  },
  create(options, ctx) {
    const ecs = (options as { ecs_compatibility?: string }).ecs_compatibility ?? ctx.ecs;
    const header = [options.vendor, options.product, options.version, options.signature, options.name].map((t) => compileTemplate(t));
    const severity = compileTemplate(options.severity);
    const names = ecs === 'disabled' ? undefined : ecsNames(options, ctx.location);
    const headerFields = names ? CEF_ECS_HEADER_FIELDS : CEF_HEADER_FIELDS;
    const syslogField = names ? CEF_ECS_SYSLOG_FIELD : 'syslog';
    const warn = rateLimitedWarn(ctx.logger, new LogRateLimiter());
    const failed = (message: string): Event => {
      const e = new Event({ message });
      e.tag(CEF_FAILURE_TAG);
      return e;
    };
    const decodeOne = (message: string, emit: (event: Event) => void): void => {
      if (message.length === 0) return;
      const at = message.indexOf('CEF:');
      const parsed = at === -1 ? undefined : splitHeader(message.slice(at + 4));
      if (!parsed) return emit(failed(message));
      const event = new Event({});
      if (at > 0) event.set(syslogField, message.slice(0, at).trim());
      headerFields.forEach((field, i) => event.set(field, parsed.header[i]!));
      if (names) {
        try {
          names.setExtensions(event, parseExtension(parsed.extension));
        } catch (err) {
          warn('time', `cef: ${(err as Error).message}; the message is kept, tagged ${CEF_FAILURE_TAG}`, {});
          return emit(failed(message));
        }
      } else {
        for (const [key, value] of parseExtension(parsed.extension)) event.set(CEF_KEY_TO_FIELD[key] ?? key, value);
      }
      if (options.raw_data_field) event.set(options.raw_data_field, message);
      emit(event);
    };
    const keyOf = names ? (field: string): string => names.keyOf(field)
      : (field: string): string => (options.reverse_mapping ? CEF_FIELD_TO_KEY[field] ?? field : field);
    return {
      decode(text, emit) {
        if (options.delimiter === undefined) return decodeOne(text, emit);
        for (const part of text.split(options.delimiter)) decodeOne(part, emit);
      },
      encode(event) {
        const sev = Number(severity(event));
        const head = header.map((f) => escapeHeader(f(event)));
        const ext: string[] = [];
        for (const field of options.fields) {
          const value = event.get(field);
          if (value === undefined || value === null) continue;
          const key = extensionKey(keyOf(field));
          ext.push(`${key}=${escapeValue(valueToString(value))}`);
        }
        const sevText = Number.isInteger(sev) && sev >= 0 && sev <= 10 ? String(sev) : '6';
        return `CEF:0|${head.join('|')}|${sevText}|${ext.join(' ')}\n`;
      },
    };
  },
});

/**
 * ECS mode: extension keys (short keys or CEF names) → ECS fields, CEF times → timestamps (an
 * unreadable time throws: the caller fails the message), and the reverse for encoding.
 */
function ecsNames(options: { device: string; reverse_mapping: boolean; default_timezone?: string | undefined; locale?: string | undefined }, location: SourceLocation | undefined) {
  const mapping = cefEcsMapping(options.device as CefDevice, options.reverse_mapping);
  let zone = systemZone();
  if (options.default_timezone !== undefined) {
    const resolved = tryResolveZone(options.default_timezone);
    if (!resolved) throw new ConfigError(`cef: unknown default_timezone "${options.default_timezone}"`, location, 'use an IANA id such as Europe/Paris, UTC, or an offset such as +02:00');
    zone = resolved;
  }
  const parseTime = cefTimeParser(zone, options.locale);
  return {
    setExtensions(event: Event, pairs: [string, string][]): void {
      const fields = pairs.map(([key, value]): [string, string] => [mapping.decode.get(key) ?? key, value]);
      // A time without a zone is read in the event's own zone (dtz), wherever dtz stands in the message.
      let deviceZone: string | undefined;
      for (const [field, value] of fields) if (field === '[event][timezone]') deviceZone = value;
      for (const [field, value] of fields) {
        if (!mapping.times.has(field)) event.set(field, value);
        else if (value.trim().length > 0) event.set(field, parseTime(value, deviceZone));
      }
    },
    keyOf: (field: string): string => mapping.encode.get(field) ?? field,
  };
}
