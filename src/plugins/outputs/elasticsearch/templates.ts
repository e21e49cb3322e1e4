/**
 * Index templates: the shipped default, a user's template file in either API's shape, and the
 * conversion to the API in use. Legacy (`_template`): { index_patterns, order, settings, mappings,
 * aliases }. Composable (`_index_template`): { index_patterns, priority, template: { settings,
 * mappings, aliases }, data_stream? }. Older files are accepted too: a "template" string of
 * Elasticsearch 5 becomes index_patterns, and mappings under one type name (Elasticsearch 6, as in
 * the seed's template) lose the type, which Elasticsearch 7+ and OpenSearch no longer take.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type SourceLocation } from '../../../core/errors.js';

export type TemplateApi = 'legacy' | 'composable';
export type TemplateBody = Record<string, unknown>;

/** Keys that may stand directly under `mappings`; anything else alone there is a type name. */
const MAPPING_KEYS = new Set([
  'properties', 'dynamic', 'dynamic_templates', 'dynamic_date_formats', 'date_detection', 'numeric_detection',
  '_source', '_meta', '_routing', 'runtime', 'enabled', '_field_names', '_all', '_data_stream_timestamp', 'subobjects',
]);

/**
 * Our default template (not Logstash's): one primary shard; strings as keyword with a text
 * sub-field only for message-like fields; @timestamp a date, @version a keyword, geoip's location a
 * geo_point so maps work. `pattern` is the index pattern (logstash-* or ecs-logstash-*).
 */
export function defaultTemplate(pattern: string, api: TemplateApi): TemplateBody {
  const mappings = {
    dynamic_templates: [
      { message_field: { path_match: 'message', match_mapping_type: 'string', mapping: { type: 'text', norms: false } } },
      {
        string_fields: {
          match: '*',
          match_mapping_type: 'string',
          mapping: { type: 'keyword', ignore_above: 1024, fields: { text: { type: 'text', norms: false } } },
        },
      },
    ],
    properties: {
      '@timestamp': { type: 'date' },
      '@version': { type: 'keyword' },
      geoip: { dynamic: true, properties: { ip: { type: 'ip' }, location: { type: 'geo_point' }, latitude: { type: 'half_float' }, longitude: { type: 'half_float' } } },
    },
  };
  const settings = { index: { number_of_shards: 1, refresh_interval: '5s' } };
  return api === 'legacy'
    ? { index_patterns: [pattern], order: 0, settings, mappings }
    : { index_patterns: [pattern], priority: 200, template: { settings, mappings }, _meta: { description: 'default template of logpipe\'s elasticsearch output' } };
}

/** A composable template that makes `<type>-*-*` data streams (OpenSearch has none built in). */
export function dataStreamTemplate(type: string): TemplateBody {
  return {
    index_patterns: [`${type}-*-*`],
    data_stream: {},
    priority: 100,
    template: { mappings: { properties: { '@timestamp': { type: 'date' }, data_stream: { properties: { type: { type: 'keyword' }, dataset: { type: 'keyword' }, namespace: { type: 'keyword' } } } } } },
    _meta: { description: 'data streams of logpipe\'s elasticsearch output' },
  };
}

export function readTemplateFile(path: string, location?: SourceLocation): TemplateBody {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`elasticsearch: cannot read template "${path}": ${(err as Error).message}`, location);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`elasticsearch: template "${path}" is not JSON: ${(err as Error).message}`, location);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`elasticsearch: template "${path}" must be a JSON object`, location);
  return parsed as TemplateBody;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Mappings of Elasticsearch 6 ({ "<type>": { properties } }) → typeless mappings. */
export function typelessMappings(mappings: unknown): unknown {
  if (!isObject(mappings)) return mappings;
  const keys = Object.keys(mappings);
  if (keys.length === 1 && !MAPPING_KEYS.has(keys[0]!) && isObject(mappings[keys[0]!])) return mappings[keys[0]!];
  return mappings;
}

/** The body to send to `api` for a template in either shape; says what it changed. */
export function templateFor(body: TemplateBody, api: TemplateApi): { body: TemplateBody; changes: string[] } {
  const changes: string[] = [];
  const source = { ...body };
  if (typeof source['template'] === 'string') {
    source['index_patterns'] ??= [source['template']];
    delete source['template'];
    changes.push('"template" pattern string → index_patterns');
  }
  const inner = isObject(source['template']) ? { ...(source['template'] as Record<string, unknown>) } : undefined;
  const composableShape = inner !== undefined;
  const parts: Record<string, unknown> = inner ?? {};
  if (!composableShape) {
    for (const key of ['settings', 'mappings', 'aliases']) {
      if (key in source) {
        parts[key] = source[key];
        delete source[key];
      }
    }
  }
  if ('mappings' in parts) {
    const typeless = typelessMappings(parts['mappings']);
    if (typeless !== parts['mappings']) {
      changes.push('mappings under a type name → typeless mappings');
      parts['mappings'] = typeless;
    }
  }
  delete source['template'];
  if (api === 'composable') {
    if ('order' in source) {
      source['priority'] ??= source['order'];
      delete source['order'];
      changes.push('order → priority');
    }
    if (!composableShape) changes.push('legacy shape → composable (settings, mappings and aliases under "template")');
    return { body: { ...source, template: parts }, changes };
  }
  if ('data_stream' in source) throw new Error('a template with data_stream needs the composable API (template_api => "composable")');
  for (const key of ['priority', 'composed_of', '_meta']) {
    if (key in source) {
      if (key === 'priority') source['order'] ??= source['priority'];
      delete source[key];
    }
  }
  if (composableShape) changes.push('composable shape → legacy');
  return { body: { ...source, ...parts }, changes };
}
