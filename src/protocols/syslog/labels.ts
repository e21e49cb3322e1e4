/**
 * The facility and severity names Logstash's syslog plugins ship with. The syslog input and the
 * syslog_pri filter disagree on spelling (the input capitalises severities and says "system" for
 * facility 3, the filter says "daemon"); each keeps its own list, as in Logstash.
 */

export const INPUT_FACILITY_LABELS = [
  'kernel', 'user-level', 'mail', 'system', 'security/authorization', 'syslogd', 'line printer', 'network news', 'UUCP', 'clock',
  'security/authorization', 'FTP', 'NTP', 'log audit', 'log alert', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4',
  'local5', 'local6', 'local7',
] as const;

export const INPUT_SEVERITY_LABELS = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

export const FILTER_FACILITY_LABELS = [
  'kernel', 'user-level', 'mail', 'daemon', 'security/authorization', 'syslogd', 'line printer', 'network news', 'uucp', 'clock',
  'security/authorization', 'ftp', 'ntp', 'log audit', 'log alert', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4',
  'local5', 'local6', 'local7',
] as const;

export const FILTER_SEVERITY_LABELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'] as const;
