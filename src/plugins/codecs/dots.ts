import { Event } from '../../core/event.js';
import { defineCodec } from '../api.js';

/** Logstash's dots codec: a progress indicator for outputs, one "." per event. */
export const dotsCodec = defineCodec({
  kind: 'codec',
  name: 'dots',
  description: 'Writes one "." per event (a progress indicator, e.g. `stdout { codec => dots }`). Meant for outputs; on an input it decodes as plain.',
  options: {},
  create() {
    return {
      decode(text, emit) {
        // Logstash implements no decoding; rather than lose what an input received, keep it as plain does.
        if (text.length > 0) emit(new Event({ message: text }));
      },
      encode: () => '.',
    };
  },
});
