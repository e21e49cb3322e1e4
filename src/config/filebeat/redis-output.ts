/**
 * Filebeat's `output.redis` → our redis output: hosts (with ports), key / keys rules with Filebeat's
 * format strings, db, password, timeout, datatype, bulk_max_size, ssl; the seed's Logstash-style
 * keys (data_type, batch_count, threads) are accepted with a warning saying what they mean here.
 */
import type { SourceLocation } from '../../core/errors.js';
import { compileCondition, ConditionError } from '../../plugins/beats-processors.js';
import type { PluginNode } from '../logstash/ast.js';
import { parseDuration } from '../schema.js';
import type { ConfigValue, Setting } from '../values.js';
import type { Diagnostics } from './diagnostics.js';
import type { OutputContext } from './outputs.js';
import { booleanOf, configValue, pluginNode, scalarText, setting, settingFrom } from './values.js';
import type { YEntry, YMap } from './yaml.js';

const FORMAT_FIELD = /%\{\[([^\]}]+)\](?::([^}]*))?\}/g;

/** Filebeat's format strings: `%{[a.b]}` names the nested field a.b (Logstash writes `%{[a][b]}`). */
export function formatString(text: string, location: SourceLocation, path: string, diag: Diagnostics): string {
  return text.replace(FORMAT_FIELD, (_m, field: string, fallback: string | undefined) => {
    if (fallback !== undefined) diag.unsupported(`${path} default value "${fallback}"`, location, 'an event without the field gets the format text itself');
    return sprintfField(field);
  });
}

const sprintfField = (field: string): string => `%{${field.split('.').map((p) => `[${p}]`).join('')}}`;

/** Most defaulted fields in one main key/topic: the rules below grow as 2^n. */
const MAX_DEFAULTED_FIELDS = 3;

/**
 * A main `key` / `topic` with defaults (`%{[fields.app]:unknown}`), for outputs whose rules pick
 * the first matching key: one rule per set of the defaulted fields an event may have — largest
 * first, `when: has_fields` — rendering those fields and putting the defaults of the others, and
 * the fallback with every default. Undefined when the text has no default (or too many: then the
 * defaults stay warned by formatString).
 */
export function defaultedFormat(text: string): { rules: Record<string, ConfigValue>[]; fallback: string } | undefined {
  const defaulted = [...new Set([...text.matchAll(FORMAT_FIELD)].filter((m) => m[2] !== undefined).map((m) => m[1]!))];
  if (defaulted.length === 0 || defaulted.length > MAX_DEFAULTED_FIELDS) return undefined;
  const render = (present: ReadonlySet<string>): string =>
    text.replace(FORMAT_FIELD, (_m, field: string, fallback: string | undefined) => (fallback === undefined || present.has(field) ? sprintfField(field) : fallback));
  const subsets: string[][] = [];
  for (let mask = 1; mask < 1 << defaulted.length; mask++) subsets.push(defaulted.filter((_f, i) => mask & (1 << i)));
  subsets.sort((a, b) => b.length - a.length);
  return {
    rules: subsets.map((fields) => ({ key: render(new Set(fields)), when: { has_fields: fields } })),
    fallback: render(new Set()),
  };
}

export interface DefaultRules {
  rules: Record<string, ConfigValue>[];
  location: SourceLocation;
}

/** A main key/topic: its template, and the rules its defaults need (see defaultedFormat). */
export function mainFormat(text: string, location: SourceLocation, path: string, diag: Diagnostics): { template: string; defaults?: DefaultRules } {
  const d = defaultedFormat(text);
  return d ? { template: d.fallback, defaults: { rules: d.rules, location } } : { template: formatString(text, location, path, diag) };
}

/** Appends the rules of a defaulted main key after the rules the file gave (those come first in Filebeat). */
export function addDefaultRules(settings: Setting[], name: string, rules: Record<string, ConfigValue>[], location: SourceLocation): void {
  const existing = settings.find((s) => s.name === name);
  if (existing) existing.value = [...(existing.value as ConfigValue[]), ...rules];
  else settings.push(setting(name, rules, location));
}

