import { stringifyLimited } from '../../core/json-depth.js';
import { defineCodec } from '../api.js';
import { eventsFromJson, jsonWarnings } from './json.js';
import { charsetMember, CHARSET_OPTION, lineFailureHandler } from './text.js';

export const jsonLinesCodec = defineCodec({
  kind: 'codec',
  name: 'json_lines',
  description: 'One JSON document per line (NDJSON). Lines that are not JSON become events tagged _jsonparsefailure.',
  options: {
    charset: CHARSET_OPTION,
    delimiter: { type: 'string', default: '\n', description: 'Line terminator.' },
    target: { type: 'field_reference', description: 'Put each decoded document under this field.' },
  },
  create(options, ctx) {
    const delimiter = options.delimiter;
    const failed = lineFailureHandler(ctx);
    const warnings = jsonWarnings(ctx);
    return {
      decode(text, emit) {
        let start = 0;
        let line = '';
        // One try around the loop, resumed after a line that threw: no per-line cost.
        while (start < text.length) {
          try {
            while (start < text.length) {
              let end = text.indexOf(delimiter, start);
              if (end === -1) end = text.length;
              line = text.slice(start, end);
              start = end + delimiter.length;
              if (line.trim().length > 0) eventsFromJson(line, emit, options.target, warnings);
            }
          } catch (err) {
            emit(failed(line, err));
          }
        }
      },
      // Throws NestingTooDeepError past MAX_JSON_DEPTH; the output's encoder reports the event as rejected.
      encode: (event) => stringifyLimited(event.data) + delimiter,
      ...charsetMember(options.charset, ctx),
    };
  },
});
