/** `logpipe check`: parse, compile and validate a configuration; exit 0 or 1. */
import { formatLocation } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { loadGraph, parseSources } from '../config/load.js';
import { builtinRegistry } from '../plugins/builtins.js';
import { serializeGraph } from '../config/serialize.js';
import { WorkerCore } from '../pipeline/worker-core.js';
import { configSourcesFrom } from './config-sources.js';
import { parsePipelineFlags, settingsFromFlags } from './options.js';

export const CHECK_HELP = `Usage: logpipe check (-f PATH | -e CONFIG) [--syntax-only] [--config.support_escapes]

Parses and validates a configuration without starting anything: syntax, plugin
names, option names, types and values, and everything a plugin checks when it is
built (grok patterns, date formats, dictionary files, databases). Prints "Configuration OK" and exits 0, or
prints every problem with file:line:column and exits 1. Passwords are never printed.

      --syntax-only   Stop after parsing (for editors and CI linting of configs
                      that use plugins not available here)`;

export async function checkCommand(argv: string[]): Promise<number> {
  const { values: flags } = parsePipelineFlags(argv);
  if (flags.help) {
    process.stdout.write(CHECK_HELP + '\n');
    return 0;
  }
  const settings = settingsFromFlags(flags);
  const sources = await configSourcesFrom(flags, settings.supportEscapes);
  if (flags['syntax-only']) {
    parseSources(sources, settings.supportEscapes);
    process.stdout.write('Configuration OK (syntax only)\n');
    return 0;
  }
  const logger = createLogger(settings.logLevel === 'info' ? 'warn' : settings.logLevel, 'check');
  const graph = loadGraph(sources, { registry: builtinRegistry(), supportEscapes: settings.supportEscapes, logger });
  // Build every plugin as a worker would: grok patterns, date formats, dictionary
  // files and databases are only checked when the plugin is created.
  const core = await WorkerCore.create({ graph: serializeGraph(graph), sources, settings, workerIndex: 0 }, builtinRegistry(), logger);
  await core.close();
  // Not a problem, a note: the ruby filter runs, on an interpreter much slower than V8.
  for (const p of graph.filterList) {
    if (p.definition.name !== 'ruby') continue;
    process.stdout.write(`note: ${formatLocation(p.location)}: ruby filter "${p.id}" runs on an embedded CRuby (WebAssembly), several times slower than the js filter; for speed, port it to js (docs/plugins/filters/js.md)\n`);
  }
  process.stdout.write(`Configuration OK (${graph.inputs.length} inputs, ${graph.filterList.length} filters, ${graph.outputList.length} outputs)\n`);
  return 0;
}
