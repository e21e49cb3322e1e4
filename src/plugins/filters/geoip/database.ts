/**
 * Opening MaxMind databases. The reader works synchronously over a Buffer,
 * which suits the worker: one lookup is a few tree steps and a decode. A
 * database file is read once per thread and shared by every geoip filter of
 * that thread that names the same file (the City database is ~60 MB).
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { Reader, type Response } from 'maxmind';
import { LruCache } from '../../../core/lru.js';
import { readSharedFile } from '../../../core/shared-files.js';

/**
 * The reader's decoder cache (by data offset). Records share sub-records
 * (continent, country), so even a small cache makes a miss ~3× faster
 * (16 → 5 µs on random addresses); larger ones were slower in our tests.
 * Decoded records are shared, so callers must not modify them.
 */
const DECODER_CACHE_ENTRIES = 1024;

export type DatabaseKind = 'City' | 'Country' | 'ASN' | 'ISP';

export interface OpenDatabase {
  reader: Reader<Response>;
  kind: DatabaseKind;
  path: string;
  /** The database's own type string, e.g. "GeoLite2-City". */
  type: string;
}

const opened = new Map<string, OpenDatabase>();

/** Path of the GeoLite2 City database shipped by the `geoip-database` package. */
export function defaultCityDatabasePath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('geoip-database/package.json')), 'GeoLite2-City.mmdb');
}

/** Maps a database's type string to what we can read, as Logstash does (by substring). */
export function kindOf(databaseType: string): DatabaseKind | undefined {
  if (databaseType.includes('City')) return 'City';
  if (databaseType.includes('Country')) return 'Country';
  if (databaseType.includes('ASN')) return 'ASN';
  if (databaseType.includes('ISP')) return 'ISP';
  return undefined;
}

/**
 * Opens (or reuses) a database. Throws an Error whose message says what is
 * wrong (missing file, not an MMDB file, unsupported type).
 */
export function openDatabase(path: string): OpenDatabase {
  const absolute = resolve(path);
  const cached = opened.get(absolute);
  if (cached) return cached;
  let buffer: Buffer;
  try {
    buffer = readSharedFile(absolute);
  } catch (e) {
    throw new Error(`cannot read GeoIP database ${absolute}: ${(e as Error).message}`);
  }
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(buffer, { cache: new LruCache<string | number, unknown>(DECODER_CACHE_ENTRIES) });
  } catch (e) {
    throw new Error(`${absolute} is not a valid MaxMind database: ${(e as Error).message}`);
  }
  const type = reader.metadata.databaseType;
  const kind = kindOf(type);
  if (!kind) throw new Error(`GeoIP database ${absolute} has type "${type}", which is not supported (City, Country, ASN and ISP are)`);
  const db: OpenDatabase = { reader, kind, path: absolute, type };
  opened.set(absolute, db);
  return db;
}
