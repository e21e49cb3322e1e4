/**
 * Lookups for the dns filter: hosts files first (`hostsfile`), then DNS — the configured
 * `nameserver`s through node:dns's Resolver (c-ares), or the system's resolver (getaddrinfo for
 * names, which also reads /etc/hosts; resolv.conf servers for addresses). Answers and failures are
 * cached with their own sizes and TTLs, as Logstash's dns filter does.
 */
import { readFileSync } from 'node:fs';
import { Resolver, lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { LruCache } from '../../../core/lru.js';

/** Why a lookup gave no answer: the name has none, or the server did not answer in time. */
export type Miss = 'notfound' | 'timeout';

export interface DnsResolverOptions {
  nameservers: string[];
  search: string[];
  timeoutMs: number;
  tries: number;
  hostsFiles: string[];
  hitCache: { size: number; ttlMs: number };
  failedCache: { size: number; ttlMs: number };
}

interface Cached {
  value: string | Miss;
  until: number;
}

const TIMEOUT_CODES = new Set(['ETIMEOUT', 'ETIMEDOUT', 'ECONNREFUSED', 'ESERVFAIL']);

/** name → addresses and address → names from hosts files (lowercased names). */
function readHosts(files: string[]): { byName: Map<string, string>; byAddress: Map<string, string> } {
  const byName = new Map<string, string>();
  const byAddress = new Map<string, string>();
  for (const file of files) {
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      const [address, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
      if (!address || names.length === 0 || isIP(address) === 0) continue;
      if (!byAddress.has(address)) byAddress.set(address, names[0]!);
      for (const n of names) if (!byName.has(n.toLowerCase())) byName.set(n.toLowerCase(), address);
    }
  }
  return { byName, byAddress };
}

export class DnsResolver {
  private readonly resolver: Resolver | undefined;
  private readonly hosts: ReturnType<typeof readHosts>;
  private readonly hits: LruCache<string, Cached> | undefined;
  private readonly failures: LruCache<string, Cached> | undefined;

  constructor(private readonly o: DnsResolverOptions) {
    this.hosts = readHosts(o.hostsFiles);
    if (o.nameservers.length > 0) {
      this.resolver = new Resolver({ timeout: o.timeoutMs, tries: o.tries });
      this.resolver.setServers(o.nameservers);
    }
    if (o.hitCache.size > 0) this.hits = new LruCache(o.hitCache.size);
    if (o.failedCache.size > 0) this.failures = new LruCache(o.failedCache.size);
  }

  /** The IPv4 address of a name (IPv6 when it has none). */
  address(name: string): Promise<string | Miss> {
    return this.cached(`a:${name}`, async () => {
      const fromHosts = this.hosts.byName.get(name.toLowerCase());
      if (fromHosts) return fromHosts;
      if (!this.resolver) return (await lookup(name, { verbatim: false })).address;
      for (const candidate of this.candidates(name)) {
        const v4 = await this.resolver.resolve4(candidate).catch(notFoundIsEmpty);
        if (v4.length > 0) return v4[0]!;
        const v6 = await this.resolver.resolve6(candidate).catch(notFoundIsEmpty);
        if (v6.length > 0) return v6[0]!;
      }
      return 'notfound';
    });
  }

  /** The name of an address (its PTR record). */
  name(address: string): Promise<string | Miss> {
    return this.cached(`ptr:${address}`, async () => {
      const fromHosts = this.hosts.byAddress.get(address);
      if (fromHosts) return fromHosts;
      const names = await (this.resolver ?? new Resolver({ timeout: this.o.timeoutMs, tries: this.o.tries })).reverse(address).catch(notFoundIsEmpty);
      return names[0] ?? 'notfound';
    });
  }

  /** `search` domains apply to names with fewer dots than ndots (1), as resolv.conf's. */
  private candidates(name: string): string[] {
    if (name.includes('.') || this.o.search.length === 0) return [name];
    return [...this.o.search.map((d) => `${name}.${d}`), name];
  }

  private async cached(key: string, look: () => Promise<string | Miss>): Promise<string | Miss> {
    const now = Date.now();
    for (const cache of [this.hits, this.failures]) {
      const c = cache?.get(key);
      if (c && c.until > now) return c.value;
    }
    let value: string | Miss;
    try {
      value = await look();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      value = TIMEOUT_CODES.has(code) ? 'timeout' : 'notfound';
    }
    const hit = value !== 'notfound' && value !== 'timeout';
    const cache = hit ? this.hits : this.failures;
    cache?.set(key, { value, until: now + (hit ? this.o.hitCache.ttlMs : this.o.failedCache.ttlMs) });
    return value;
  }
}

/** A name with no record of the type asked for is an empty answer, not an error. */
function notFoundIsEmpty(err: NodeJS.ErrnoException): string[] {
  if (err.code === 'ENOTFOUND' || err.code === 'ENODATA' || err.code === 'ENONAME') return [];
  throw err;
}
