/** Helpers shared by the text codecs. */
import { Event } from '../../core/event.js';
import type { Timestamp } from '../../core/timestamp.js';
import { LogRateLimiter } from '../../core/rate-limit.js';
import { valueToString } from '../../core/sprintf.js';
import type { PluginContext } from '../api.js';
import { charsetOf, type TextCharset } from './charset.js';

/** Tag of an event made from text a decoder or codec threw on (the text is its message). */
export const DECODE_ERROR_TAG = '_decode_error';

/**
 * For codecs that decode line by line: turns a line whose decoding threw into an event
 * holding the raw line, tagged, so the other lines of the chunk still become events. Logs
 * one line per interval with the count held back.
 */
export function lineFailureHandler(ctx: PluginContext): (line: string, err: unknown) => Event {
  const limiter = new LogRateLimiter();
  return (line, err) => {
    const suppressed = limiter.allow(ctx.id);
    if (suppressed !== undefined) {
      const fields: Record<string, unknown> = { codec: ctx.name, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
      if (suppressed > 0) fields['suppressed'] = suppressed;
      ctx.logger.error(`decoding a line failed; it goes on as a raw event tagged ${DECODE_ERROR_TAG}`, fields);
    }
    const raw = new Event({ message: line });
    raw.tag(DECODE_ERROR_TAG);
    return raw;
  };
}

/**
 * The event of one decoded text: `message`, plus `[event][original]` in ECS
 * modes as Logstash's line and plain codecs do (ecs_select v1: '[event][original]').
 * `now`: the @timestamp, when the caller read the clock once for many lines; else the current time.
 */
export function lineEventFactory(ctx: PluginContext): (text: string, now?: Timestamp) => Event {
  // With `now`, every field the Event constructor would add is in the literal, in the order it
  // would add it: the object is born with its final shape instead of growing into it.
  if (ctx.ecs === 'disabled') return (text, now) => new Event(now ? { message: text, '@timestamp': now, '@version': '1' } : { message: text });
  return (text, now) => new Event(now ? { message: text, event: { original: text }, '@timestamp': now, '@version': '1' } : { message: text, event: { original: text } });
}

/**
 * Logstash's Event#to_s: "<@timestamp> <host> <message>", used by plain and
 * line when no `format` is given.
 */
export function eventToString(event: Event): string {
  const host = event.data['host'];
  const hostText = host !== null && typeof host === 'object' && !Array.isArray(host)
    ? valueToString((host as Record<string, unknown>)['name'] ?? (host as Record<string, unknown>)['hostname'] ?? '')
    : valueToString(host);
  return `${event.timestamp.toISOString()} ${hostText} ${valueToString(event.data['message'])}`;
}

export const CHARSET_OPTION = {
  type: 'string',
  default: 'UTF-8',
  description: 'Character set of the input bytes (Logstash\'s names: UTF-8, ISO-8859-1, Windows-1252/CP1252, GBK, Shift_JIS, UTF-16LE, …; every charset iconv-lite knows). Bytes invalid in it become U+FFFD. Output text is always written as UTF-8, as Logstash does.',
} as const;

/** The `charset` member of a text codec: absent for UTF-8; throws a ConfigError at the codec for an unknown name. */
export function charsetMember(name: string, ctx: PluginContext): { charset?: TextCharset } {
  const charset = charsetOf(name, ctx.location);
  return charset ? { charset } : {};
}
