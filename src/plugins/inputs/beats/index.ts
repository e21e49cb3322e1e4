/** beats input: receives events from Beats (Filebeat, …) over the Lumberjack v2 protocol. */
import { ConfigError } from '../../../core/errors.js';
import { defineInput } from '../../api.js';
import { BEATS_INPUT_OPTIONS } from './options.js';

export const beatsInput = defineInput({
  kind: 'input',
  name: 'beats',
  description: 'Receives events from Beats (Filebeat, Metricbeat, a logpipe agent) over the Lumberjack v2 protocol, plain or TLS; a window is acknowledged once the pipeline acknowledged its events.',
  options: BEATS_INPUT_OPTIONS,
  createSource(_options, ctx) {
    throw new ConfigError('beats: the input is not implemented yet', ctx.location);
  },
  createDecoder(_options, ctx) {
    throw new ConfigError('beats: the input is not implemented yet', ctx.location);
  },
});
