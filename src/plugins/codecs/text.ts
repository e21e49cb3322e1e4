/** Helpers shared by the text codecs. */
import type { Event } from '../../core/event.js';
import { valueToString } from '../../core/sprintf.js';

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
  values: ['UTF-8', 'utf-8', 'UTF8', 'utf8'],
  description: 'Character set of the text. Only UTF-8 is supported; invalid bytes become U+FFFD.',
} as const;
