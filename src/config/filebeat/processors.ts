/**
 * Filebeat `processors` (global or per input) → beats_* filter plugins. Each processor keeps its
 * `when` condition as an option; the condition is compiled here once to report a bad one at its
 * line. Processors logpipe does not have are left out with a warning (never silently).
 */
import type { PluginRegistry } from '../../plugins/registry.js';
import { compileCondition, ConditionError } from '../../plugins/beats-processors.js';
import type { StatementNode } from '../logstash/ast.js';
import type { Setting } from '../values.js';
import type { Diagnostics } from './diagnostics.js';
import { configValue, pluginNode, setting } from './values.js';
import type { YEntry, YMap, YNode } from './yaml.js';

/** Filebeat processor name → our filter. */
export const PROCESSOR_FILTERS: Readonly<Record<string, string>> = {
  add_fields: 'beats_add_fields',
  add_tags: 'beats_add_tags',
  drop_fields: 'beats_drop_fields',
  include_fields: 'beats_include_fields',
  drop_event: 'beats_drop_event',
  rename: 'beats_rename',
  decode_json_fields: 'beats_decode_json_fields',
  dissect: 'beats_dissect',
  add_host_metadata: 'beats_add_host_metadata',
};

/** Processors Filebeat has and logpipe does not (yet). */
const OTHER_FILEBEAT_PROCESSORS = [
  'add_cloud_metadata', 'add_docker_metadata', 'add_kubernetes_metadata', 'add_locale', 'add_process_metadata',
  'add_observer_metadata', 'add_id', 'add_labels', 'add_network_direction', 'add_nomad_metadata', 'add_formatted_index',
  'append', 'cache', 'community_id', 'convert', 'copy_fields', 'decode_base64_field', 'decode_cef', 'decode_csv_fields',
  'decode_duration', 'decode_xml', 'decode_xml_wineventlog', 'decompress_gzip_field', 'detect_mime_type', 'dns',
  'extract_array', 'fingerprint', 'move_fields', 'rate_limit', 'registered_domain', 'replace', 'script', 'syslog',
  'timestamp', 'translate_sid', 'truncate_fields', 'urldecode', 'add_session_metadata',
];

/** Keys of a processor's config that are spelled differently in our filter's options. */
const RENAMED_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  add_host_metadata: { 'netinfo.enabled': 'netinfo_enabled' },
};

/** Keys Filebeat knows for a processor that we accept and ignore, with what that means. */
const UNSUPPORTED_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  add_host_metadata: {
    'cache.ttl': 'the host metadata is read once at start and never refreshed',
    geo: 'no geo fields are added',
    name: 'host.name is the machine\'s host name',
  },
};

export interface ProcessorContext {
  diag: Diagnostics;
  registry: PluginRegistry;
}

export function translateProcessors(entry: YEntry, path: string, ctx: ProcessorContext): StatementNode[] {
  const { diag } = ctx;
  if (entry.value.kind !== 'seq') {
    diag.error(`${path} must be a list of processors`, entry.location, 'processors:\n  - add_fields: {fields: {a: 1}}');
    return [];
  }
  const out: StatementNode[] = [];
  entry.value.items.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (item.kind !== 'map' || item.entries.length !== 1) {
      diag.error(`${itemPath}: each processor is a map with one key, the processor's name`, item.location);
      return;
    }
    const [proc] = item.entries as [YEntry];
    const filter = PROCESSOR_FILTERS[proc.key];
    if (filter === undefined) {
      if (OTHER_FILEBEAT_PROCESSORS.includes(proc.key)) {
        diag.unsupported(`${itemPath}.${proc.key}`, proc.location, 'the processor is left out; events pass unchanged');
      } else {
        diag.error(`unknown processor "${proc.key}"`, proc.location,
          `logpipe implements ${Object.keys(PROCESSOR_FILTERS).join(', ')}`);
      }
      return;
    }
    const node = translateOne(proc, filter, `${itemPath}.${proc.key}`, ctx);
    if (node) out.push(node);
  });
  return out;
}

function translateOne(proc: YEntry, filter: string, path: string, ctx: ProcessorContext): StatementNode | undefined {
  const { diag, registry } = ctx;
  const definition = registry.resolve('filter', filter, proc.location);
  const known = Object.keys(definition.options);
  const settings: Setting[] = [];
  const config: YMap = proc.value.kind === 'map' ? proc.value : { kind: 'map', entries: [], location: proc.location };
  if (proc.value.kind !== 'map' && !(proc.value.kind === 'scalar' && proc.value.value === null)) {
    diag.error(`${path} must be a map of settings`, proc.location);
    return undefined;
  }
  const renamed = RENAMED_KEYS[proc.key] ?? {};
  const unsupported = UNSUPPORTED_KEYS[proc.key] ?? {};
  for (const { name, value, location } of leaves(config, renamed)) {
    const keyPath = `${path}.${name}`;
    if (name === 'when') {
      const condition = configValue(value);
      try {
        compileCondition(condition);
      } catch (err) {
        if (!(err instanceof ConditionError)) throw err;
        diag.error(`${keyPath}: ${err.message}`, location);
        continue;
      }
      settings.push(setting('when', condition!, location));
      continue;
    }
    const option = renamed[name] ?? name;
    if (known.includes(option) && option !== 'id') {
      const v = configValue(value);
      if (v !== undefined) settings.push(setting(option, v, location));
    } else if (name in unsupported || Object.keys(unsupported).some((k) => name.startsWith(`${k}.`))) {
      const consequence = unsupported[name] ?? unsupported[name.split('.')[0]!] ?? '';
      diag.unsupported(keyPath, location, consequence === '' ? 'ignored' : `ignored; ${consequence}`);
    } else {
      diag.unknown(keyPath, name, location, [...known.filter((k) => k !== 'id'), ...Object.keys(renamed)]);
    }
  }
  return pluginNode(filter, settings, proc.location);
}

/**
 * The processor's top-level keys, except that a nested group whose dotted name we rename
 * (`netinfo.enabled`) is reached through: `netinfo: {enabled: true}` gives `netinfo.enabled`.
 */
function leaves(map: YMap, renamed: Readonly<Record<string, string>>): { name: string; value: YNode; location: YEntry['location'] }[] {
  const out: { name: string; value: YNode; location: YEntry['location'] }[] = [];
  for (const e of map.entries) {
    const prefixes = Object.keys(renamed).filter((k) => k.startsWith(`${e.key}.`));
    if (prefixes.length > 0 && e.value.kind === 'map') {
      for (const inner of e.value.entries) out.push({ name: `${e.key}.${inner.key}`, value: inner.value, location: inner.location });
    } else out.push({ name: e.key, value: e.value, location: e.location });
  }
  return out;
}
