/** logpipe command-line entry: dispatches to one file per command. */
import { readFileSync } from 'node:fs';
import { ConfigError, LogpipeError } from '../core/errors.js';
import { enableLinearFallback } from '../core/regexp-engine.js';
import { UsageError } from './options.js';

/**
 * Each command's module is imported when it runs: most of them import every built-in plugin,
 * which the agent (its own, smaller set) must not pay for in memory and start-up time.
 */
const COMMANDS = {
  run: async () => { const m = await import('./run.js'); return { run: m.runCommand, help: m.RUN_HELP }; },
  agent: async () => { const m = await import('./agent.js'); return { run: m.agentCommand, help: m.AGENT_HELP }; },
  check: async () => { const m = await import('./check.js'); return { run: m.checkCommand, help: m.CHECK_HELP }; },
  plugins: async () => { const m = await import('./plugins.js'); return { run: m.pluginsCommand, help: m.PLUGINS_HELP }; },
  grok: async () => { const m = await import('./grok.js'); return { run: m.grokCommand, help: m.GROK_HELP }; },
  test: async () => { const m = await import('./test.js'); return { run: m.testCommand, help: m.TEST_HELP }; },
  tap: async () => { const m = await import('./tap.js'); return { run: m.tapCommand, help: m.TAP_HELP }; },
  scaffold: async () => { const m = await import('./scaffold.js'); return { run: m.scaffoldCommand, help: m.SCAFFOLD_HELP }; },
  ruby2js: async () => { const m = await import('./ruby2js.js'); return { run: m.ruby2jsCommand, help: m.RUBY2JS_HELP }; },
} satisfies Record<string, () => Promise<{ run: (argv: string[]) => Promise<number>; help: string }>>;

const isCommand = (name: string): name is keyof typeof COMMANDS => Object.prototype.hasOwnProperty.call(COMMANDS, name);

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
      case 'help': {
        const topic = rest[0] ?? '';
        process.stdout.write(isCommand(topic) ? (await COMMANDS[topic]()).help : HELP);
        process.stdout.write('\n');
        return 0;
      }
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
        if (isCommand(command)) return await (await COMMANDS[command]()).run(rest);
        if (command.startsWith('-')) return await (await COMMANDS.run()).run(argv); // Logstash style: logpipe -f x.conf
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
