/** Reads the configuration named on the command line (-f / -e), as Logstash does. */
import type { ConfigSource } from '../config/logstash/ast.js';
import { configStringSource, loadConfigSources } from '../config/logstash/sources.js';
import { parseSources } from '../config/load.js';
import { UsageError, type PipelineFlags } from './options.js';

export async function configSourcesFrom(flags: PipelineFlags, supportEscapes: boolean): Promise<ConfigSource[]> {
  const path = flags['path.config'];
  const text = flags['config.string'];
  if (path && text) throw new UsageError('give either -f/--path.config or -e/--config.string, not both');
  if (path) return loadConfigSources(path);
  if (text === undefined) throw new UsageError('no configuration: use -f PATH or -e "CONFIG"');
  const sources = [configStringSource(text)];
  // As in Logstash, -e without an input reads stdin and without an output prints to stdout.
  const ast = parseSources(sources, supportEscapes);
  const has = (type: string) => ast.sections.some((s) => s.type === type && s.body.length > 0);
  if (!has('input')) sources.push({ name: 'default input', text: 'input { stdin {} }' });
  if (!has('output')) sources.push({ name: 'default output', text: 'output { stdout { codec => rubydebug } }' });
  return sources;
}
