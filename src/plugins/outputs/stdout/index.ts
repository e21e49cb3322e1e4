import { defineOutput, OutputError } from '../../api.js';
import { codecTextEncoder } from '../encoding.js';

export const stdoutOutput = defineOutput({
  kind: 'output',
  name: 'stdout',
  description: 'Writes events to standard output (rubydebug by default). If the reader goes away (EPIPE), the pipeline stops: nothing can be written there again.',
  options: {
    codec: { type: 'codec', default: { name: 'rubydebug', settings: [] }, description: 'Codec used to write each event.' },
  },
  createEncoder(options, ctx) {
    return codecTextEncoder(ctx.createCodec(options.codec));
  },
  createSink(_options, ctx) {
    // A closed pipe (`logpipe ... | head`) can never accept data again: retrying would block the
    // pipeline forever and discarding would lose events silently, so the output reports itself
    // closed and the pipeline stops its inputs (exit 1, what was not written is not acknowledged).
    let closed: string | undefined;
    const onError = (err: NodeJS.ErrnoException): void => {
      closed ??= err.code ?? err.message;
    };
    process.stdout.on('error', onError);
    const closedError = (): OutputError => new OutputError(`standard output is closed (${closed})`, 'closed');
    return {
      write(data) {
        if (closed !== undefined) return Promise.reject(closedError());
        return new Promise<void>((resolve, reject) => {
          process.stdout.write(data as Uint8Array, (err) => {
            if (err) onError(err);
            if (closed !== undefined) reject(closedError());
            else resolve();
          });
        });
      },
      async close() {
        process.stdout.off('error', onError);
      },
    };
  },
});
