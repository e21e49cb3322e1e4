/**
 * The syslog input's worker half. As Logstash's syslog input does, each message goes through the
 * codec, gets the sender's address (`host`, ECS `[host][ip]`), then a grok filter
 * (`grok_pattern` on `syslog_field`, overwriting it, tag `_grokparsefailure_sysloginput`) and a
 * date filter on `timestamp`; PRI becomes priority, facility and severity, with labels. An
 * unparsed message gets priority 13, as RFC 3164 says. The grok and date steps are our grok and
 * date filters themselves, so patterns, timezone and locale behave exactly as in those filters.
 * With parse_rfc5424, RFC 5424 messages skip grok and are parsed natively (rfc5424.ts).
 */
import { ConfigError } from '../../../core/errors.js';
import { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import { validateSettings } from '../../../config/schema.js';
import type { Codec, Filter, InputDecoder, PluginContext } from '../../api.js';
import { grokFilter } from '../../filters/grok/index.js';
import { dateFilter } from '../../filters/date/index.js';
import { DEFAULT_PRIORITY, labelAt, rubyToInteger, splitPriority } from '../../../protocols/syslog/priority.js';
import { parseRfc5424, type Rfc5424Message } from '../../../protocols/syslog/rfc5424.js';
import type { NetworkPayload } from '../../net/message-payload.js';
import { TRUNCATED_TAG } from '../../line-payloads.js';

export const SYSLOG_FAILURE_TAG = '_grokparsefailure_sysloginput';

/** The date formats Logstash's syslog input tries on `timestamp`. */
const DATE_FORMATS = ['MMM dd HH:mm:ss', 'MMM  d HH:mm:ss', 'MMM d HH:mm:ss', 'ISO8601'];

export interface SyslogParserSettings {
  syslogField: string;
  grokPattern?: string | undefined;
  useLabels: boolean;
  facilityLabels: readonly string[];
  severityLabels: readonly string[];
  timezone?: string | undefined;
  locale?: string | undefined;
  parseRfc5424: boolean;
}

/** Field names per ECS mode (Logstash's ecs_select in the syslog input). */
function keysFor(ecs: boolean) {
  const ref = (legacy: string, ecsName: string): FieldRef => fieldRef(ecs ? ecsName : legacy);
  return {
    priority: ref('priority', '[log][syslog][priority]'),
    facility: ref('facility', '[log][syslog][facility][code]'),
    severity: ref('severity', '[log][syslog][severity][code]'),
    facilityLabel: ref('facility_label', '[log][syslog][facility][name]'),
    severityLabel: ref('severity_label', '[log][syslog][severity][name]'),
    host: ref('host', '[host][ip]'),
    hostname: ref('logsource', '[host][hostname]'),
    program: ref('program', '[process][name]'),
    pid: ref('pid', '[process][pid]'),
    procId: ref('pid', '[log][syslog][procid]'),
    msgId: ref('msgid', '[log][syslog][msgid]'),
    version: ref('syslog_version', '[log][syslog][version]'),
    structuredData: ref('structured_data', '[log][syslog][structured_data]'),
  };
}

const TIMESTAMP = fieldRef('timestamp');
const TIMESTAMP_8601 = fieldRef('timestamp8601');
const EVENT_ORIGINAL = fieldRef('[event][original]');

/** A built-in filter created from its schema's defaults plus `overrides`, as a pipeline would. */
function innerFilter(definition: typeof grokFilter | typeof dateFilter, overrides: Record<string, unknown>, ctx: PluginContext): Filter {
  const defaults = validateSettings(definition.options, [], { kind: 'filter', plugin: definition.name, ...(ctx.location ? { location: ctx.location } : {}) });
  const made = definition.create({ ...defaults, ...overrides } as never, ctx);
  if (made instanceof Promise) throw new Error(`${definition.name} filter is asynchronous; the syslog input needs it synchronous`);
  return made;
}

/**
 * The message parser on its own (grok + date + PRI): used by the decoder, and at start on the
 * main thread so a bad grok_pattern, timezone or locale stops the pipeline before it listens.
 */
export class SyslogParser {
  private readonly ecs: boolean;
  private readonly keys: ReturnType<typeof keysFor>;
  private readonly field: FieldRef;
  private readonly grok: Filter;
  private readonly date: Filter;

  constructor(private readonly settings: SyslogParserSettings, ctx: PluginContext) {
    this.ecs = ctx.ecs !== 'disabled';
    this.keys = keysFor(this.ecs);
    this.field = fieldRef(settings.syslogField);
    const pattern = settings.grokPattern ?? (this.ecs ? '<%{POSINT:[log][syslog][priority]:int}>%{SYSLOGLINE}' : '<%{POSINT:priority}>%{SYSLOGLINE}');
    try {
      this.grok = innerFilter(grokFilter, { match: { [settings.syslogField]: pattern }, overwrite: [settings.syslogField], tag_on_failure: [SYSLOG_FAILURE_TAG] }, ctx);
      this.date = innerFilter(dateFilter, {
        match: ['timestamp', ...DATE_FORMATS],
        ...(settings.timezone !== undefined ? { timezone: settings.timezone } : {}),
        ...(settings.locale !== undefined ? { locale: settings.locale } : {}),
      }, ctx);
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(`syslog: ${e.message.replace(/^(grok|date filter): /, '')}`, ctx.location, e.hint);
      throw e;
    }
  }

  /** Parses events in place (their `syslog_field` holds the message; `host` is set). */
  parse(events: Event[]): void {
    const viaGrok: Event[] = [];
    for (const event of events) {
      if (this.ecs) EVENT_ORIGINAL.set(event, this.field.get(event));
      const native = this.settings.parseRfc5424 ? this.rfc5424Of(event) : undefined;
      if (native) this.applyRfc5424(event, native);
      else viaGrok.push(event);
    }
    if (viaGrok.length === 0) return;
    this.runGrok(viaGrok);
    for (const event of viaGrok) {
      if (event.hasTag(SYSLOG_FAILURE_TAG)) {
        this.setPriority(event, DEFAULT_PRIORITY);
      } else {
        this.setPriority(event, rubyToInteger(this.keys.priority.get(event)) ?? DEFAULT_PRIORITY);
        this.parseDate(event);
      }
      if (this.settings.useLabels) this.setLabels(event);
    }
  }

  private runGrok(events: Event[]): void {
    const grok = this.grok;
    if (grok.filterBatch) {
      const out = grok.filterBatch(events, () => undefined);
      if (out instanceof Promise) throw new Error('grok filter answered asynchronously');
    } else {
      for (const event of events) grok.filter(event, () => undefined);
    }
  }

  private rfc5424Of(event: Event): Rfc5424Message | undefined {
    const text = this.field.get(event);
    return typeof text === 'string' ? parseRfc5424(text) : undefined;
  }

  private applyRfc5424(event: Event, m: Rfc5424Message): void {
    const k = this.keys;
    this.field.set(event, m.message);
    if (m.timestamp !== undefined) TIMESTAMP.set(event, m.timestamp);
    if (m.hostname !== undefined) k.hostname.set(event, m.hostname);
    if (m.appName !== undefined) k.program.set(event, m.appName);
    if (m.procId !== undefined) {
      if (this.ecs && /^\d{1,15}$/.test(m.procId)) k.pid.set(event, Number(m.procId));
      else k.procId.set(event, m.procId);
    }
    if (m.msgId !== undefined) k.msgId.set(event, m.msgId);
    k.version.set(event, m.version);
    if (m.structuredData !== undefined) k.structuredData.set(event, m.structuredData);
    this.setPriority(event, m.priority);
    this.parseDate(event);
    if (this.settings.useLabels) this.setLabels(event);
  }

  private parseDate(event: Event): void {
    if (this.ecs) {
      this.date.filter(event, () => undefined);
      TIMESTAMP.remove(event);
    } else {
      // Legacy patterns capture an ISO timestamp as timestamp8601.
      const iso = TIMESTAMP_8601.get(event);
      if (iso !== undefined) TIMESTAMP.set(event, iso);
      this.date.filter(event, () => undefined);
    }
  }

  private setPriority(event: Event, priority: number): void {
    const { facility, severity } = splitPriority(priority);
    this.keys.priority.set(event, priority);
    this.keys.severity.set(event, severity);
    this.keys.facility.set(event, facility);
  }

  private setLabels(event: Event): void {
    const facility = this.keys.facility.get(event) as number;
    const severity = this.keys.severity.get(event) as number;
    const f = labelAt(this.settings.facilityLabels, facility);
    if (f !== undefined) this.keys.facilityLabel.set(event, f);
    const s = labelAt(this.settings.severityLabels, severity);
    if (s !== undefined) this.keys.severityLabel.set(event, s);
  }

  /** Sets the sender address where Logstash puts it. */
  setHost(event: Event, host: string): void {
    this.keys.host.set(event, host);
  }
}

export interface SyslogDecoderSettings {
  parser: SyslogParser;
  codec: Codec;
  /** The codec is plain without settings: the message is the event's `message`. */
  plain: boolean;
}

/**
 * Where a message ends without the newline senders often add inside a datagram or an
 * octet-counted frame (rsyslog's RSYSLOG_SyslogProtocol23Format ends with one): it is framing,
 * not text.
 */
function messageEnd(bytes: Uint8Array, start: number, end: number): number {
  if (end > start && bytes[end - 1] === 0x0a) end--;
  if (end > start && bytes[end - 1] === 0x0d) end--;
  return end;
}

export function syslogDecoder({ parser, codec, plain }: SyslogDecoderSettings): InputDecoder {
  // The codec's charset when not UTF-8 (old devices send Latin-1 or CP1252); invalid bytes become U+FFFD.
  const text = codec.charset ?? new TextDecoder('utf-8');
  return {
    decode(data, emit) {
      const { bytes, ends, hosts, truncated } = data as NetworkPayload;
      const events: Event[] = [];
      let start = 0;
      let t = 0;
      for (let i = 0; i < ends.length; i++) {
        const end = ends[i]!;
        const message = text.decode(bytes.subarray(start, messageEnd(bytes, start, end)));
        start = end;
        const cut = truncated !== undefined && truncated[t] === i;
        if (cut) t++;
        const take = (event: Event): void => {
          parser.setHost(event, hosts[i]!);
          if (cut) event.tag(TRUNCATED_TAG);
          events.push(event);
        };
        if (plain) take(new Event({ message }));
        else codec.decode(message, take);
      }
      parser.parse(events);
      for (const event of events) emit(event);
    },
  };
}
