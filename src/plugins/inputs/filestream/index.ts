/** filestream: Filebeat's `filestream` input on the shared tailing core (src/tailing/). */
import { defineInput } from '../../api.js';
import { FILESTREAM_OPTIONS } from './options.js';
import { beatsTailSource, beatsTailDecoder } from '../log/beats-input.js';

export const filestreamInput = defineInput({
  kind: 'input',
  name: 'filestream',
  description: 'Tails files as Filebeat\'s filestream input does (Filebeat option names, parsers, prospector.scanner), with a crash-safe registry advanced only on acknowledgement.',
  options: FILESTREAM_OPTIONS,
  createSource: (options, ctx) => beatsTailSource('filestream', options, ctx),
  createDecoder: (options, ctx) => beatsTailDecoder('filestream', options, ctx),
});
