/**
 * The plugins the agent role can run, imported when the agent starts rather than with the whole
 * catalogue: a Filebeat configuration translates only to the log/filestream inputs, the beats_*
 * processors (plus mutate and beats_add_fields/tags for fields and tags), the codecs those and the
 * outputs name, and the logstash,
 * redis, file, beats_file (output.file), stdout (console) and kafka outputs. Importing every built-in plugin — and the
 * libraries behind them (undici, maxmind, xpath, the Ruby runtime …) — cost an idle agent ~50 MB
 * of RSS and ~2 s of start-up (docs/decisions/0026-agent-throughput-and-footprint.md).
 */
import type { PluginDefinition } from './api.js';
import { PluginRegistry } from './registry.js';

type Load = () => Promise<PluginDefinition | readonly PluginDefinition[]>;

const AGENT_PLUGINS: readonly Load[] = [
  // The codecs a translated file can name (codec.format → plain, codec.json → beats_json) and the
  // defaults of the agent's outputs; not cef, dots, msgpack or multiline (which brings grok's
  // pattern library): ~2.3 MB of idle RSS.
  () => import('./codecs/plain.js').then((m) => m.plainCodec as PluginDefinition),
  () => import('./codecs/beats-json.js').then((m) => m.beatsJsonCodec as PluginDefinition),
  () => import('./codecs/json.js').then((m) => m.jsonCodec as PluginDefinition),
  () => import('./codecs/json-lines.js').then((m) => m.jsonLinesCodec as PluginDefinition),
  () => import('./codecs/rubydebug.js').then((m) => m.rubydebugCodec as PluginDefinition),
  () => import('./inputs/log/index.js').then((m) => m.logInput as PluginDefinition),
  () => import('./inputs/filestream/index.js').then((m) => m.filestreamInput as PluginDefinition),
  () => import('./filters/beats_add_fields/index.js').then((m) => m.beatsAddFieldsFilter as PluginDefinition),
  () => import('./filters/beats_add_tags/index.js').then((m) => m.beatsAddTagsFilter as PluginDefinition),
  () => import('./filters/beats_drop_fields/index.js').then((m) => m.beatsDropFieldsFilter as PluginDefinition),
  () => import('./filters/beats_include_fields/index.js').then((m) => m.beatsIncludeFieldsFilter as PluginDefinition),
  () => import('./filters/beats_drop_event/index.js').then((m) => m.beatsDropEventFilter as PluginDefinition),
  () => import('./filters/beats_rename/index.js').then((m) => m.beatsRenameFilter as PluginDefinition),
  () => import('./filters/beats_decode_json_fields/index.js').then((m) => m.beatsDecodeJsonFieldsFilter as PluginDefinition),
  () => import('./filters/beats_dissect/index.js').then((m) => m.beatsDissectFilter as PluginDefinition),
  () => import('./filters/beats_add_host_metadata/index.js').then((m) => m.beatsAddHostMetadataFilter as PluginDefinition),
  () => import('./filters/mutate/index.js').then((m) => m.mutateFilter as PluginDefinition),
  () => import('./outputs/logstash/index.js').then((m) => m.logstashOutput as PluginDefinition),
  () => import('./outputs/redis/index.js').then((m) => m.redisOutput as PluginDefinition),
  () => import('./outputs/file/index.js').then((m) => m.fileOutput as PluginDefinition),
  () => import('./outputs/beats_file/index.js').then((m) => m.beatsFileOutput as PluginDefinition),
  () => import('./outputs/stdout/index.js').then((m) => m.stdoutOutput as PluginDefinition),
];

/** The Kafka output brings its client library: only when the configuration can name it. */
const KAFKA_OUTPUT: Load = () => import('./outputs/kafka/index.js').then((m) => m.kafkaOutput as PluginDefinition);

/**
 * A registry of the agent's plugins. `configText` is the Filebeat file: the Kafka output is
 * loaded when the word "kafka" appears anywhere in it (a superset of `output.kafka` in any YAML
 * spelling, so a configuration that uses it always finds it).
 */
export async function agentRegistry(configText: string): Promise<PluginRegistry> {
  const loads = /kafka/i.test(configText) ? [...AGENT_PLUGINS, KAFKA_OUTPUT] : AGENT_PLUGINS;
  const registry = new PluginRegistry();
  for (const loaded of await Promise.all(loads.map((load) => load()))) {
    for (const definition of Array.isArray(loaded) ? loaded : [loaded as PluginDefinition]) registry.register(definition);
  }
  return registry;
}
