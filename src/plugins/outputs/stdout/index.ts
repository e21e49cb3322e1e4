import { defineOutput } from '../../api.js';
import { encodeText, textPayload } from '../encoding.js';

export const stdoutOutput = defineOutput({
  kind: 'output',
  name: 'stdout',
  description: 'Writes events to standard output (rubydebug by default).',
  options: {
    codec: { type: 'codec', default: { name: 'rubydebug', settings: [] }, description: 'Codec used to write each event.' },
  },
  createEncoder(options, ctx) {
    const codec = ctx.createCodec(options.codec);
    return { encode: (events) => textPayload(encodeText(codec, events)) };
  },
  createSink() {
    return {
      write(data) {
        return new Promise<void>((resolve, reject) => {
          process.stdout.write(data as Uint8Array, (err) => (err ? reject(err) : resolve()));
        });
      },
    };
  },
});
