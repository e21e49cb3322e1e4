/** The pipeline settings a Filebeat file sets: batching (spool, queue.mem), logging, and the value checks they share. */
import type { LogLevel } from '../../core/logger.js';
import { parseDuration } from '../schema.js';
import type { Diagnostics } from './diagnostics.js';
import { configValue, scalarText } from './values.js';
import type { YEntry } from './yaml.js';

/** Pipeline settings the file sets; unset ones keep the agent's defaults. */
export interface AgentFileSettings {
  batchSize?: number;
  batchDelayMs?: number;
  queueMaxEvents?: number;
  /** filebeat.shutdown_timeout in ms; unset: wait for every outstanding acknowledgement. */
  shutdownTimeoutMs?: number;
  logLevel?: LogLevel;
}

const LOG_LEVELS: Readonly<Record<string, LogLevel>> = { debug: 'debug', info: 'info', warning: 'warn', warn: 'warn', error: 'error', critical: 'fatal' };

export function queueSettings(e: YEntry, settings: AgentFileSettings, diag: Diagnostics): void {
  if (e.value.kind !== 'map') return;
  for (const q of e.value.entries) {
    if (q.key !== 'mem') {
      diag.unsupported(`queue.${q.key}`, q.location, 'the agent keeps its queue in memory (queue.mem); the registry makes it safe across restarts');
      continue;
    }
    if (q.value.kind !== 'map') continue;
    for (const m of q.value.entries) {
      const path = `queue.mem.${m.key}`;
      if (m.key === 'events') settings.queueMaxEvents = positiveInt(m, path, diag) ?? settings.queueMaxEvents;
      else if (m.key === 'flush' && m.value.kind === 'map') {
        for (const f of m.value.entries) {
          if (f.key === 'min_events') settings.batchSize = positiveInt(f, `${path}.min_events`, diag) ?? settings.batchSize;
          else if (f.key === 'timeout') settings.batchDelayMs = duration(f, `${path}.timeout`, diag) ?? settings.batchDelayMs;
          else diag.unknown(`${path}.${f.key}`, f.key, f.location, ['min_events', 'timeout']);
        }
      } else diag.unknown(path, m.key, m.location, ['events', 'flush']);
    }
  }
}

export function loggingSettings(e: YEntry, settings: AgentFileSettings, diag: Diagnostics): void {
  if (e.value.kind !== 'map') return;
  for (const l of e.value.entries) {
    const path = `logging.${l.key}`;
    if (l.key === 'level') {
      const level = LOG_LEVELS[scalarText(l.value) ?? ''];
      if (level) settings.logLevel = level;
      else diag.error(`${path} must be debug, info, warning, error or critical`, l.location);
    } else if (l.key === 'to_stderr') continue;
    else if (['to_files', 'files', 'to_syslog', 'to_eventlog', 'json', 'selectors', 'metrics', 'ecs'].includes(l.key)) {
      diag.unsupported(path, l.location, 'the agent logs to stderr (run it under systemd or redirect it)');
    } else diag.unknown(path, l.key, l.location, ['level', 'to_stderr', 'to_files', 'files', 'to_syslog', 'json', 'selectors', 'metrics']);
  }
}

export function positiveInt(e: YEntry, path: string, diag: Diagnostics): number | undefined {
  const n = Number(scalarText(e.value));
  if (Number.isInteger(n) && n > 0) return n;
  diag.error(`${path} must be a positive integer`, e.location);
  return undefined;
}

export function duration(e: YEntry, path: string, diag: Diagnostics): number | undefined {
  try {
    return parseDuration(configValue(e.value));
  } catch (err) {
    diag.error(`${path}: ${(err as Error).message}`, e.location);
    return undefined;
  }
}
