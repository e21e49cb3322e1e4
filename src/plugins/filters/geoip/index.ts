/**
 * geoip: adds the location of an IP address from a MaxMind database
 * (logstash-filter-geoip 7.x). The GeoLite2 City database ships with the
 * `geoip-database` package, so nothing is downloaded at run time. Lookups are
 * synchronous and cached per filter (by /24 network for IPv4 where the
 * database allows it, else by address); misses (private, reserved and unknown
 * addresses) are cached too.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef, parseFieldPath } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';
import { defaultCityDatabasePath, openDatabase, type OpenDatabase } from './database.js';
import { FIELD_ALIASES, FIELDS_BY_KIND, GEO_FIELDS, defaultFields, type GeoField } from './fields.js';
import { LruCache } from '../../../core/lru.js';
import { parseIPv4 } from './address.js';

/** What a record adds below the target (cached), and which of its keys hold nested objects. */
type GeoResult = { readonly patch: Readonly<Record<string, unknown>>; readonly nested: readonly string[] } | null;
const NO_RESULT: GeoResult = null;

/** A fresh copy of a cached nested object, so events never share objects with the cache or each other. */
function copyDeep(source: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...source };
  for (const key in out) {
    const value = out[key];
    if (value !== null && typeof value === 'object') out[key] = copyDeep(value as Record<string, unknown>);
  }
  return out;
}

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
    cache_size: { type: 'number', default: 1000, description: 'Lookups (hits and misses) kept in each of two LRU caches: IPv4 /24 networks and single addresses.' },
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
    const capacity = Math.max(0, Math.floor(options.cache_size));
    const { reader, kind } = db;
    // The address itself is the one value that differs between addresses of one record; it is
    // added per event, so a cached result serves every address of its network.
    const ipEntry = plan.find((p) => p.field === GEO_FIELDS['ip']);
    const ipKey = ipEntry && ipEntry.path.length === 1 ? ipEntry.path[0]! : undefined;
    const recordPlan = ipKey === undefined ? plan : plan.filter((p) => p !== ipEntry);

    /** What a record adds, without the address; NO_RESULT when it adds nothing. */
    const resultOf = (record: Record<string, unknown> | null, ip: string): GeoResult => {
      if (!record) return NO_RESULT;
      if (kind === 'City') {
        // As in Logstash: a City record without coordinates enriches nothing.
        const loc = record['location'] as Record<string, unknown> | undefined;
        if (typeof loc?.['latitude'] !== 'number' && typeof loc?.['longitude'] !== 'number') return NO_RESULT;
      }
      const patch: Record<string, unknown> = {};
      let found = false;
      for (const { field, path } of recordPlan) {
        const value = field.read(record, ip);
        if (value === undefined) continue;
        let node = patch;
        for (let i = 0; i < path.length - 1; i++) node = (node[path[i]!] ??= {}) as Record<string, unknown>;
        node[path[path.length - 1]!] = value;
        found = true;
      }
      // A record that only has the address to offer still counts as found.
      if (!found && ipKey === undefined) return NO_RESULT;
      return { patch, nested: Object.keys(patch).filter((k) => typeof patch[k] === 'object') };
    };

    // IPv4 results are cached per /24 when the database answers for the whole /24 (its network
    // is /24 or shorter), else per address, as are IPv6 addresses and unparsable text.
    const byNetwork = new LruCache<number, GeoResult>(capacity);
    const byAddress = new LruCache<string, GeoResult>(capacity);

    const lookup = (ip: string, v4: number): GeoResult => {
      // Hostnames are not resolved (Logstash would do a DNS lookup); they fail like invalid addresses.
      if (v4 < 0 && isIP(ip) === 0) return NO_RESULT;
      try {
        const [record, prefixLength] = reader.getWithPrefixLength(ip);
        const result = resultOf(record as Record<string, unknown> | null, ip);
        if (v4 >= 0 && prefixLength <= 24) byNetwork.set(v4 >>> 8, result);
        else byAddress.set(ip, result);
        return result;
      } catch {
        byAddress.set(ip, NO_RESULT);
        return NO_RESULT;
      }
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
        const v4 = parseIPv4(value);
        const result = (v4 >= 0 ? byNetwork.get(v4 >>> 8) : undefined) ?? byAddress.get(value) ?? lookup(value, v4);
        let target = targetRef.get(event);
        const fresh = target === undefined || target === null || typeof target !== 'object' || Array.isArray(target);
        if (result === NO_RESULT) {
          // Logstash creates the (empty) target even when the lookup finds nothing.
          if (fresh) targetRef.set(event, {});
          return tagFailure(event);
        }
        if (fresh) {
          // One copy of the cached object (and of its nested ones), the address first.
          target = ipKey === undefined ? { ...result.patch } : { [ipKey]: value, ...result.patch };
          for (const k of result.nested) (target as Record<string, unknown>)[k] = copyDeep(result.patch[k] as Record<string, unknown>);
          targetRef.set(event, target);
        } else {
          if (ipKey !== undefined) (target as Record<string, unknown>)[ipKey] = value;
          applyPatch(target as Record<string, unknown>, result.patch);
        }
        return true;
      },
    };
  },
});
