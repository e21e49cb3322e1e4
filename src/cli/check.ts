/** `logpipe check`: parse, compile and validate a configuration; print every problem; exit 0 or 1. */
import { ConfigError, formatLocation } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { withExcerpts } from '../config/load.js';
import { compileGraph, type GraphPlugin, type PipelineGraph } from '../config/compile.js';
import type { ConfigAst, ConfigSource, SectionType } from '../config/logstash/ast.js';
import { parseConfig } from '../config/logstash/parser.js';
import { ConfigErrorList } from '../config/schema.js';
import { builtinRegistry } from '../plugins/builtins.js';
import { isTranslation, translateRuby } from '../plugins/filters/ruby/fastpath/index.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { contextForPlugin } from '../pipeline/context.js';
import type { PipelineSettings } from '../pipeline/settings.js';
import { configSourcesFrom } from './config-sources.js';
import { parsePipelineFlags, settingsFromFlags } from './options.js';

export const CHECK_HELP = `Usage: logpipe check (-f PATH | -e CONFIG) [--syntax-only] [--strict] [--fragment] [--config.support_escapes]

Parses and validates a configuration without starting anything: syntax, plugin
names, option names, types and values, and everything a plugin checks when it is
built (grok patterns, date formats, dictionary files, databases). Prints "Configuration OK" and exits 0, or
prints every problem with file:line:column and exits 1. Passwords are never printed.

      --syntax-only   Stop after parsing (for editors and CI linting of configs
                      that use plugins not available here)
      --strict        Also report every construct logpipe accepts but Logstash's
                      grammar refuses (commas between hash entries, comma lists,
                      comments between hash entries, ...): a linter for configs
                      that must still run on Logstash. Alias: --logstash-strict
      --fragment      Accept a configuration without an input or output section
                      (one file of a conf.d directory checked on its own)`;

/** Where `check` prints: the process's streams, or a caller's (tests run many checks in one process). */
export interface CheckOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const PROCESS_OUTPUT: CheckOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export async function checkCommand(argv: string[], output: CheckOutput = PROCESS_OUTPUT): Promise<number> {
  const { values: flags } = parsePipelineFlags(argv);
  if (flags.help) {
    output.stdout(CHECK_HELP + '\n');
    return 0;
  }
  const settings = settingsFromFlags(flags);
  const sources = await configSourcesFrom(flags, settings.supportEscapes);
  const logger = createLogger(settings.logLevel === 'info' ? 'warn' : settings.logLevel, 'check', (line) => output.stderr(line + '\n'));
  const report = await checkConfig(sources, settings, {
    syntaxOnly: flags['syntax-only'] === true,
    strict: flags.strict === true || flags['logstash-strict'] === true,
    fragment: flags.fragment === true,
    logger,
  });
  for (const problem of report.problems) output.stderr(`${problem.message}\n`);
  if (report.problems.length > 0) {
    output.stderr(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} found\n`);
    return 1;
  }
  for (const note of report.notes ?? []) output.stdout(`${note}\n`);
  output.stdout(`${report.summary}\n`);
  return 0;
}

export interface CheckOptions {
  syntaxOnly: boolean;
  strict: boolean;
  fragment: boolean;
  logger: Logger;
  registry?: PluginRegistry;
}

export interface CheckReport {
  /** Every problem found, in the order the stages found them (parse, compile, build, strict). */
  problems: ConfigError[];
  /** The "Configuration OK" line when there are none. */
  summary: string;
  /** Advice that is not a problem (a ruby filter: js is faster). */
  notes?: string[];
}

/**
 * Runs every stage a check has and keeps going after a problem: each file is
 * parsed on its own, every plugin that compiled is built, so one run lists
 * everything to fix.
 */
export async function checkConfig(sources: ConfigSource[], settings: PipelineSettings, options: CheckOptions): Promise<CheckReport> {
  const problems: ConfigError[] = [];
  const add = (err: unknown): void => {
    const shown = withExcerpts(err, sources);
    if (shown instanceof ConfigErrorList) problems.push(...shown.errors);
    else if (shown instanceof ConfigError) problems.push(shown);
    else throw err;
  };
  const ast: ConfigAst = { sections: [], sources, notLogstash: [] };
  let parsedAll = true;
  for (const source of sources) {
    try {
      const one = parseConfig([source], { supportEscapes: settings.supportEscapes });
      ast.sections.push(...one.sections);
      ast.notLogstash!.push(...(one.notLogstash ?? []));
    } catch (err) {
      parsedAll = false;
      add(err);
    }
  }
  const strictProblems = (): ConfigError[] => !options.strict ? [] : (ast.notLogstash ?? []).map((f) =>
    withExcerpts(new ConfigError(`Logstash would refuse this: ${f.reason}`, f.location), sources) as ConfigError);
  if (options.syntaxOnly) {
    problems.push(...strictProblems());
    return { problems, summary: 'Configuration OK (syntax only)' };
  }
  const registry = options.registry ?? builtinRegistry();
  const compileErrors: ConfigError[] = [];
  const graph = compileGraph(ast, { registry, logger: options.logger, errors: compileErrors });
  for (const e of compileErrors) add(e);
  if (parsedAll && !options.fragment) problems.push(...missingSections(ast, sources));
  for (const err of await buildEveryPlugin(graph, settings, registry, options.logger)) add(err);
  problems.push(...strictProblems());
  // Not a problem, a note: the ruby filter runs, on an interpreter much slower than V8, unless
  // its code is within the subset translated to JavaScript.
  const notes = graph.filterList.filter((p) => p.definition.name === 'ruby').map((p) => {
    const o = p.options as { code?: string; init?: string };
    const fast = o.code !== undefined && o.init === undefined && isTranslation(translateRuby(o.code));
    return fast
      ? `note: ${formatLocation(p.location)}: ruby filter "${p.id}" runs as JavaScript (its code is within the translated subset); an event whose values fall outside it runs on the embedded CRuby`
      : `note: ${formatLocation(p.location)}: ruby filter "${p.id}" runs on an embedded CRuby (WebAssembly), several times slower than the js filter; for speed, port it to js (docs/plugins/filters/js.md): \`logpipe ruby2js\` shows a translation of simple code, or which lines it cannot translate`;
  });
  return {
    problems,
    notes,
    summary: `Configuration OK (${graph.inputs.length} inputs, ${graph.filterList.length} filters, ${graph.outputList.length} outputs)`,
  };
}

