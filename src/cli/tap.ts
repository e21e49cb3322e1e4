/**
 * `logpipe tap PLUGIN_ID`: prints the events passing one plugin of a running pipeline, read
 * from the pipeline's control socket under path.data (pipeline/control-socket.ts).
 */
import { connect } from 'node:net';
import { controlSocketPath } from '../pipeline/control-socket.js';
import { DEFAULT_DATA_DIR } from '../pipeline/settings.js';
import { parseCommandLine, UsageError } from './options.js';

export const TAP_HELP = `Usage: logpipe tap [--pipeline ID] PLUGIN_ID [--limit N] [--sample RATE] [--path.data DIR]

Prints, one JSON line each, the events leaving the plugin PLUGIN_ID (an input's decoded events,
a filter's output, what an output is handed) of a pipeline running on this host, until --limit
events were shown or Ctrl-C. Events are copied only while a tap is attached.

      --pipeline ID     The pipeline (default main)
  -n, --limit N         Stop after N events
      --sample RATE     Show each event with probability RATE (0 < RATE <= 1)
      --path.data DIR   The running process's path.data (default: logpipe's data/)`;

export async function tapCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandLine({
      args: argv,
      allowPositionals: true,
      options: { pipeline: { type: 'string' }, limit: { type: 'string', short: 'n' }, sample: { type: 'string' }, 'path.data': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(TAP_HELP + '\n');
    return 0;
  }
  const plugin = positionals[0];
  if (plugin === undefined || positionals.length > 1) throw new UsageError('give one PLUGIN_ID, e.g. logpipe tap my_grok');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError(`--limit must be a positive integer, got "${values.limit}"`);
  const sample = values.sample === undefined ? undefined : Number(values.sample);
  if (sample !== undefined && !(sample > 0 && sample <= 1)) throw new UsageError(`--sample must be a rate in (0, 1], got "${values.sample}"`);
  const path = controlSocketPath(values['path.data'] ?? DEFAULT_DATA_DIR, values.pipeline ?? 'main');

  return new Promise<number>((resolve) => {
    const socket = connect(path);
    let buffer = '';
    let status = 0;
    socket.on('connect', () => socket.write(JSON.stringify({ tap: plugin, limit, sample }) + '\n'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? `no running pipeline "${values.pipeline ?? 'main'}" serves ${path}` : err.message;
      process.stderr.write(`logpipe tap: ${why}\n`);
      status = 1;
    });
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const msg = JSON.parse(line) as { event?: unknown; error?: string; ok?: boolean; end?: boolean; dropped?: number };
        if (msg.event !== undefined) process.stdout.write(JSON.stringify(msg.event) + '\n');
        else if (msg.error) {
          process.stderr.write(`logpipe tap: ${msg.error}\n`);
          status = 1;
        } else if (msg.ok) process.stderr.write(`tapping ${plugin} (Ctrl-C to stop)\n`);
        else if (msg.end && msg.dropped) process.stderr.write(`logpipe tap: ${msg.dropped} events dropped (the terminal read too slowly)\n`);
      }
    });
    socket.on('close', () => resolve(status));
    process.once('SIGINT', () => socket.end());
  });
}
