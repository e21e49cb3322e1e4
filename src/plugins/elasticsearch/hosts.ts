/**
 * The nodes of an elasticsearch output or filter: `hosts` entries as base URLs, and the rotation requests
 * take over them. Each request goes to the next node in turn (round robin); a node whose
 * connection failed is left out for `resurrect_delay` while the others carry the load, and tried
 * again after that, as Logstash's connection pool does.
 */
import { ConfigError, type SourceLocation } from '../../core/errors.js';

export const DEFAULT_PORT = 9200;

export interface Node {
  /** scheme://host:port/path-prefix, without a trailing slash. */
  url: string;
  /** When a failed node may be tried again (ms since the epoch); 0 while it is healthy. */
  downUntil: number;
}

/**
 * One `hosts` entry → base URL. Bare "host", "host:port" and "[v6]:port" take http (https with
 * `ssl_enabled`); a URL's own path wins over the `path` option.
 */
export function nodeUrl(entry: string, options: { ssl: boolean | undefined; path: string | undefined }, location?: SourceLocation): string {
  const text = entry.trim();
  if (text === '') throw new ConfigError('elasticsearch: empty entry in hosts', location);
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `${options.ssl ? 'https' : 'http'}://${text}`);
  } catch {
    throw new ConfigError(`elasticsearch: invalid host "${entry}"`, location, 'use host, host:port or http(s)://host:port/path');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`elasticsearch: host "${entry}" must be http:// or https://`, location);
  if (hasScheme && options.ssl === true && url.protocol === 'http:') throw new ConfigError(`elasticsearch: host "${entry}" is http:// but ssl_enabled is true`, location);
  if (hasScheme && options.ssl === false && url.protocol === 'https:') throw new ConfigError(`elasticsearch: host "${entry}" is https:// but ssl_enabled is false`, location);
  if (url.username || url.password) throw new ConfigError(`elasticsearch: put credentials in user/password, not in host "${entry}"`, location);
  // URL drops a scheme's default port (https://es:443 → ""): read whether one was written.
  const written = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\[[^\]]*\]|[^/:?#]*)(:\d+)?/i.exec(text)?.[1];
  const port = written === undefined ? DEFAULT_PORT : Number(written.slice(1));
  const ownPath = url.pathname.replace(/\/+$/, '');
  const prefix = ownPath !== '' ? ownPath : normalisePath(options.path);
  return `${url.protocol}//${url.hostname}:${port}${prefix}`;
}

function normalisePath(path: string | undefined): string {
  if (!path) return '';
  const trimmed = path.replace(/^\/*/, '/').replace(/\/+$/, '');
  return trimmed === '/' ? '' : trimmed;
}

export class NodeRotation {
  readonly nodes: Node[];
  private next = 0;

  constructor(urls: string[], private readonly resurrectMs: number, private readonly now: () => number = Date.now) {
    this.nodes = urls.map((url) => ({ url, downUntil: 0 }));
  }

  /**
   * The nodes to try for one request, in order: the healthy ones starting at the next in turn,
   * then the failed ones whose wait ends first (so a request still goes somewhere when every
   * node failed lately; the caller's backoff paces those attempts).
   */
  order(): Node[] {
    const n = this.nodes.length;
    const start = this.next++ % n;
    const now = this.now();
    const healthy: Node[] = [];
    const resting: Node[] = [];
    for (let k = 0; k < n; k++) {
      const node = this.nodes[(start + k) % n]!;
      (node.downUntil <= now ? healthy : resting).push(node);
    }
    resting.sort((a, b) => a.downUntil - b.downUntil);
    return [...healthy, ...resting];
  }

  failed(node: Node): void {
    node.downUntil = this.now() + this.resurrectMs;
  }

  succeeded(node: Node): void {
    node.downUntil = 0;
  }
}
