/** Exim main log, message arrival lines (Logstash's `exim` file). */

/**
 * Upstream repeats `(?: (?:field|field|…))*` and relies on Oniguruma keeping each capture from
 * earlier iterations; a JS RegExp resets the captures of a quantified group on every iteration,
 * so only the last field would survive. The repetition is unrolled into optional copies (same
 * strings matched for up to UNROLL fields; beyond that the rest still matches, uncaptured).
 */
const UNROLL = 12;
const repeatFields = (one: string): string => `${one}?`.repeat(UNROLL) + `${one}*`;
const shared = String.raw`
EXIM_MSGID [0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2}
EXIM_QT (?:(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?)
EXIM_EXCLUDE_TERMS (?:Message is frozen|(?:Start|End) queue run| Warning: | retry time not reached | no (?:IP address|host name) found for (?:IP address|host) | unexpected disconnection while reading SMTP command | no immediate delivery: |another process is handling this message)
`;

export const legacy = shared + String.raw`
EXIM_FLAGS (?:<=|[-=>*]>|[*]{2}|==)
EXIM_DATE %{YEAR:exim_year}-%{MONTHNUM:exim_month}-%{MONTHDAY:exim_day} %{TIME:exim_time}
EXIM_PID \[%{POSINT:pid}\]
EXIM_REMOTE_HOST (?:H=(?:%{NOTSPACE:remote_hostname} )?(?:\(%{NOTSPACE:remote_heloname}\) )?\[%{IP:remote_host}\])(?::%{POSINT:remote_port})?
EXIM_INTERFACE (?:I=\[%{IP:exim_interface}\](?::%{NUMBER:exim_interface_port}))
EXIM_PROTOCOL (?:P=%{NOTSPACE:protocol})
EXIM_MSG_SIZE (?:S=%{NUMBER:exim_msg_size})
EXIM_HEADER_ID (?:id=%{NOTSPACE:exim_header_id})
EXIM_SUBJECT (?:T=%{QS:exim_subject})
EXIM_MESSAGE_ARRIVAL %{EXIM_DATE:timestamp} (?:%{EXIM_PID} )?%{EXIM_MSGID:exim_msgid} (?<exim_flags><=) (?:%{EXIM_FLAGS:exim_flags} )?(?<exim_status>[a-z:] )?%{EMAILADDRESS:exim_sender_email}${repeatFields(String.raw`(?: (?:%{EXIM_REMOTE_HOST}|%{EXIM_INTERFACE}|%{EXIM_PROTOCOL}|%{EXIM_MSG_SIZE}|%{EXIM_HEADER_ID}|%{EXIM_SUBJECT}|(?:[A-Za-z]{1,4}=%{NOTSPACE})))`)}(?: for %{EMAILADDRESS:exim_recipient_email})?
EXIM %{EXIM_MESSAGE_ARRIVAL}
`;

export const ecsV1 = shared + String.raw`
EXIM_FLAGS (?:<=|=>|->|\*>|\*\*|==|<>|>>)
# "(:?" (an optional colon, as upstream writes it) kept as is.
EXIM_DATE (:?%{YEAR}-%{MONTHNUM}-%{MONTHDAY} %{TIME})
EXIM_PID \[%{POSINT:[process][pid]:int}\]
EXIM_REMOTE_HOST (?:H=(?:%{NOTSPACE:[source][address]} )?(?:\(%{NOTSPACE:[exim][log][remote_address]}\) )?\[%{IP:[source][ip]}\](?::%{POSINT:[source][port]:int})?)
EXIM_INTERFACE (?:I=\[%{IP:[destination][ip]}\](?::%{NUMBER:[destination][port]:int}))
EXIM_PROTOCOL (?:P=%{NOTSPACE:[network][protocol]})
EXIM_MSG_SIZE (?:S=%{NUMBER:[exim][log][message][size]:int})
EXIM_HEADER_ID (?:id=%{NOTSPACE:[exim][log][header_id]})
EXIM_QUOTED_CONTENT (?:\\.|[^\\"])*
EXIM_SUBJECT (?:T="%{EXIM_QUOTED_CONTENT:[exim][log][message][subject]}")
EXIM_UNKNOWN_FIELD (?:[A-Za-z0-9]{1,4}=(?:%{QUOTEDSTRING}|%{NOTSPACE}))
EXIM_NAMED_FIELDS ${repeatFields(String.raw`(?: (?:%{EXIM_REMOTE_HOST}|%{EXIM_INTERFACE}|%{EXIM_PROTOCOL}|%{EXIM_MSG_SIZE}|%{EXIM_HEADER_ID}|%{EXIM_SUBJECT}|%{EXIM_UNKNOWN_FIELD}))`)}
EXIM_MESSAGE_ARRIVAL %{EXIM_DATE:timestamp} (?:%{EXIM_PID} )?%{EXIM_MSGID:[exim][log][message][id]} (?<[exim][log][flags]><=) (?<[exim][log][status]>[a-z:] )?%{EMAILADDRESS:[exim][log][sender][email]}%{EXIM_NAMED_FIELDS}(?:(?: from <?%{DATA:[exim][log][sender][original]}>?)? for %{EMAILADDRESS:[exim][log][recipient][email]})?
EXIM %{EXIM_MESSAGE_ARRIVAL}
`;
