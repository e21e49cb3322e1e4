/** logpipe command-line entry: dispatches to one file per command. */
import { readFileSync } from 'node:fs';
import { ConfigError, LogpipeError } from '../core/errors.js';
import { enableLinearFallback } from '../core/regexp-engine.js';
import { checkCommand, CHECK_HELP } from './check.js';
import { UsageError } from './options.js';
import { runCommand, RUN_HELP } from './run.js';
import { pluginsCommand, PLUGINS_HELP } from './plugins.js';
import { grokCommand, GROK_HELP } from './grok.js';
import { agentCommand, AGENT_HELP } from './agent.js';
import { testCommand, TEST_HELP } from './test.js';
import { tapCommand, TAP_HELP } from './tap.js';
import { scaffoldCommand, SCAFFOLD_HELP } from './scaffold.js';
import { ruby2jsCommand, RUBY2JS_HELP } from './ruby2js.js';

const HELP = `Usage: logpipe <command> [options]

Commands:
  run     Run a pipeline (Logstash .conf syntax)      logpipe run -f pipeline.conf
  agent   Run the agent from a Filebeat YAML file     logpipe agent -c filebeat.yml
  check   Validate a configuration and exit           logpipe check -f pipeline.conf
  plugins List plugins and their options              logpipe plugins grok
  grok    Try a grok pattern on sample lines          logpipe grok '%{COMBINEDAPACHELOG}' < access.log
  test    Run pipeline unit tests (LFV test cases)    logpipe test tests/ pipeline.conf
  tap     Show events passing a plugin of a running pipeline   logpipe tap my_grok --limit 5
  scaffold  Infer a starting pipeline from sample lines   logpipe scaffold access.log
  ruby2js Show a js filter translation of ruby filters    logpipe ruby2js -f pipeline.conf
  help    Show help for a command                     logpipe help run

Logstash-style invocations also work: logpipe -f x.conf, logpipe -e '...', logpipe -t -f x.conf.

Options:
  -V, --version   Print the version
  -h, --help      This help`;

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  // Before any regexp from the configuration is compiled, in this thread or a worker.
  enableLinearFallback();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'check':
        return await checkCommand(rest);
      case 'agent':
        return await agentCommand(rest);
      case 'plugins':
        return await pluginsCommand(rest);
      case 'grok':
        return await grokCommand(rest);
      case 'test':
        return await testCommand(rest);
      case 'tap':
        return await tapCommand(rest);
      case 'scaffold':
        return await scaffoldCommand(rest);
      case 'ruby2js':
        return await ruby2jsCommand(rest);
      case 'help':
        process.stdout.write(({ run: RUN_HELP, agent: AGENT_HELP, check: CHECK_HELP, plugins: PLUGINS_HELP, grok: GROK_HELP, test: TEST_HELP, tap: TAP_HELP, scaffold: SCAFFOLD_HELP, ruby2js: RUBY2JS_HELP } as Record<string, string>)[rest[0] ?? ''] ?? HELP);
        process.stdout.write('\n');
        return 0;
      case '-V':
      case '--version':
      case 'version':
        process.stdout.write(`logpipe ${version()}\n`);
        return 0;
      case undefined:
      case '-h':
      case '--help':
        process.stdout.write(HELP + '\n');
        return command === undefined ? 1 : 0;
      default:
        if (command.startsWith('-')) return await runCommand(argv); // Logstash style: logpipe -f x.conf
        process.stderr.write(`logpipe: unknown command "${command}"\n\n${HELP}\n`);
        return 1;
    }
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`logpipe: ${err.message} (see logpipe --help)\n`);
  } else if (err instanceof ConfigError || err instanceof LogpipeError) {
    process.stderr.write(`logpipe: configuration error:\n${err.message}\n`);
  } else {
    process.stderr.write(`logpipe: ${(err as Error).stack ?? String(err)}\n`);
  }
  return 1;
}
