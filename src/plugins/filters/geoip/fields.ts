/**
 * The fields geoip can set, with their legacy and ECS names (Logstash's
 * Field enum) and how each is read from a MaxMind record.
 */
import type { DatabaseKind } from './database.js';

/** A MaxMind record as decoded: nested plain objects. */
type MmdbRecord = Record<string, unknown>;

export interface GeoField {
  /** Name used in `fields` and in the legacy layout. */
  name: string;
  /** Dotted path below the target in ECS mode; '' means "not set in ECS mode". */
  ecs: string;
  read(record: MmdbRecord, ip: string): unknown;
}

const obj = (v: unknown): MmdbRecord | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as MmdbRecord) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const englishName = (v: unknown): string | undefined => str(obj(obj(v)?.['names'])?.['en']);

/** GeoIP2's "most specific subdivision" is the last one listed. */
function mostSpecificSubdivision(record: MmdbRecord): MmdbRecord | undefined {
  const subs = record['subdivisions'];
  return Array.isArray(subs) && subs.length > 0 ? obj(subs[subs.length - 1]) : undefined;
}

function location(record: MmdbRecord): { lat: number; lon: number } | undefined {
  const loc = obj(record['location']);
  const lat = num(loc?.['latitude']);
  const lon = num(loc?.['longitude']);
  return lat !== undefined && lon !== undefined ? { lat, lon } : undefined;
}

const countryIso = (r: MmdbRecord): string | undefined => str(obj(r['country'])?.['iso_code']);

export const GEO_FIELDS: Record<string, GeoField> = {
  ip: { name: 'ip', ecs: 'ip', read: (_r, ip) => ip },
  city_name: { name: 'city_name', ecs: 'geo.city_name', read: (r) => englishName(r['city']) },
  country_name: { name: 'country_name', ecs: 'geo.country_name', read: (r) => englishName(r['country']) },
  continent_code: { name: 'continent_code', ecs: 'geo.continent_code', read: (r) => str(obj(r['continent'])?.['code']) },
  continent_name: { name: 'continent_name', ecs: 'geo.continent_name', read: (r) => englishName(r['continent']) },
  country_code2: { name: 'country_code2', ecs: 'geo.country_iso_code', read: countryIso },
  // GeoLite2 has no 3-letter codes; Logstash fills country_code3 with the 2-letter ISO code too.
  country_code3: { name: 'country_code3', ecs: '', read: countryIso },
  postal_code: { name: 'postal_code', ecs: 'geo.postal_code', read: (r) => str(obj(r['postal'])?.['code']) },
  dma_code: { name: 'dma_code', ecs: 'mmdb.dma_code', read: (r) => num(obj(r['location'])?.['metro_code']) },
  region_name: { name: 'region_name', ecs: 'geo.region_name', read: (r) => englishName(mostSpecificSubdivision(r)) },
  region_code: { name: 'region_code', ecs: 'geo.region_code', read: (r) => str(mostSpecificSubdivision(r)?.['iso_code']) },
  region_iso_code: {
    name: 'region_iso_code',
    ecs: 'geo.region_iso_code',
    read: (r) => {
      const country = countryIso(r);
      const sub = str(mostSpecificSubdivision(r)?.['iso_code']);
      return country !== undefined && sub !== undefined ? `${country}-${sub}` : undefined;
    },
  },
  timezone: { name: 'timezone', ecs: 'geo.timezone', read: (r) => str(obj(r['location'])?.['time_zone']) },
  location: { name: 'location', ecs: 'geo.location', read: location },
  latitude: { name: 'latitude', ecs: 'geo.location.lat', read: (r) => num(obj(r['location'])?.['latitude']) },
  longitude: { name: 'longitude', ecs: 'geo.location.lon', read: (r) => num(obj(r['location'])?.['longitude']) },
  asn: { name: 'asn', ecs: 'as.number', read: (r) => num(r['autonomous_system_number']) },
  as_org: { name: 'as_org', ecs: 'as.organization.name', read: (r) => str(r['autonomous_system_organization']) },
  isp: { name: 'isp', ecs: 'mmdb.isp', read: (r) => str(r['isp']) },
  organization: { name: 'organization', ecs: 'mmdb.organization', read: (r) => str(r['organization']) },
};

/** Logstash's `autonomous_system_number` style names are accepted as aliases. */
export const FIELD_ALIASES: Record<string, string> = {
  autonomous_system_number: 'asn',
  autonomous_system_organization: 'as_org',
};

/** Fields each database type can fill; `fields` entries outside this set never appear. */
export const FIELDS_BY_KIND: Record<DatabaseKind, readonly string[]> = {
  City: ['ip', 'city_name', 'continent_code', 'continent_name', 'country_name', 'country_code2', 'country_code3', 'postal_code',
    'dma_code', 'region_name', 'region_code', 'region_iso_code', 'timezone', 'location', 'latitude', 'longitude'],
  Country: ['ip', 'country_code2', 'country_name', 'continent_name', 'continent_code'],
  ASN: ['ip', 'asn', 'as_org'],
  ISP: ['ip', 'asn', 'as_org', 'isp', 'organization'],
};

/**
 * Defaults when `fields` is not set (Logstash's Database enum). For City, the
 * legacy layout uses region_code and ECS uses region_iso_code.
 */
export function defaultFields(kind: DatabaseKind, ecs: boolean): string[] {
  switch (kind) {
    case 'City':
      return ['ip', 'city_name', 'continent_code', 'country_name', 'country_code2', 'country_code3', 'postal_code', 'dma_code',
        'region_name', ecs ? 'region_iso_code' : 'region_code', 'timezone', 'location', 'latitude', 'longitude'];
    case 'Country':
      return ['ip', 'country_code2', 'country_name', 'continent_name'];
    case 'ASN':
      return ['ip', 'asn', 'as_org'];
    case 'ISP':
      return ['ip', 'asn', 'as_org', 'isp', 'organization'];
  }
}
