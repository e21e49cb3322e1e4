/**
 * MCollective logs: Logstash ships two files, `mcollective-patterns` (MCOLLECTIVE, and in the
 * legacy set a copy of MCOLLECTIVEAUDIT) and `mcollective` (MCOLLECTIVEAUDIT); the ECS set has
 * both names in `mcollective`. Registered as two entries in that load order.
 */
const audit = String.raw`
MCOLLECTIVEAUDIT %{TIMESTAMP_ISO8601:timestamp}:
`;

/** `mcollective-patterns`. Log lines can be multi-line events. */
export const patterns = {
  legacy: String.raw`
MCOLLECTIVE ., \[%{TIMESTAMP_ISO8601:timestamp} #%{POSINT:pid}\]%{SPACE}%{LOGLEVEL:event_level}
` + audit,
  ecsV1: '',
};

/** `mcollective`. */
export const legacy = audit;

export const ecsV1 = String.raw`
MCOLLECTIVE ., \[%{TIMESTAMP_ISO8601:timestamp} #%{POSINT:[process][pid]:int}\]%{SPACE}%{LOGLEVEL:[log][level]}
` + audit;
