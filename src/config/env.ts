/**
 * `${VAR}` and `${VAR:default}` in setting values are replaced by environment
 * variables when the config is compiled, as Logstash does. An undefined
 * variable without a default is a config error.
 */
import { ConfigError, type SourceLocation } from '../core/errors.js';
import { isPluginValue, type ConfigValue, type Setting } from './values.js';

const REFERENCE = /\$\{(\w+)(?::([^}]*))?\}/g;

export function substituteEnv(settings: Setting[], env: NodeJS.ProcessEnv = process.env): Setting[] {
  return settings.map((s) => ({ ...s, value: substituteValue(s.value, s.location, env) }));
}

function substituteValue(value: ConfigValue, location: SourceLocation, env: NodeJS.ProcessEnv): ConfigValue {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    return value.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`environment variable "${name}" is not defined`, location, `export ${name}=..., or give a default: \${${name}:value}`);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substituteValue(v, location, env));
  if (isPluginValue(value)) return { ...value, settings: substituteEnv(value.settings, env) };
  if (value !== null && typeof value === 'object') {
    const out: Record<string, ConfigValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteValue(v, location, env);
    return out;
  }
  return value;
}
