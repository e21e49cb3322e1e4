import { Event } from '../../core/event.js';
import { compileTemplate } from '../../core/sprintf.js';
import { defineCodec } from '../api.js';
import { CHARSET_OPTION, eventToString } from './text.js';

export const lineCodec = defineCodec({
  kind: 'codec',
  name: 'line',
  description: 'One event per line: decoding splits on `delimiter`; encoding writes `format` (or the event summary) plus the delimiter.',
  options: {
    format: { type: 'string', description: 'sprintf template used when encoding, e.g. "%{message}".' },
    delimiter: { type: 'string', default: '\n', description: 'Line terminator.' },
    charset: CHARSET_OPTION,
  },
  create(options) {
    const delimiter = options.delimiter;
    const format = options.format === undefined ? eventToString : compileTemplate(options.format);
    return {
      decode(text, emit) {
        // `text` holds whole lines; "" is one empty line. A trailing \r is kept, as Logstash does.
        let start = 0;
        for (;;) {
          const end = text.indexOf(delimiter, start);
          if (end === -1) {
            emit(new Event({ message: text.slice(start) }));
            return;
          }
          emit(new Event({ message: text.slice(start, end) }));
          start = end + delimiter.length;
        }
      },
      encode: (event) => format(event) + delimiter,
    };
  },
});
