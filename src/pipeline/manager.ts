/**
 * The process level: owns the data directory (locked, so two processes cannot share it), the
 * signal handlers, and every pipeline of the process. The CLI's `run` hands it one pipeline;
 * pipelines.yml and reload will hand it several.
 */
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { loadBuiltinRegistry } from '../plugins/builtin-registry-loader.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { DataDirLock } from './data-dir.js';
import { Pipeline, type CompiledPipeline, type ShutdownOutcome } from './pipeline.js';
import type { ConfigSource } from '../config/logstash/ast.js';
import type { PipelineSettings } from './settings.js';

export interface PipelineSpec {
  config: ConfigSource[] | CompiledPipeline;
  settings: PipelineSettings;
}

export class PipelineManager {
  private readonly pipelines = new Map<string, Pipeline>();
  private readonly locks: DataDirLock[] = [];
  private signals = 0;
  private readonly onSignal = (signal: NodeJS.Signals): void => this.signal(signal);

  /** `registry`: the built-in one when not given (imported only then). */
  constructor(private readonly logger: Logger, private readonly registry?: PluginRegistry) {}

  /**
   * Starts every pipeline and runs them until they end or a signal stops them. Resolves with
   * the process exit code: 0 when every pipeline drained, 1 otherwise. Throws ConfigError
   * (nothing started) on a bad configuration.
   */
  async run(specs: PipelineSpec[], options: { handleSignals?: boolean } = {}): Promise<number> {
    const handleSignals = options.handleSignals ?? true;
    try {
      this.lockDataDirs(specs);
      const registry = this.registry ?? await loadBuiltinRegistry();
      for (const spec of specs) {
        if (this.pipelines.has(spec.settings.id)) throw new ConfigError(`two pipelines have the id "${spec.settings.id}"`, undefined, 'give each pipeline its own pipeline.id');
        this.pipelines.set(spec.settings.id, new Pipeline(spec.config, spec.settings, this.logger.child(spec.settings.id), registry));
      }
      if (handleSignals) {
        process.on('SIGINT', this.onSignal);
        process.on('SIGTERM', this.onSignal);
      }
      const started: Pipeline[] = [];
      try {
        for (const p of this.pipelines.values()) {
          await p.start();
          started.push(p);
        }
      } catch (err) {
        await Promise.all(started.map(async (p) => {
          await p.forceStop();
          await p.run();
        }));
        throw err;
      }
      const outcomes: ShutdownOutcome[] = await Promise.all([...this.pipelines.values()].map((p) => p.run()));
      return outcomes.every((o) => o === 'drained') ? 0 : 1;
    } finally {
      if (handleSignals) {
        process.off('SIGINT', this.onSignal);
        process.off('SIGTERM', this.onSignal);
      }
      for (const lock of this.locks.splice(0)) lock.release();
    }
  }

  /** Graceful stop of every pipeline. */
  stopAll(): Promise<void> {
    return Promise.all([...this.pipelines.values()].map((p) => p.stop())).then(() => {});
  }

  private signal(signal: NodeJS.Signals): void {
    this.signals++;
    if (this.signals === 1) {
      this.logger.info(`received ${signal}; stopping gracefully (send it again to force)`);
      void this.stopAll();
      return;
    }
    this.logger.warn(`received ${signal} again; forcing exit, in-flight events are not acknowledged`);
    void Promise.all([...this.pipelines.values()].map((p) => p.forceStop())).finally(() => {
      for (const lock of this.locks.splice(0)) lock.release();
      process.exit(1);
    });
  }

  private lockDataDirs(specs: PipelineSpec[]): void {
    for (const dir of new Set(specs.map((s) => s.settings.dataDir))) this.locks.push(DataDirLock.acquire(dir));
  }
}
