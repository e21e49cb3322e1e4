/**
 * The agent's run loop, with Filebeat's live reloading of `filebeat.config.inputs` files
 * (`reload.enabled`, checked every `reload.period`). When the files named by the glob change (one
 * added, removed or edited) and the inputs they define differ, the running pipeline is stopped
 * gracefully — reading stops, every event in flight is acknowledged and its offset written to the
 * registry — and a pipeline of the new inputs starts. A changed input therefore resumes from the
 * registry (nothing re-shipped); a removed input's harvesters stop and its registry entries stay,
 * so adding it back resumes where it left off. The main file is not re-read (Filebeat never
 * reloads it). A file that does not translate is logged and the running inputs are kept.
 *
 * Unlike Filebeat, which restarts only the inputs whose configuration changed, every input
 * restarts at a reload (each resumes from the registry). The pipeline's graph is compiled once;
 * replacing it whole keeps one code path for every pipeline.
 */
import type { Logger } from '../core/logger.js';
import type { ConfigAst } from '../config/logstash/ast.js';
import { currentSignature, type ConfigReload } from '../config/filebeat/external-files.js';
import type { LoadedFilebeatConfig } from '../config/filebeat/load.js';
import { PipelineManager } from '../pipeline/manager.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { PipelineSettings } from '../pipeline/settings.js';

export interface AgentRun {
  config: LoadedFilebeatConfig;
  settings: PipelineSettings;
  logger: Logger;
  /** The plugins the configuration was compiled with; every restarted pipeline builds from it. */
  registry: PluginRegistry;
  /** Translates the configuration again with the external files as they are now; throws ConfigError. */
  reload: () => LoadedFilebeatConfig;
}

/** Runs until a signal (or the pipeline ending); resolves with the exit code. */
export async function runAgent(run: AgentRun): Promise<number> {
  let config = run.config;
  let signalled = false;
  let manager: PipelineManager | undefined;
  let watcher: FilesWatcher | undefined;
  // The manager handles the signals while a pipeline runs; this one makes sure a signal arriving
  // during a reload is not followed by a restart.
  const onSignal = (): void => {
    signalled = true;
    watcher?.stop();
    void manager?.stopAll();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (;;) {
      const current = new PipelineManager(run.logger, run.registry);
      manager = current;
      let next: LoadedFilebeatConfig | undefined;
      const reload = config.reload;
      if (reload && !signalled) {
        const running = config;
        watcher = new FilesWatcher(reload, () => {
          next = changedConfig(run, running, reload);
          if (!next) return;
          watcher?.stop();
          void current.stopAll();
        });
      }
      const code = await current.run([{ config: { graph: config.graph, sources: config.sources }, settings: run.settings }], { handleSignals: true })
        .finally(() => watcher?.stop());
      if (!next || signalled || code !== 0) return code;
      config = next;
      run.logger.info('filebeat.config.inputs reloaded: pipeline restarted with the new inputs (offsets resume from the registry)', {
        inputs: config.graph.inputs.map((i) => i.id),
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The new configuration when the inputs it defines differ from the running ones; else undefined (errors logged). */
function changedConfig(run: AgentRun, running: LoadedFilebeatConfig, reload: ConfigReload): LoadedFilebeatConfig | undefined {
  let candidate: LoadedFilebeatConfig;
  try {
    candidate = run.reload();
  } catch (err) {
    run.logger.error(`filebeat.config.inputs reload failed; the running inputs are kept\n${(err as Error).message}`, { path: reload.glob });
    return undefined;
  }
  const mainFile = running.sources[0]?.name;
  for (const w of candidate.warnings) if (w.location?.file !== mainFile) run.logger.warn(w.message);
  if (meaning(candidate.ast) === meaning(running.ast)) {
    run.logger.debug('filebeat.config.inputs files changed, their inputs did not (comments, layout)', { path: reload.glob });
    return undefined;
  }
  return candidate;
}

/** The AST without source positions: a moved line or a new comment is not a change of inputs. */
function meaning(ast: ConfigAst): string {
  return JSON.stringify(ast.sections, (key, value: unknown) => (key === 'location' ? undefined : value));
}

/** Compares the files' signature every reload.period; calls back once per change. */
class FilesWatcher {
  private signature: string;
  private readonly timer: NodeJS.Timeout;

  constructor(reload: ConfigReload, onChange: () => void) {
    this.signature = reload.signature;
    this.timer = setInterval(() => {
      const now = currentSignature(reload.glob);
      if (now === this.signature) return;
      // A change that fails to translate is not retried until the files change again.
      this.signature = now;
      onChange();
    }, reload.periodMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
