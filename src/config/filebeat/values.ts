/** YAML nodes → the values and settings of the Logstash AST (what compileGraph validates). */
import type { SourceLocation } from '../../core/errors.js';
import type { PluginNode } from '../logstash/ast.js';
import type { ConfigValue, Setting } from '../values.js';
import type { YEntry, YNode } from './yaml.js';

/** A node's value; null (a key written without a value) is "unset" and gives undefined. */
export function configValue(node: YNode): ConfigValue | undefined {
  if (node.kind === 'scalar') return node.value === null ? undefined : node.value;
  if (node.kind === 'seq') return node.items.map(configValue).filter((v): v is ConfigValue => v !== undefined);
  const out: Record<string, ConfigValue> = {};
  for (const e of node.entries) {
    const v = configValue(e.value);
    if (v !== undefined) out[e.key] = v;
  }
  return out;
}

export function setting(name: string, value: ConfigValue, location: SourceLocation): Setting {
  return { name, value, location };
}

export function settingFrom(entry: YEntry, name = entry.key): Setting | undefined {
  const value = configValue(entry.value);
  return value === undefined ? undefined : setting(name, value, entry.location);
}

export function pluginNode(name: string, settings: Setting[], location: SourceLocation): PluginNode {
  return { kind: 'plugin', name, settings, location };
}

export function scalarText(node: YNode): string | undefined {
  return node.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

/** Filebeat's booleans: YAML true/false, and the strings Go's config library accepts. */
export function booleanOf(node: YNode): boolean | undefined {
  if (node.kind !== 'scalar') return undefined;
  const v = node.value;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (['true', 'yes', 'on', 'y'].includes(s)) return true;
    if (['false', 'no', 'off', 'n'].includes(s)) return false;
  }
  return undefined;
}
