/**
 * Filebeat `output.*` → output plugin nodes. logstash passes through (same keys); redis, kafka, file
 * and console are translated to our redis, kafka, file and stdout outputs; elasticsearch is
 * refused with what to use instead unless `enabled: false`. Several enabled outputs are all kept:
 * Filebeat refuses that, logpipe ships to each, an event counting as shipped once every output
 * acknowledged it.
 */
import type { SourceLocation } from '../../core/errors.js';
import type { PluginRegistry } from '../../plugins/registry.js';
import type { PluginNode } from '../logstash/ast.js';
import type { Setting } from '../values.js';
import type { Diagnostics } from './diagnostics.js';
import { LOGSTASH_OUTPUT_GROUPS, pruneUnknown, type KeySpec } from './nested-keys.js';
import { kafkaOutput } from './kafka-output.js';
import { redisOutput } from './redis-output.js';
import { booleanOf, configValue, pluginNode, scalarText, setting, settingFrom } from './values.js';
import { entry, type YEntry, type YMap } from './yaml.js';

export const OUTPUTS = ['logstash', 'redis', 'file', 'console', 'kafka', 'elasticsearch'] as const;

export interface OutputContext {
  diag: Diagnostics;
  registry: PluginRegistry;
}

export function translateOutputs(output: YEntry, ctx: OutputContext): PluginNode[] {
  const { diag } = ctx;
  if (output.value.kind !== 'map') {
    diag.error('output must be a map of outputs', output.location);
    return [];
  }
  const nodes: PluginNode[] = [];
  for (const e of output.value.entries) {
    const path = `output.${e.key}`;
    const config: YMap = e.value.kind === 'map' ? e.value : { kind: 'map', entries: [], location: e.location };
    const enabled = entry(config, 'enabled');
    if (enabled && booleanOf(enabled.value) === false) continue;
    switch (e.key) {
      case 'logstash':
        nodes.push(passThrough('logstash', config, path, e.location, ctx, LOGSTASH_OUTPUT_GROUPS));
        break;
      case 'redis': {
        const node = redisOutput(config, path, e.location, ctx);
        if (node) nodes.push(node);
        break;
      }
      case 'file': {
        const node = file(config, path, e.location, ctx);
        if (node) nodes.push(node);
        break;
      }
      case 'console':
        nodes.push(consoleOutput(config, path, e.location, ctx));
        break;
      case 'kafka': {
        const node = kafkaOutput(config, path, e.location, ctx);
        if (node) nodes.push(node);
        break;
      }
      case 'elasticsearch':
        diag.error('output.elasticsearch: logpipe has no Elasticsearch output', e.location,
          'set output.elasticsearch.enabled: false, and ship with output.logstash to a logpipe pipeline');
        break;
      default:
        diag.unknown(path, e.key, e.location, OUTPUTS);
    }
  }
  return nodes;
}

function passThrough(name: string, config: YMap, path: string, location: SourceLocation, ctx: OutputContext, groups: KeySpec): PluginNode {
  const known = Object.keys(ctx.registry.resolve('output', name, location).options);
  const settings: Setting[] = [];
  for (const e of config.entries) {
    if (e.key === 'enabled') continue;
    if (known.includes(e.key)) {
      const group = groups[e.key];
      const s = group && group !== true ? settingFrom({ ...e, value: pruneUnknown(e.value, group, `${path}.${e.key}`, ctx.diag) }, e.key) : settingFrom(e);
      if (s) settings.push(s);
    } else ctx.diag.unknown(`${path}.${e.key}`, e.key, e.location, known);
  }
  return pluginNode(name, settings, location);
}

/** `output.file` → beats_file (Filebeat's rotation); every key keeps its name. */
function file(config: YMap, path: string, location: SourceLocation, ctx: OutputContext): PluginNode | undefined {
  const { diag } = ctx;
  const settings: Setting[] = [];
  let hasPath = false;
  let pretty = false;
  for (const e of config.entries) {
    const keyPath = `${path}.${e.key}`;
    if (e.key === 'enabled') continue;
    if (e.key === 'path' || e.key === 'filename' || e.key === 'rotate_every_kb' || e.key === 'number_of_files' || e.key === 'rotate_on_startup') {
      const s = settingFrom(e);
      if (s) settings.push(s);
      if (e.key === 'path') hasPath = true;
    } else if (e.key === 'permissions') {
      // Filebeat writes 0600 as an octal literal (YAML 1.1 reads it as the number 384); a string is octal digits.
      const value = configValue(e.value);
      const mode = typeof value === 'number' ? value : parseInt(scalarText(e.value) ?? '', 8);
      if (Number.isInteger(mode) && mode >= 0 && mode <= 0o7777) settings.push(setting('permissions', mode, e.location));
      else diag.error(`${keyPath} must be a file mode such as 0600`, e.location);
    } else if (e.key === 'codec') pretty = codecPretty(e, keyPath, diag) ?? pretty;
    else if (e.key === 'pretty') pretty = booleanOf(e.value) ?? pretty;
    else diag.unknown(keyPath, e.key, e.location, ['path', 'filename', 'permissions', 'codec', 'enabled', 'rotate_every_kb', 'number_of_files', 'rotate_on_startup']);
  }
  if (!hasPath) {
    diag.error(`${path}.path is required (the directory of the file)`, location, 'output.file: {path: "/tmp/filebeat", filename: filebeat}');
    return undefined;
  }
  settings.push(setting('codec', { kind: 'plugin', name: 'beats_json', settings: pretty ? [setting('pretty', true, location)] : [], location }, location));
  return pluginNode('beats_file', settings, location);
}

function consoleOutput(config: YMap, path: string, location: SourceLocation, ctx: OutputContext): PluginNode {
  let pretty = false;
  for (const e of config.entries) {
    const keyPath = `${path}.${e.key}`;
    if (e.key === 'enabled') continue;
    if (e.key === 'pretty') pretty = booleanOf(e.value) ?? pretty;
    else if (e.key === 'codec') pretty = codecPretty(e, keyPath, ctx.diag) ?? pretty;
    else if (e.key === 'bulk_max_size') ctx.diag.unsupported(keyPath, e.location, 'ignored; events are written per pipeline batch');
    else ctx.diag.unknown(keyPath, e.key, e.location, ['pretty', 'codec', 'enabled', 'bulk_max_size']);
  }
  return pluginNode('stdout', [setting('codec', { kind: 'plugin', name: 'beats_json', settings: pretty ? [setting('pretty', true, location)] : [], location }, location)], location);
}

/** `codec.json.pretty`; `codec.format` is not implemented. */
function codecPretty(e: YEntry, path: string, diag: Diagnostics): boolean | undefined {
  if (e.value.kind !== 'map') return undefined;
  let pretty: boolean | undefined;
  for (const c of e.value.entries) {
    if (c.key === 'json' && c.value.kind === 'map') {
      for (const j of c.value.entries) {
        if (j.key === 'pretty') pretty = booleanOf(j.value);
        else diag.unsupported(`${path}.json.${j.key}`, j.location, 'ignored');
      }
    } else if (c.key === 'format') diag.unsupported(`${path}.format`, c.location, 'events are written as JSON');
    else diag.unknown(`${path}.${c.key}`, c.key, c.location, ['json', 'format']);
  }
  return pretty;
}

