/**
 * dns: replaces or appends to fields the result of a DNS lookup — names to addresses (`resolve`)
 * and addresses to names (`reverse`). Mirrors logstash-filter-dns 3.2: a lookup that finds nothing
 * leaves the field as it was and the event undecorated; one that times out also tags it
 * (`tag_on_timeout`). A field holding a list is skipped, as Logstash does. Lookups of a batch run
 * concurrently; each event's fields in turn.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';
import { DnsResolver, type Miss } from './resolver.js';

interface Nameservers {
  addresses: string[];
  search: string[];
}

/** `nameserver`: a list of addresses (older form) or { address => [...], search => [...] }. */
function nameserversOf(value: unknown): Nameservers {
  if (value === undefined) return { addresses: [], search: [] };
  const list = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));
  if (Array.isArray(value) || typeof value === 'string') return { addresses: list(value), search: [] };
  if (value && typeof value === 'object') {
    const h = value as Record<string, unknown>;
    for (const k of Object.keys(h)) if (!['address', 'search', 'ndots'].includes(k)) throw new Error(`nameserver: unknown key "${k}" (address, search, ndots)`);
    return { addresses: list(h['address']), search: list(h['search']) };
  }
  throw new Error('nameserver must be a list of addresses or a hash with address and search');
}

export const dnsFilter = defineFilter({
  kind: 'filter',
  name: 'dns',
  description: 'Looks up names (resolve) or addresses (reverse) in DNS and replaces or appends the result.',
  options: {
    resolve: { type: 'string_list', default: [], description: 'Fields holding names to turn into addresses.' },
    reverse: { type: 'string_list', default: [], description: 'Fields holding addresses to turn into names.' },
    action: { type: 'string', default: 'append', values: ['append', 'replace'], description: 'Append the result to the field (making a list) or replace the value.' },
    nameserver: { type: 'any', description: 'DNS servers: a list of addresses (host or host:port), or { address => [...], search => [...] }; default: the system resolver.' },
    timeout: { type: 'number', default: 0.5, description: 'Seconds to wait for an answer per try.' },
    max_retries: { type: 'number', default: 2, description: 'Further tries after a timeout.' },
    hit_cache_size: { type: 'number', default: 0, description: 'Answers to cache (0: none).' },
    hit_cache_ttl: { type: 'number', default: 60, description: 'Seconds an answer stays cached.' },
    failed_cache_size: { type: 'number', default: 0, description: 'Failed lookups to cache (0: none).' },
    failed_cache_ttl: { type: 'number', default: 5, description: 'Seconds a failure stays cached.' },
    hostsfile: { type: 'string_list', default: [], description: 'Hosts files consulted before DNS.' },
    tag_on_timeout: { type: 'string_list', default: ['_dnstimeout'], description: 'Tags added when a lookup timed out.' },
  },
  create(options, ctx) {
    let resolver: DnsResolver;
    try {
      const servers = nameserversOf(options.nameserver);
      for (const s of servers.addresses) {
        const host = s.replace(/^\[?([^\]]*?)\]?(:\d+)?$/, '$1');
        if (isIP(host) === 0) throw new Error(`nameserver "${s}" is not an IP address (optionally with :port)`);
      }
      resolver = new DnsResolver({
        nameservers: servers.addresses,
        search: servers.search,
        timeoutMs: Math.max(1, Math.round(options.timeout * 1000)),
        tries: Math.max(1, Math.floor(options.max_retries) + 1),
        hostsFiles: options.hostsfile,
        hitCache: { size: options.hit_cache_size, ttlMs: options.hit_cache_ttl * 1000 },
        failedCache: { size: options.failed_cache_size, ttlMs: options.failed_cache_ttl * 1000 },
      });
    } catch (err) {
      throw new ConfigError(`dns: ${(err as Error).message}`, ctx.location);
    }
    const replace = options.action === 'replace';
    const lookups: { ref: FieldRef; look: (value: string) => Promise<string | Miss> }[] = [
      ...options.resolve.map((f) => ({ ref: fieldRef(f), look: (v: string) => resolver.address(v) })),
      ...options.reverse.map((f) => ({ ref: fieldRef(f), look: (v: string) => (isIP(v) === 0 ? Promise.resolve<Miss>('notfound') : resolver.name(v)) })),
    ];
    /** Runs the event's lookups in turn; whether every one found an answer. */
    const process = async (event: Event): Promise<boolean> => {
      let all = true;
      for (const { ref, look } of lookups) {
        const value = ref.get(event);
        if (typeof value !== 'string') {
          all = false;
          continue;
        }
        const result = await look(value.trim());
        if (result === 'timeout') {
          for (const t of options.tag_on_timeout) event.tag(t);
          all = false;
        } else if (result === 'notfound') all = false;
        else ref.set(event, replace ? result : [value, result]);
      }
      return all;
    };
    return {
      filter() {
        throw new Error('dns: only runs on batches');
      },
      async filterBatch(events, matched) {
        const found = await Promise.all(events.map(process));
        events.forEach((e, i) => found[i] && matched(e));
        return events;
      },
    };
  },
});
