import { defineOutput } from '../../api.js';

export const nullOutput = defineOutput({
  kind: 'output',
  name: 'null',
  description: 'Discards events (for benchmarks and tests).',
  options: {
    codec: { type: 'codec', default: { name: 'plain', settings: [] }, description: 'Ignored.' },
  },
  createEncoder() {
    return { encode: () => undefined };
  },
  createSink() {
    return { write: async () => {} };
  },
});
