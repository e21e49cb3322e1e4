/**
 * Plain values of plugin settings after parsing, before schema validation.
 * A codec written as a plugin (`codec => line { format => "%{message}" }`) is a
 * {@link PluginValue}.
 */
import type { SourceLocation } from '../core/errors.js';

export interface PluginValue {
  kind: 'plugin';
  name: string;
  settings: Setting[];
  location: SourceLocation;
}

export type ConfigValue = string | number | boolean | ConfigValue[] | { [key: string]: ConfigValue } | PluginValue;

export interface Setting {
  name: string;
  value: ConfigValue;
  location: SourceLocation;
}

export function isPluginValue(value: unknown): value is PluginValue {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'plugin'
    && Array.isArray((value as { settings?: unknown }).settings);
}
