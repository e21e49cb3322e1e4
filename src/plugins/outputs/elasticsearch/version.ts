/**
 * What the server is, from its root endpoint (`GET /`), and how requests to it are shaped. The
 * bulk body is the same for every supported server (no `_type`, `routing` without underscore);
 * what differs is the template API `auto` picks, the media types Elasticsearch 8+ is sent, and
 * whether data streams exist.
 */

export type Distribution = 'elasticsearch' | 'opensearch';

export interface ServerVersion {
  distribution: Distribution;
  major: number;
  minor: number;
  /** As the server reported it, for logs. */
  number: string;
}

/** Thrown for an answer that is not a supported server; the message says what was found. */
export class UnsupportedServerError extends Error {
  override name = 'UnsupportedServerError';
}

interface RootBody {
  version?: { number?: unknown; distribution?: unknown };
  tagline?: unknown;
}

/**
 * Reads the root endpoint's JSON body. Elasticsearch says nothing of its distribution (its
 * tagline is "You Know, for Search"); OpenSearch sets version.distribution "opensearch". An
 * OpenSearch node in compatibility mode reports 7.10.2 as its number but keeps the distribution.
 */
export function parseServerVersion(body: unknown): ServerVersion {
  const root = (body ?? {}) as RootBody;
  const number = root.version?.number;
  if (typeof number !== 'string') throw new UnsupportedServerError(`the server's root endpoint has no version.number (is this Elasticsearch or OpenSearch?): ${JSON.stringify(body).slice(0, 200)}`);
  const match = /^(\d+)\.(\d+)/.exec(number);
  if (!match) throw new UnsupportedServerError(`cannot read the server version "${number}"`);
  const distribution: Distribution = root.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch';
  const version: ServerVersion = { distribution, major: Number(match[1]), minor: Number(match[2]), number };
  if (distribution === 'elasticsearch' && version.major < 7) {
    throw new UnsupportedServerError(`Elasticsearch ${number} is not supported: this output writes without mapping types and needs Elasticsearch 7, 8 or 9 (or OpenSearch 1, 2 or 3)`);
  }
  return version;
}

export function describe(version: ServerVersion): string {
  return `${version.distribution === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'} ${version.number}`;
}

/**
 * Media types of bulk requests. Elasticsearch 8 and 9 are sent their own compatibility media
 * type (`compatible-with=<major>`), as Elasticsearch's clients do, so a server that changes its
 * default API version later keeps answering this request shape. Others get plain JSON.
 */
export function mediaTypes(version: ServerVersion): { json: string; ndjson: string } {
  if (version.distribution === 'elasticsearch' && version.major >= 8) {
    return {
      json: `application/vnd.elasticsearch+json; compatible-with=${version.major}`,
      ndjson: `application/vnd.elasticsearch+x-ndjson; compatible-with=${version.major}`,
    };
  }
  return { json: 'application/json', ndjson: 'application/x-ndjson' };
}

/** template_api auto: composable where the server prefers it (Elasticsearch 8+, every OpenSearch). */
export function composableByDefault(version: ServerVersion): boolean {
  return version.distribution === 'opensearch' || version.major >= 8;
}

/** Composable templates and data streams: Elasticsearch 7.9+ (7.8 for templates), every OpenSearch. */
export function hasDataStreams(version: ServerVersion): boolean {
  return version.distribution === 'opensearch' || version.major > 7 || (version.major === 7 && version.minor >= 9);
}

export function hasComposableTemplates(version: ServerVersion): boolean {
  return version.distribution === 'opensearch' || version.major > 7 || (version.major === 7 && version.minor >= 8);
}
