/** logstash output: ships events over the Lumberjack v2 protocol (Filebeat's output.logstash). */
import { ConfigError } from '../../../core/errors.js';
import { defineOutput } from '../../api.js';
import { LOGSTASH_OUTPUT_OPTIONS } from './options.js';

export const logstashOutput = defineOutput({
  kind: 'output',
  name: 'logstash',
  description: 'Ships events to Logstash or another Beats receiver over the Lumberjack v2 protocol (Filebeat\'s output.logstash): windows, compression, TLS, load balancing, retries until acknowledged.',
  options: LOGSTASH_OUTPUT_OPTIONS,
  createEncoder(_options, ctx) {
    throw new ConfigError('logstash: the output is not implemented yet', ctx.location);
  },
  createSink(_options, ctx) {
    throw new ConfigError('logstash: the output is not implemented yet', ctx.location);
  },
});
