/** log: Filebeat's `log` input (5.x–8.x) on the shared tailing core (src/tailing/). */
import { defineInput } from '../../api.js';
import { FILEBEAT_FILE_OPTIONS } from './options.js';
import { beatsTailSource, beatsTailDecoder } from './beats-input.js';

export const logInput = defineInput({
  kind: 'input',
  name: 'log',
  description: 'Tails files as Filebeat\'s log input does (Filebeat option names), with a crash-safe registry advanced only on acknowledgement.',
  options: FILEBEAT_FILE_OPTIONS,
  createSource: (options, ctx) => beatsTailSource('log', options, ctx),
  createDecoder: (options, ctx) => beatsTailDecoder('log', options, ctx),
});
