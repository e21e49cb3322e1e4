/**
 * `logpipe ruby2js`: shows a js filter translation of each ruby filter of a configuration (or
 * of one snippet), best effort: only code within the subset the ruby filter's fast path runs
 * (docs/plugins/filters/ruby.md) is translated; for anything else it says, per line, what it
 * cannot translate exactly rather than guessing.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatLocation } from '../core/errors.js';
import { loadGraph } from '../config/load.js';
import { builtinRegistry } from '../plugins/builtins.js';
import { isTranslation, translateRuby } from '../plugins/filters/ruby/fastpath/index.js';
import { jsFilterBlock } from '../plugins/filters/ruby/fastpath/js-filter.js';
import { configSourcesFrom } from './config-sources.js';
import { UsageError, type PipelineFlags } from './options.js';

export const RUBY2JS_HELP = `Usage: logpipe ruby2js (-f PATH | -e CONFIG | --code RUBY | --code-file FILE) [--config.support_escapes]

Prints a js filter for each ruby filter of the configuration (or for the snippet
given with --code / --code-file), translated exactly: the same fields, values and
tags as the ruby filter gives. Best effort: only snippets of event.get/set/remove/
include?/tag/cancel with literal field references, integer/float/string operations
and conditionals are translated (docs/plugins/filters/ruby.md, "Fast path"); for
anything else it lists each line it cannot translate and why. Where the Ruby code
would meet values the translation does not reproduce (nil, huge integers, non-ASCII
case mapping), the js filter raises and tags the event instead. Exits 1 when some
ruby filter was not translated.

Note: a ruby filter whose code is translatable already runs this translation itself
(and hands the events it does not cover to the interpreter).`;

interface Snippet {
  title: string;
  code: string | undefined;
  tagOnException: string;
  refused?: string;
}

export async function ruby2jsCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'path.config': { type: 'string', short: 'f' },
        'config.string': { type: 'string', short: 'e' },
        code: { type: 'string' },
        'code-file': { type: 'string' },
        'config.support_escapes': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(RUBY2JS_HELP + '\n');
    return 0;
  }
  const snippets: Snippet[] = [];
  if (values.code !== undefined || values['code-file'] !== undefined) {
    if (values.code !== undefined && values['code-file'] !== undefined) throw new UsageError('give either --code or --code-file, not both');
    const code = values.code ?? readFileSync(values['code-file']!, 'utf8');
    snippets.push({ title: values['code-file'] ?? 'the snippet', code, tagOnException: '_rubyexception' });
  } else {
    const supportEscapes = values['config.support_escapes'] === true;
    const flags = { 'path.config': values['path.config'], 'config.string': values['config.string'] } as PipelineFlags;
    const graph = loadGraph(await configSourcesFrom(flags, supportEscapes), { registry: builtinRegistry(), supportEscapes });
    for (const p of graph.filterList) {
      if (p.definition.name !== 'ruby') continue;
      const o = p.options as { code?: string; init?: string; path?: string; tag_on_exception: string };
      const title = `ruby filter "${p.id}" (${formatLocation(p.location)})`;
      const refused = o.path !== undefined ? 'a path script (register/filter methods)' : o.init !== undefined ? 'init (state kept across events)' : undefined;
      snippets.push({ title, code: o.code, tagOnException: o.tag_on_exception, ...(refused ? { refused } : {}) });
    }
    if (snippets.length === 0) {
      process.stdout.write('no ruby filter in the configuration\n');
      return 0;
    }
  }
  let untranslated = 0;
  for (const s of snippets) {
    if (s.refused !== undefined || s.code === undefined) {
      untranslated++;
      process.stdout.write(`# ${s.title}: not translated: it uses ${s.refused ?? 'no code'}\n\n`);
      continue;
    }
    const t = translateRuby(s.code);
    if (isTranslation(t)) {
      process.stdout.write(`# ${s.title}, translated:\n${jsFilterBlock(t, s.tagOnException)}\n\n`);
      continue;
    }
    untranslated++;
    const lines = s.code.split('\n');
    process.stdout.write(`# ${s.title}: not translated; these lines are outside what ruby2js translates exactly:\n`);
    for (const p of t.problems) process.stdout.write(`#   line ${p.line}: ${(lines[p.line - 1] ?? '').trim()}\n#     ${p.reason}\n`);
    process.stdout.write('\n');
  }
  return untranslated > 0 ? 1 : 0;
}
