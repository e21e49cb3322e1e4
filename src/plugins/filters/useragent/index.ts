/**
 * useragent: parses a User-Agent string into browser, OS and device fields
 * (logstash-filter-useragent 3.3). Parsing uses ua-parser-js instead of the
 * uap-core regexes.yaml; names are mapped to uap-core's where they differ
 * commonly (see docs). Results are kept in an LRU cache per filter.
 */
import { ConfigError } from '../../../core/errors.js';
import { fieldRef, parseFieldPath, type FieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';
import { LruCache } from '../../../core/lru.js';
import { UserAgentParser, type ParsedUserAgent } from './parse.js';

type Assignments = ReadonlyArray<readonly [FieldRef, string]>;

/** Where each piece goes, compiled once: legacy (flat, optional prefix) or ECS. */
interface Layout {
  name: FieldRef;
  device: FieldRef;
  version: FieldRef;
  major: FieldRef;
  minor: FieldRef;
  patch: FieldRef;
  osName: FieldRef;
  /** Legacy `os` (same as os_name); none in ECS. */
  osLegacy?: FieldRef;
  osFull: FieldRef;
  osVersion: FieldRef;
  osMajor: FieldRef;
  osMinor: FieldRef;
  osPatch: FieldRef;
}

const bracket = (parts: readonly string[]): string => parts.map((p) => `[${p}]`).join('');

function layoutFor(targetPath: readonly string[], ecs: boolean, prefix: string): Layout {
  const at = (...sub: string[]): FieldRef => fieldRef(bracket([...targetPath, ...sub]));
  const meta = (...sub: string[]): FieldRef => fieldRef(bracket(['@metadata', 'filter', 'user_agent', ...sub]));
  if (ecs) {
    return {
      name: at('name'), device: at('device', 'name'), version: at('version'),
      major: meta('version', 'major'), minor: meta('version', 'minor'), patch: meta('version', 'patch'),
      osName: at('os', 'name'), osFull: at('os', 'full'), osVersion: at('os', 'version'),
      osMajor: meta('os', 'version', 'major'), osMinor: meta('os', 'version', 'minor'), osPatch: meta('os', 'version', 'patch'),
    };
  }
  const p = (name: string): FieldRef => at(prefix + name);
  return {
    name: p('name'), device: p('device'), version: p('version'), major: p('major'), minor: p('minor'), patch: p('patch'),
    osName: p('os_name'), osLegacy: p('os'), osFull: p('os_full'), osVersion: p('os_version'),
    osMajor: p('os_major'), osMinor: p('os_minor'), osPatch: p('os_patch'),
  };
}

function assignments(ua: ParsedUserAgent, l: Layout): Assignments {
  const out: Array<readonly [FieldRef, string]> = [[l.name, ua.name], [l.device, ua.device]];
  if (ua.version !== undefined) out.push([l.version, ua.version]);
  if (ua.major !== undefined) out.push([l.major, ua.major]);
  if (ua.minor !== undefined) out.push([l.minor, ua.minor]);
  if (ua.patch !== undefined) out.push([l.patch, ua.patch]);
  const os = ua.os;
  if (os.major !== undefined) out.push([l.osMajor, os.major]);
  if (os.minor !== undefined) out.push([l.osMinor, os.minor]);
  if (os.patch !== undefined) out.push([l.osPatch, os.patch]);
  if (os.version !== undefined) out.push([l.osVersion, os.version]);
  out.push([l.osName, os.name]);
  if (l.osLegacy) out.push([l.osLegacy, os.name]);
  out.push([l.osFull, os.version !== undefined ? `${os.name} ${os.version}` : os.name]);
  return out;
}

export const useragentFilter = defineFilter({
  kind: 'filter',
  name: 'useragent',
  description: 'Parses a User-Agent string into browser name and version, operating system and device.',
  options: {
    source: { type: 'field_reference', required: true, description: 'Field holding the User-Agent string; for an array, the first element.' },
    target: { type: 'field_reference', description: 'Where to put the fields. Default: the event root (ECS off) or [user_agent] (ECS on).' },
    prefix: { type: 'string', default: '', description: 'Prepended to every field name (ECS off only).' },
    regexes: { type: 'path', description: 'Not supported: parsing uses ua-parser-js rules, not a uap-core regexes.yaml.' },
    lru_cache_size: { type: 'number', default: 100_000, description: 'Number of parsed User-Agent strings kept in the LRU cache.' },
  },
  create(options, ctx) {
    if (options.regexes !== undefined) {
      throw new ConfigError('useragent: the `regexes` option is not supported', ctx.location,
        'logpipe parses User-Agent strings with ua-parser-js and its built-in rules; remove `regexes` (a custom uap-core regexes.yaml cannot be loaded)');
    }
    const ecs = ctx.ecs !== 'disabled';
    if (ecs && options.prefix !== '') ctx.logger.warn(`useragent: prefix is not supported in ECS mode; ignoring prefix => "${options.prefix}"`);
    let targetPath: string[] = [];
    let sourceRef: FieldRef;
    try {
      sourceRef = fieldRef(options.source);
      if (options.target !== undefined) targetPath = parseFieldPath(options.target);
      else if (ecs) targetPath = ['user_agent'];
    } catch (e) {
      throw new ConfigError(`useragent: ${(e as Error).message}`, ctx.location);
    }
    const layout = layoutFor(targetPath, ecs, ecs ? '' : options.prefix);
    // Logstash removes the source first when the target is the source field itself.
    const removeSource = options.target !== undefined && sourceRef.text === fieldRef(options.target).text;
    const parser = new UserAgentParser();
    const cache = new LruCache<string, Assignments>(Math.max(0, Math.floor(options.lru_cache_size)));

    return {
      filter(event) {
        let value = sourceRef.get(event);
        if (Array.isArray(value)) value = value[0];
        if (value === undefined || value === null) return false;
        const ua = typeof value === 'string' ? value : String(value);
        if (ua === '') return false;
        let fields = cache.get(ua);
        if (fields === undefined) {
          try {
            fields = assignments(parser.parse(ua), layout);
          } catch (e) {
            ctx.logger.error('useragent: unknown error while parsing user agent data', { error: (e as Error).message, field: options.source });
            return false;
          }
          cache.set(ua, fields);
        }
        if (removeSource) sourceRef.remove(event);
        for (const [ref, v] of fields) ref.set(event, v);
        return true;
      },
    };
  },
});
