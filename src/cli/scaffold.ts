/** `logpipe scaffold SAMPLE.log`: a starting pipeline inferred from sample lines (src/scaffold/). */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { builtinRegistry } from '../plugins/builtins.js';
import { renderConfig, renderEsTemplate, renderSql, renderTestFile, type InputKind, type OutputKind, type SqlDialect } from '../scaffold/render.js';
import { scaffold } from '../scaffold/scaffold.js';
import { parseCommandLine, UsageError } from './options.js';

export const SCAFFOLD_HELP = `Usage: logpipe scaffold [SAMPLE.log] [options]        (no file: samples from stdin)

Infers a starting pipeline from sample lines: detects the format (JSON lines, CSV with a
header, key=value and Linux audit, syslog RFC 3164/5424, Apache/Nginx access and Apache error
logs, log4j/logback and Zookeeper with stack traces, HDFS, Windows CBS, Android logcat,
ISO-timestamped text), builds the filters with named, typed fields, finds the time and its
format, prints the .conf, and reports on stderr how many sample lines it parses and which not.
The same samples always give the same output.

      --input KIND        stdin (default), file (reads SAMPLE's path) or beats
      --output KIND       stdout (default, JSON lines), file, sql or elasticsearch
      --table NAME        Table / index name (default: logs)
  -o, --out FILE          Write the .conf to FILE instead of stdout
      --sql DIALECT       Also write CREATE TABLE for mysql, postgresql or sqlite (to --sql-out or stdout)
      --sql-out FILE
      --es-template FILE  Also write an Elasticsearch index template (JSON)
      --test FILE         Also write a logpipe test file (LFV format) from parsed samples`;

export async function scaffoldCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandLine({
      args: argv,
      allowPositionals: true,
      options: {
        input: { type: 'string' }, output: { type: 'string' }, table: { type: 'string' }, out: { type: 'string', short: 'o' },
        sql: { type: 'string' }, 'sql-out': { type: 'string' }, 'es-template': { type: 'string' }, test: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(SCAFFOLD_HELP + '\n');
    return 0;
  }
  const input = (values.input ?? 'stdin') as InputKind;
  if (!['stdin', 'file', 'beats'].includes(input)) throw new UsageError('--input must be stdin, file or beats');
  const output = (values.output ?? 'stdout') as OutputKind;
  if (!['stdout', 'file', 'sql', 'elasticsearch'].includes(output)) throw new UsageError('--output must be stdout, file, sql or elasticsearch');
  if (output === 'elasticsearch' && !builtinRegistry().find('output', 'elasticsearch')) {
    throw new UsageError('logpipe has no elasticsearch output yet: use --output file (JSON lines) and load them, or --output sql; --es-template still writes the index template');
  }
  const dialect = values.sql as SqlDialect | undefined;
  if (dialect !== undefined && !['mysql', 'postgresql', 'sqlite'].includes(dialect)) throw new UsageError('--sql must be mysql, postgresql or sqlite');
  const table = values.table ?? 'logs';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new UsageError('--table must be a plain identifier (letters, digits, _)');
  const file = positionals[0];
  if (positionals.length > 1) throw new UsageError('give one sample file (or none, to read stdin)');
  if (input === 'file' && !file) throw new UsageError('--input file needs the SAMPLE file: its path goes into the config');
  const text = file ? readFileSync(file, 'utf8') : readFileSync(0, 'utf8');

  const result = await scaffold(text.split(/\r?\n/));
  const config = renderConfig(result, { input, output, paths: file ? [resolve(file)] : [], table, sampleName: file ? basename(file) : 'stdin' });
  if (values.out) writeFileSync(values.out, config);
  else process.stdout.write(config);
  if (dialect) {
    const ddl = renderSql(result, dialect, table);
    if (values['sql-out']) writeFileSync(values['sql-out'], ddl);
    else process.stdout.write(`\n-- ${dialect}\n${ddl}`);
  }
  if (values['es-template']) writeFileSync(values['es-template'], renderEsTemplate(result, table));
  if (values.test) writeFileSync(values.test, renderTestFile(result));

  const pct = ((result.matchedLines / result.totalLines) * 100).toFixed(1);
  process.stderr.write(`format: ${result.plan.format}\nparsed ${result.matchedLines} of ${result.totalLines} sample lines (${pct}%)` +
    `${result.plan.multiline ? ` in ${result.records.length} events` : ''}\n`);
  for (const u of result.unmatched.slice(0, 20)) {
    process.stderr.write(`  line ${u.line}: ${u.why}: ${JSON.stringify(result.records[u.record]!.split('\n')[0]!.slice(0, 100))}\n`);
  }
  if (result.unmatched.length > 20) process.stderr.write(`  … and ${result.unmatched.length - 20} more\n`);
  return 0;
}
