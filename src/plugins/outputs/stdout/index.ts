import { defineOutput } from '../../api.js';
import { encodeText, textPayloadWithRejected } from '../encoding.js';

export const stdoutOutput = defineOutput({
  kind: 'output',
  name: 'stdout',
  description: 'Writes events to standard output (rubydebug by default). If the reader goes away (EPIPE), later events for this output are discarded with one error logged.',
  options: {
    codec: { type: 'codec', default: { name: 'rubydebug', settings: [] }, description: 'Codec used to write each event.' },
  },
  createEncoder(options, ctx) {
    const codec = ctx.createCodec(options.codec);
    return {
      encode(events) {
        const { text, rejected } = encodeText(codec, events);
        return textPayloadWithRejected(text, rejected);
      },
    };
  },
  createSink(_options, ctx) {
    // A closed pipe (`logpipe ... | head`) can never accept data again; retrying
    // would block the whole pipeline, and crashing would lose the other outputs.
    let closed = false;
    const onError = (err: NodeJS.ErrnoException): void => {
      if (closed) return;
      closed = true;
      ctx.logger.error('standard output is closed; discarding what the stdout output receives from now on', { error: err.code ?? err.message });
    };
    process.stdout.on('error', onError);
    return {
      write(data) {
        if (closed) return Promise.resolve();
        return new Promise<void>((resolve) => {
          process.stdout.write(data as Uint8Array, (err) => {
            if (err) onError(err);
            resolve();
          });
        });
      },
      async close() {
        process.stdout.off('error', onError);
      },
    };
  },
});
