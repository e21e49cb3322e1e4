/**
 * syslog input: RFC 3164 (and, with parse_rfc5424, RFC 5424) messages over UDP and TCP on one
 * port, parsed as Logstash's logstash-input-syslog does (decoder.ts). TCP framing is detected per
 * message: octet-counting or newline (RFC 6587). Nothing is acknowledged to senders: a message
 * counts as delivered once the queue took it; UDP drops what arrives while the queue is full
 * (counted), TCP stops reading instead.
 */
import { ConfigError } from '../../../core/errors.js';
import type { OptionsOf } from '../../../config/schema.js';
import { defineInput, PAYLOAD_MAX_BATCHES } from '../../api.js';
import { networkSource } from '../../net/message-source.js';
import { SyslogParser, syslogDecoder, type SyslogParserSettings } from './decoder.js';
import { SYSLOG_INPUT_OPTIONS } from './options.js';

export { SYSLOG_FAILURE_TAG } from './decoder.js';

function parserSettings(o: OptionsOf<typeof SYSLOG_INPUT_OPTIONS>): SyslogParserSettings {
  return {
    syslogField: o.syslog_field,
    grokPattern: o.grok_pattern,
    useLabels: o.use_labels,
    facilityLabels: o.facility_labels,
    severityLabels: o.severity_labels,
    timezone: o.timezone,
    locale: o.locale,
    parseRfc5424: o.parse_rfc5424,
  };
}

export const syslogInput = defineInput({
  kind: 'input',
  name: 'syslog',
  description: 'Receives syslog messages (RFC 3164; RFC 5424 with parse_rfc5424) over UDP and TCP and parses them as Logstash does: priority, facility, severity, timestamp, host, program, pid.',
  options: SYSLOG_INPUT_OPTIONS,
  createSource(options, ctx) {
    if (!(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) throw new ConfigError(`syslog: port must be 0–65535, got ${options.port}`, ctx.location);
    if (!(options.max_message_size >= 64)) throw new ConfigError(`syslog: max_message_size must be at least 64 bytes, got ${options.max_message_size}`, ctx.location);
    // Compiles grok_pattern, timezone and locale now: a mistake stops the pipeline before it listens.
    new SyslogParser(parserSettings(options), ctx);
    const maxEvents = ctx.batchSize * PAYLOAD_MAX_BATCHES;
    return networkSource({
      name: 'syslog',
      host: options.host,
      tcpPort: options.port,
      udpPort: options.port,
      framing: { kind: 'rfc6587' },
      maxMessageBytes: options.max_message_size,
      proxyProtocol: options.proxy_protocol,
      maxEvents,
      udpQueueSize: 2000,
      // Logstash's syslog input reads datagrams of up to 65507 bytes.
      maxDatagramBytes: 65507,
      datagram: (data, emit) => {
        if (data.length > 0) emit(data);
      },
    }, ctx.logger);
  },
  createDecoder(options, ctx) {
    return syslogDecoder({
      parser: new SyslogParser(parserSettings(options), ctx),
      codec: ctx.createCodec(options.codec),
      plain: options.codec.name === 'plain' && options.codec.settings.length === 0,
    });
  },
});
