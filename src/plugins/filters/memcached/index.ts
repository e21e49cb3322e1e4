/**
 * memcached: reads values from memcached into fields (`get`) and writes fields into memcached
 * (`set`), for lookups shared between pipelines or with other applications. Mirrors
 * logstash-filter-memcached 1.1 on the memjs client (binary protocol). A server that cannot be
 * reached tags the event (`tag_on_failure`) and the pipeline goes on.
 */
import memjs from 'memjs';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import { stringifyLimited } from '../../../core/json-depth.js';
import { rateLimitedWarn } from '../../../core/rate-limit.js';
import { compileTemplate, type Template } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';

const DEFAULT_PORT = 11211;

/** "host", "host:port" or "[v6]:port" → "host:port" for memjs. */
function serverAddress(text: string): string {
  const t = text.trim();
  if (/^\[.*\]:\d+$/.test(t) || /^[^:]+:\d+$/.test(t)) return t;
  if (/^[^:]+$/.test(t)) return `${t}:${DEFAULT_PORT}`;
  throw new Error(`hosts: "${text}" is not host or host:port`);
}

export const memcachedFilter = defineFilter({
  kind: 'filter',
  name: 'memcached',
  description: 'Gets fields from memcached and sets fields into memcached.',
  options: {
    hosts: { type: 'string_list', default: ['localhost'], description: 'Servers, host or host:port (11211).' },
    namespace: { type: 'string', description: 'Prefix added (with ":") to every key.' },
    get: { type: 'hash', default: {}, description: 'memcached key (may use %{field}) → field that receives its value.' },
    set: { type: 'hash', default: {}, description: 'Field → memcached key (may use %{field}) that receives its value.' },
    ttl: { type: 'number', default: 0, description: 'Seconds a value set lives (0: until evicted).' },
    tag_on_failure: { type: 'string', default: '_memcached_failure', description: 'Tag added when a server could not be used.' },
    timeout: { type: 'number', default: 0.5, description: 'logpipe extension: seconds to wait for a server before the event is tagged.' },
  },
  create(options, ctx) {
    const gets = Object.entries(options.get as Record<string, unknown>).map(([key, field]) => [compileTemplate(key), fieldRef(String(field))] as const);
    const sets = Object.entries(options.set as Record<string, unknown>).map(([field, key]) => [fieldRef(field), compileTemplate(String(key))] as const);
    if (gets.length === 0 && sets.length === 0) throw new ConfigError('memcached: set get or set (or both)', ctx.location);
    let servers: string;
    try {
      servers = options.hosts.map(serverAddress).join(',');
    } catch (err) {
      throw new ConfigError(`memcached: ${(err as Error).message}`, ctx.location);
    }
    const client = memjs.Client.create(servers, { timeout: options.timeout, conntimeout: options.timeout * 2, retries: 1, expires: options.ttl, logger: { log: () => {} } });
    const prefix = options.namespace ? `${options.namespace}:` : '';
    const keyOf = (template: Template, event: Event): string => prefix + template(event);
    const limited = rateLimitedWarn(ctx.logger);
    const warn = (message: string, error: unknown): void => limited(message, message, { error: (error as Error).message });
    /** One event: its gets, then its sets. Whether anything was read or written. */
    const process = async (event: Event): Promise<boolean> => {
      let done = false;
      try {
        for (const [key, field] of gets) {
          const { value } = await client.get(keyOf(key, event));
          if (value !== null) {
            field.set(event, value.toString('utf8'));
            done = true;
          }
        }
        for (const [field, key] of sets) {
          const value = field.get(event);
          if (value === undefined) continue;
          await client.set(keyOf(key, event), typeof value === 'string' ? value : stringifyLimited(value), { expires: options.ttl });
          done = true;
        }
      } catch (err) {
        warn('memcached: the server could not be used; the event is tagged', err);
        event.tag(options.tag_on_failure);
        return false;
      }
      return done;
    };
    return {
      filter() {
        throw new Error('memcached: only runs on batches');
      },
      async filterBatch(events, matched) {
        const results = await Promise.all(events.map(process));
        events.forEach((e, i) => results[i] && matched(e));
        return events;
      },
      close() {
        client.close();
      },
    };
  },
});