const REDIS_UNSUPPORTED: Readonly<Record<string, string>> = {
  loadbalance: 'the output connects to one host at a time and moves to the next one when it fails',
  worker: 'one connection per output; writes are acknowledged in order',
  proxy_url: 'no SOCKS5 proxy; Redis is reached directly',
  proxy_use_local_resolver: 'no proxy',
  codec: 'events are encoded as Filebeat encodes them (JSON with @metadata)',
  max_retries: 'a failed write is retried until delivered, as the agent promises no loss',
  backoff: 'a failed write is retried every second on the next host',
  index: 'the key is `key` (or `keys`), else "filebeat"',
  'ssl.cipher_suites': 'ignored', 'ssl.curve_types': 'ignored', 'ssl.renegotiation': 'ignored', 'ssl.key_passphrase': 'ignored',
};

export function redisOutput(config: YMap, path: string, location: SourceLocation, ctx: OutputContext): PluginNode | undefined {
  const { diag } = ctx;
  const settings: Setting[] = [setting('codec', { kind: 'plugin', name: 'beats_json', settings: [], location }, location)];
  let dataType: { value: string; location: SourceLocation } | undefined;
  let key: string | undefined;
  let keyDefaults: DefaultRules | undefined;
  for (const e of config.entries) {
    const keyPath = `${path}.${e.key}`;
    const text = scalarText(e.value);
    switch (e.key) {
      case 'enabled':
        break;
      case 'hosts':
      case 'host': {
        const s = settingFrom(e, 'host');
        if (s) settings.push(s);
        break;
      }
      case 'port': // Filebeat 5.x: the port of hosts given without one
      case 'db':
      case 'password': {
        const s = settingFrom(e);
        if (s) settings.push(s);
        break;
      }
      case 'timeout': {
        const seconds = durationSeconds(e, keyPath, diag);
        if (seconds !== undefined) settings.push(setting('timeout', seconds, e.location));
        break;
      }
      case 'key':
        if (text !== undefined) ({ template: key, defaults: keyDefaults } = mainFormat(text, e.location, keyPath, diag));
        break;
      case 'keys': {
        const rules = keyRules(e, keyPath, diag);
        if (rules) settings.push(setting('keys', rules, e.location));
        break;
      }
      case 'datatype':
      case 'data_type':
        if (e.key === 'data_type') diag.foreign(keyPath, e.location, 'read as Filebeat\'s datatype (list or channel)');
        if (text !== 'list' && text !== 'channel') diag.error(`${keyPath} must be list or channel, got ${JSON.stringify(text)}`, e.location);
        else dataType = { value: text, location: e.location };
        break;
      case 'bulk_max_size': {
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1) diag.error(`${keyPath} must be a positive integer`, e.location);
        else settings.push(setting('batch', true, e.location), setting('batch_events', n, e.location));
        break;
      }
      case 'batch_count':
        diag.foreign(keyPath, e.location, 'Logstash\'s redis input reads that many events per call; this output sends lists in batches of bulk_max_size (default 2048) instead; ignored');
        break;
      case 'threads':
        diag.foreign(keyPath, e.location, 'Logstash\'s redis input runs that many reader threads; this output writes through one connection; ignored');
        break;
      case 'ssl':
        redisSsl(e, keyPath, settings, diag);
        break;
      default:
        if (e.key in REDIS_UNSUPPORTED) diag.unsupported(keyPath, e.location, REDIS_UNSUPPORTED[e.key]!);
        else diag.unknown(keyPath, e.key, e.location, ['hosts', 'port', 'db', 'password', 'timeout', 'key', 'keys', 'datatype', 'bulk_max_size', 'ssl', 'enabled', ...Object.keys(REDIS_UNSUPPORTED)]);
    }
  }
  if (keyDefaults) addDefaultRules(settings, 'keys', keyDefaults.rules, keyDefaults.location);
  settings.push(setting('data_type', dataType?.value ?? 'list', dataType?.location ?? location));
  // Filebeat's default key is the index name, "filebeat".
  settings.push(setting('key', key ?? 'filebeat', location));
  // Without bulk_max_size Filebeat still sends lists in batches of 2048.
  if (!settings.some((s) => s.name === 'batch')) settings.push(setting('batch', true, location), setting('batch_events', 2048, location));
  return pluginNode('redis', settings, location);
}

