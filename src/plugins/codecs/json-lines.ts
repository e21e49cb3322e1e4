import { defineCodec } from '../api.js';
import { eventsFromJson } from './json.js';
import { CHARSET_OPTION } from './text.js';

export const jsonLinesCodec = defineCodec({
  kind: 'codec',
  name: 'json_lines',
  description: 'One JSON document per line (NDJSON). Lines that are not JSON become events tagged _jsonparsefailure.',
  options: {
    charset: CHARSET_OPTION,
    delimiter: { type: 'string', default: '\n', description: 'Line terminator.' },
    target: { type: 'field_reference', description: 'Put each decoded document under this field.' },
  },
  create(options) {
    const delimiter = options.delimiter;
    return {
      decode(text, emit) {
        let start = 0;
        while (start < text.length) {
          let end = text.indexOf(delimiter, start);
          if (end === -1) end = text.length;
          const line = text.slice(start, end);
          if (line.trim().length > 0) eventsFromJson(line, emit, options.target);
          start = end + delimiter.length;
        }
      },
      encode: (event) => JSON.stringify(event.data) + delimiter,
    };
  },
});
