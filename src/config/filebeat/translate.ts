/**
 * filebeat.yml → the same ConfigAst the Logstash parser produces, plus the agent's pipeline
 * settings. Both config shapes are read: 5.x/6.x (`filebeat.prospectors`, spool_size, idle_timeout,
 * config_dir, registry_file; events in the legacy layout) and 7.x/8.x (`filebeat.inputs`,
 * config.inputs, registry.path, queue.mem, processors; events in the ECS layout).
 *
 * The filters, in order: @metadata {beat, type, version} (as Filebeat publishes it), the global
 * `fields`/`tags`, each input's processors (inside a conditional on its label), the global processors.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import type { PluginRegistry } from '../../plugins/registry.js';
import type { ConfigAst, ConfigSource, PluginNode, StatementNode } from '../logstash/ast.js';
import { Diagnostics } from './diagnostics.js';
import { DEFAULT_RELOAD_PERIOD_MS, matchConfigFiles, signatureOf, type ConfigReload } from './external-files.js';
import { globNameMatcher } from '../../tailing/glob.js';
import { INPUT_LABEL_FIELD, translateInput, type ConfigShape } from './inputs.js';
import { translateOutputs } from './outputs.js';
import { translateProcessors } from './processors.js';
import { booleanOf, configValue, pluginNode, scalarText, setting } from './values.js';
import { duration, loggingSettings, positiveInt, queueSettings, type AgentFileSettings } from './settings.js';
import { entry, readYaml, type YEntry, type YMap, type YNode } from './yaml.js';

export interface TranslateOptions {
  registry: PluginRegistry;
  /** Unknown keys are errors instead of warnings. */
  strict?: boolean;
  env?: NodeJS.ProcessEnv;
  /** --path.data: wins over the file's path.data. */
  dataDir?: string;
  /** Where path.data points when neither the command line nor the file sets it. */
  defaultDataDir: string;
  /** logpipe's version, written to @metadata.version. */
  version: string;
  /**
   * The main file's text as first read. A reload re-reads only the external input files, as
   * Filebeat does (the main file is never reloaded).
   */
  mainText?: string;
}

export interface FilebeatTranslation {
  ast: ConfigAst;
  sources: ConfigSource[];
  settings: AgentFileSettings;
  dataDir: string;
  /** The one registry directory every input shares (for --import-registry). */
  registryDir: string;
  shape: ConfigShape;
  /** `filebeat.config.inputs` with `reload.enabled`: the files to watch. */
  reload?: ConfigReload;
  warnings: ConfigError[];
  /** Problems found while translating; the AST holds everything else, so compiling it finds the rest. */
  errors: ConfigError[];
}

const TOP_LEVEL = ['filebeat', 'output', 'processors', 'queue', 'logging', 'path', 'name', 'tags', 'fields', 'fields_under_root', 'logpipe'];
const UNSUPPORTED_TOP_LEVEL: Readonly<Record<string, string>> = {
  setup: 'there is no Elasticsearch or Kibana set-up', monitoring: 'no monitoring is sent', xpack: 'no monitoring is sent',
  http: 'there is no HTTP stats endpoint', max_procs: 'the agent runs on one thread', seccomp: 'ignored', cloud: 'no Elastic Cloud output',
  migration: 'ignored', keystore: 'use ${VAR} environment variables', instrumentation: 'ignored', features: 'ignored',
  timestamp: 'ignored', 'filebeat.autodiscover': '', name: 'beat.name / agent.name is the host name',
};
const FILEBEAT_KEYS = ['prospectors', 'inputs', 'spool_size', 'idle_timeout', 'shutdown_timeout', 'config_dir', 'registry_file', 'registry', 'config'];
const FILEBEAT_UNSUPPORTED: Readonly<Record<string, string>> = {
  modules: 'modules are not available; configure inputs and a logpipe pipeline instead',
  autodiscover: 'no autodiscover; list the files in inputs',
  publish_async: 'ignored; events are always published as the pipeline takes them',
  registry_flush: 'the registry is written on every acknowledgement',
  overwrite_pipelines: 'there is no Elasticsearch output',
};

