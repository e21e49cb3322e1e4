/**
 * Base patterns (Logstash's `grok-patterns` file): same names and captures, our own definitions.
 * Text format: one `NAME regex` per line, as in pattern files. The V8-friendly choices
 * (no atomic groups where they cannot change the result) are noted inline.
 */
const BT = '`';

/** Identical in both ECS modes. */
const common = String.raw`
USERNAME [a-zA-Z0-9._-]+
USER %{USERNAME}
INT (?:[+-]?[0-9]+)
# Atomic: a number never gives back digits (Oniguruma semantics kept exactly).
BASE10NUM (?<![0-9.+-])(?>[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+))
NUMBER (?:%{BASE10NUM})
BASE16NUM (?<![0-9A-Fa-f])(?:[+-]?(?:0x)?[0-9A-Fa-f]+)
BASE16FLOAT \b(?<![0-9A-Fa-f.])(?:[+-]?(?:0x)?(?:[0-9A-Fa-f]+(?:\.[0-9A-Fa-f]*)?|\.[0-9A-Fa-f]+))\b
POSINT \b(?:[1-9][0-9]*)\b
NONNEGINT \b(?:[0-9]+)\b
WORD \b\w+\b
NOTSPACE \S+
SPACE \s*
DATA .*?
GREEDYDATA .*
# Each quoted form has exactly one possible end (the first unescaped closing quote), so the
# atomic groups of the classic definition cannot change the result; plain groups keep it linear.
QUOTEDSTRING (?<!\\)(?:"(?:\\.|[^\\"])*"|'(?:\\.|[^\\'])*'|${BT}(?:\\.|[^\\${BT}])*${BT})
UUID [A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}
URN urn:[0-9A-Za-z][0-9A-Za-z-]{0,31}:(?:%[0-9a-fA-F]{2}|[0-9A-Za-z()+,.:=@;$_!*'/?#-])+
MAC (?:%{CISCOMAC}|%{WINDOWSMAC}|%{COMMONMAC})
CISCOMAC (?:(?:[A-Fa-f0-9]{4}\.){2}[A-Fa-f0-9]{4})
WINDOWSMAC (?:(?:[A-Fa-f0-9]{2}-){5}[A-Fa-f0-9]{2})
COMMONMAC (?:(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2})
IPV6 %{_IPV6_BODY}(?:%.+)?
_IPV6_BODY (?:(?:%{_H16}:){7}(?:%{_H16}|:)|(?:%{_H16}:){6}(?::%{_H16}|%{_IPV4_DOTTED}|:)|(?:%{_H16}:){5}(?:(?::%{_H16}){1,2}|:%{_IPV4_DOTTED}|:)|(?:%{_H16}:){4}(?:(?::%{_H16}){1,3}|(?::%{_H16})?:%{_IPV4_DOTTED}|:)|(?:%{_H16}:){3}(?:(?::%{_H16}){1,4}|(?::%{_H16}){0,2}:%{_IPV4_DOTTED}|:)|(?:%{_H16}:){2}(?:(?::%{_H16}){1,5}|(?::%{_H16}){0,3}:%{_IPV4_DOTTED}|:)|(?:%{_H16}:){1}(?:(?::%{_H16}){1,6}|(?::%{_H16}){0,4}:%{_IPV4_DOTTED}|:)|:(?:(?::%{_H16}){1,7}|(?::%{_H16}){0,5}:%{_IPV4_DOTTED}|:))
_H16 [0-9A-Fa-f]{1,4}
_IPV4_DOTTED %{_IPV6_OCTET}(?:\.%{_IPV6_OCTET}){3}
_IPV6_OCTET (?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)
_IPV4_OCTET (?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])
IPV4 (?<![0-9])(?:%{_IPV4_OCTET}[.]%{_IPV4_OCTET}[.]%{_IPV4_OCTET}[.]%{_IPV4_OCTET})(?![0-9])
IP (?:%{IPV6}|%{IPV4})
HOSTNAME \b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(?:\.?|\b)
IPORHOST (?:%{IP}|%{HOSTNAME})
HOSTPORT %{IPORHOST}:%{POSINT}
PATH (?:%{UNIXPATH}|%{WINPATH})
UNIXPATH (?:/[[[:alnum:]]_%!$@:.,+~-]*)+
TTY (?:/dev/(?:pts|tty(?:[pq])?)(?:\w+)?/?(?:[0-9]+))
WINPATH (?>[A-Za-z]+:|\\)(?:\\[^\\?*]*)+
URIPROTO [A-Za-z](?:[A-Za-z0-9+\-.]+)+
URIPATH (?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_\-]*)+
URIQUERY [A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\-\[\]<>]*
MONTH \b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|ä)?r(?:ch|z)?|[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)\b
MONTHNUM (?:0?[1-9]|1[0-2])
MONTHNUM2 (?:0[1-9]|1[0-2])
MONTHDAY (?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])
DAY (?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)
YEAR (?>\d\d){1,2}
HOUR (?:2[0123]|[01]?[0-9])
MINUTE (?:[0-5][0-9])
SECOND (?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)
TIME (?!<[0-9])%{HOUR}:%{MINUTE}(?::%{SECOND})(?![0-9])
DATE_US %{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}
DATE_EU %{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}
ISO8601_TIMEZONE (?:Z|[+-]%{HOUR}(?::?%{MINUTE}))
TIMESTAMP_ISO8601 %{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?
TIMESTAMP_CN %{YEAR}-%{MONTHNUM}-%{MONTHDAY} %{HOUR}:%{MINUTE}:%{SECOND}\.\d{3}
DATE %{DATE_US}|%{DATE_EU}
DATESTAMP %{DATE}[- ]%{TIME}
TZ (?:[APMCE][SD]T|UTC)
DATESTAMP_RFC822 %{DAY} %{MONTH} %{MONTHDAY} %{YEAR} %{TIME} %{TZ}
DATESTAMP_RFC2822 %{DAY}, %{MONTHDAY} %{MONTH} %{YEAR} %{TIME} %{ISO8601_TIMEZONE}
DATESTAMP_OTHER %{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{TZ} %{YEAR}
DATESTAMP_EVENTLOG %{YEAR}%{MONTHNUM2}%{MONTHDAY}%{HOUR}%{MINUTE}%{SECOND}
SYSLOGTIMESTAMP %{MONTH} +%{MONTHDAY} %{TIME}
PROG [\x21-\x5a\x5c\x5e-\x7e]+
SYSLOGHOST %{IPORHOST}
HTTPDATE %{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}
QS %{QUOTEDSTRING}
LOGLEVEL (?:[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo?(?:rmation)?|INFO?(?:RMATION)?|[Ww]arn?(?:ing)?|WARN?(?:ING)?|[Ee]rr?(?:or)?|ERR?(?:OR)?|[Cc]rit?(?:ical)?|CRIT?(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)
`;

