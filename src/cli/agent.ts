/**
 * `logpipe agent -c filebeat.yml`: the agent role, shaped like `filebeat -c`. The YAML is
 * translated to a pipeline graph and run by the same pipeline manager as `logpipe run`, with a
 * light footprint: one worker on the main thread (no worker threads), small batches.
 *
 * Shutdown: at SIGTERM the agent stops reading and waits for every outstanding acknowledgement
 * (filebeat.shutdown_timeout sets a limit), so the registry holds every shipped line and a restart
 * re-ships nothing. Filebeat's default (shutdown_timeout 0) exits at once, and whatever was sent
 * but not yet acknowledged is sent again after the restart.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/errors.js';
import { createLogger, isLogLevel, type Logger } from '../core/logger.js';
import { loadFilebeatConfig, type LoadedFilebeatConfig } from '../config/filebeat/load.js';
import { serializeGraph } from '../config/serialize.js';
import { agentRegistry } from '../plugins/agent-plugins.js';
import { DataDirLock } from '../pipeline/data-dir.js';
import { DEFAULT_DATA_DIR, defaultSettings, type PipelineSettings } from '../pipeline/settings.js';
import { WorkerCore } from '../pipeline/worker-core.js';
import { importFilebeatRegistry } from '../tailing/registry/import-filebeat.js';
import { runAgent } from './agent-reload.js';
import { UsageError } from './options.js';
import { capYoungGeneration } from './young-generation.js';
import { version } from './main.js';

export const AGENT_HELP = `Usage: logpipe agent -c filebeat.yml [options]

Runs the agent role from a Filebeat configuration (5.x/6.x filebeat.prospectors or
7.x/8.x filebeat.inputs): tails the files, applies the processors, ships to the
outputs, and records how far each file was read once the outputs acknowledged it.
SIGINT/SIGTERM: stop reading, wait for outstanding acknowledgements (at most
filebeat.shutdown_timeout when set), exit. A second signal forces an immediate exit.

  -c, --config FILE          The Filebeat YAML file (default filebeat.yml)
      --check                Validate the configuration and exit (0, or every error with file:line:column)
      --strict               Unknown settings are errors (default: warnings)
      --import-registry PATH Before starting, take over a Filebeat registry (5.x/6.x registry file,
                             or the 7.x/8.x registry directory) so nothing is re-shipped or skipped
      --path.data DIR        State that must survive restarts (registry), locked to one process
                             (default: path.data of the file, else data/ in logpipe's install directory)
      --log.level LEVEL      trace, debug, info, warn, error, fatal (default: logging.level, else info)
  -e                         Log to stderr (accepted for Filebeat's command line; the agent always does)
  -h, --help                 This help`;

const AGENT_FLAGS = {
  config: { type: 'string', short: 'c' },
  check: { type: 'boolean' },
  strict: { type: 'boolean' },
  'import-registry': { type: 'string' },
  'path.data': { type: 'string' },
  'log.level': { type: 'string' },
  e: { type: 'boolean', short: 'e' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The agent's pipeline defaults: the host that writes the logs should barely notice the agent. */
export const AGENT_BATCH_SIZE = 256;
/**
 * Batches when the path is fused (plain files straight to the Beats output, no Events): a window
 * per batch, and a 1024-event window costs the wire side (deflate, write, ACK) about what a
 * 256-event one does; measured 0.7–0.85× the CPU and 1.3–1.5× the MiB/s (docs/decisions/0026).
 */
export const AGENT_FUSED_BATCH_SIZE = 1024;
export const AGENT_BATCH_DELAY_MS = 50;
/** Bytes read but not yet through the processors; the pipeline's 64 MiB would be most of the agent's memory. */
export const AGENT_QUEUE_MAX_BYTES = 4 * 1024 * 1024;