export function translateFilebeat(file: string, options: TranslateOptions): FilebeatTranslation {
  const diag = new Diagnostics(options.strict ?? false);
  const sources: ConfigSource[] = [];
  const home = dirname(resolve(file));
  const read = (path: string, from?: SourceLocation): YNode => {
    let text: string;
    try {
      text = path === file && options.mainText !== undefined ? options.mainText : readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read the configuration file ${path}: ${(err as Error).message}`, from,
        from ? undefined : 'give the Filebeat YAML with -c FILE');
    }
    sources.push({ name: path, text });
    return readYaml(path, text, { env: { 'path.home': home, 'path.config': home, ...(options.env ?? process.env) } });
  };
  const root = read(file);
  if (root.kind !== 'map') throw new ConfigError('a Filebeat configuration is a map of settings', root.location);

  const filebeat = mapAt(root, 'filebeat', diag);
  const settings: AgentFileSettings = {};
  const pathData = entry(mapAt(root, 'path', diag) ?? emptyMap(root.location), 'data');
  const dataDir = options.dataDir ?? (pathData ? resolve(home, scalarText(pathData.value) ?? '') : options.defaultDataDir);

  // 6.0–6.2 name the external files `filebeat.config.prospectors`: also the 5.x/6.x shape.
  const configSection = filebeat && entry(filebeat, 'config');
  const legacyFiles = configSection?.value.kind === 'map' && entry(configSection.value, 'prospectors') !== undefined;
  const shape: ConfigShape = filebeat && (entry(filebeat, 'prospectors') || legacyFiles) && !entry(filebeat, 'inputs') ? 'legacy' : 'ecs';
  let layout: 'ecs' | 'legacy' = shape;
  const layoutEntry = entry(mapAt(root, 'logpipe', diag) ?? emptyMap(root.location), 'field_layout');
  if (layoutEntry) {
    const v = scalarText(layoutEntry.value);
    if (v === 'ecs' || v === 'legacy') layout = v;
    else diag.error('logpipe.field_layout must be ecs or legacy', layoutEntry.location);
  }

  // ---- the registry directory every input shares
  let registryDir = join(dataDir, 'registry');
  const registry = filebeat && entry(filebeat, 'registry');
  const registryFile = filebeat && entry(filebeat, 'registry_file');
  if (registry?.value.kind === 'map') {
    for (const r of registry.value.entries) {
      if (r.key === 'path') registryDir = resolve(dataDir, scalarText(r.value) ?? 'registry');
      else diag.unsupported(`filebeat.registry.${r.key}`, r.location, r.key === 'migrate_file' ? 'use --import-registry FILE' : 'the registry is written on every acknowledgement, with 0600 files');
    }
  } else if (registry) {
    // 6.x wrote `filebeat.registry: <file>` in some versions; read it as a path.
    registryDir = resolve(dataDir, scalarText(registry.value) ?? 'registry');
  }
  if (registryFile) {
    // 5.x/6.x name a file; our registry is a directory beside it, and --import-registry reads the file.
    const f = resolve(dataDir, scalarText(registryFile.value) ?? 'registry');
    registryDir = join(dirname(f), `${basename(f)}.logpipe`);
  }

  // ---- inputs
  const inputs: PluginNode[] = [];
  const inputFilters: StatementNode[] = [];
  let label = 0;
  const addInputs = (list: YNode, path: string): void => {
    if (list.kind === 'scalar' && list.value === null) return;
    if (list.kind !== 'seq') {
      diag.error(`${path} must be a list of inputs`, list.location);
      return;
    }
    list.items.forEach((item, i) => {
      const t = translateInput(item, `${path}[${i}]`, String(++label), { diag, registry: options.registry, shape, layout, registryDir });
      if (!t) return;
      inputs.push(t.input);
      inputFilters.push(...t.filters);
    });
  };

  // Inputs of other files come after the main file's, as Filebeat loads them.
  const deferred: (() => void)[] = [];
  let reload: Omit<ConfigReload, 'signature'> | undefined;
  if (filebeat) {
    for (const e of filebeat.entries) {
      const path = `filebeat.${e.key}`;
      switch (e.key) {
        case 'prospectors':
        case 'inputs':
          addInputs(e.value, path);
          break;
        case 'spool_size':
          settings.batchSize = positiveInt(e, path, diag) ?? settings.batchSize;
          break;
        case 'idle_timeout':
          settings.batchDelayMs = duration(e, path, diag) ?? settings.batchDelayMs;
          break;
        case 'shutdown_timeout': {
          const ms = duration(e, path, diag);
          // 0 is Filebeat's "do not wait"; ours waits for acknowledgements unless told a limit.
          if (ms !== undefined && ms > 0) settings.shutdownTimeoutMs = ms;
          break;
        }
        case 'config_dir':
          deferred.push(() => configDirInputs(e, home, diag, read, addInputs));
          break;
        case 'config':
          deferred.push(() => {
            reload = configInputs(e, home, diag, (f, at) => addInputs(read(f, at), f));
          });
          break;
        case 'registry':
        case 'registry_file':
          break;
        default:
          if (e.key in FILEBEAT_UNSUPPORTED) diag.unsupported(path, e.location, FILEBEAT_UNSUPPORTED[e.key]!);
          else diag.unknown(path, e.key, e.location, FILEBEAT_KEYS);
      }
    }
  }

  for (const load of deferred) load();

  // ---- everything else at the top level
  let outputs: PluginNode[] = [];
  const globalFilters: StatementNode[] = [];
  // The global fields and tags: added before any processor runs, as Filebeat adds them first.
  const decorations: StatementNode[] = [];
  let fieldsEntry: YEntry | undefined;
  let underRoot = false;
  for (const e of root.entries) {
    switch (e.key) {
      case 'filebeat':
        break;
      case 'logpipe':
        if (e.value.kind === 'map') {
          for (const l of e.value.entries) if (l.key !== 'field_layout') diag.unknown(`logpipe.${l.key}`, l.key, l.location, ['field_layout']);
        }
        break;
      case 'output':
        outputs = translateOutputs(e, { diag, registry: options.registry });
        break;
      case 'processors':
        globalFilters.push(...translateProcessors(e, 'processors', { diag, registry: options.registry }));
        break;
      case 'queue':
        queueSettings(e, settings, diag);
        break;
      case 'logging':
        loggingSettings(e, settings, diag);
        break;
      case 'path':
        if (e.value.kind === 'map') {
          for (const p of e.value.entries) {
            if (p.key === 'data') continue;
            if (p.key === 'home' || p.key === 'config') diag.unsupported(`path.${p.key}`, p.location, 'relative paths are taken from the directory of the configuration file');
            else if (p.key === 'logs') diag.unsupported('path.logs', p.location, 'logs go to stderr');
            else diag.unknown(`path.${p.key}`, p.key, p.location, ['home', 'config', 'data', 'logs']);
          }
        }
        break;
      case 'fields':
        fieldsEntry = e;
        break;
      case 'fields_under_root':
        underRoot = booleanOf(e.value) ?? false;
        break;
      case 'tags': {
        const tags = configValue(e.value);
        if (tags !== undefined) decorations.push(pluginNode('beats_add_tags', [setting('tags', tags, e.location)], e.location));
        break;
      }
      default:
        if (e.key in UNSUPPORTED_TOP_LEVEL) diag.unsupported(e.key, e.location, UNSUPPORTED_TOP_LEVEL[e.key]!);
        else diag.unknown(e.key, e.key, e.location, TOP_LEVEL);
    }
  }
  if (fieldsEntry) {
    const fields = configValue(fieldsEntry.value);
    if (fields !== undefined) {
      // An input's own fields win over the global ones, as in Filebeat.
      decorations.unshift(pluginNode('beats_add_fields', [setting('fields', fields, fieldsEntry.location), setting('target', underRoot ? '' : 'fields', fieldsEntry.location),
        setting('overwrite', false, fieldsEntry.location)], fieldsEntry.location));
    }
  }

  if (inputs.length === 0 && diag.errors.length === 0) {
    diag.error(shape === 'legacy' ? 'no enabled prospector in filebeat.prospectors' : 'no enabled input in filebeat.inputs', root.location,
      'filebeat.inputs:\n  - type: log\n    paths: [/var/log/app/*.log]');
  }
  if (outputs.length === 0 && diag.errors.length === 0) {
    diag.error('no enabled output', root.location, 'output.logstash: {hosts: ["localhost:5044"]}');
  }

  const at = root.location;
  const metadata = pluginNode('beats_add_fields', [
    setting('target', '@metadata', at),
    setting('fields', { beat: 'filebeat', type: shape === 'legacy' ? 'doc' : '_doc', version: options.version }, at),
  ], at);
  return {
    ast: {
      sources,
      sections: [
        { kind: 'section', type: 'input', body: inputs, location: at },
        { kind: 'section', type: 'filter', body: [metadata, ...decorations, ...inputFilters, ...globalFilters, ...(inputFilters.length > 0 ? [dropInputLabel(at)] : [])], location: at },
        { kind: 'section', type: 'output', body: outputs, location: at },
      ],
    },
    sources,
    settings,
    dataDir,
    registryDir,
    shape,
    ...(reload ? { reload: { ...reload, signature: signatureOf(sources.filter((s) => reloadMatches(reload!, s.name))) } } : {}),
    warnings: diag.warnings,
    errors: diag.errors,
  };
}

/** The input label served its purpose once the processors ran: outputs must not see it. */
function dropInputLabel(at: SourceLocation): PluginNode {
  return pluginNode('mutate', [setting('remove_field', [INPUT_LABEL_FIELD.replace('[input]', '')], at)], at);
}

/** 5.x `filebeat.config_dir`: every *.yml / *.yaml file of the directory, its filebeat.prospectors. */
function configDirInputs(e: YEntry, home: string, diag: Diagnostics, read: (file: string, at: SourceLocation) => YNode,
  addInputs: (list: YNode, path: string) => void): void {
  const dir = resolve(home, scalarText(e.value) ?? '.');
  for (const f of listFiles(join(dir, '*.{yml,yaml}'), e, diag)) {
    const extra = read(f, e.location);
    if (extra.kind !== 'map') continue;
    for (const x of extra.entries) {
      const prospectors = x.key === 'filebeat' && x.value.kind === 'map' ? (entry(x.value, 'prospectors') ?? entry(x.value, 'inputs')) : undefined;
      if (prospectors) addInputs(prospectors.value, `${f}: filebeat.${prospectors.key}`);
      // Filebeat reads only the prospectors of these files.
      else diag.warn(`"${x.key}" in a config_dir file is ignored (only filebeat.prospectors is read there)`, x.location);
    }
  }
}

/**
 * `filebeat.config.inputs` (6.x: `.prospectors`): `path` (a glob; each file is a list of inputs),
 * `enabled`, `reload.enabled` / `reload.period`. `filebeat.config.modules` is accepted while its glob
 * names no file (Filebeat's stock `modules.d/*.yml` with every module `.disabled`); a module file
 * is an error, since logpipe has no modules. Returns the reload settings when reload is on.
 */
function configInputs(e: YEntry, home: string, diag: Diagnostics, load: (file: string, at: SourceLocation) => void): Omit<ConfigReload, 'signature'> | undefined {
  if (e.value.kind !== 'map') return undefined;
  let reload: Omit<ConfigReload, 'signature'> | undefined;
  for (const c of e.value.entries) {
    if (c.key !== 'inputs' && c.key !== 'prospectors' && c.key !== 'modules') {
      diag.unknown(`filebeat.config.${c.key}`, c.key, c.location, ['inputs', 'modules']);
      continue;
    }
    if (c.value.kind !== 'map') continue;
    const path = `filebeat.config.${c.key}`;
    const enabled = entry(c.value, 'enabled');
    if (enabled && booleanOf(enabled.value) === false) continue;
    let glob: string | undefined;
    let reloadOn = false;
    let periodMs = DEFAULT_RELOAD_PERIOD_MS;
    for (const i of c.value.entries) {
      if (i.key === 'path') glob = resolve(home, scalarText(i.value) ?? '');
      else if (i.key === 'reload' && i.value.kind === 'map') {
        for (const r of i.value.entries) {
          if (r.key === 'enabled') reloadOn = booleanOf(r.value) ?? false;
          else if (r.key === 'period') periodMs = duration(r, `${path}.reload.period`, diag) ?? periodMs;
          else diag.unknown(`${path}.reload.${r.key}`, r.key, r.location, ['enabled', 'period']);
        }
      } else if (i.key !== 'enabled' && i.key !== 'reload') diag.unknown(`${path}.${i.key}`, i.key, i.location, ['path', 'enabled', 'reload']);
    }
    if (glob === undefined) continue;
    const pathEntry = entry(c.value, 'path')!;
    const files = listFiles(glob, pathEntry, diag);
    if (c.key === 'modules') {
      for (const f of files) {
        diag.error(`${path}.path names the module file ${f}: Filebeat modules are not available in logpipe`, pathEntry.location,
          'configure the module\'s log files as a log or filestream input (their parsing goes in a logpipe pipeline), and disable the module (rename the file to *.yml.disabled)');
      }
      continue;
    }
    for (const f of files) load(f, pathEntry.location);
    if (reloadOn) reload = { glob, periodMs };
  }
  return reload;
}

function listFiles(glob: string, e: YEntry, diag: Diagnostics): string[] {
  try {
    return matchConfigFiles(glob);
  } catch (err) {
    diag.error(`cannot read the directory ${dirname(glob)}: ${(err as Error).message}`, e.location);
    return [];
  }
}

function reloadMatches(reload: Omit<ConfigReload, 'signature'>, file: string): boolean {
  return dirname(file) === dirname(reload.glob) && globNameMatcher(basename(reload.glob))(basename(file));
}

function mapAt(map: YMap, key: string, diag: Diagnostics): YMap | undefined {
  const e = entry(map, key);
  if (!e) return undefined;
  if (e.value.kind === 'map') return e.value;
  if (!(e.value.kind === 'scalar' && e.value.value === null)) diag.error(`${key} must be a map of settings`, e.location);
  return undefined;
}

function emptyMap(location: SourceLocation): YMap {
  return { kind: 'map', entries: [], location };
}
