/**
 * One Filebeat input (7.x/8.x `filebeat.inputs` entry) or prospector (5.x/6.x
 * `filebeat.prospectors` entry) → a `log` or `filestream` input plugin node, plus the filters of
 * its own `processors`, wrapped in a conditional on the input's label so they only see its events.
 */
import type { SourceLocation } from '../../core/errors.js';
import type { PluginRegistry } from '../../plugins/registry.js';
import type { IfNode, PluginNode, StatementNode } from '../logstash/ast.js';
import type { Setting } from '../values.js';
import type { Diagnostics } from './diagnostics.js';
import { INPUT_GROUPS, pruneUnknown } from './nested-keys.js';
import { translateProcessors } from './processors.js';
import { booleanOf, configValue, pluginNode, setting, settingFrom, scalarText } from './values.js';
import { entry, type YNode } from './yaml.js';

export type ConfigShape = 'legacy' | 'ecs';

/** The @metadata field carrying an input's label, for per-input processors. */
export const INPUT_LABEL_FIELD = '[@metadata][logpipe][input]';

export const INPUT_TYPES = ['log', 'filestream'] as const;

/** Input keys Filebeat knows that have no option here, and what happens instead. */
const UNSUPPORTED_INPUT_KEYS: Readonly<Record<string, string>> = {
  harvester_buffer_size: 'ignored; files are read in chunks of the tailing engine\'s own size',
  index: 'ignored; there is no Elasticsearch output',
  pipeline: 'ignored; there is no Elasticsearch output',
  keep_null: 'ignored; null fields are always kept',
  recursive_glob: 'ignored; "**" in paths always matches any depth',
  publisher_pipeline: 'ignored; the pipeline settings apply',
  close_older: 'ignored; this 1.x name became close_inactive',
  force_close_files: 'ignored; this 1.x name became close_removed + close_renamed',
  ignore_inactive: 'ignored; use ignore_older',
  take_over: 'ignored; use --import-registry to carry state over from Filebeat',
  rotation: 'ignored',
  delete: 'ignored; files are never deleted by the agent',
  service: 'ignored',
  'close.on_state_change': 'ignored; use close_inactive, close_renamed, close_removed (log input names)',
  'close.reader': 'ignored; use close_eof / close_timeout (log input names)',
  clean_older: 'ignored; use clean_inactive',
};

export interface InputContext {
  diag: Diagnostics;
  registry: PluginRegistry;
  shape: ConfigShape;
  /** The option override of the layout (`logpipe.field_layout`), else the shape's. */
  layout: 'ecs' | 'legacy';
  /** Directory shared by every input's registry. */
  registryDir: string;
}

export interface TranslatedInput {
  input: PluginNode;
  /** The input's own processors, already wrapped in its conditional. */
  filters: StatementNode[];
}

/** `label` is unique per input in the file (its position), used to route its processors. */
export function translateInput(node: YNode, path: string, label: string, ctx: InputContext): TranslatedInput | undefined {
  const { diag, registry } = ctx;
  if (node.kind !== 'map') {
    diag.error(`${path} must be a map of input settings`, node.location);
    return undefined;
  }
  const enabled = entry(node, 'enabled');
  if (enabled && booleanOf(enabled.value) === false) return undefined;
  const typeKey = ctx.shape === 'legacy' ? 'input_type' : 'type';
  const typeEntry = entry(node, typeKey) ?? (ctx.shape === 'legacy' ? entry(node, 'type') : undefined);
  const type = typeEntry ? scalarText(typeEntry.value) ?? '' : 'log';
  if (!(INPUT_TYPES as readonly string[]).includes(type)) {
    diag.error(`${path}: input type "${type}" is not available in logpipe`, typeEntry?.location ?? node.location,
      `logpipe's agent reads files: type ${INPUT_TYPES.join(' or ')}`);
    return undefined;
  }
  const definition = registry.resolve('input', type, node.location);
  const known = Object.keys(definition.options);
  const settings: Setting[] = [];
  let processors: StatementNode[] = [];
  let hasLayout = false;
  let hasRegistry = false;
  for (const e of node.entries) {
    const keyPath = `${path}.${e.key}`;
    if (e === typeEntry || e.key === 'enabled') continue;
    if (e.key === 'processors') {
      processors = translateProcessors(e, keyPath, ctx);
      continue;
    }
    if (e.key === 'document_type') {
      // 5.x: the event's `type` field (and the Elasticsearch mapping type).
      const s = settingFrom(e, 'type');
      if (s) settings.push(s);
      continue;
    }
    if (e.key === 'id') {
      const s = settingFrom(e, 'id');
      if (s) settings.push(s);
      continue;
    }
    if (e.key === 'file_identity' && e.value.kind === 'map') {
      // `file_identity.native: ~`: the name is the key and its value empty, which would read as unset.
      settings.push(setting('file_identity', Object.fromEntries(e.value.entries.map((i) => [i.key, configValue(i.value) ?? {}])), e.location));
      continue;
    }
    if (known.includes(e.key)) {
      const group = INPUT_GROUPS[e.key];
      const s = group && group !== true ? settingFrom({ ...e, value: pruneUnknown(e.value, group, keyPath, diag) }, e.key) : settingFrom(e);
      if (s) settings.push(s);
      if (e.key === 'field_layout') hasLayout = true;
      if (e.key === 'registry_path') hasRegistry = true;
      continue;
    }
    const unsupported = unsupportedConsequence(e.key, e.value);
    if (unsupported) {
      diag.unsupported(keyPath, e.location, unsupported);
      continue;
    }
    diag.unknown(keyPath, e.key, e.location, [...known, 'enabled', 'processors', 'id', typeKey, ...(ctx.shape === 'legacy' ? ['document_type'] : [])]);
  }
  if (!hasLayout) settings.push(setting('field_layout', ctx.layout, node.location));
  if (!hasRegistry) settings.push(setting('registry_path', ctx.registryDir, node.location));
  let filters: StatementNode[] = [];
  if (processors.length > 0) {
    settings.push(setting('add_field', { [INPUT_LABEL_FIELD]: label }, node.location));
    filters = [onlyForInput(label, processors, node.location)];
  }
  return { input: pluginNode(type, settings, node.location), filters };
}

function unsupportedConsequence(key: string, value: YNode): string | undefined {
  if (key in UNSUPPORTED_INPUT_KEYS) return UNSUPPORTED_INPUT_KEYS[key];
  if (value.kind === 'map') {
    for (const inner of value.entries) {
      const dotted = `${key}.${inner.key}`;
      if (dotted in UNSUPPORTED_INPUT_KEYS) return UNSUPPORTED_INPUT_KEYS[dotted];
    }
  }
  return undefined;
}

/** `if [@metadata][logpipe][input] == "<label>" { <processors> }` */
function onlyForInput(label: string, body: StatementNode[], location: SourceLocation): IfNode {
  return {
    kind: 'if',
    location,
    branches: [{
      location,
      body,
      condition: {
        kind: 'compare',
        op: '==',
        left: { kind: 'field', reference: INPUT_LABEL_FIELD, location },
        right: { kind: 'string', value: label, location },
        location,
      },
    }],
  };
}
