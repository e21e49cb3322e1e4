import { compileTemplate } from '../../core/sprintf.js';
import { defineCodec } from '../api.js';
import { charsetMember, CHARSET_OPTION, eventToString, lineEventFactory } from './text.js';

export const plainCodec = defineCodec({
  kind: 'codec',
  name: 'plain',
  description: 'Text with no delimiting: decoding makes one event per chunk; encoding writes `format` or the event summary.',
  streamingEquivalent: 'line',
  options: {
    format: { type: 'string', description: 'sprintf template used when encoding.' },
    charset: CHARSET_OPTION,
  },
  create(options, ctx) {
    const format = options.format === undefined ? eventToString : compileTemplate(options.format);
    const newEvent = lineEventFactory(ctx);
    return {
      decode(text, emit) {
        if (text.length > 0) emit(newEvent(text));
      },
      encode: format,
      ...charsetMember(options.charset, ctx),
    };
  },
});