/**
 * Filebeat's rule lists (`keys` of output.redis, `topics` of output.kafka): [{<name>, when,
 * mappings, default}], the name given as `name` ("key" or "topic"), handed to the output as the
 * rules compileKeySelector reads (with `key`).
 */
export function keyRules(e: YEntry, path: string, diag: Diagnostics, name = 'key'): ConfigValue | undefined {
  if (e.value.kind !== 'seq') {
    diag.error(`${path} must be a list of {${name}, when, mappings, default}`, e.location);
    return undefined;
  }
  const rules: ConfigValue[] = [];
  e.value.items.forEach((item, i) => {
    if (item.kind !== 'map') {
      diag.error(`${path}[${i}] must be a map with a ${name}`, item.location);
      return;
    }
    const rule: Record<string, ConfigValue> = {};
    for (const r of item.entries) {
      const v = configValue(r.value);
      if (v === undefined) continue;
      if (r.key === name && typeof v === 'string') rule['key'] = formatString(v, r.location, `${path}[${i}].${name}`, diag);
      else if (r.key === 'when') {
        try {
          compileCondition(v);
          rule['when'] = v;
        } catch (err) {
          if (!(err instanceof ConditionError)) throw err;
          diag.error(`${path}[${i}].when: ${err.message}`, r.location);
        }
      } else if (r.key === 'mappings' || r.key === 'default') rule[r.key] = v;
      else diag.unknown(`${path}[${i}].${r.key}`, r.key, r.location, [name, 'when', 'mappings', 'default']);
    }
    if (typeof rule['key'] !== 'string') diag.error(`${path}[${i}] needs a ${name}`, item.location);
    else rules.push(rule);
  });
  return rules;
}

function redisSsl(e: YEntry, path: string, settings: Setting[], diag: Diagnostics): void {
  if (e.value.kind !== 'map') {
    diag.error(`${path} must be a map`, e.location);
    return;
  }
  const names: Record<string, string> = {
    enabled: 'ssl_enabled', certificate_authorities: 'ssl_certificate_authorities', certificate: 'ssl_certificate',
    key: 'ssl_key', supported_protocols: 'ssl_supported_protocols',
  };
  let enabled = true; // Filebeat: an ssl section enables TLS unless enabled: false
  for (const s of e.value.entries) {
    const keyPath = `${path}.${s.key}`;
    if (s.key === 'enabled') {
      enabled = booleanOf(s.value) !== false;
      continue;
    }
    if (s.key === 'verification_mode') {
      const mode = scalarText(s.value);
      if (mode === 'none') settings.push(setting('ssl_verification_mode', 'none', s.location));
      else if (mode === 'full' || mode === 'strict') settings.push(setting('ssl_verification_mode', 'full', s.location));
      else diag.unsupported(keyPath, s.location, `"${mode}" is verified as full (chain and host name)`);
      continue;
    }
    const name = names[s.key];
    if (name) {
      const st = settingFrom(s, name);
      if (st) settings.push(st);
    } else if (`ssl.${s.key}` in REDIS_UNSUPPORTED) diag.unsupported(keyPath, s.location, 'ignored');
    else diag.unknown(keyPath, s.key, s.location, [...Object.keys(names), 'verification_mode']);
  }
  settings.push(setting('ssl_enabled', enabled, e.location));
}

function durationSeconds(e: YEntry, path: string, diag: Diagnostics): number | undefined {
  try {
    return parseDuration(configValue(e.value)) / 1000;
  } catch (err) {
    diag.error(`${path}: ${(err as Error).message}`, e.location);
    return undefined;
  }
}

