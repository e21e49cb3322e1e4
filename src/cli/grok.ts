/**
 * `logpipe grok PATTERN`: try a grok expression on sample lines (stdin or
 * --line) and print what it captures — the quick loop for writing patterns.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { compileGrok, GrokCompileError, standardPatterns } from '../plugins/filters/grok/index.js';
import { UsageError } from './options.js';
import { explainGrok, explanationText } from './grok-explain.js';

export const GROK_HELP = `Usage: logpipe grok PATTERN [--line TEXT ...] [--ecs disabled|v1|v8] [--expand] [--explain]

Matches each line of standard input (or each --line) against a grok expression
with the standard pattern library, and prints the captured fields as JSON, or
"no match". Exits 1 when a line did not match.

  -l, --line TEXT   A sample line (repeatable); otherwise lines are read from stdin
      --ecs MODE    Field names of the library: disabled (legacy, default), v1 or v8
                    (v8 uses the ECS v1 pattern definitions, as Logstash does)
      --expand      Also print the pattern with every %{NAME} expanded
      --explain     For a line that does not match, show which part of the pattern
                    failed: the pieces that matched, then the first that did not,
                    looking inside composite %{NAME}s down to the smallest part`;

export async function grokCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { line: { type: 'string', short: 'l', multiple: true }, ecs: { type: 'string' }, expand: { type: 'boolean' }, explain: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(GROK_HELP + '\n');
    return 0;
  }
  const pattern = positionals[0];
  if (pattern === undefined) throw new UsageError('give a grok PATTERN, e.g. logpipe grok "%{COMBINEDAPACHELOG}"');
  const ecs = values.ecs ?? 'disabled';
  if (ecs !== 'disabled' && ecs !== 'v1' && ecs !== 'v8') throw new UsageError('--ecs must be disabled, v1 or v8');
  let grok;
  try {
    grok = compileGrok(pattern, { patterns: standardPatterns(ecs) });
  } catch (err) {
    if (err instanceof GrokCompileError) throw new UsageError(`bad grok pattern: ${err.message}`);
    throw err;
  }
  if (values.expand) process.stdout.write(`expanded: ${grok.expanded}\n`);
  let misses = 0;
  const patterns = standardPatterns(ecs);
  const show = (line: string): void => {
    const fields = grok.match(line);
    if (!fields) misses++;
    process.stdout.write(fields ? JSON.stringify(fields) + '\n' : 'no match\n');
    if (!fields && values.explain) process.stdout.write(explanationText(line, explainGrok(pattern, line, patterns)) + '\n');
  };
  if (values.line) values.line.forEach(show);
  else for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) show(line);
  return misses > 0 ? 1 : 0;
}