export async function agentCommand(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({ args: argv, options: AGENT_FLAGS, allowPositionals: false, strict: true }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (flags.help) {
    process.stdout.write(AGENT_HELP + '\n');
    return 0;
  }
  capYoungGeneration();
  const levelFlag = flags['log.level'];
  if (levelFlag !== undefined && !isLogLevel(levelFlag)) throw new UsageError('--log.level must be one of trace, debug, info, warn, error, fatal');
  const file = flags.config ?? 'filebeat.yml';
  const bootLogger = createLogger(levelFlag ?? 'info', 'agent');
  const registry = await agentRegistry(readConfigText(file));
  const loadOptions = {
    registry,
    strict: flags.strict ?? false,
    ...(flags['path.data'] ? { dataDir: flags['path.data'] } : {}),
    defaultDataDir: DEFAULT_DATA_DIR,
    version: version(),
    logger: bootLogger,
  };
  const config = loadFilebeatConfig(file, loadOptions);
  for (const w of config.warnings) bootLogger.warn(w.message);
  const settings = agentSettings(config, levelFlag);
  const logger = createLogger(settings.logLevel, 'agent');

  if (flags.check) {
    // Build every plugin as it will run (patterns, tokenizers, conditions), then stop.
    const core = await WorkerCore.create({ graph: serializeGraph(config.graph), sources: config.sources, settings, workerIndex: 0 }, registry, logger);
    await core.close();
    process.stdout.write(`Configuration OK (${config.shape === 'legacy' ? 'Filebeat 5.x/6.x' : 'Filebeat 7.x/8.x'} shape; ${config.graph.inputs.length} inputs, ${config.graph.filterList.length} processors, ${config.graph.outputList.length} outputs)\n`);
    return 0;
  }
  const source = flags['import-registry'];
  if (source !== undefined) await importRegistry(source, config, settings, logger);
  logger.info('agent starting', { config: file, shape: config.shape, 'path.data': settings.dataDir, registry: config.registryDir,
    ...(config.reload ? { reload: config.reload.glob } : {}) });
  // A reload translates the same main text again with the external input files as they are then.
  const mainText = config.sources[0]!.text;
  return runAgent({ config, settings, logger, registry: loadOptions.registry, reload: () => loadFilebeatConfig(file, { ...loadOptions, logger, mainText }) });
}

/** The file's text for choosing plugins; unreadable is reported by the loader, with its reasons. */
function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function agentSettings(config: LoadedFilebeatConfig, levelFlag?: string): PipelineSettings {
  const s = defaultSettings();
  const f = config.settings;
  s.id = 'agent';
  s.workers = 1;
  s.threads = false;
  s.batchSize = f.batchSize ?? AGENT_BATCH_SIZE;
  // queue.mem.flush.min_events, when given, holds for both paths.
  s.fusedBatchSize = f.batchSize ?? AGENT_FUSED_BATCH_SIZE;
  s.batchDelayMs = f.batchDelayMs ?? AGENT_BATCH_DELAY_MS;
  if (f.queueMaxEvents !== undefined) s.queueMaxEvents = f.queueMaxEvents;
  s.queueMaxBytes = AGENT_QUEUE_MAX_BYTES;
  // No limit unless the file sets one: wait for every acknowledgement (see the file comment).
  s.shutdownTimeoutMs = f.shutdownTimeoutMs ?? Number.POSITIVE_INFINITY;
  s.dataDir = config.dataDir;
  s.logLevel = levelFlag !== undefined && isLogLevel(levelFlag) ? levelFlag : f.logLevel ?? 'info';
  return s;
}

async function importRegistry(source: string, config: LoadedFilebeatConfig, settings: PipelineSettings, logger: Logger): Promise<void> {
  // Hold the data directory while writing into it, so a running agent cannot be corrupted.
  const lock = DataDirLock.acquire(settings.dataDir);
  try {
    const report = await importFilebeatRegistry(source, config.registryDir);
    for (const s of report.skipped) logger.warn(`--import-registry: ${s.path} not taken over: ${s.reason}`);
    logger.info(`--import-registry: took over ${report.imported.length} file(s) from the Filebeat ${report.format} registry`, { source, registry: report.registryFile });
  } catch (err) {
    throw new ConfigError(`--import-registry ${source}: ${(err as Error).message}`);
  } finally {
    lock.release();
  }
}
