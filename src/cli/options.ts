/** Command-line flags shared by `run` and `check`, mapped onto PipelineSettings. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isLogLevel } from '../core/logger.js';
import { parseBytes } from '../config/schema.js';
import { defaultSettings, type PipelineSettings } from '../pipeline/settings.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const PIPELINE_FLAGS = {
  'path.config': { type: 'string', short: 'f' },
  'config.string': { type: 'string', short: 'e' },
  'pipeline.id': { type: 'string' },
  'pipeline.workers': { type: 'string', short: 'w' },
  'pipeline.batch.size': { type: 'string', short: 'b' },
  'pipeline.batch.delay': { type: 'string', short: 'u' },
  'pipeline.ordered': { type: 'string' },
  'pipeline.ecs_compatibility': { type: 'string' },
  'pipeline.shutdown_timeout': { type: 'string' },
  'pipeline.output.concurrency': { type: 'string' },
  'failed_events.path': { type: 'string' },
  'queue.max_events': { type: 'string' },
  'queue.max_bytes': { type: 'string' },
  'config.support_escapes': { type: 'boolean' },
  'config.test_and_exit': { type: 'boolean', short: 't' },
  'path.data': { type: 'string' },
  'log.level': { type: 'string' },
  'no-threads': { type: 'boolean' },
  'syntax-only': { type: 'boolean' },
  strict: { type: 'boolean' },
  'logstash-strict': { type: 'boolean' },
  fragment: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** parseArgs for a command's own flags: a bad flag is a UsageError (shown with the help hint). */
export function parseCommandLine<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export type PipelineFlags = ReturnType<typeof parsePipelineFlags>['values'];

export function parsePipelineFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: PIPELINE_FLAGS, allowPositionals: false, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

function nonNegative(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number >= 0, got "${value}"`);
  return n;
}

export function settingsFromFlags(flags: PipelineFlags): PipelineSettings {
  const s = defaultSettings();
  if (flags['pipeline.id']) s.id = flags['pipeline.id'];
  if (flags['pipeline.workers']) s.workers = positiveInt('pipeline.workers', flags['pipeline.workers']);
  if (flags['pipeline.batch.size']) s.batchSize = positiveInt('pipeline.batch.size', flags['pipeline.batch.size']);
  if (flags['pipeline.batch.delay']) s.batchDelayMs = nonNegative('pipeline.batch.delay', flags['pipeline.batch.delay']);
  if (flags['pipeline.shutdown_timeout']) s.shutdownTimeoutMs = nonNegative('pipeline.shutdown_timeout', flags['pipeline.shutdown_timeout']) * 1000;
  if (flags['pipeline.output.concurrency']) s.outputConcurrency = positiveInt('pipeline.output.concurrency', flags['pipeline.output.concurrency']);
  if (flags['failed_events.path']) s.failedEventsPath = flags['failed_events.path'];
  if (flags['queue.max_events']) s.queueMaxEvents = positiveInt('queue.max_events', flags['queue.max_events']);
  if (flags['queue.max_bytes']) {
    try {
      s.queueMaxBytes = parseBytes(flags['queue.max_bytes']);
    } catch (err) {
      throw new UsageError(`--queue.max_bytes: ${(err as Error).message}`);
    }
  }
  const ordered = flags['pipeline.ordered'];
  if (ordered !== undefined) {
    if (ordered !== 'auto' && ordered !== 'true' && ordered !== 'false') throw new UsageError('--pipeline.ordered must be auto, true or false');
    s.ordered = ordered;
  }
  const ecs = flags['pipeline.ecs_compatibility'];
  if (ecs !== undefined) {
    if (ecs !== 'disabled' && ecs !== 'v1' && ecs !== 'v8') throw new UsageError('--pipeline.ecs_compatibility must be disabled, v1 or v8');
    s.ecs = ecs;
  }
  const level = flags['log.level'];
  if (level !== undefined) {
    if (!isLogLevel(level)) throw new UsageError(`--log.level must be one of trace, debug, info, warn, error, fatal`);
    s.logLevel = level;
  }
  if (flags['config.support_escapes']) s.supportEscapes = true;
  if (flags['path.data']) s.dataDir = flags['path.data'];
  if (flags['no-threads']) s.threads = false;
  return s;
}

export const PIPELINE_FLAGS_HELP = `
  -f, --path.config PATH         Config file, directory (files in alphabetical order) or glob
  -e, --config.string STRING     Config text; a missing input defaults to stdin, a missing output to stdout
  -w, --pipeline.workers N       Worker threads running filters and outputs (default: CPU cores)
  -b, --pipeline.batch.size N    Most events per batch (default 125)
  -u, --pipeline.batch.delay MS  Wait for a batch to fill (default 50)
      --pipeline.ordered auto|true|false   Keep event order (true needs 1 worker; auto: ordered with 1 worker)
      --pipeline.ecs_compatibility disabled|v1|v8   Default field naming of plugins (default disabled)
      --pipeline.shutdown_timeout SECONDS  Drain time after a stop signal (default 60); inputs that
                                 end by themselves let the pipeline drain however long it takes
      --pipeline.output.concurrency N  Writes each output may have in flight (default 1: in order)
      --failed_events.path FILE  Append events an output failed for good here, as JSON lines
                                 (they are always logged and counted)
      --queue.max_events N       Events waiting for a worker before inputs block (default max(4096, workers*batch*4))
      --queue.max_bytes SIZE     Bytes waiting for a worker before inputs block (default 64mb)
      --config.support_escapes   Interpret \\n, \\t, \\" ... in quoted strings
      --path.data DIR            State that must survive restarts, locked to one process
                                 (default: data/ in logpipe's install directory)
      --log.level LEVEL          trace, debug, info, warn, error, fatal (default info)
      --no-threads               Run workers on the main thread (debugging)
  -h, --help                     This help`;
