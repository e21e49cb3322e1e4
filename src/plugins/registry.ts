/**
 * The plugin registry: plugins by kind and name, option validation (plugin
 * schema + the kind's common options), and the list of Logstash plugins we
 * deliberately do not have, each with what to use instead.
 */
import { ConfigError, registerSecretSettingName, type SourceLocation } from '../core/errors.js';
import { closest, validateSettings, type CodecSpec, type Schema } from '../config/schema.js';
import type { Setting } from '../config/values.js';
import type { Codec, CodecDefinition, PluginContext, PluginDefinition, PluginKind } from './api.js';
import { COMMON_CODEC_OPTIONS, COMMON_FILTER_OPTIONS, COMMON_INPUT_OPTIONS, COMMON_OUTPUT_OPTIONS } from './common.js';
import { LOGSTASH_PLUGINS_NOT_SHIPPED } from './logstash-catalog.js';

type DefinitionOf<K extends PluginKind> = Extract<PluginDefinition, { kind: K }>;

/** Logstash plugins with no logpipe equivalent (yet), and what to do meanwhile. Kept true as plugins land. */
const PLANNED = 'planned, not in this version';
const UNSUPPORTED: Record<PluginKind, Record<string, string>> = {
  input: {
    exec: 'runs a command on an interval or schedule and makes an event of its output; meanwhile run the command from cron and pipe its output into `logpipe run` with the "stdin" input',
  },
  filter: {},
  output: {
    webhdfs: 'writes files into HDFS over WebHDFS; meanwhile write them with the "file" output and copy them with `hdfs dfs -put`',
    email: 'sends an email per event (alerting); not provided: alert from your log store, or post the events to a mail or chat webhook with the "http" output',
    exec: 'runs a command per event; meanwhile write the events with the "file" output and let a `tail -F file | while read ...` loop run the command',
  },
  codec: {},
};

/** What to use instead of a Logstash plugin logpipe does not have (the registry's own list wins). */
function insteadOf(kind: PluginKind, name: string): string | undefined {
  const own = UNSUPPORTED[kind];
  if (Object.prototype.hasOwnProperty.call(own, name)) return own[name];
  const catalog = LOGSTASH_PLUGINS_NOT_SHIPPED[kind];
  return Object.prototype.hasOwnProperty.call(catalog, name) ? catalog[name] : undefined;
}

const COMMON: Record<PluginKind, Schema> = {
  input: COMMON_INPUT_OPTIONS,
  filter: COMMON_FILTER_OPTIONS,
  output: COMMON_OUTPUT_OPTIONS,
  codec: COMMON_CODEC_OPTIONS,
};

export class PluginRegistry {
  private readonly definitions = new Map<string, PluginDefinition>();
  private readonly schemas = new Map<string, Schema>();

  register(definition: PluginDefinition): this {
    const key = `${definition.kind}:${definition.name}`;
    if (this.definitions.has(key)) throw new Error(`plugin ${key} registered twice`);
    this.definitions.set(key, definition);
    this.schemas.set(key, { ...COMMON[definition.kind], ...definition.options });
    for (const [name, spec] of Object.entries(definition.options)) if (spec.type === 'password') registerSecretSettingName(name);
    return this;
  }

  find<K extends PluginKind>(kind: K, name: string): DefinitionOf<K> | undefined {
    return this.definitions.get(`${kind}:${name}`) as DefinitionOf<K> | undefined;
  }

  names(kind: PluginKind): string[] {
    return [...this.definitions.values()].filter((d) => d.kind === kind).map((d) => d.name).sort();
  }

  /** Logstash plugins logpipe does not have, with what to use instead. */
  unsupported(): { kind: PluginKind; name: string; instead: string }[] {
    return (Object.keys(UNSUPPORTED) as PluginKind[]).flatMap((kind) =>
      Object.keys({ ...LOGSTASH_PLUGINS_NOT_SHIPPED[kind], ...UNSUPPORTED[kind] }).sort()
        .filter((name) => !this.find(kind, name))
        .map((name) => ({ kind, name, instead: insteadOf(kind, name)! })));
  }

  all(): PluginDefinition[] {
    return [...this.definitions.values()];
  }

  /** The full schema (common options included) of a registered plugin. */
  schemaOf(definition: PluginDefinition): Schema {
    return this.schemas.get(`${definition.kind}:${definition.name}`)!;
  }

  /** Finds a plugin or throws an error that says what to use instead. */
  resolve<K extends PluginKind>(kind: K, name: string, location?: SourceLocation): DefinitionOf<K> {
    const definition = this.find(kind, name);
    if (definition) return definition;
    const instead = insteadOf(kind, name);
    if (instead) throw new ConfigError(`${kind} plugin "${name}" is not supported by logpipe`, location, instead);
    const suggestion = closest(name, this.names(kind));
    throw new ConfigError(
      `unknown ${kind} plugin "${name}"`,
      location,
      suggestion ? `did you mean "${suggestion}"?` : `available ${kind} plugins: ${this.names(kind).join(', ')}`,
    );
  }

  /** Validates settings against the plugin's schema plus its kind's common options. */
  validate(definition: PluginDefinition, settings: Setting[], location?: SourceLocation, warn?: (m: string) => void): Record<string, unknown> {
    const ctx = { kind: definition.kind, plugin: definition.name, ...(location ? { location } : {}), ...(warn ? { warn } : {}) };
    return validateSettings(this.schemaOf(definition), settings, ctx) as Record<string, unknown>;
  }

  /** Resolves, validates and builds a codec (used by PluginContext.createCodec). */
  createCodec(spec: CodecSpec, ctx: Omit<PluginContext, 'createCodec'>): Codec {
    const definition = this.resolve('codec', spec.name, spec.location) as CodecDefinition;
    const options = this.validate(definition, spec.settings, spec.location ?? ctx.location, (m) => ctx.logger.warn(m));
    // A codec's own ecs_compatibility wins over the one of the plugin that owns it.
    const ecs = (options['ecs_compatibility'] as PluginContext['ecs'] | undefined) ?? ctx.ecs;
    // Its config errors (an unknown charset) point at the codec, not at the plugin that owns it.
    const location = spec.location ?? ctx.location;
    const codecCtx: PluginContext = { ...ctx, ecs, name: definition.name, ...(location ? { location } : {}), createCodec: (s) => this.createCodec(s, ctx) };
    return definition.create(options as never, codecCtx);
  }
}
