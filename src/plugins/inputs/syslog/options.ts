/** Options of the `syslog` input: Logstash's logstash-input-syslog names, plus logpipe's own (marked). */
import type { Schema } from '../../../config/schema.js';
import { INPUT_FACILITY_LABELS, INPUT_SEVERITY_LABELS } from '../../../protocols/syslog/labels.js';

export const SYSLOG_INPUT_OPTIONS = {
  host: { type: 'string', default: '0.0.0.0', description: 'Address to listen on (TCP and UDP).' },
  port: { type: 'number', default: 514, description: 'Port to listen on, TCP and UDP (0 = a free port, logged at start).' },
  codec: { type: 'codec', default: { name: 'plain', settings: [] }, description: 'Codec applied to each syslog message before it is parsed.' },
  syslog_field: { type: 'field_reference', default: 'message', description: 'Field the grok pattern is matched against (after the codec).' },
  grok_pattern: {
    type: 'string',
    description: 'Grok pattern a message is parsed with. Default `<%{POSINT:priority}>%{SYSLOGLINE}` (ECS: `<%{POSINT:[log][syslog][priority]:int}>%{SYSLOGLINE}`).',
  },
  use_labels: { type: 'boolean', default: true, description: 'Also set facility and severity names.' },
  facility_labels: { type: 'string_list', default: [...INPUT_FACILITY_LABELS], description: 'Facility names, indexed by facility code.' },
  severity_labels: { type: 'string_list', default: [...INPUT_SEVERITY_LABELS], description: 'Severity names, indexed by severity code.' },
  timezone: { type: 'string', description: 'Zone of timestamps without an offset (IANA id, UTC or +hh:mm). Default: the system zone.' },
  locale: { type: 'string', description: 'Locale of month names in timestamps (en, en-US, en_US...). Default: English.' },
  proxy_protocol: { type: 'boolean', default: false, description: 'TCP: each connection starts with a PROXY protocol v1 header giving the real client address.' },
  parse_rfc5424: {
    type: 'boolean',
    default: false,
    description: 'logpipe only: parse RFC 5424 messages natively (structured data included) instead of through grok_pattern, which tags them _grokparsefailure_sysloginput as Logstash does. Other messages still go through grok_pattern.',
  },
  max_message_size: {
    type: 'bytes',
    default: 64 * 1024,
    description: 'logpipe only: longest TCP message kept ("64KiB"); a longer one is cut there and tagged _line_truncated. UDP messages are bounded by the datagram size.',
  },
} as const satisfies Schema;
