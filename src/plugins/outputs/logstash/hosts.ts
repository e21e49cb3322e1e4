/**
 * The connections of a logstash output: `worker` clients per host. With loadbalance a window goes
 * to the live client with the fewest windows in flight, across every host; without, to one host
 * (picked at random) until it fails, then to another live host at random, as Filebeat fails over.
 * A failed host backs off (its client's backoff) while the others carry the load.
 */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import { LumberjackClient, type ClientOptions } from '../../../protocols/lumberjack/client.js';

export const DEFAULT_PORT = 5044;

export interface HostAddress {
  host: string;
  port: number;
}

/** "host:port", "host", "[v6]:port" → address (port 5044 when left out). */
export function parseHost(text: string, location?: SourceLocation): HostAddress {
  const trimmed = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : DEFAULT_PORT };
  const colon = trimmed.lastIndexOf(':');
  if (colon > 0 && trimmed.indexOf(':') === colon) {
    const port = Number(trimmed.slice(colon + 1));
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`logstash: invalid port in host "${text}"`, location);
    return { host: trimmed.slice(0, colon), port };
  }
  if (trimmed.length === 0) throw new ConfigError('logstash: empty host in hosts', location);
  return { host: trimmed, port: DEFAULT_PORT };
}

export class HostPool {
  readonly clients: LumberjackClient[];
  private readonly byHost: LumberjackClient[][];
  private current = -1;
  private turn = 0;

  constructor(
    hosts: HostAddress[],
    workersPerHost: number,
    settings: Omit<ClientOptions, 'host' | 'port' | 'tls'>,
    tls: ConnectionOptions | undefined,
    private readonly loadbalance: boolean,
  ) {
    this.byHost = hosts.map(({ host, port }) => {
      const hostTls = tls && isIP(host) === 0 && tls.servername === undefined ? { ...tls, servername: host } : tls;
      return Array.from({ length: workersPerHost }, () => new LumberjackClient({ ...settings, host, port, ...(hostTls ? { tls: hostTls } : {}) }));
    });
    this.clients = this.byHost.flat();
  }

  /**
   * A client to send the next window on, skipping hosts in `exclude` (those that already failed
   * this window); waits for room in its pipeline and reserves it for the send that follows. Undefined when every host was excluded.
   */
  async acquire(exclude: ReadonlySet<string>): Promise<LumberjackClient | undefined> {
    const candidates = this.byHost.map((clients, i) => ({ clients, i })).filter(({ clients }) => !exclude.has(clients[0]!.address));
    if (candidates.length === 0) return undefined;
    const live = candidates.filter(({ clients }) => clients[0]!.available);
    // No live host: try the one whose backoff ends first; the pipeline's retry delay paces these attempts.
    const usable = live.length > 0 ? live : [candidates.reduce((a, b) => (a.clients[0]!.availableAt <= b.clients[0]!.availableAt ? a : b))];
    let pool: LumberjackClient[];
    if (this.loadbalance) {
      pool = usable.flatMap(({ clients }) => clients);
    } else {
      if (!usable.some(({ i }) => i === this.current)) this.current = usable[Math.floor(Math.random() * usable.length)]!.i;
      pool = this.byHost[this.current]!;
    }
    const client = this.leastBusy(pool);
    await client.reserve();
    return client;
  }

  close(): void {
    for (const c of this.clients) c.close();
  }

  private leastBusy(pool: LumberjackClient[]): LumberjackClient {
    // Rotate the starting point so equally idle clients take turns.
    const start = this.turn++ % pool.length;
    let best = pool[start]!;
    for (let k = 1; k < pool.length; k++) {
      const c = pool[(start + k) % pool.length]!;
      if (c.load < best.load) best = c;
    }
    return best;
  }
}
