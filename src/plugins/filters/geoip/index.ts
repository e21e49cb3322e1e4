/**
 * geoip: adds the location of an IP address from a MaxMind database
 * (logstash-filter-geoip 7.x). The GeoLite2 City database ships with the
 * `geoip-database` package, so nothing is downloaded at run time. Lookups are
 * synchronous and cached per filter in an LRU keyed by the address; misses
 * (private, reserved and unknown addresses) are cached too.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef, parseFieldPath } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';
import { defaultCityDatabasePath, openDatabase, type OpenDatabase } from './database.js';
import { FIELD_ALIASES, FIELDS_BY_KIND, GEO_FIELDS, defaultFields, type GeoField } from './fields.js';
import { LruCache } from '../../../core/lru.js';

/** What a lookup puts on the event: compiled target references and values. */
/** What a lookup adds below the target, as a nested object (cached per address); null when nothing was found. */
type GeoPatch = Readonly<Record<string, unknown>> | null;
const NO_DATA: GeoPatch = null;

/**
 * Copies a cached patch into the event's target object. Nested objects
 * (location) are copied, so events never share them with the cache or each
 * other; one pass over ~12 keys is cheaper than 12 field-reference writes.
 */
function applyPatch(target: Record<string, unknown>, patch: Readonly<Record<string, unknown>>): void {
  for (const key in patch) {
    const value = patch[key];
    if (value !== null && typeof value === 'object') {
      const existing = target[key];
      const into = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Record<string, unknown>) : (target[key] = {});
      applyPatch(into as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}

/** ECS says geo data belongs under one of these; another target only earns a warning, as in Logstash. */
const ECS_TARGETS = ['client', 'destination', 'host', 'observer', 'server', 'source'];

export const geoipFilter = defineFilter({
  kind: 'filter',
  name: 'geoip',
  description: 'Adds geographical information about an IP address from a MaxMind GeoIP2/GeoLite2 database.',
  options: {
    source: { type: 'field_reference', required: true, description: 'Field holding the IP address; for an array, the first element is used.' },
    target: { type: 'field_reference', description: 'Where to put the data. Default: "geoip" (ECS off), or the parent of `source` when it ends in [ip] (ECS on).' },
    fields: { type: 'string_list', description: 'Which fields to set (default: all the database offers; see docs).' },
    database: { type: 'path', description: 'Path to a .mmdb file (City, Country, ASN or ISP). Default: the bundled GeoLite2 City database.' },
    default_database_type: { type: 'string', values: ['City', 'ASN'], default: 'City', description: 'Bundled database to use when `database` is not set. Only City is bundled.' },
    cache_size: { type: 'number', default: 1000, description: 'Number of lookups (hits and misses) kept in the LRU cache.' },
    tag_on_failure: { type: 'string_list', default: ['_geoip_lookup_failure'], description: 'Tags added when the lookup finds nothing or the address is invalid.' },
  },
  sharedFiles(options) {
    if (options.database) return [options.database];
    return options.default_database_type === 'City' ? [defaultCityDatabasePath()] : [];
  },
  create(options, ctx) {
    const ecs = ctx.ecs !== 'disabled';
    const fail = (reason: string, hint?: string): never => {
      throw new ConfigError(`geoip: ${reason}`, ctx.location, hint);
    };

    // --- database
    let path = options.database;
    if (path === undefined) {
      if (options.default_database_type === 'ASN') {
        fail('default_database_type => "ASN" needs an ASN database, and none is bundled',
          'download GeoLite2-ASN.mmdb from MaxMind and set `database => "/path/to/GeoLite2-ASN.mmdb"`');
      }
      path = defaultCityDatabasePath();
    }
    let db: OpenDatabase;
    try {
      db = openDatabase(path!);
    } catch (e) {
      return fail((e as Error).message, 'check the `database` option');
    }

    // --- target
    let target = options.target;
    if (target === undefined) {
      if (!ecs) target = 'geoip';
      else if (options.source.endsWith('[ip]') && options.source.length > 4) target = options.source.slice(0, -4);
      else {
        fail(`in ECS mode (ecs_compatibility => ${ctx.ecs}) a \`target\` is required when \`source\` is not an [ip] sub-field`,
          'use e.g. source => "[client][ip]" (target becomes [client]) or set target explicitly');
      }
    }
    let targetPath: string[];
    try {
      targetPath = parseFieldPath(target!);
    } catch (e) {
      return fail(`invalid target: ${(e as Error).message}`);
    }
    if (ecs && !(targetPath.length === 1 && ECS_TARGETS.includes(targetPath[0]!))) {
      ctx.logger.warn(`geoip: ECS expects the target to be one of ${ECS_TARGETS.join(', ')}; got "${target}"`);
    }
    const targetRef = fieldRef(targetPath.map((p) => `[${p}]`).join(''));

    // --- fields
    const available = FIELDS_BY_KIND[db.kind];
    let wanted: string[];
    if (options.fields && options.fields.length > 0) {
      wanted = [];
      for (const raw of options.fields) {
        const lower = raw.toLowerCase();
        const name = FIELD_ALIASES[lower] ?? lower;
        if (!GEO_FIELDS[name]) fail(`unknown field "${raw}" in \`fields\``, `valid fields: ${Object.keys(GEO_FIELDS).join(', ')}`);
        if (!available.includes(name)) {
          ctx.logger.warn(`geoip: field "${raw}" is not provided by a ${db.kind} database (${db.type}); it will never be set`);
          continue;
        }
        if (!wanted.includes(name)) wanted.push(name);
      }
    } else {
      wanted = defaultFields(db.kind, ecs);
    }
    const plan: Array<{ field: GeoField; path: string[] }> = [];
    for (const name of wanted) {
      const field = GEO_FIELDS[name]!;
      const sub = ecs ? field.ecs : field.name;
      if (sub === '') continue; // e.g. country_code3 has no ECS name
      plan.push({ field, path: sub.split('.') });
    }

    const sourceRef = fieldRef(options.source);
    const tags = options.tag_on_failure;
    const cache = new LruCache<string, GeoPatch>(Math.max(0, Math.floor(options.cache_size)));
    const { reader, kind } = db;

    const lookup = (ip: string): GeoPatch => {
      // Hostnames are not resolved (Logstash would do a DNS lookup); they fail like invalid addresses.
      if (isIP(ip) === 0) return NO_DATA;
      let record: Record<string, unknown> | null;
      try {
        record = reader.get(ip) as Record<string, unknown> | null;
      } catch {
        return NO_DATA;
      }
      if (!record) return NO_DATA;
      if (kind === 'City') {
        // As in Logstash: a City record without coordinates enriches nothing.
        const loc = record['location'] as Record<string, unknown> | undefined;
        if (typeof loc?.['latitude'] !== 'number' && typeof loc?.['longitude'] !== 'number') return NO_DATA;
      }
      const patch: Record<string, unknown> = {};
      let found = false;
      for (const { field, path } of plan) {
        const value = field.read(record, ip);
        if (value === undefined) continue;
        let node = patch;
        for (let i = 0; i < path.length - 1; i++) node = (node[path[i]!] ??= {}) as Record<string, unknown>;
        node[path[path.length - 1]!] = value;
        found = true;
      }
      return found ? patch : NO_DATA;
    };

    const tagFailure = (event: Event): false => {
      for (const t of tags) event.tag(t);
      return false;
    };

    return {
      filter(event) {
        let value = sourceRef.get(event);
        if (Array.isArray(value)) value = value[0];
        if (value === undefined || value === null) return tagFailure(event);
        if (typeof value !== 'string' || value.trim() === '') return tagFailure(event);
        let patch = cache.get(value);
        if (patch === undefined) {
          patch = lookup(value);
          cache.set(value, patch);
        }
        // Logstash creates the (empty) target even when the lookup finds nothing.
        let target = targetRef.get(event);
        if (target === null || typeof target !== 'object' || Array.isArray(target)) {
          target = {};
          targetRef.set(event, target);
        }
        if (patch === NO_DATA) return tagFailure(event);
        applyPatch(target as Record<string, unknown>, patch);
        return true;
      },
    };
  },
});
