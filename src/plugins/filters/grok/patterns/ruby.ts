/** Ruby's Logger default format (Logstash's `ruby` file). */
const shared = String.raw`
RUBY_LOGLEVEL (?:DEBUG|FATAL|ERROR|WARN|INFO)
`;

export const legacy = shared + String.raw`
RUBY_LOGGER [DFEWI], \[%{TIMESTAMP_ISO8601:timestamp} #%{POSINT:pid:int}\] *%{RUBY_LOGLEVEL:loglevel} -- +%{DATA:progname}: %{GREEDYDATA:message}
`;

export const ecsV1 = shared + String.raw`
RUBY_LOGGER [DFEWI], \[%{TIMESTAMP_ISO8601:timestamp} #%{POSINT:[process][pid]:int}\] *%{RUBY_LOGLEVEL:[log][level]} -- +%{DATA:[process][name]}: %{GREEDYDATA:message}
`;