export const legacy = common + String.raw`
EMAILLOCALPART [a-zA-Z][a-zA-Z0-9_.+-=:]+
EMAILADDRESS %{EMAILLOCALPART}@%{HOSTNAME}
URIHOST %{IPORHOST}(?::%{POSINT:port})?
URIPARAM \?[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\-\[\]<>]*
URIPATHPARAM %{URIPATH}(?:%{URIPARAM})?
URI %{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATHPARAM})?
ISO8601_SECOND (?:%{SECOND}|60)
SYSLOGPROG %{PROG:program}(?:\[%{POSINT:pid}\])?
SYSLOGFACILITY <%{NONNEGINT:facility}.%{NONNEGINT:priority}>
SYSLOGBASE %{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:logsource} %{SYSLOGPROG}:
`;

export const ecsV1 = common + String.raw`
EMAILLOCALPART [a-zA-Z0-9!#$%&'*+\-/=?^_${BT}{|}~]{1,64}(?:\.[a-zA-Z0-9!#$%&'*+\-/=?^_${BT}{|}~]{1,62}){0,63}
EMAILADDRESS %{EMAILLOCALPART}@%{HOSTNAME}
URIHOST %{IPORHOST}(?::%{POSINT})?
URIPARAM \?%{URIQUERY}
URIPATHPARAM %{URIPATH}(?:\?%{URIQUERY})?
URI %{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATH}(?:\?%{URIQUERY})?)?
ISO8601_SECOND %{SECOND}
SYSLOGPROG %{PROG:[process][name]}(?:\[%{POSINT:[process][pid]:int}\])?
SYSLOGFACILITY <%{NONNEGINT:[log][syslog][facility][code]:int}.%{NONNEGINT:[log][syslog][priority]:int}>
SYSLOGBASE %{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:[host][hostname]} %{SYSLOGPROG}:
`;