/** `run` refuses a pipeline without inputs or outputs: say so here, naming the files read. */
function missingSections(ast: ConfigAst, sources: ConfigSource[]): ConfigError[] {
  const has = (type: SectionType) => ast.sections.some((s) => s.type === type && s.body.length > 0);
  const files = sources.map((s) => s.name).join(', ');
  const out: ConfigError[] = [];
  for (const type of ['input', 'output'] as const) {
    if (has(type)) continue;
    out.push(new ConfigError(`the configuration has no ${type} section with a plugin in it (read: ${files}); \`logpipe run\` refuses it`, undefined,
      `add an ${type} section, check the whole conf.d directory (-f dir/), or pass --fragment to check this part on its own`));
  }
  return out;
}

/**
 * Builds each plugin as a worker would (grok patterns, date formats, dictionary
 * files and databases are only checked then), one at a time so that every
 * failing plugin is reported, not only the first.
 */
async function buildEveryPlugin(graph: PipelineGraph, settings: PipelineSettings, registry: PluginRegistry, logger: Logger): Promise<unknown[]> {
  const failures: unknown[] = [];
  const attempt = async (p: GraphPlugin, build: (ctx: ReturnType<typeof contextForPlugin>) => unknown): Promise<void> => {
    try {
      const built = await build(contextForPlugin(p, settings, logger, registry, { workerIndex: 0 }));
      const closable = built as { close?: () => unknown } | undefined;
      if (closable && typeof closable.close === 'function') await closable.close();
    } catch (err) {
      failures.push(err instanceof ConfigError ? err : new ConfigError(`${p.definition.kind} plugin "${p.definition.name}" cannot be built: ${(err as Error).message}`, p.location));
    }
  };
  for (const p of graph.inputs) await attempt(p, (ctx) => p.definition.createDecoder(p.options as never, ctx));
  for (const p of graph.filterList) await attempt(p, (ctx) => p.definition.create(p.options as never, ctx));
  for (const p of graph.outputList) await attempt(p, (ctx) => p.definition.createEncoder(p.options as never, ctx));
  return failures;
}
