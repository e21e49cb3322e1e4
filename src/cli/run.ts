/** `logpipe run`: start a pipeline and run it until its inputs end or a stop signal arrives. */
import { createLogger } from '../core/logger.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { configSourcesFrom } from './config-sources.js';
import { checkCommand } from './check.js';
import { parsePipelineFlags, PIPELINE_FLAGS_HELP, settingsFromFlags } from './options.js';

export const RUN_HELP = `Usage: logpipe run (-f PATH | -e CONFIG) [options]

Runs a Logstash-compatible pipeline until its inputs are exhausted or it receives
SIGINT/SIGTERM (graceful: inputs stop, in-flight events drain through the
outputs and are acknowledged). A second signal forces an immediate exit.
${PIPELINE_FLAGS_HELP}
  -t, --config.test_and_exit     Validate the configuration and exit (same as logpipe check)`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values: flags } = parsePipelineFlags(argv);
  if (flags.help) {
    process.stdout.write(RUN_HELP + '\n');
    return 0;
  }
  if (flags['config.test_and_exit']) return checkCommand(argv.filter((a) => a !== '-t' && a !== '--config.test_and_exit'));
  const settings = settingsFromFlags(flags);
  const logger = createLogger(settings.logLevel, 'logpipe');
  const sources = await configSourcesFrom(flags, settings.supportEscapes);
  const pipeline = new Pipeline(sources, settings, logger);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      logger.info(`received ${signal}; stopping gracefully (send it again to force)`);
      void pipeline.stop();
    } else {
      logger.warn(`received ${signal} again; forcing exit, in-flight events are not acknowledged`);
      void pipeline.forceStop().finally(() => process.exit(1));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await pipeline.start();
    const outcome = await pipeline.run();
    return outcome === 'drained' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
