import { defineCodec } from '../api.js';

/** Logstash's dots codec: a progress indicator for outputs, one "." per event. It decodes nothing. */
export const dotsCodec = defineCodec({
  kind: 'codec',
  name: 'dots',
  description: 'Writes one "." per event (a progress indicator, e.g. `stdout { codec => dots }`). Output only: decoding with it is an error.',
  options: {},
  create() {
    return {
      decode() {
        // As in Logstash, where decode is not implemented: the input's payload becomes a raw event tagged _decode_error.
        throw new Error('the dots codec only encodes; use it on an output');
      },
      encode: () => '.',
    };
  },
});
