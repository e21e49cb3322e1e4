/** file: Logstash's file input on the shared tailing core (src/tailing/). */
import { defineInput } from '../../api.js';
import { FILE_INPUT_OPTIONS } from './options.js';
import { fileTailSource, fileTailDecoder } from './logstash-input.js';

export const fileInput = defineInput({
  kind: 'input',
  name: 'file',
  description: 'Reads files as Logstash\'s file input does (tail or read mode), recording positions only once events are acknowledged.',
  options: FILE_INPUT_OPTIONS,
  createSource: (options, ctx) => fileTailSource(options, ctx),
  createDecoder: (options, ctx) => fileTailDecoder(options, ctx),
});
