/** `logpipe run`: start a pipeline and run it until its inputs end or a stop signal arrives. */
import { createLogger } from '../core/logger.js';
import { PipelineManager } from '../pipeline/manager.js';
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
  return new PipelineManager(logger).run([{ config: sources, settings }]);
}
