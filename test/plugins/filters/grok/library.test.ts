/**
 * The standard library: every pattern name has a real-looking sample with the exact fields it
 * must capture, in both ECS modes where they differ. The last test fails when a pattern is
 * added to the library without a sample here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGrok, standardPatterns } from '../../../../src/plugins/filters/grok/index.js';

type Mode = 'disabled' | 'v1';
const MODES: Mode[] = ['disabled', 'v1'];
const covered = new Set<string>();

/** Value patterns: `^%{NAME:v}$` must capture the whole sample (and reject the negatives). */
const VALUES: Record<string, { ok: string[]; bad?: string[] }> = {
  USERNAME: { ok: ['john.doe-1_x'], bad: ['a b'] },
  USER: { ok: ['root'] },
  INT: { ok: ['-42', '+7', '0'], bad: ['4.2'] },
  BASE10NUM: { ok: ['+3.14', '.5', '42'], bad: ['1.'] },
  NUMBER: { ok: ['1234.5', '-0.25'], bad: ['1e5'] },
  BASE16NUM: { ok: ['0x1F', 'ff', '-0xA'] },
  BASE16FLOAT: { ok: ['0x1A.8', '1f', 'ff.8'], bad: ['1f.', '.5'] },
  POSINT: { ok: ['8080'], bad: ['0', '-1'] },
  NONNEGINT: { ok: ['0', '17'], bad: ['-1'] },
  WORD: { ok: ['hello_1'], bad: ['a-b'] },
  NOTSPACE: { ok: ['a/b?c=d'], bad: ['a b'] },
  SPACE: { ok: ['   ', ''] },
  DATA: { ok: ['any thing'] },
  GREEDYDATA: { ok: ['any thing at all'] },
  QUOTEDSTRING: { ok: ['"say \\"hi\\""', "'single'", '``', '""'], bad: ['"open'] },
  QS: { ok: ['"x y"'] },
  UUID: { ok: ['123e4567-e89b-12d3-a456-426614174000'], bad: ['123e4567-e89b-12d3-a456'] },
  URN: { ok: ['urn:isbn:0451450523', 'urn:ietf:rfc:2648'] },
  MAC: { ok: ['00:1A:2b:3C:4d:5E', '001a.2b3c.4d5e', '00-1A-2B-3C-4D-5E'] },
  CISCOMAC: { ok: ['001a.2b3c.4d5e'] },
  WINDOWSMAC: { ok: ['00-1A-2B-3C-4D-5E'] },
  COMMONMAC: { ok: ['00:1a:2b:3c:4d:5e'], bad: ['00:1a:2b:3c:4d'] },
  IPV6: { ok: ['2001:db8::ff00:42:8329', '::1', 'fe80::1%eth0', '::ffff:192.0.2.128', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'], bad: ['2001:db8:::1'] },
  IPV4: { ok: ['192.168.1.254', '10.0.0.1'], bad: ['256.1.1.1', '1.2.3'] },
  IP: { ok: ['10.0.0.1', '::1'] },
  HOSTNAME: { ok: ['www.example.com', 'localhost', 'host-1.'] },
  IPORHOST: { ok: ['example.org', '172.16.0.1'] },
  HOSTPORT: { ok: ['localhost:9200', '10.1.1.1:443'] },
  PATH: { ok: ['/usr/local/bin', 'C:\\Windows\\System32'] },
  UNIXPATH: { ok: ['/var/log/syslog', '/tmp/a b'.split(' ')[0]!] },
  TTY: { ok: ['/dev/pts/3', '/dev/tty1'] },
  WINPATH: { ok: ['C:\\Program Files\\App', '\\\\server\\share'] },
  URIPROTO: { ok: ['https', 'svn+ssh'] },
  URIHOST: { ok: ['example.com:8080', 'example.com'] },
  URIPATH: { ok: ['/a/b.html', '/'] },
  URIQUERY: { ok: ['a=1&b=2'] },
  URIPARAM: { ok: ['?a=1&b=[2]'] },
  URIPATHPARAM: { ok: ['/search?q=x', '/plain'] },
  URI: { ok: ['https://user:pw@example.com:8443/path/x?y=1', 'ftp://ftp.example.org/pub'] },
  MONTH: { ok: ['Sep', 'September', 'Dez', 'oct'], bad: ['Sept1'] },
  MONTHNUM: { ok: ['9', '09', '12'], bad: ['13'] },
  MONTHNUM2: { ok: ['09'], bad: ['9'] },
  MONTHDAY: { ok: ['31', '7', '07'], bad: ['32'] },
  DAY: { ok: ['Tuesday', 'Sun'] },
  YEAR: { ok: ['2024', '99'], bad: ['123'] },
  HOUR: { ok: ['23', '7'], bad: ['24'] },
  MINUTE: { ok: ['59'], bad: ['60'] },
  SECOND: { ok: ['60', '05.123', '59,5'] },
  TIME: { ok: ['13:55:36', '7:05:00.250'], bad: ['13:55'] },
  DATE_US: { ok: ['12/31/2024', '1-2-24'] },
  DATE_EU: { ok: ['31.12.2024', '31/12/24'] },
  DATE: { ok: ['10-11-2024', '25.12.2024'] },
  ISO8601_TIMEZONE: { ok: ['+02:00', 'Z', '-0800'] },
  ISO8601_SECOND: { ok: ['07', '59.999'] },
  TIMESTAMP_ISO8601: { ok: ['2024-03-01T12:34:56.789Z', '2024-03-01 12:34', '2024-03-01T12:34:56+01:00'] },
  TIMESTAMP_CN: { ok: ['2024-03-01 12:34:56.789'] },
  DATESTAMP: { ok: ['10/11/2024 13:55:36', '11.10.2024-13:55:36'] },
  TZ: { ok: ['PST', 'UTC'], bad: ['XYZ'] },
  DATESTAMP_RFC822: { ok: ['Tue Oct 10 2000 13:55:36 PDT'] },
  DATESTAMP_RFC2822: { ok: ['Tue, 10 Oct 2000 13:55:36 -0700'] },
  DATESTAMP_OTHER: { ok: ['Tue Oct 10 13:55:36 PDT 2000'] },
  DATESTAMP_EVENTLOG: { ok: ['20240301123456'] },
  SYSLOGTIMESTAMP: { ok: ['Mar  1 18:48:50', 'Dec 31 23:59:59'] },
  PROG: { ok: ['postfix/smtpd', 'CRON'] },
  SYSLOGHOST: { ok: ['mail01', '192.0.2.7'] },
  HTTPDATE: { ok: ['10/Oct/2000:13:55:36 -0700'] },
  LOGLEVEL: { ok: ['WARNING', 'Info', 'err', 'EMERGENCY', 'TRACE'] },
  EMAILLOCALPART: { ok: ['john.doe'] },
  EMAILADDRESS: { ok: ['john.doe@example.com'] },
  HTTPDUSER: { ok: ['frank', 'john@example.com'] },
  HTTPDERROR_DATE: { ok: ['Wed Oct 11 14:32:52 2000', 'Mon Dec 04 09:32:15.123456 2017'] },
  JAVACLASS: { ok: ['com.example.MyClass$Inner', 'Main'] },
  JAVAFILE: { ok: ['MyClass.java', 'Native Method', 'Unknown Source'] },
  JAVAMETHOD: { ok: ['<init>', '<clinit>', 'run$1'] },
  JAVATHREAD: { ok: ['TP-Processor12'] },
  JAVALOGMESSAGE: { ok: ['anything at all'] },
  CATALINA_DATESTAMP: { ok: ['Jan 9, 2014 7:13:13 AM'] },
  TOMCAT_DATESTAMP: { ok: ['2014-01-09 17:32:25,527 -0800'] },
  SYSLOG5424PRINTASCII: { ok: ['app-name[x]'] },
  CRON_ACTION: { ok: ['CMD', 'RELOAD'] },
  SYSLOG5424SD: { ok: ['[exampleSDID@32473 iut="3"]', '[a x="1"][b y="2"]'] },
  // ECS-only names (Tomcat 7/8 forms)
  CATALINA7_DATESTAMP: { ok: ['Jan 9, 2014 7:13:13 AM'] },
  CATALINA8_DATESTAMP: { ok: ['31-Jul-2020 16:40:38.578'] },
  TOMCAT50_DATESTAMP: { ok: ['2014-01-09 17:32:25,527 -0800', '2014-01-09 17:32:25,527'] },
  TOMCATLEGACY_DATESTAMP: { ok: ['2014-01-09 17:32:25,527 -0800', '2014-01-09 17:32:25'] },
};

// ---- Library files beyond grok-patterns/httpd/java/linux-syslog ----

/** Value-like patterns of the other library files (no captures of their own, or none that matter). */
Object.assign(VALUES, {
  CLOUDFRONT_EDGE_LOCATION: { ok: ['FRA2', 'IAD89-C1'], bad: ['fra2'] },
  BACULA_VOLUME: { ok: ['Vol-0001'] },
  BACULA_DEVICE: { ok: ['FileStorage'] },
  BACULA_DEVICEPATH: { ok: ['/var/lib/bacula/storage'] },
  BACULA_CAPACITY: { ok: ['1,073,741,824', '512'] },
  BACULA_VERSION: { ok: ['9.4.2'] },
  BACULA_JOB: { ok: ['BackupClient1.2024-03-01_23.05.00_03'] },
  BACULA_HOST: { ok: ['backup-dir'] },
  BACULA_TIMESTAMP: { ok: ['01-Mar 23:05'] },
  BACULA_LOG_BEGIN_PRUNE_JOBS: { ok: ['Begin pruning Jobs older than 6 month 0 days .'] },
  BACULA_LOG_BEGIN_PRUNE_FILES: { ok: ['Begin pruning Files.'] },
  BACULA_LOG_ENDPRUNE: { ok: ['End auto prune.'] },
  BACULA_LOG_NOPRUNE_JOBS: { ok: ['No Jobs found to prune.'] },
  BACULA_LOG_NOPRUNE_FILES: { ok: ['No Files found to prune.'] },
  BACULA_LOG_VSS: { ok: ['Generate VSS Writer', 'VSS '] },
  BACULA_LOG_NOSUIT: { ok: ['No prior or suitable Full backup found in catalog. Doing FULL backup.'] },
  BACULA_LOG_NOPRIOR: { ok: ['No prior Full backup Job record found.'] },
  BACULA_LOG_JOB: { ok: ['Error: Bacula backup-dir 9.4.2 (04Feb19):', 'Bacula fd1 5.2.6 (21Feb12):'] },
  BACULA_LOG_MAXSTART: { ok: ['Fatal error: Job canceled because max start delay time exceeded.'] },
  BACULA_LOG_NOJOBSTAT: { ok: ['Fatal error: No Job status returned from FD.'] },
  BACULA_LOG_DIFF_FS: { ok: ['  /proc is a different filesystem. Will not descend from / into it.'] },
  BIND9_TIMESTAMP: { ok: ['21-Mar-2024 10:00:01.123'] },
  BIND9_DNSTYPE: { ok: ['AAAA', 'MX', 'TXT'], bad: ['XYZ'] },
  BIND9_CATEGORY: { ok: ['queries'] },
  BRO_BOOL: { ok: ['T', 'F'], bad: ['-'] },
  BRO_DATA: { ok: ['text/html'], bad: ['a\tb'] },
  ZEEK_BOOL: { ok: ['T'] },
  ZEEK_DATA: { ok: ['application/json'] },
  EXIM_MSGID: { ok: ['1aZxyQ-0004Ab-Cd'], bad: ['1aZxyQ-0004Ab'] },
  EXIM_FLAGS: { ok: ['<=', '=>', '->', '*>', '**', '=='] },
  EXIM_QT: { ok: ['1d2h3m4s', '5s'] },
  EXIM_EXCLUDE_TERMS: { ok: ['Message is frozen', 'Start queue run'] },
  EXIM_QUOTED_CONTENT: { ok: ['Re: \\"hello\\" world'] },
  EXIM_UNKNOWN_FIELD: { ok: ['DKIM=example.com', 'X="quoted value"'] },
  CISCOTIMESTAMP: { ok: ['Mar 11 2024 10:24:41', 'Jan  1 00:00:01'] },
  CISCOTAG: { ok: ['ASA-6-302013', 'FWSM-4-106023'] },
  CISCO_ACTION: { ok: ['Built', 'Teardown', 'denied by ACL', 'est-allowed'] },
  CISCO_REASON: { ok: ['Duplicate TCP SYN', 'TCP FINs', 'DNS Query'] },
  CISCO_DIRECTION: { ok: ['inbound', 'Outbound'] },
  CISCO_INTERVAL: { ok: ['first hit', '300-second interval'] },
  CISCO_XLATE_TYPE: { ok: ['static', 'dynamic'] },
  CISCOFW104003: { ok: ['(Primary) Switching to FAILED.'] },
  CISCOFW104004: { ok: ['(Secondary) Switching to OK.'] },
  IPTABLES_TCP_FLAGS: { ok: ['ACK PSH ', 'SYN ', ''] },
  IPTABLES4_FRAG: { ok: [''] },
  MAVEN_VERSION: { ok: ['3.8.1', '1.0-SNAPSHOT', '2.5.RELEASE', '1.*'], bad: ['1.2.3.4'] },
  MCOLLECTIVEAUDIT: { ok: ['2024-03-01T10:00:00.123456+0000:'] },
  MONGO_WORDDASH: { ok: ['my-db_1'] },
  MONGO3_SEVERITY: { ok: ['I', 'W'] },
  MONGO3_COMPONENT: { ok: ['NETWORK', 'STORAGE'] },
  RUUID: { ok: ['0123456789abcdef0123456789ABCDEF'], bad: ['0123'] },
  REDISTIMESTAMP: { ok: ['14 Mar 10:15:33.123', '1 Jan 00:00:00'] },
  RUBY_LOGLEVEL: { ok: ['DEBUG', 'WARN'], bad: ['NOTICE'] },
  RT_FLOW_EVENT: { ok: ['RT_FLOW_SESSION_CREATE', 'RT_FLOW_SESSION_DENY'] },
  RT_FLOW_TAG: { ok: ['RT_FLOW_SESSION_CLOSE'] },
  SQUID3_STATUS: { ok: ['200', '000', '0'] },
});
for (const n of ['TYPE_CURRENT_SERVICE_STATE', 'TYPE_CURRENT_HOST_STATE', 'TYPE_SERVICE_NOTIFICATION', 'TYPE_HOST_NOTIFICATION', 'TYPE_SERVICE_ALERT', 'TYPE_HOST_ALERT',
  'TYPE_SERVICE_FLAPPING_ALERT', 'TYPE_HOST_FLAPPING_ALERT', 'TYPE_SERVICE_DOWNTIME_ALERT', 'TYPE_HOST_DOWNTIME_ALERT', 'TYPE_PASSIVE_SERVICE_CHECK', 'TYPE_PASSIVE_HOST_CHECK',
  'TYPE_SERVICE_EVENT_HANDLER', 'TYPE_HOST_EVENT_HANDLER', 'TYPE_EXTERNAL_COMMAND', 'TYPE_TIMEPERIOD_TRANSITION']) {
  // NAGIOS_TYPE_HOST_ALERT matches "HOST ALERT": the literal is the name with spaces.
  VALUES[`NAGIOS_${n}`] = { ok: [n.slice(5).replace(/_/g, ' ')] };
}
for (const n of ['DISABLE_SVC_CHECK', 'ENABLE_SVC_CHECK', 'DISABLE_HOST_CHECK', 'ENABLE_HOST_CHECK', 'PROCESS_SERVICE_CHECK_RESULT', 'PROCESS_HOST_CHECK_RESULT', 'SCHEDULE_SERVICE_DOWNTIME',
  'SCHEDULE_HOST_DOWNTIME', 'DISABLE_HOST_SVC_NOTIFICATIONS', 'ENABLE_HOST_SVC_NOTIFICATIONS', 'DISABLE_HOST_NOTIFICATIONS', 'ENABLE_HOST_NOTIFICATIONS', 'DISABLE_SVC_NOTIFICATIONS', 'ENABLE_SVC_NOTIFICATIONS']) {
  VALUES[`NAGIOS_EC_${n}`] = { ok: [n] };
}

for (const [name, { ok, bad = [] }] of Object.entries(VALUES)) {
  covered.add(name);
  test(`value pattern ${name}`, () => {
    for (const mode of MODES) {
      const lib = standardPatterns(mode);
      if (!lib.has(name)) continue;
      const g = compileGrok(`^%{${name}:v}$`, { patterns: lib });
      for (const s of ok) assert.equal(g.match(s)?.['v'] ?? (s === '' ? '' : undefined), s, `${name} (${mode}) should match ${JSON.stringify(s)}`);
      for (const s of bad) assert.equal(g.match(s), null, `${name} (${mode}) should not match ${JSON.stringify(s)}`);
    }
  });
}

/** Log-format patterns: exact captured fields per ECS mode (null = not defined in that mode, 'nomatch' = defined but must not match). */
const LINES: Array<{ names: string[]; line: string; disabled: object | null | 'nomatch'; v1: object | null | 'nomatch' }> = [
  {
    names: ['SYSLOGPROG'], line: 'sshd[123]',
    disabled: { program: 'sshd', pid: '123' }, v1: { process: { name: 'sshd', pid: 123 } },
  },
  {
    names: ['SYSLOGFACILITY'], line: '<4.6>',
    disabled: { facility: '4', priority: '6' }, v1: { log: { syslog: { facility: { code: 4 }, priority: 6 } } },
  },
  {
    names: ['SYSLOGBASE'], line: 'Mar  1 18:48:50 mail01 postfix/smtpd[1234]:',
    disabled: { timestamp: 'Mar  1 18:48:50', logsource: 'mail01', program: 'postfix/smtpd', pid: '1234' },
    v1: { timestamp: 'Mar  1 18:48:50', host: { hostname: 'mail01' }, process: { name: 'postfix/smtpd', pid: 1234 } },
  },
  {
    names: ['COMBINEDAPACHELOG', 'HTTPD_COMBINEDLOG'],
    line: '93.184.216.34 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
    disabled: {
      clientip: '93.184.216.34', ident: '-', auth: 'frank', timestamp: '10/Oct/2000:13:55:36 -0700', verb: 'GET', request: '/apache_pb.gif?x=1',
      httpversion: '1.0', response: '200', bytes: '2326', referrer: '"http://www.example.com/start.html"', agent: '"Mozilla/4.08 [en] (Win98; I ;Nav)"',
    },
    v1: {
      source: { address: '93.184.216.34' }, user: { name: 'frank' }, timestamp: '10/Oct/2000:13:55:36 -0700',
      http: { request: { method: 'GET', referrer: 'http://www.example.com/start.html' }, version: '1.0', response: { status_code: 200, body: { bytes: 2326 } } },
      url: { original: '/apache_pb.gif?x=1' }, user_agent: { original: 'Mozilla/4.08 [en] (Win98; I ;Nav)' },
    },
  },
  {
    names: ['COMBINEDAPACHELOG'], line: '10.0.0.5 - - [10/Oct/2000:13:55:36 -0700] "-" 400 0 "-" "-"',
    disabled: { clientip: '10.0.0.5', ident: '-', auth: '-', timestamp: '10/Oct/2000:13:55:36 -0700', rawrequest: '-', response: '400', bytes: '0', referrer: '"-"', agent: '"-"' },
    v1: { source: { address: '10.0.0.5' }, timestamp: '10/Oct/2000:13:55:36 -0700', http: { response: { status_code: 400, body: { bytes: 0 } } } },
  },
  {
    names: ['COMMONAPACHELOG', 'HTTPD_COMMONLOG'], line: '2001:db8::1 - alice@example.com [10/Oct/2000:13:55:36 -0700] "POST /login HTTP/1.1" 302 -',
    disabled: { clientip: '2001:db8::1', ident: '-', auth: 'alice@example.com', timestamp: '10/Oct/2000:13:55:36 -0700', verb: 'POST', request: '/login', httpversion: '1.1', response: '302' },
    v1: { source: { address: '2001:db8::1' }, user: { name: 'alice@example.com' }, timestamp: '10/Oct/2000:13:55:36 -0700', http: { request: { method: 'POST' }, version: '1.1', response: { status_code: 302 } }, url: { original: '/login' } },
  },
  {
    names: ['HTTPD_ERRORLOG', 'HTTPD20_ERRORLOG'], line: '[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home/live/ap/htdocs/test',
    disabled: { timestamp: 'Wed Oct 11 14:32:52 2000', loglevel: 'error', clientip: '127.0.0.1', message: 'client denied by server configuration: /export/home/live/ap/htdocs/test' },
    v1: { timestamp: 'Wed Oct 11 14:32:52 2000', log: { level: 'error' }, source: { address: '127.0.0.1' }, message: 'client denied by server configuration: /export/home/live/ap/htdocs/test' },
  },
  {
    names: ['HTTPD_ERRORLOG', 'HTTPD24_ERRORLOG'], line: '[Mon Dec 04 09:32:15.123456 2017] [proxy:error] [pid 1234:tid 5678] (111)Connection refused: AH00957: HTTP: attempt to connect to 127.0.0.1:8080 (*) failed',
    disabled: { timestamp: 'Mon Dec 04 09:32:15.123456 2017', module: 'proxy', loglevel: 'error', pid: '1234', tid: '5678', proxy_errorcode: '111', proxy_message: 'Connection refused', errorcode: 'AH00957', message: 'HTTP: attempt to connect to 127.0.0.1:8080 (*) failed' },
    v1: {
      timestamp: 'Mon Dec 04 09:32:15.123456 2017', apache: { error: { module: 'proxy', proxy: { error: { code: '111', message: 'Connection refused' } } } }, log: { level: 'error' },
      process: { pid: 1234, thread: { id: 5678 } }, error: { code: 'AH00957' }, message: 'HTTP: attempt to connect to 127.0.0.1:8080 (*) failed',
    },
  },
  {
    names: ['HTTPD24_ERRORLOG'], line: '[Thu Jun 27 06:58:09.169510 2019] [core:notice] [pid 12345] [client 192.168.1.9:51234] AH00094: Command line: httpd',
    disabled: { timestamp: 'Thu Jun 27 06:58:09.169510 2019', module: 'core', loglevel: 'notice', pid: '12345', clientip: '192.168.1.9', clientport: '51234', errorcode: 'AH00094', message: 'Command line: httpd' },
    v1: { timestamp: 'Thu Jun 27 06:58:09.169510 2019', apache: { error: { module: 'core' } }, log: { level: 'notice' }, process: { pid: 12345 }, source: { address: '192.168.1.9', port: 51234 }, error: { code: 'AH00094' }, message: 'Command line: httpd' },
  },
  {
    names: ['SYSLOGLINE'], line: 'Mar  1 18:48:50 host sshd[1234]: Accepted password for bob from 10.0.0.9 port 5022 ssh2',
    disabled: { timestamp: 'Mar  1 18:48:50', logsource: 'host', program: 'sshd', pid: '1234', message: 'Accepted password for bob from 10.0.0.9 port 5022 ssh2' },
    v1: { timestamp: 'Mar  1 18:48:50', host: { hostname: 'host' }, process: { name: 'sshd', pid: 1234 }, message: 'Accepted password for bob from 10.0.0.9 port 5022 ssh2' },
  },
  {
    names: ['SYSLOGLINE'], line: '2024-03-01T12:00:00.123+01:00 <13.5> web-1 nginx: started',
    disabled: { timestamp8601: '2024-03-01T12:00:00.123+01:00', facility: '13', priority: '5', logsource: 'web-1', program: 'nginx', message: 'started' },
    v1: { timestamp: '2024-03-01T12:00:00.123+01:00', log: { syslog: { facility: { code: 13 }, priority: 5 } }, host: { hostname: 'web-1' }, process: { name: 'nginx' }, message: 'started' },
  },
  {
    names: ['SYSLOGPAMSESSION'], line: 'Jun 10 12:00:01 server1 sshd[2345]: pam_unix(sshd:session): session opened for user root by (uid=0)',
    disabled: { timestamp: 'Jun 10 12:00:01', logsource: 'server1', program: 'sshd', pid: '2345', message: 'pam_unix(sshd:session): session opened for user root by (uid=0)', pam_module: 'pam_unix', pam_caller: 'sshd:session', pam_session_state: 'opened', username: 'root', pam_by: '(uid=0)' },
    v1: { timestamp: 'Jun 10 12:00:01', host: { hostname: 'server1' }, process: { name: 'sshd', pid: 2345 }, message: 'pam_unix(sshd:session): session opened for user root by (uid=0)', system: { auth: { pam: { module: 'pam_unix', origin: 'sshd:session', session_state: 'opened' } } }, user: { name: 'root' } },
  },
  {
    names: ['CRONLOG'], line: 'Jun 10 12:00:01 server1 CROND[2345]: (root) CMD (/usr/lib64/sa/sa1 1 1)',
    disabled: { timestamp: 'Jun 10 12:00:01', logsource: 'server1', program: 'CROND', pid: '2345', user: 'root', action: 'CMD', message: '/usr/lib64/sa/sa1 1 1' },
    v1: { timestamp: 'Jun 10 12:00:01', host: { hostname: 'server1' }, process: { name: 'CROND', pid: 2345 }, user: { name: 'root' }, system: { cron: { action: 'CMD' } }, message: '/usr/lib64/sa/sa1 1 1' },
  },
  {
    names: ['SYSLOG5424LINE'], line: '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event log entry',
    disabled: { syslog5424_pri: '165', syslog5424_ver: '1', syslog5424_ts: '2003-10-11T22:14:15.003Z', syslog5424_host: 'mymachine.example.com', syslog5424_app: 'evntslog', syslog5424_msgid: 'ID47', syslog5424_sd: '[exampleSDID@32473 iut="3" eventSource="Application"]', syslog5424_msg: 'An application event log entry' },
    v1: { log: { syslog: { facility: { code: 165 } } }, system: { syslog: { version: '1', structured_data: '[exampleSDID@32473 iut="3" eventSource="Application"]' } }, timestamp: '2003-10-11T22:14:15.003Z', host: { hostname: 'mymachine.example.com' }, process: { name: 'evntslog' }, event: { code: 'ID47' }, message: 'An application event log entry' },
  },
  {
    names: ['SYSLOGBASE2'], line: 'Mar  1 18:48:50 host sshd[1234]: Accepted',
    disabled: { timestamp: 'Mar  1 18:48:50', logsource: 'host', program: 'sshd', pid: '1234' },
    v1: { timestamp: 'Mar  1 18:48:50', host: { hostname: 'host' }, process: { name: 'sshd', pid: 1234 } },
  },
  {
    names: ['SYSLOG5424BASE'], line: '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - x',
    disabled: { syslog5424_pri: '34', syslog5424_ver: '1', syslog5424_ts: '2003-10-11T22:14:15.003Z', syslog5424_host: 'mymachine.example.com', syslog5424_app: 'su', syslog5424_msgid: 'ID47' },
    v1: { log: { syslog: { facility: { code: 34 } } }, system: { syslog: { version: '1' } }, timestamp: '2003-10-11T22:14:15.003Z', host: { hostname: 'mymachine.example.com' }, process: { name: 'su' }, event: { code: 'ID47' } },
  },
  {
    names: ['SYSLOG5424PRI'], line: '<191>',
    disabled: { syslog5424_pri: '191' }, v1: { log: { syslog: { facility: { code: 191 } } } },
  },
  {
    names: ['CATALINALOG', 'TOMCATLOG'], line: '31-Jul-2020 16:40:38.578 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in 1234 ms',
    disabled: 'nomatch',
    v1: { timestamp: '31-Jul-2020 16:40:38.578', log: { level: 'INFO', origin: { function: 'start' } }, java: { log: { origin: { thread: { name: 'main' }, class: { name: 'org.apache.catalina.startup.Catalina' } } } }, message: 'Server startup in 1234 ms' },
  },
  {
    names: ['JAVASTACKTRACEPART'], line: '    at com.example.Foo.bar(Foo.java:42)',
    disabled: { class: 'com.example.Foo', method: 'bar', file: 'Foo.java', line: '42' },
    v1: { java: { log: { origin: { class: { name: 'com.example.Foo' } } } }, log: { origin: { function: 'bar', file: { name: 'Foo.java', line: 42 } } } },
  },
  {
    names: ['CATALINALOG'], line: 'Jan 9, 2014 7:13:13 AM org.apache.catalina.startup.Catalina start',
    disabled: { timestamp: 'Jan 9, 2014 7:13:13 AM', class: 'org.apache.catalina.startup.Catalina', logmessage: 'start' },
    v1: { timestamp: 'Jan 9, 2014 7:13:13 AM', java: { log: { origin: { class: { name: 'org.apache.catalina.startup.Catalina' } } } }, message: 'start' },
  },
  {
    names: ['TOMCATLOG'], line: '2014-01-09 17:32:25,527 -0800 | ERROR | com.example.Foo - something failed',
    disabled: { timestamp: '2014-01-09 17:32:25,527 -0800', level: 'ERROR', class: 'com.example.Foo', logmessage: 'something failed' },
    v1: { timestamp: '2014-01-09 17:32:25,527 -0800', log: { level: 'ERROR' }, java: { log: { origin: { class: { name: 'com.example.Foo' } } } }, message: 'something failed' },
  },
  {
    names: ['CATALINA8_LOG', 'TOMCAT8_LOG'], line: '31-Jul-2020 16:40:38.578 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in 1234 ms',
    disabled: null,
    v1: { timestamp: '31-Jul-2020 16:40:38.578', log: { level: 'INFO', origin: { function: 'start' } }, java: { log: { origin: { thread: { name: 'main' }, class: { name: 'org.apache.catalina.startup.Catalina' } } } }, message: 'Server startup in 1234 ms' },
  },
  {
    names: ['CATALINA7_LOG', 'TOMCAT6_LOG', 'TOMCAT7_LOG'], line: 'Jan 9, 2014 7:13:13 AM org.apache.catalina.core.StandardServer await SEVERE: Invalid command',
    disabled: null,
    v1: { timestamp: 'Jan 9, 2014 7:13:13 AM', java: { log: { origin: { class: { name: 'org.apache.catalina.core.StandardServer' } } } }, log: { origin: { function: 'await' }, level: 'SEVERE' }, message: 'Invalid command' },
  },
  {
    names: ['TOMCAT50_LOG'], line: '2014-01-09 17:32:25,527 -0800 INFO StandardContext[/app]: Initializing Spring',
    disabled: null,
    v1: { timestamp: '2014-01-09 17:32:25,527 -0800', log: { level: 'INFO' }, tomcat: { context: { name: '/app' } }, message: 'Initializing Spring' },
  },
  {
    names: ['TOMCATLEGACY_LOG'], line: '2014-01-09 17:32:25,527 -0800 | WARN | org.example.Svc - slow',
    disabled: null,
    v1: { timestamp: '2014-01-09 17:32:25,527 -0800', log: { level: 'WARN' }, java: { log: { origin: { class: { name: 'org.example.Svc' } } } }, message: 'slow' },
  },
];

for (const { names, line, disabled, v1 } of LINES) {
  test(`log pattern ${names.join(', ')}: ${line.slice(0, 50)}`, () => {
    for (const name of names) {
      covered.add(name);
      for (const mode of MODES) {
        const expected = mode === 'disabled' ? disabled : v1;
        const lib = standardPatterns(mode);
        if (expected === null) { assert.equal(lib.has(name), false, `${name} should not exist with ecs ${mode}`); continue; }
        const g = compileGrok(`%{${name}}`, { patterns: lib });
        assert.deepEqual(g.match(line), expected === 'nomatch' ? null : expected, `${name} (${mode})`);
      }
    }
  });
}

type Exp = object | null | 'nomatch';
/** Lines for the other library files; anchored (`^%{NAME}$`) unless anchor is false. */
const MORE: Array<{ names: string[]; line: string; disabled: Exp; v1: Exp; anchor?: boolean }> = [];
const HAP_HTTP = 'Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"';
const HAP_DATE_LEGACY = { haproxy_monthday: '06', haproxy_month: 'Feb', haproxy_year: '2009', haproxy_time: '12:14:14', haproxy_hour: '12', haproxy_minute: '14', haproxy_second: '14', haproxy_milliseconds: '655' };
const HAP_BASE_LEGACY = {
  client_ip: '10.0.1.2', client_port: '33317', accept_date: '06/Feb/2009:12:14:14.655', ...HAP_DATE_LEGACY, frontend_name: 'http-in', backend_name: 'static', server_name: 'srv1',
  time_request: '10', time_queue: '0', time_backend_connect: '30', time_backend_response: '69', time_duration: '109', http_status_code: '200', bytes_read: '2750',
  captured_request_cookie: '-', captured_response_cookie: '-', termination_state: '----', actconn: '1', feconn: '1', beconn: '1', srvconn: '1', retries: '0', srv_queue: '0', backend_queue: '0',
  captured_request_headers: '1wt.eu', http_verb: 'GET', http_request: '/index.html', http_version: '1.1',
};
const HAP_BASE_ECS = {
  source: { address: '10.0.1.2', port: 33317, bytes: 2750 },
  haproxy: {
    request_date: '06/Feb/2009:12:14:14.655', frontend_name: 'http-in', backend_name: 'static', server_name: 'srv1',
    http: { request: { time_wait_ms: 10, time_wait_without_data_ms: 69, captured_headers: '1wt.eu' } }, total_waiting_time_ms: 0, connection_wait_time_ms: 30, total_time_ms: '109',
    termination_state: '----', connections: { active: 1, frontend: 1, backend: 1, server: 1, retries: 0 }, server_queue: 0, backend_queue: 0,
  },
  http: { response: { status_code: 200 }, request: { method: 'GET' }, version: '1.1' }, url: { original: '/index.html', path: '/index.html' },
};
MORE.push(
  {
    names: ['HAPROXYHTTP'], line: HAP_HTTP,
    disabled: { syslog_timestamp: 'Feb  6 12:14:14', syslog_server: 'localhost', program: 'haproxy', pid: '14389', ...HAP_BASE_LEGACY },
    v1: { timestamp: 'Feb  6 12:14:14', host: { hostname: 'localhost' }, process: { name: 'haproxy', pid: 14389 }, ...HAP_BASE_ECS },
  },
  { names: ['HAPROXYHTTPBASE'], line: HAP_HTTP.slice(HAP_HTTP.indexOf('10.0.1.2')), disabled: HAP_BASE_LEGACY, v1: HAP_BASE_ECS },
  {
    names: ['HAPROXYTCP'], line: 'Feb  6 12:12:56 localhost haproxy[14387]: 10.0.1.2:33313 [06/Feb/2009:12:12:51.443] fnt bck/srv1 0/0/5007 212 -- 0/0/0/0/3 0/0',
    disabled: {
      syslog_timestamp: 'Feb  6 12:12:56', syslog_server: 'localhost', program: 'haproxy', pid: '14387', client_ip: '10.0.1.2', client_port: '33313', accept_date: '06/Feb/2009:12:12:51.443',
      haproxy_monthday: '06', haproxy_month: 'Feb', haproxy_year: '2009', haproxy_time: '12:12:51', haproxy_hour: '12', haproxy_minute: '12', haproxy_second: '51', haproxy_milliseconds: '443',
      frontend_name: 'fnt', backend_name: 'bck', server_name: 'srv1', time_queue: '0', time_backend_connect: '0', time_duration: '5007', bytes_read: '212', termination_state: '--',
      actconn: '0', feconn: '0', beconn: '0', srvconn: '0', retries: '3', srv_queue: '0', backend_queue: '0',
    },
    v1: {
      timestamp: 'Feb  6 12:12:56', host: { hostname: 'localhost' }, process: { name: 'haproxy', pid: 14387 }, source: { address: '10.0.1.2', port: 33313, bytes: 212 },
      haproxy: {
        request_date: '06/Feb/2009:12:12:51.443', frontend_name: 'fnt', backend_name: 'bck', server_name: 'srv1', total_waiting_time_ms: 0, connection_wait_time_ms: 0, total_time_ms: '5007',
        termination_state: '--', connections: { active: 0, frontend: 0, backend: 0, server: 0, retries: 3 }, server_queue: 0, backend_queue: 0,
      },
    },
  },
  {
    names: ['HAPROXYERROR'], line: 'Sep 20 15:44:23 127.0.0.1 haproxy[25457]: 10.0.0.5:44312 [20/Sep/2021:15:44:23.285] www-https/1: SSL handshake failure',
    disabled: {
      syslog_timestamp: 'Sep 20 15:44:23', syslog_server: '127.0.0.1', program: 'haproxy', pid: '25457', client_ip: '10.0.0.5', client_port: '44312', accept_date: '20/Sep/2021:15:44:23.285',
      haproxy_monthday: '20', haproxy_month: 'Sep', haproxy_year: '2021', haproxy_time: '15:44:23', haproxy_hour: '15', haproxy_minute: '44', haproxy_second: '23', haproxy_milliseconds: '285',
      frontend_name: 'www-https', bind_name: '1', error_message: 'SSL handshake failure',
    },
    v1: null,
  },
  { names: ['HAPROXYDATE'], line: '06/Feb/2009:12:14:14.655', disabled: HAP_DATE_LEGACY, v1: {} },
  { names: ['HAPROXYTIME'], line: '12:14:14', disabled: { haproxy_hour: '12', haproxy_minute: '14', haproxy_second: '14' }, v1: {} },
  { names: ['HAPROXYCAPTUREDREQUESTHEADERS'], line: 'www.example.com|Mozilla/5.0', disabled: { captured_request_headers: 'www.example.com|Mozilla/5.0' }, v1: { haproxy: { http: { request: { captured_headers: 'www.example.com|Mozilla/5.0' } } } } },
  { names: ['HAPROXYCAPTUREDRESPONSEHEADERS'], line: 'text/html|gzip', disabled: { captured_response_headers: 'text/html|gzip' }, v1: { haproxy: { http: { response: { captured_headers: 'text/html|gzip' } } } } },
  {
    names: ['HAPROXYURI'], line: 'http://user:pw@example.com:8080/path/x?q=1', disabled: null,
    v1: { url: { scheme: 'http', username: 'user', domain: 'example.com', port: 8080, path: '/path/x', query: 'q=1' } },
  },
  {
    names: ['HAPROXYHTTPREQUESTLINE'], line: 'GET /index.html HTTP/1.1', disabled: null,
    v1: { http: { request: { method: 'GET' }, version: '1.1' }, url: { original: '/index.html', path: '/index.html' } },
  },
);

// aws
const ELB_A = '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000086 0.001048 0.001337 200 200 0 57 "GET https://www.example.com:443/path/x.html?a=1 HTTP/1.1"';
const ELB_A_ECS = {
  timestamp: '2015-05-13T23:39:43.945958Z', source: { ip: '192.168.131.39', port: 2817 },
  aws: { elb: { name: 'my-loadbalancer', backend: { ip: '10.0.0.1', port: 80, http: { response: { status_code: 200 } } }, request_processing_time: { sec: 0.000086 }, backend_processing_time: { sec: 0.001048 }, response_processing_time: { sec: 0.001337 } } },
  http: { response: { status_code: 200, body: { bytes: 57 } }, request: { body: { bytes: 0 }, method: 'GET' }, version: '1.1' },
  url: { original: 'https://www.example.com:443/path/x.html?a=1', scheme: 'https', domain: 'www.example.com', port: 443, path: '/path/x.html', query: 'a=1' },
};
// The current ELB format appends user agent, TLS cipher and protocol; the legacy pattern predates it.
const ELB_B = `${ELB_A} "curl/7.38.0" DHE-RSA-AES128-SHA TLSv1.2`;
const ELB_B_ECS = { ...ELB_A_ECS, user_agent: { original: 'curl/7.38.0' }, tls: { cipher: 'DHE-RSA-AES128-SHA' }, aws: { elb: { ...ELB_A_ECS.aws.elb, ssl_protocol: 'TLSv1.2' } } };
const ELB_URI_LEGACY = { proto: 'https', urihost: 'www.example.com:443', port: '443', path: '/path/x.html', params: '?a=1' };
const ELB_URI_ECS = { url: { scheme: 'https', domain: 'www.example.com', port: 443, path: '/path/x.html', query: 'a=1' } };
const CF_LINE = ['2014-05-23', '01:13:11', 'FRA2', '182', '192.0.2.10', 'GET', 'd111111abcdef8.cloudfront.net', '/view/my/file.html', '200', 'www.displaymyfiles.com',
  'Mozilla/4.0%20(compatible;%20MSIE%205.0b1;%20Mac_PowerPC)', '-', 'zip=98101', 'RefreshHit', 'MRVMF7KydIvxMWfJIglgwHQwZsbG2IhRJ07sn9AkKUFSHS9EXAMPLE==', 'd111111abcdef8.cloudfront.net',
  'http', '112', '0.002', '-', '-', '-', 'RefreshHit'].join('\t');
MORE.push(
  {
    names: ['ELB_ACCESS_LOG'], line: ELB_A,
    disabled: {
      timestamp: '2015-05-13T23:39:43.945958Z', elb: 'my-loadbalancer', clientip: '192.168.131.39', clientport: 2817, backendip: '10.0.0.1', backendport: 80, request_processing_time: 0.000086,
      backend_processing_time: 0.001048, response_processing_time: 0.001337, response: 200, backend_response: 200, received_bytes: 0, bytes: 57, verb: 'GET',
      request: 'https://www.example.com:443/path/x.html?a=1', ...ELB_URI_LEGACY, httpversion: '1.1',
    },
    v1: ELB_A_ECS,
  },
  { names: ['ELB_V1_HTTP_LOG'], line: ELB_A, disabled: null, v1: ELB_A_ECS },
  {
    names: ['ELB_ACCESS_LOG'], line: ELB_B, disabled: 'nomatch', v1: ELB_B_ECS,
  },
  { names: ['ELB_V1_HTTP_LOG'], line: ELB_B, disabled: null, v1: ELB_B_ECS },
  { names: ['ELB_URI'], line: 'https://www.example.com:443/path/x.html?a=1', disabled: ELB_URI_LEGACY, v1: ELB_URI_ECS },
  { names: ['ELB_URIPATHPARAM'], line: '/path/x.html?a=1', disabled: { path: '/path/x.html', params: '?a=1' }, v1: { url: { path: '/path/x.html', query: 'a=1' } } },
  { names: ['ELB_URIPATHQUERY'], line: '/path/x.html?a=1', disabled: null, v1: { url: { path: '/path/x.html', query: 'a=1' } } },
  { names: ['ELB_URIHOST'], line: 'www.example.com:443', disabled: null, v1: { url: { domain: 'www.example.com', port: 443 } } },
  {
    names: ['ELB_REQUEST_LINE'], line: 'GET https://www.example.com:443/path/x.html?a=1 HTTP/1.1',
    disabled: { verb: 'GET', request: 'https://www.example.com:443/path/x.html?a=1', ...ELB_URI_LEGACY, httpversion: '1.1' },
    v1: { http: { request: { method: 'GET' }, version: '1.1' }, url: { original: 'https://www.example.com:443/path/x.html?a=1', ...ELB_URI_ECS.url } },
  },
  {
    names: ['S3_REQUEST_LINE'], line: 'GET /photos/2019/08/puppy.jpg?x-foo=bar HTTP/1.1',
    disabled: { verb: 'GET', request: '/photos/2019/08/puppy.jpg?x-foo=bar', httpversion: '1.1' },
    v1: { http: { request: { method: 'GET' }, version: '1.1' }, url: { original: '/photos/2019/08/puppy.jpg?x-foo=bar' } },
  },
  {
    names: ['S3_ACCESS_LOG'],
    line: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be awsexamplebucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /awsexamplebucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" -',
    disabled: {
      owner: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', bucket: 'awsexamplebucket1', timestamp: '06/Feb/2019:00:00:38 +0000', clientip: '192.0.2.3',
      requester: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', request_id: '3E57427F3EXAMPLE', operation: 'REST.GET.VERSIONING', key: '-', verb: 'GET',
      request: '/awsexamplebucket1?versioning', httpversion: '1.1', response: 200, bytes: 113, request_time_ms: 7, referrer: '"-"', agent: '"S3Console/0.4"',
    },
    v1: {
      aws: { s3access: { bucket_owner: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', bucket: 'awsexamplebucket1', request_id: '3E57427F3EXAMPLE', operation: 'REST.GET.VERSIONING', request_uri: 'GET /awsexamplebucket1?versioning HTTP/1.1', bytes_sent: 113, total_time: 7 } },
      timestamp: '06/Feb/2019:00:00:38 +0000', client: { ip: '192.0.2.3', user: { id: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' } },
      http: { request: { method: 'GET' }, version: '1.1', response: { status_code: 200 } }, url: { original: '/awsexamplebucket1?versioning' }, user_agent: { original: 'S3Console/0.4' },
    },
  },
  {
    names: ['CLOUDFRONT_ACCESS_LOG'], line: CF_LINE,
    disabled: {
      timestamp: '2014-05-23\t01:13:11', x_edge_location: 'FRA2', sc_bytes: 182, clientip: '192.0.2.10', cs_method: 'GET', cs_host: 'd111111abcdef8.cloudfront.net', cs_uri_stem: '/view/my/file.html',
      sc_status: 200, referrer: 'www.displaymyfiles.com', agent: 'Mozilla/4.0%20(compatible;%20MSIE%205.0b1;%20Mac_PowerPC)', cs_uri_query: '-', cookies: 'zip=98101', x_edge_result_type: 'RefreshHit',
      x_edge_request_id: 'MRVMF7KydIvxMWfJIglgwHQwZsbG2IhRJ07sn9AkKUFSHS9EXAMPLE==', x_host_header: 'd111111abcdef8.cloudfront.net', cs_protocol: 'http', cs_bytes: 112, time_taken: 0.002,
      x_forwarded_for: '-', ssl_protocol: '-', ssl_cipher: '-', x_edge_response_result_type: 'RefreshHit',
    },
    v1: {
      timestamp: '2014-05-23\t01:13:11',
      aws: { cloudfront: { x_edge_location: 'FRA2', http: { request: { cookie: 'zip=98101', host: 'd111111abcdef8.cloudfront.net' } }, x_edge_result_type: 'RefreshHit', x_edge_request_id: 'MRVMF7KydIvxMWfJIglgwHQwZsbG2IhRJ07sn9AkKUFSHS9EXAMPLE==', time_taken: 0.002, x_edge_response_result_type: 'RefreshHit' } },
      destination: { bytes: 182 }, source: { ip: '192.0.2.10', bytes: 112 }, http: { request: { method: 'GET', referrer: 'www.displaymyfiles.com' }, response: { status_code: 200 } },
      url: { domain: 'd111111abcdef8.cloudfront.net', path: '/view/my/file.html' }, user_agent: { original: 'Mozilla/4.0%20(compatible;%20MSIE%205.0b1;%20Mac_PowerPC)' }, network: { protocol: 'http' },
    },
  },
);

// squid, postgresql, redis, ruby, mcollective, mongodb
MORE.push(
  {
    names: ['SQUID3'], line: '1525344856.899     16 192.168.1.5 TCP_MISS/200 8921 GET http://www.example.com/ - HIER_DIRECT/93.184.216.34 text/html',
    disabled: { timestamp: '1525344856.899', duration: '16', client_address: '192.168.1.5', cache_result: 'TCP_MISS', status_code: '200', bytes: '8921', request_method: 'GET', url: 'http://www.example.com/', user: '-', hierarchy_code: 'HIER_DIRECT', server: '93.184.216.34', content_type: 'text/html' },
    v1: {
      timestamp: '1525344856.899', squid: { request: { duration: 16 }, hierarchy_code: 'HIER_DIRECT' }, source: { ip: '192.168.1.5' }, event: { action: 'TCP_MISS' },
      http: { response: { status_code: 200, bytes: 8921, mime_type: 'text/html' }, request: { method: 'GET' } }, url: { original: 'http://www.example.com/' }, destination: { address: '93.184.216.34' },
    },
  },
  {
    names: ['SQUID3'], line: '1525344856.899      0 192.168.1.5 TCP_DENIED/000 0 CONNECT example.com:443 alice HIER_NONE/- -',
    disabled: 'nomatch',
    v1: { timestamp: '1525344856.899', squid: { request: { duration: 0 }, hierarchy_code: 'HIER_NONE' }, source: { ip: '192.168.1.5' }, event: { action: 'TCP_DENIED' }, http: { response: { bytes: 0 }, request: { method: 'CONNECT' } }, url: { original: 'example.com:443' }, user: { name: 'alice' } },
  },
  {
    names: ['POSTGRESQL'], line: '06-26-2017 15:51:30 UTC postgres 59521a2f.14e3 5347',
    disabled: { timestamp: '06-26-2017 15:51:30', user_id: 'postgres', connection_id: '59521a2f.14e3', pid: '5347' },
    v1: { timestamp: '06-26-2017 15:51:30', event: { timezone: 'UTC' }, user: { name: 'postgres' }, postgresql: { log: { connection_id: '59521a2f.14e3' } }, process: { pid: 5347 } },
  },
  {
    names: ['REDISLOG'], line: '[4018] 14 Nov 07:01:22.119 * Background saving terminated with success', anchor: false,
    disabled: { pid: '4018', timestamp: '14 Nov 07:01:22.119' }, v1: { process: { pid: 4018 }, timestamp: '14 Nov 07:01:22.119' },
  },
  {
    names: ['REDISMONLOG'], line: '1441891279.063587 [0 127.0.0.1:56702] "set" "foo" "bar"',
    disabled: { timestamp: '1441891279.063587', database: '0', client: '127.0.0.1', port: '56702', command: 'set', params: '"foo" "bar"' },
    v1: { timestamp: '1441891279.063587', redis: { database: { id: '0' }, command: { name: 'set', args: '"foo" "bar"' } }, client: { ip: '127.0.0.1', port: 56702 } },
  },
  {
    names: ['RUBY_LOGGER'], line: 'I, [2024-03-01T12:00:00.123456 #4242]  INFO -- MyApp: Request started',
    disabled: { timestamp: '2024-03-01T12:00:00.123456', pid: 4242, loglevel: 'INFO', progname: 'MyApp', message: 'Request started' },
    v1: { timestamp: '2024-03-01T12:00:00.123456', process: { pid: 4242, name: 'MyApp' }, log: { level: 'INFO' }, message: 'Request started' },
  },
  {
    names: ['MCOLLECTIVE'], line: 'I, [2024-03-01T12:00:00.123456 #1234]  INFO -- : mcollectived:31 The Marionette Collective 2.12.5 started', anchor: false,
    disabled: { timestamp: '2024-03-01T12:00:00.123456', pid: '1234', event_level: 'INFO' }, v1: { timestamp: '2024-03-01T12:00:00.123456', process: { pid: 1234 }, log: { level: 'INFO' } },
  },
  {
    names: ['MONGO_LOG'], line: 'Mar 11 10:43:01 [conn42] end connection 127.0.0.1:51334',
    disabled: { timestamp: 'Mar 11 10:43:01', component: 'conn42', message: 'end connection 127.0.0.1:51334' },
    v1: { timestamp: 'Mar 11 10:43:01', mongodb: { component: 'conn42' }, message: 'end connection 127.0.0.1:51334' },
  },
  {
    names: ['MONGO3_LOG'], line: '2024-03-01T10:00:00.123+0000 I NETWORK  [initandlisten] waiting for connections on port 27017',
    disabled: { timestamp: '2024-03-01T10:00:00.123+0000', severity: 'I', component: 'NETWORK', context: 'initandlisten', message: 'waiting for connections on port 27017' },
    v1: { timestamp: '2024-03-01T10:00:00.123+0000', log: { level: 'I' }, mongodb: { component: 'NETWORK', context: 'initandlisten' }, message: 'waiting for connections on port 27017' },
  },
  {
    names: ['MONGO_SLOWQUERY'], line: 'query mydb.users query: { { age: { $gt: 30 } } } ntoreturn:0 ntoskip:0 nscanned:1000 keyUpdates:0 numYields: 7 locks(micros) r:1234 nreturned:12 reslen:1024 105ms',
    disabled: { database: 'mydb', collection: 'users', query: '{ { age: { $gt: 30 } } }', ntoreturn: '0', ntoskip: '0', nscanned: '1000', nreturned: '12', duration: '105' },
    v1: { mongodb: { profile: { op: 'query', ntoreturn: 0, ntoskip: 0, nscanned: 1000, nreturned: 12, duration: 105 }, database: 'mydb', collection: 'users', query: { original: '{ { age: { $gt: 30 } } }' } } },
  },
  { names: ['MONGO_QUERY'], line: 'query: { { _id: 1 } } ntoreturn:1', anchor: false, disabled: {}, v1: {} },
);

// nagios: [name, body, legacy fields, ecs fields]
const NT = (t: string): { l: object; e: object } => ({ l: { nagios_type: t }, e: { type: t } });
const nag = (name: string, line: string, l: Record<string, unknown>, e: Record<string, unknown>, log: Record<string, unknown> = {}): void => {
  const t = NT(line.slice(0, line.indexOf(':')));
  MORE.push({ names: [`NAGIOS_${name}`], line, disabled: { ...t.l, ...l }, v1: { nagios: { log: { ...t.e, ...log } }, ...e } });
};
nag('CURRENT_SERVICE_STATE', 'CURRENT SERVICE STATE: host1;PING;OK;HARD;1;PING OK - Packet loss = 0%',
  { nagios_hostname: 'host1', nagios_service: 'PING', nagios_state: 'OK', nagios_statetype: 'HARD', nagios_statecode: '1', nagios_message: 'PING OK - Packet loss = 0%' },
  { host: { hostname: 'host1' }, service: { name: 'PING' }, message: 'PING OK - Packet loss = 0%' }, { status: 'OK', state_type: 'HARD', attempt: 1 });
nag('CURRENT_HOST_STATE', 'CURRENT HOST STATE: host1;UP;HARD;1;PING OK',
  { nagios_hostname: 'host1', nagios_state: 'UP', nagios_statetype: 'HARD', nagios_statecode: '1', nagios_message: 'PING OK' },
  { host: { hostname: 'host1' }, message: 'PING OK' }, { status: 'UP', state_type: 'HARD', attempt: 1 });
nag('SERVICE_NOTIFICATION', 'SERVICE NOTIFICATION: admin;host1;HTTP;CRITICAL;notify-service-by-email;Connection refused',
  { nagios_notifyname: 'admin', nagios_hostname: 'host1', nagios_service: 'HTTP', nagios_state: 'CRITICAL', nagios_contact: 'notify-service-by-email', nagios_message: 'Connection refused' },
  { user: { name: 'admin' }, host: { hostname: 'host1' }, service: { name: 'HTTP' }, message: 'Connection refused' }, { status: 'CRITICAL', notification_command: 'notify-service-by-email' });
nag('HOST_NOTIFICATION', 'HOST NOTIFICATION: admin;host1;DOWN;notify-host-by-email;CRITICAL - Host Unreachable',
  { nagios_notifyname: 'admin', nagios_hostname: 'host1', nagios_state: 'DOWN', nagios_contact: 'notify-host-by-email', nagios_message: 'CRITICAL - Host Unreachable' },
  { user: { name: 'admin' }, host: { hostname: 'host1' }, message: 'CRITICAL - Host Unreachable' }, { status: 'DOWN', notification_command: 'notify-host-by-email' });
nag('SERVICE_ALERT', 'SERVICE ALERT: host1;HTTP;CRITICAL;SOFT;2;Connection refused',
  { nagios_hostname: 'host1', nagios_service: 'HTTP', nagios_state: 'CRITICAL', nagios_statelevel: 'SOFT', nagios_attempt: '2', nagios_message: 'Connection refused' },
  { host: { hostname: 'host1' }, service: { name: 'HTTP' }, message: 'Connection refused' }, { status: 'CRITICAL', state_type: 'SOFT', attempt: 2 });
nag('HOST_ALERT', 'HOST ALERT: host1;DOWN;HARD;3;PING CRITICAL - Packet loss = 100%',
  { nagios_hostname: 'host1', nagios_state: 'DOWN', nagios_statelevel: 'HARD', nagios_attempt: '3', nagios_message: 'PING CRITICAL - Packet loss = 100%' },
  { host: { hostname: 'host1' }, message: 'PING CRITICAL - Packet loss = 100%' }, { status: 'DOWN', state_type: 'HARD', attempt: 3 });
nag('SERVICE_FLAPPING_ALERT', 'SERVICE FLAPPING ALERT: host1;HTTP;STARTED; Service appears to have started flapping',
  { nagios_hostname: 'host1', nagios_service: 'HTTP', nagios_state: 'STARTED', nagios_message: ' Service appears to have started flapping' },
  { host: { hostname: 'host1' }, service: { name: 'HTTP' }, message: ' Service appears to have started flapping' }, { status: 'STARTED' });
nag('HOST_FLAPPING_ALERT', 'HOST FLAPPING ALERT: host1;STOPPED; Host appears to have stopped flapping',
  { nagios_hostname: 'host1', nagios_state: 'STOPPED', nagios_message: ' Host appears to have stopped flapping' },
  { host: { hostname: 'host1' }, message: ' Host appears to have stopped flapping' }, { status: 'STOPPED' });
nag('SERVICE_DOWNTIME_ALERT', 'SERVICE DOWNTIME ALERT: host1;HTTP;STARTED; Service has entered a period of scheduled downtime',
  { nagios_hostname: 'host1', nagios_service: 'HTTP', nagios_state: 'STARTED', nagios_comment: ' Service has entered a period of scheduled downtime' },
  { host: { hostname: 'host1' }, service: { name: 'HTTP' } }, { status: 'STARTED', comment: ' Service has entered a period of scheduled downtime' });
nag('HOST_DOWNTIME_ALERT', 'HOST DOWNTIME ALERT: host1;STARTED; Host has entered a period of scheduled downtime',
  { nagios_hostname: 'host1', nagios_state: 'STARTED', nagios_comment: ' Host has entered a period of scheduled downtime' },
  { host: { hostname: 'host1' } }, { status: 'STARTED', comment: ' Host has entered a period of scheduled downtime' });
nag('PASSIVE_SERVICE_CHECK', 'PASSIVE SERVICE CHECK: host1;disk;0;DISK OK',
  { nagios_hostname: 'host1', nagios_service: 'disk', nagios_state: '0', nagios_comment: 'DISK OK' },
  { host: { hostname: 'host1' }, service: { name: 'disk' } }, { status: '0', comment: 'DISK OK' });
nag('PASSIVE_HOST_CHECK', 'PASSIVE HOST CHECK: host1;0;UP', { nagios_hostname: 'host1', nagios_state: '0', nagios_comment: 'UP' },
  { host: { hostname: 'host1' } }, { status: '0', comment: 'UP' });
nag('SERVICE_EVENT_HANDLER', 'SERVICE EVENT HANDLER: host1;HTTP;CRITICAL;SOFT;restart-httpd',
  { nagios_hostname: 'host1', nagios_service: 'HTTP', nagios_state: 'CRITICAL', nagios_statelevel: 'SOFT', nagios_event_handler_name: 'restart-httpd' },
  { host: { hostname: 'host1' }, service: { name: 'HTTP' } }, { status: 'CRITICAL', state_type: 'SOFT', event_handler_name: 'restart-httpd' });
nag('HOST_EVENT_HANDLER', 'HOST EVENT HANDLER: host1;DOWN;HARD;host-notify',
  { nagios_hostname: 'host1', nagios_state: 'DOWN', nagios_statelevel: 'HARD', nagios_event_handler_name: 'host-notify' },
  { host: { hostname: 'host1' } }, { status: 'DOWN', state_type: 'HARD', event_handler_name: 'host-notify' });
nag('TIMEPERIOD_TRANSITION', 'TIMEPERIOD TRANSITION: 24x7;-1;1', { nagios_service: '24x7', nagios_unknown1: '-1', nagios_unknown2: '1' },
  { service: { name: '24x7' } }, { period_from: -1, period_to: 1 });
const ec = (cmd: string, args: string, l: Record<string, unknown>, e: Record<string, unknown>, log: Record<string, unknown> = {}): void => {
  MORE.push({
    names: [`NAGIOS_EC_LINE_${cmd}`], line: `EXTERNAL COMMAND: ${cmd};${args}`,
    disabled: { nagios_type: 'EXTERNAL COMMAND', nagios_command: cmd, ...l }, v1: { nagios: { log: { type: 'EXTERNAL COMMAND', command: cmd, ...log } }, ...e },
  });
};
for (const cmd of ['DISABLE_SVC_CHECK', 'ENABLE_SVC_CHECK', 'DISABLE_SVC_NOTIFICATIONS', 'ENABLE_SVC_NOTIFICATIONS']) {
  ec(cmd, 'host1;HTTP', { nagios_hostname: 'host1', nagios_service: 'HTTP' }, { host: { hostname: 'host1' }, service: { name: 'HTTP' } });
}
for (const cmd of ['DISABLE_HOST_CHECK', 'ENABLE_HOST_CHECK', 'DISABLE_HOST_SVC_NOTIFICATIONS', 'ENABLE_HOST_SVC_NOTIFICATIONS', 'DISABLE_HOST_NOTIFICATIONS', 'ENABLE_HOST_NOTIFICATIONS']) {
  ec(cmd, 'host1', { nagios_hostname: 'host1' }, { host: { hostname: 'host1' } });
}
ec('PROCESS_SERVICE_CHECK_RESULT', 'host1;disk;0;DISK OK - free space: / 3326 MB', { nagios_hostname: 'host1', nagios_service: 'disk', nagios_state: '0', nagios_check_result: 'DISK OK - free space: / 3326 MB' },
  { host: { hostname: 'host1' }, service: { name: 'disk' } }, { status: '0', check_result: 'DISK OK - free space: / 3326 MB' });
ec('PROCESS_HOST_CHECK_RESULT', 'host1;0;Host is up', { nagios_hostname: 'host1', nagios_state: '0', nagios_check_result: 'Host is up' },
  { host: { hostname: 'host1' } }, { status: '0', check_result: 'Host is up' });
ec('SCHEDULE_HOST_DOWNTIME', 'host1;1427925600;1427929200;1;0;3600;admin;Planned maintenance',
  { nagios_hostname: 'host1', nagios_start_time: '1427925600', nagios_end_time: '1427929200', nagios_fixed: '1', nagios_trigger_id: '0', nagios_duration: '3600', author: 'admin', comment: 'Planned maintenance' },
  { host: { hostname: 'host1' }, user: { name: 'admin' } }, { start_time: '1427925600', end_time: '1427929200', fixed: '1', trigger_id: '0', duration: 3600, comment: 'Planned maintenance' });
MORE.push(
  { names: ['NAGIOSTIME'], line: '[1427925600]', disabled: { nagios_epoch: '1427925600' }, v1: { timestamp: '1427925600' } },
  { names: ['NAGIOS_WARNING'], line: 'Warning: Check result queue contained results for unknown host', disabled: { nagios_message: 'Check result queue contained results for unknown host' }, v1: { message: 'Check result queue contained results for unknown host' } },
  {
    names: ['NAGIOSLOGLINE'], line: '[1427925600] SERVICE ALERT: host1;HTTP;CRITICAL;SOFT;2;Connection refused',
    disabled: { nagios_epoch: '1427925600', nagios_type: 'SERVICE ALERT', nagios_hostname: 'host1', nagios_service: 'HTTP', nagios_state: 'CRITICAL', nagios_statelevel: 'SOFT', nagios_attempt: '2', nagios_message: 'Connection refused' },
    v1: { timestamp: '1427925600', nagios: { log: { type: 'SERVICE ALERT', status: 'CRITICAL', state_type: 'SOFT', attempt: 2 } }, host: { hostname: 'host1' }, service: { name: 'HTTP' }, message: 'Connection refused' },
  },
  {
    names: ['NAGIOSLOGLINE'], line: '[1427925600] EXTERNAL COMMAND: ENABLE_HOST_NOTIFICATIONS;web-01',
    disabled: { nagios_epoch: '1427925600', nagios_type: 'EXTERNAL COMMAND', nagios_command: 'ENABLE_HOST_NOTIFICATIONS', nagios_hostname: 'web-01' },
    v1: { timestamp: '1427925600', nagios: { log: { type: 'EXTERNAL COMMAND', command: 'ENABLE_HOST_NOTIFICATIONS' } }, host: { hostname: 'web-01' } },
  },
);

// rails
const RAILS_HEAD = 'Started GET "/users/42?page=2" for 127.0.0.1 at 2024-03-01 12:00:00 +0100';
const RAILS_HEAD_L = { verb: 'GET', request: '/users/42?page=2', clientip: '127.0.0.1', timestamp: '2024-03-01 12:00:00 +0100' };
const RAILS_HEAD_E = { http: { request: { method: 'GET' } }, url: { original: '/users/42?page=2' }, source: { address: '127.0.0.1' }, timestamp: '2024-03-01 12:00:00 +0100' };
MORE.push(
  { names: ['RAILS3HEAD'], line: RAILS_HEAD, disabled: RAILS_HEAD_L, v1: RAILS_HEAD_E },
  { names: ['RCONTROLLER'], line: 'UsersController#show', disabled: { controller: 'UsersController', action: 'show' }, v1: { rails: { controller: { class: 'UsersController', action: 'show' } } } },
  {
    names: ['RPROCESSING'], line: '  Processing by UsersController#show as HTML\n  Parameters: {"id"=>"42"}\n',
    disabled: { controller: 'UsersController', action: 'show', format: 'HTML', params: '"id"=>"42"' },
    v1: { rails: { controller: { class: 'UsersController', action: 'show' }, request: { format: 'HTML', params: '"id"=>"42"' } } },
  },
  {
    names: ['RAILS3PROFILE'], line: '(Views: 12.5ms | ActiveRecord: 3.2ms',
    disabled: { viewms: 12.5, activerecordms: 3.2 }, v1: { rails: { request: { duration: { view: 12.5, active_record: 3.2 } } } },
  },
  {
    names: ['RAILS3FOOT'], line: 'Completed 200 OK in 45.6ms (Views: 12.5ms | ActiveRecord: 3.2ms)',
    disabled: { response: '200', totalms: 45.6, viewms: 12.5, activerecordms: 3.2 },
    v1: { http: { response: { status_code: 200 } }, rails: { request: { duration: { total: 45.6, view: 12.5, active_record: 3.2 } } } },
  },
  {
    names: ['RAILS3'], line: `${RAILS_HEAD}\n  Processing by UsersController#show as HTML\n  Parameters: {"id"=>"42"}\n  User Load (0.4ms)  SELECT 1\nCompleted 200 OK in 45.6ms (ActiveRecord: 3.2ms)`,
    disabled: { ...RAILS_HEAD_L, controller: 'UsersController', action: 'show', format: 'HTML', params: '"id"=>"42"', context: 'User Load (0.4ms)  SELECT 1\n', response: '200', totalms: 45.6, activerecordms: 3.2 },
    v1: {
      ...RAILS_HEAD_E, http: { request: { method: 'GET' }, response: { status_code: 200 } },
      rails: { controller: { class: 'UsersController', action: 'show' }, request: { format: 'HTML', params: '"id"=>"42"', explain: { original: 'User Load (0.4ms)  SELECT 1\n' }, duration: { total: 45.6, active_record: 3.2 } } },
    },
  },
);

// bind
const BIND_LINE = '21-Mar-2024 10:00:01.123 queries: info: client @0x7f1b2c3d4e50 192.168.1.10#53124 (www.example.com): query: www.example.com IN AAAA +E(0)K (192.168.1.1)';
const BIND_BASE_E = { client: { ip: '192.168.1.10', port: 53124 }, bind: { log: { question: { name: 'www.example.com', flags: '+E(0)K' } } }, dns: { question: { name: 'www.example.com', class: 'IN', type: 'AAAA' } }, server: { ip: '192.168.1.1' } };
MORE.push(
  {
    names: ['BIND9'], line: BIND_LINE,
    disabled: { timestamp: '21-Mar-2024 10:00:01.123', loglevel: 'info', clientip: '192.168.1.10', clientport: '53124', query: ['www.example.com', 'www.example.com'], querytype: 'AAAA +E(0)K', dns: '192.168.1.1' },
    v1: { timestamp: '21-Mar-2024 10:00:01.123', bind: { log: { category: 'queries', question: BIND_BASE_E.bind.log.question } }, log: { level: 'info' }, client: BIND_BASE_E.client, dns: BIND_BASE_E.dns, server: BIND_BASE_E.server },
  },
  {
    names: ['BIND9_QUERYLOG'], line: BIND_LINE, disabled: null,
    v1: { timestamp: '21-Mar-2024 10:00:01.123', bind: { log: { category: 'queries', question: BIND_BASE_E.bind.log.question } }, log: { level: 'info' }, client: BIND_BASE_E.client, dns: BIND_BASE_E.dns, server: BIND_BASE_E.server },
  },
  { names: ['BIND9_QUERYLOGBASE'], line: BIND_LINE.slice(BIND_LINE.indexOf('client')), disabled: null, v1: BIND_BASE_E },
);

// bro (legacy and ecs-v1 layouts differ) and zeek
const tsv = (...f: string[]): string => f.join('\t');
const CONN_HEAD = ['1432555199.633017', 'CJ3xTn1c4Zw9TmAE05', '192.168.9.35', '52534', '8.8.8.8', '53', 'udp', 'dns', '0.032', '36', '52', 'SF', 'T', 'F', '0', 'Dd', '1', '64', '1', '80'];
const CONN_ECS = {
  timestamp: '1432555199.633017', zeek: { session_id: 'CJ3xTn1c4Zw9TmAE05', connection: { duration: 0.032, orig_bytes: 36, resp_bytes: 52, state: 'SF', local_orig: 'T', local_resp: 'F', missed_bytes: 0, history: 'Dd' } },
  source: { ip: '192.168.9.35', port: 52534, packets: 1, bytes: 64 }, destination: { ip: '8.8.8.8', port: 53, packets: 1, bytes: 80 }, network: { transport: 'udp', protocol: 'dns' },
};
const HTTP_HEAD = ['1432555199.633017', 'COpk6E3vkURP8QQNKl', '192.168.9.35', '55281', '178.236.7.146', '80', '4', 'POST', 'www.amazon.it', '/xa/deals?nocache=1', 'http://www.amazon.it/'];
const HTTP_ECS = (extra: Record<string, unknown>): object => ({
  timestamp: '1432555199.633017', source: { ip: '192.168.9.35', port: 55281 }, destination: { ip: '178.236.7.146', port: 80 }, user_agent: { original: 'Mozilla/5.0' },
  url: { domain: 'www.amazon.it', original: '/xa/deals?nocache=1' }, ...extra,
});
const DNS_HEAD = ['1359565094.341488', 'CkWKjV1Gz3YBQK7lgl', '192.168.1.103', '45902', '8.8.8.8', '53', 'udp', '33008'];
const DNS_TAIL = ['www.example.com', '1', 'C_INTERNET', '1', 'A', '0', 'NOERROR', 'F', 'F', 'T', 'T', '0', '93.184.216.34', '3600.000000', 'F'];
const DNS_ECS = (rtt: object): object => ({
  timestamp: '1359565094.341488', zeek: { session_id: 'CkWKjV1Gz3YBQK7lgl', dns: { ...rtt, qclass: 1, qclass_name: 'C_INTERNET', qtype: 1, rcode: 0, AA: 'F', TC: 'F', RD: 'T', RA: 'T', Z: 0, answers: '93.184.216.34', TTLs: '3600.000000', rejected: 'F' } },
  source: { ip: '192.168.1.103', port: 45902 }, destination: { ip: '8.8.8.8', port: 53 }, network: { transport: 'udp' }, dns: { id: 33008, question: { name: 'www.example.com', type: 'A' }, response_code: 'NOERROR' },
});
const FILES = ['1432555199.633017', 'FrLEJ23qH9ZXtU7hm8', '178.236.7.146', '192.168.9.35', 'COpk6E3vkURP8QQNKl', 'HTTP', '0', 'MD5,SHA1', 'text/html', '-', '0.000123', '-', 'F', '1859', '1859', '0', '0', 'F', '-',
  '4d0a3e6c1bf5e2d8a51f3e8a9b6d8c7e', '6f1ed002ab5595859014ebf0951522d9e2ff8b37', '-', '-'];
const FILES_ECS = {
  timestamp: '1432555199.633017', zeek: { files: { fuid: 'FrLEJ23qH9ZXtU7hm8', session_ids: 'COpk6E3vkURP8QQNKl', source: 'HTTP', depth: 0, analyzers: 'MD5,SHA1', duration: 0.000123, is_orig: 'F', seen_bytes: 1859, missing_bytes: 0, overflow_bytes: 0, timedout: 'F' } },
  server: { ip: '178.236.7.146' }, client: { ip: '192.168.9.35' }, file: { mime_type: 'text/html', size: 1859, hash: { md5: '4d0a3e6c1bf5e2d8a51f3e8a9b6d8c7e', sha1: '6f1ed002ab5595859014ebf0951522d9e2ff8b37' } },
};
MORE.push(
  {
    // The old bro conn.log (no local_resp column), as the legacy pattern expects it.
    names: ['BRO_CONN'], line: tsv(...CONN_HEAD.slice(0, 13), ...CONN_HEAD.slice(14), '(empty)'),
    disabled: {
      ts: '1432555199.633017', uid: 'CJ3xTn1c4Zw9TmAE05', orig_h: '192.168.9.35', orig_p: '52534', resp_h: '8.8.8.8', resp_p: '53', proto: 'udp', service: 'dns', duration: '0.032', orig_bytes: '36', resp_bytes: '52',
      conn_state: 'SF', local_orig: 'T', missed_bytes: '0', history: 'Dd', orig_pkts: '1', orig_ip_bytes: '64', resp_pkts: '1', resp_ip_bytes: '80', tunnel_parents: '(empty)',
    },
    v1: { ...CONN_ECS, zeek: { session_id: 'CJ3xTn1c4Zw9TmAE05', connection: { duration: 0.032, orig_bytes: 36, resp_bytes: 52, state: 'SF', local_orig: 'T', missed_bytes: 0, history: 'Dd' } } },
  },
  // A zeek conn.log line (with local_resp): legacy still matches, folding the extra column into
  // conn_state, as upstream's spec documents ("matches incorrectly").
  {
    names: ['BRO_CONN'], line: tsv(...CONN_HEAD, '(empty)'),
    disabled: {
      ts: '1432555199.633017', uid: 'CJ3xTn1c4Zw9TmAE05', orig_h: '192.168.9.35', orig_p: '52534', resp_h: '8.8.8.8', resp_p: '53', proto: 'udp', service: 'dns', duration: '0.032', orig_bytes: '36', resp_bytes: '52',
      conn_state: 'SF\tT', local_orig: 'F', missed_bytes: '0', history: 'Dd', orig_pkts: '1', orig_ip_bytes: '64', resp_pkts: '1', resp_ip_bytes: '80', tunnel_parents: '(empty)',
    },
    v1: CONN_ECS,
  },
  { names: ['ZEEK_CONN'], line: tsv(...CONN_HEAD, '-', '00:0c:29:aa:bb:cc', '00:50:56:dd:ee:ff'), disabled: null, v1: { ...CONN_ECS, source: { ...CONN_ECS.source, mac: '00:0c:29:aa:bb:cc' }, destination: { ...CONN_ECS.destination, mac: '00:50:56:dd:ee:ff' } } },
  {
    names: ['BRO_HTTP'], line: tsv(...HTTP_HEAD, 'Mozilla/5.0', '223', '1859', '200', 'OK', '-', '-', '-', '(empty)', '-', '-', '-', 'FrLEJ23qH9ZXtU7hm8', 'text/plain', 'FQC2tV2dnLTPgoHyd6', 'text/html'),
    disabled: {
      ts: '1432555199.633017', uid: 'COpk6E3vkURP8QQNKl', orig_h: '192.168.9.35', orig_p: '55281', resp_h: '178.236.7.146', resp_p: '80', trans_depth: '4', method: 'POST', domain: 'www.amazon.it', uri: '/xa/deals?nocache=1',
      referrer: 'http://www.amazon.it/', user_agent: 'Mozilla/5.0', request_body_len: '223', response_body_len: '1859', status_code: '200', status_msg: 'OK', info_code: '-', info_msg: '-', filename: '-', bro_tags: '(empty)',
      username: '-', password: '-', proxied: '-', orig_fuids: 'FrLEJ23qH9ZXtU7hm8', orig_mime_types: 'text/plain', resp_fuids: 'FQC2tV2dnLTPgoHyd6', resp_mime_types: 'text/html',
    },
    v1: HTTP_ECS({
      zeek: { session_id: 'COpk6E3vkURP8QQNKl', http: { trans_depth: 4, status_msg: 'OK', orig_fuids: 'FrLEJ23qH9ZXtU7hm8', orig_mime_types: 'text/plain', resp_fuids: 'FQC2tV2dnLTPgoHyd6', resp_mime_types: 'text/html' } },
      http: { request: { method: 'POST', referrer: 'http://www.amazon.it/', body: { bytes: 223 } }, response: { body: { bytes: 1859 }, status_code: 200 } },
    }),
  },
  {
    names: ['ZEEK_HTTP'], line: tsv(...HTTP_HEAD, '1.1', 'Mozilla/5.0', '-', '223', '1859', '200', 'OK', '-', '-', '(empty)', '-', '-', '-', 'FrLEJ23qH9ZXtU7hm8', '-', 'text/plain', 'FQC2tV2dnLTPgoHyd6', '-', 'text/html'),
    disabled: null,
    v1: HTTP_ECS({
      zeek: { session_id: 'COpk6E3vkURP8QQNKl', http: { trans_depth: 4, status_msg: 'OK', orig_fuids: 'FrLEJ23qH9ZXtU7hm8', orig_mime_types: 'text/plain', resp_fuids: 'FQC2tV2dnLTPgoHyd6', resp_mime_types: 'text/html' } },
      http: { request: { method: 'POST', referrer: 'http://www.amazon.it/', body: { bytes: 223 } }, version: '1.1', response: { body: { bytes: 1859 }, status_code: 200 } },
    }),
  },
  {
    names: ['BRO_DNS'], line: tsv(...DNS_HEAD, ...DNS_TAIL),
    disabled: {
      ts: '1359565094.341488', uid: 'CkWKjV1Gz3YBQK7lgl', orig_h: '192.168.1.103', orig_p: '45902', resp_h: '8.8.8.8', resp_p: '53', proto: 'udp', trans_id: '33008', query: 'www.example.com', qclass: '1', qclass_name: 'C_INTERNET',
      qtype: '1', qtype_name: 'A', rcode: '0', rcode_name: 'NOERROR', AA: 'F', TC: 'F', RD: 'T', RA: 'T', Z: '0', answers: '93.184.216.34', TTLs: '3600.000000', rejected: 'F',
    },
    v1: DNS_ECS({}),
  },
  { names: ['ZEEK_DNS'], line: tsv(...DNS_HEAD, '0.020345', ...DNS_TAIL), disabled: null, v1: DNS_ECS({ rtt: 0.020345 }) },
  {
    names: ['BRO_FILES'], line: tsv(...FILES),
    disabled: {
      ts: '1432555199.633017', fuid: 'FrLEJ23qH9ZXtU7hm8', tx_hosts: '178.236.7.146', rx_hosts: '192.168.9.35', conn_uids: 'COpk6E3vkURP8QQNKl', source: 'HTTP', depth: '0', analyzers: 'MD5,SHA1', mime_type: 'text/html',
      filename: '-', duration: '0.000123', local_orig: '-', is_orig: 'F', seen_bytes: '1859', total_bytes: '1859', missing_bytes: '0', overflow_bytes: '0', timedout: 'F', parent_fuid: '-',
      md5: '4d0a3e6c1bf5e2d8a51f3e8a9b6d8c7e', sha1: '6f1ed002ab5595859014ebf0951522d9e2ff8b37', sha256: '-', extracted: '-',
    },
    v1: FILES_ECS,
  },
  { names: ['ZEEK_FILES'], line: tsv(...FILES), disabled: null, v1: FILES_ECS },
  { names: ['ZEEK_FILES_TX_HOSTS'], line: '10.0.0.1,10.0.0.2', disabled: null, v1: { zeek: { files: { tx_hosts: '10.0.0.1,10.0.0.2' } }, server: { ip: '10.0.0.1' } } },
  { names: ['ZEEK_FILES_RX_HOSTS'], line: '10.0.0.3', disabled: null, v1: { client: { ip: '10.0.0.3' } } },
);

// exim
const EXIM_LINE = '2024-03-01 12:00:00 [1234] 1aZxyQ-0004Ab-Cd <= alice@example.com H=mail.example.com (helo.example.com) [192.0.2.25]:41552 P=esmtps S=2345 id=abc123@example.com T="Hello there" for bob@example.org';
const EXIM_L = {
  timestamp: '2024-03-01 12:00:00', exim_year: '2024', exim_month: '03', exim_day: '01', exim_time: '12:00:00', pid: '1234', exim_msgid: '1aZxyQ-0004Ab-Cd', exim_flags: '<=', exim_sender_email: 'alice@example.com',
  remote_hostname: 'mail.example.com', remote_heloname: 'helo.example.com', remote_host: '192.0.2.25', remote_port: '41552', protocol: 'esmtps', exim_msg_size: '2345', exim_header_id: 'abc123@example.com',
  exim_subject: '"Hello there"', exim_recipient_email: 'bob@example.org',
};
const EXIM_E = {
  timestamp: '2024-03-01 12:00:00', process: { pid: 1234 },
  exim: { log: { message: { id: '1aZxyQ-0004Ab-Cd', size: 2345, subject: 'Hello there' }, flags: '<=', sender: { email: 'alice@example.com' }, remote_address: 'helo.example.com', header_id: 'abc123@example.com', recipient: { email: 'bob@example.org' } } },
  source: { address: 'mail.example.com', ip: '192.0.2.25', port: 41552 }, network: { protocol: 'esmtps' },
};
MORE.push(
  { names: ['EXIM', 'EXIM_MESSAGE_ARRIVAL'], line: EXIM_LINE, disabled: EXIM_L, v1: EXIM_E },
  { names: ['EXIM_DATE'], line: '2024-03-01 12:00:00', disabled: { exim_year: '2024', exim_month: '03', exim_day: '01', exim_time: '12:00:00' }, v1: {} },
  { names: ['EXIM_PID'], line: '[1234]', disabled: { pid: '1234' }, v1: { process: { pid: 1234 } } },
  {
    names: ['EXIM_REMOTE_HOST'], line: 'H=mail.example.com (helo.example.com) [192.0.2.25]:41552',
    disabled: { remote_hostname: 'mail.example.com', remote_heloname: 'helo.example.com', remote_host: '192.0.2.25', remote_port: '41552' },
    v1: { source: { address: 'mail.example.com', ip: '192.0.2.25', port: 41552 }, exim: { log: { remote_address: 'helo.example.com' } } },
  },
  { names: ['EXIM_INTERFACE'], line: 'I=[10.0.0.1]:25', disabled: { exim_interface: '10.0.0.1', exim_interface_port: '25' }, v1: { destination: { ip: '10.0.0.1', port: 25 } } },
  { names: ['EXIM_PROTOCOL'], line: 'P=esmtps', disabled: { protocol: 'esmtps' }, v1: { network: { protocol: 'esmtps' } } },
  { names: ['EXIM_MSG_SIZE'], line: 'S=2345', disabled: { exim_msg_size: '2345' }, v1: { exim: { log: { message: { size: 2345 } } } } },
  { names: ['EXIM_HEADER_ID'], line: 'id=abc123@example.com', disabled: { exim_header_id: 'abc123@example.com' }, v1: { exim: { log: { header_id: 'abc123@example.com' } } } },
  { names: ['EXIM_SUBJECT'], line: 'T="Hello there"', disabled: { exim_subject: '"Hello there"' }, v1: { exim: { log: { message: { subject: 'Hello there' } } } } },
  { names: ['EXIM_NAMED_FIELDS'], line: ' P=esmtps S=2345 X=1', disabled: null, v1: { network: { protocol: 'esmtps' }, exim: { log: { message: { size: 2345 } } } } },
);

// junos
const NATL = { 'nat-src-ip': '203.0.113.5', 'nat-src-port': '41000', 'nat-dst-ip': '93.184.216.34', 'nat-dst-port': '443', 'src-nat-rule-name': 'source-nat-rule', 'dst-nat-rule-name': 'None', 'protocol-id': '6', 'policy-name': 'allow-web', 'from-zone': 'trust', 'to-zone': 'untrust', 'session-id': '12345' };
const FLOWL = { 'src-ip': '10.0.0.5', 'src-port': '52000', 'dst-ip': '93.184.216.34', 'dst-port': '443', service: 'junos-https' };
const FLOW_E = (tag: string, srx: object, s: object, d: object): object => ({
  juniper: { srx: { tag, service_name: 'junos-https', src_nat_rule_name: 'source-nat-rule', session_id: '12345', ...srx } }, source: { ip: '10.0.0.5', port: 52000, nat: { ip: '203.0.113.5', port: 41000 }, ...s },
  destination: { ip: '93.184.216.34', port: 443, nat: { ip: '93.184.216.34', port: 443 }, ...d }, network: { iana_number: '6' }, rule: { name: 'allow-web' }, observer: { ingress: { zone: 'trust' }, egress: { zone: 'untrust' } },
});
MORE.push(
  {
    names: ['RT_FLOW1'], line: 'RT_FLOW_SESSION_CLOSE: session closed TCP FIN: 10.0.0.5/52000->93.184.216.34/443 junos-https 203.0.113.5/41000->93.184.216.34/443 source-nat-rule None 6 allow-web trust untrust 12345 10(820) 8(4100) 3 UNKNOWN UNKNOWN N/A(N/A) ge-0/0/1.0',
    disabled: { event: 'RT_FLOW_SESSION_CLOSE', 'close-reason': 'session closed TCP FIN', ...FLOWL, ...NATL, sent: '820', received: '4100', 'elapsed-time': '3' },
    v1: FLOW_E('RT_FLOW_SESSION_CLOSE', { reason: 'session closed TCP FIN', elapsed_time: 3 }, { bytes: 820 }, { bytes: 4100 }),
  },
  {
    names: ['RT_FLOW2'], line: 'RT_FLOW_SESSION_CREATE: session created 10.0.0.5/52000->93.184.216.34/443 junos-https 203.0.113.5/41000->93.184.216.34/443 source-nat-rule None 6 allow-web trust untrust 12345 N/A(N/A) ge-0/0/1.0',
    disabled: { event: 'RT_FLOW_SESSION_CREATE', ...FLOWL, ...NATL }, v1: FLOW_E('RT_FLOW_SESSION_CREATE', {}, {}, {}),
  },
  {
    names: ['RT_FLOW3'], line: 'RT_FLOW_SESSION_DENY: session denied 10.0.0.5/52000->93.184.216.34/23 junos-telnet 6(0) deny-all trust untrust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/1.0',
    disabled: { event: 'RT_FLOW_SESSION_DENY', 'src-ip': '10.0.0.5', 'src-port': '52000', 'dst-ip': '93.184.216.34', 'dst-port': '23', service: 'junos-telnet', 'protocol-id': '6', 'policy-name': 'deny-all', 'from-zone': 'trust', 'to-zone': 'untrust' },
    v1: { juniper: { srx: { tag: 'RT_FLOW_SESSION_DENY', service_name: 'junos-telnet' } }, source: { ip: '10.0.0.5', port: 52000 }, destination: { ip: '93.184.216.34', port: 23 }, network: { iana_number: '6' }, rule: { name: 'deny-all' }, observer: { ingress: { zone: 'trust' }, egress: { zone: 'untrust' } } },
  },
);

// bacula: [name, line, legacy, ecs]
const V = (o: object): object => ({ bacula: { volume: o } });
const BAC: Array<[string, string, object, object]> = [
  ['MAX_CAPACITY', 'User defined maximum volume capacity 1,073,741,824 exceeded on device "FileStorage" (/var/lib/bacula/storage)', { device: 'FileStorage' }, V({ max_capacity: '1,073,741,824', device: 'FileStorage', path: '/var/lib/bacula/storage' })],
  ['END_VOLUME', 'End of medium on Volume "Vol-0001" Bytes=1,073,741,824 Blocks=16,644 at 01-Mar-2024 23:05.', { volume: 'Vol-0001' }, { bacula: { volume: { name: 'Vol-0001', bytes: '1,073,741,824', blocks: '16,644' }, timestamp: '01-Mar-2024 23:05' } }],
  ['NEW_VOLUME', 'Created new Volume "Vol-0001" in catalog.', { volume: 'Vol-0001' }, V({ name: 'Vol-0001' })],
  ['NEW_LABEL', 'Labeled new Volume "Vol-0001" on device "FileStorage" (/var/lib/bacula/storage).', { volume: 'Vol-0001', device: 'FileStorage' }, V({ name: 'Vol-0001', device: 'FileStorage', path: '/var/lib/bacula/storage' })],
  ['WROTE_LABEL', 'Wrote label to prelabeled Volume "Vol-0001" on device "FileStorage" (/var/lib/bacula/storage)', { volume: 'Vol-0001' }, V({ name: 'Vol-0001', device: 'FileStorage', path: '/var/lib/bacula/storage' })],
  ['NEW_MOUNT', 'New volume "Vol-0001" mounted on device "FileStorage" (/var/lib/bacula/storage) at 01-Mar-2024 23:05.', { volume: 'Vol-0001', device: 'FileStorage' },
    { bacula: { volume: { name: 'Vol-0001', device: 'FileStorage', path: '/var/lib/bacula/storage' }, timestamp: '01-Mar-2024 23:05' } }],
  ['NOOPEN', '  Cannot open /etc/shadow-: ERR=Permission denied', { berror: 'Permission denied' }, { error: { message: 'Permission denied' } }],
  ['NOOPENDIR', '  Could not open directory "/root/.cache": ERR=Permission denied', { berror: 'Permission denied' }, { file: { path: '/root/.cache' }, error: { message: 'Permission denied' } }],
  ['NOSTAT', '  Could not stat /mnt/nfs: ERR=No such file or directory', { berror: 'No such file or directory' }, { file: { path: '/mnt/nfs' }, error: { message: 'No such file or directory' } }],
  ['NOJOBS', 'There are no more Jobs associated with Volume "Vol-0002". Marking it purged.', { volume: 'Vol-0002' }, V({ name: 'Vol-0002' })],
  ['ALL_RECORDS_PRUNED', 'All records pruned from Volume "Vol-0002"; marking it "Purged"', { volume: 'Vol-0002' }, V({ name: 'Vol-0002' })],
  ['PRUNED_JOBS', 'Pruned 3 Jobs for client fd1 from catalog.', { client: 'fd1' }, { bacula: { client: { name: 'fd1' } } }],
  ['PRUNED_FILES', 'Pruned Files from 2 Jobs for client fd1 from catalog.', { client: 'fd1' }, { bacula: { client: { name: 'fd1' } } }],
  ['STARTJOB', 'Start Backup JobId 42, Job=BackupClient1.2024-03-01_23.05.00_03', { job: 'BackupClient1.2024-03-01_23.05.00_03' }, { bacula: { job: { name: 'BackupClient1.2024-03-01_23.05.00_03' } } }],
  ['STARTRESTORE', 'Start Restore Job RestoreFiles.2024-03-02_10.00.00_05', { job: 'RestoreFiles.2024-03-02_10.00.00_05' }, { bacula: { job: { name: 'RestoreFiles.2024-03-02_10.00.00_05' } } }],
  ['USEDEVICE', 'Using Device "FileStorage"', { device: 'FileStorage' }, V({ device: 'FileStorage' })],
  ['JOBEND', 'Job write elapsed time = 00:05:12, Transfer rate = 3.2 M Bytes/second', { elapsed: '00:05:12' }, { bacula: { job: { elapsed_time: '00:05:12' } } }],
  ['VOLUME_PREVWRITTEN', 'Volume "Vol-0001" previously written, moving to end of data.', { volume: 'Vol-0001' }, V({ name: 'Vol-0001' })],
  ['READYAPPEND', 'Ready to append to end of Volume "Vol-0001" size=52428800', { volume: 'Vol-0001' }, V({ name: 'Vol-0001', size: 52428800 })],
  ['CANCELLING', 'Cancelling duplicate JobId=41.', {}, { bacula: { job: { duplicate_id: '41' } } }],
  ['MARKCANCEL', 'JobId 41, Job BackupClient1.2024-03-01_23.05.00_02 marked to be canceled.', { job: 'BackupClient1.2024-03-01_23.05.00_02' }, { bacula: { job: { id: '41', name: 'BackupClient1.2024-03-01_23.05.00_02' } } }],
  ['CLIENT_RBJ', 'shell command: run ClientRunBeforeJob "/usr/local/bin/pre-backup.sh"', { runjob: '/usr/local/bin/pre-backup.sh' }, { bacula: { job: { client_run_before_command: '/usr/local/bin/pre-backup.sh' } } }],
  ['DUPLICATE', 'Fatal error: JobId 40 already running. Duplicate job not allowed.', { duplicate: '40' }, { bacula: { job: { other_id: '40' } } }],
  ['FATAL_CONN', 'Fatal error: bsock.c:133 Unable to connect to Client: fd1 on fd1.example.com:9102. ERR=Connection refused', { client: 'fd1', berror: 'Connection refused' },
    { bacula: { client: { name: 'fd1' } }, client: { address: 'fd1.example.com', port: 9102 }, error: { message: 'Connection refused' } }],
  ['NO_CONNECT', 'Warning: bsock.c:127 Could not connect to Storage daemon on sd1.example.com:9103. ERR=No route to host', { berror: 'No route to host' },
    { client: { address: 'sd1.example.com', port: 9103 }, error: { message: 'No route to host' } }],
  ['NO_AUTH', 'Fatal error: Unable to authenticate with File daemon at "fd1.example.com:9102". Possible causes:', {}, { client: { address: 'fd1.example.com', port: 9102 } }],
];
for (const [n, line, l, e] of BAC) MORE.push({ names: [`BACULA_LOG_${n}`], line, disabled: l, v1: e });
const BAC_LINE = '01-Mar 23:05 backup-dir JobId 42: Start Backup JobId 42, Job=BackupClient1.2024-03-01_23.05.00_03';
const BAC_E = { timestamp: '01-Mar 23:05', host: { hostname: 'backup-dir' }, bacula: { job: { id: '42', name: 'BackupClient1.2024-03-01_23.05.00_03' } } };
MORE.push(
  { names: ['BACULA_LOGLINE'], line: BAC_LINE, disabled: { bts: '01-Mar 23:05', hostname: 'backup-dir', jobid: '42', job: 'BackupClient1.2024-03-01_23.05.00_03' }, v1: BAC_E },
  { names: ['BACULA_LOG'], line: BAC_LINE, disabled: null, v1: BAC_E },
);

// firewalls
const IPT_LINE = 'IN=eth0 OUT= MAC=00:0c:29:aa:bb:cc:00:50:56:dd:ee:ff:08:00 SRC=192.0.2.10 DST=10.1.1.5 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=12345 DF PROTO=TCP SPT=4711 DPT=22 WINDOW=29200 RES=0x00 SYN URGP=0 ';
const IPT_E = {
  destination: { mac: '00:0c:29:aa:bb:cc', ip: '10.1.1.5', port: 22 }, source: { mac: '00:50:56:dd:ee:ff', ip: '192.0.2.10', port: 4711 },
  observer: { ingress: { interface: { name: 'eth0' } } },
  iptables: { length: 60, tos: '00', precedence_bits: '00', ttl: 52, id: '12345', fragment_flags: 'DF', tcp: { window: 29200, flags: 'SYN ' }, tcp_reserved_bits: '00' }, network: { transport: 'TCP' },
};
const NF_L = { nf_in_interface: 'eth0', nf_dst_mac: '00:0c:29:aa:bb:cc', nf_src_mac: '00:50:56:dd:ee:ff', nf_src_ip: '192.0.2.10', nf_dst_ip: '10.1.1.5', nf_protocol: 'TCP', nf_src_port: '4711', nf_dst_port: '22' };
const IFS = { observer: { ingress: { interface: { name: 'outside' } }, egress: { interface: { name: 'inside' } } } };
const ASA = (o: object): object => ({ cisco: { asa: o } });
const HASH_E = { '@metadata': { cisco: { asa: { hashcode1: '0x1a2b', hashcode2: '0x0' } } } };
const FW: Array<[string, string, object, object]> = [
  ['104001', '(Primary) Switching to ACTIVE - HELLO not heard from mate.', { switch_reason: 'HELLO not heard from mate.' }, { event: { reason: 'HELLO not heard from mate.' } }],
  ['104002', '(Secondary) Switching to STANDBY - interface check', { switch_reason: 'interface check' }, { event: { reason: 'interface check' } }],
  ['105003', '(Primary) Monitoring on interface inside waiting', { interface_name: 'inside' }, { network: { interface: { name: 'inside' } } }],
  ['105004', '(Primary) Monitoring on Interface outside normal', { interface_name: 'outside' }, { network: { interface: { name: 'outside' } } }],
  ['105005', '(Primary) Lost Failover communications with mate on interface inside', { interface_name: 'inside' }, { network: { interface: { name: 'inside' } } }],
  ['105008', '(Secondary) Testing Interface inside', { interface_name: 'inside' }, { network: { interface: { name: 'inside' } } }],
  ['105009', '(Primary) Testing on interface outside Passed', { interface_name: 'outside' }, { network: { interface: { name: 'outside' } } }],
  ['106001', 'Inbound TCP connection denied from 192.0.2.10/4711 to 10.1.1.5/80 flags SYN on interface outside',
    { direction: 'Inbound', protocol: 'TCP', action: 'denied', src_ip: '192.0.2.10', src_port: '4711', dst_ip: '10.1.1.5', dst_port: '80', tcp_flags: 'SYN', interface: 'outside' },
    { ...ASA({ network: { direction: 'Inbound', transport: 'TCP' }, outcome: 'denied', tcp_flags: 'SYN' }), source: { ip: '192.0.2.10', port: 4711 }, destination: { ip: '10.1.1.5', port: 80 }, observer: { egress: { interface: { name: 'outside' } } } }],
  ['106006_106007_106010', 'Deny inbound UDP from 192.0.2.10/53 to 10.1.1.5/1024 due to DNS Response',
    { action: 'Deny', direction: 'inbound', protocol: 'UDP', src_ip: '192.0.2.10', src_port: '53', dst_ip: '10.1.1.5', dst_port: '1024', reason: 'DNS Response' },
    { ...ASA({ outcome: 'Deny', network: { direction: 'inbound', transport: 'UDP' } }), source: { ip: '192.0.2.10', port: 53 }, destination: { ip: '10.1.1.5', port: 1024 }, event: { reason: 'DNS Response' } }],
  ['106014', 'Deny inbound icmp src outside:192.0.2.10 dst inside:10.1.1.5 (type 8, code 0)',
    { action: 'Deny', direction: 'inbound', protocol: 'icmp', src_interface: 'outside', src_ip: '192.0.2.10', dst_interface: 'inside', dst_ip: '10.1.1.5', icmp_type: '8', icmp_code: '0' },
    { ...ASA({ outcome: 'Deny', network: { direction: 'inbound', transport: 'icmp' }, icmp_type: 8, icmp_code: 0 }), ...IFS, source: { ip: '192.0.2.10' }, destination: { ip: '10.1.1.5' } }],
  ['106015', 'Deny TCP (no connection) from 192.0.2.10/443 to 10.1.1.5/51234 flags RST on interface outside',
    { action: 'Deny', protocol: 'TCP', policy_id: 'no connection', src_ip: '192.0.2.10', src_port: '443', dst_ip: '10.1.1.5', dst_port: '51234', tcp_flags: 'RST', interface: 'outside' },
    { ...ASA({ outcome: 'Deny', network: { transport: 'TCP' }, rule_name: 'no connection', tcp_flags: 'RST' }), source: { ip: '192.0.2.10', port: 443 }, destination: { ip: '10.1.1.5', port: 51234 }, observer: { egress: { interface: { name: 'outside' } } } }],
  ['106021', 'Deny TCP reverse path check from 192.0.2.10 to 10.1.1.5 on interface outside', { action: 'Deny', protocol: 'TCP', src_ip: '192.0.2.10', dst_ip: '10.1.1.5', interface: 'outside' },
    { ...ASA({ outcome: 'Deny', network: { transport: 'TCP' } }), source: { ip: '192.0.2.10' }, destination: { ip: '10.1.1.5' }, observer: { egress: { interface: { name: 'outside' } } } }],
  ['106023', 'Deny tcp src outside:192.0.2.10/4711 dst inside:10.1.1.5/22 by access-group "outside_in" [0x1a2b, 0x0]',
    { action: 'Deny', protocol: 'tcp', src_interface: 'outside', src_ip: '192.0.2.10', src_port: '4711', dst_interface: 'inside', dst_ip: '10.1.1.5', dst_port: '22', policy_id: 'outside_in', hashcode1: '0x1a2b', hashcode2: '0x0' },
    { ...ASA({ outcome: 'Deny', network: { transport: 'tcp' }, rule_name: 'outside_in' }), ...IFS, source: { ip: '192.0.2.10', port: 4711 }, destination: { ip: '10.1.1.5', port: 22 }, ...HASH_E }],
  ['106100_2_3', "access-list outside_in denied tcp for user 'alice' outside/192.0.2.10(4711) -> inside/10.1.1.5(22) hit-cnt 1 first hit [0x1a2b, 0x0]",
    { policy_id: 'outside_in', action: 'denied', protocol: 'tcp', src_fwuser: 'alice', src_interface: 'outside', src_ip: '192.0.2.10', src_port: '4711', dst_interface: 'inside', dst_ip: '10.1.1.5', dst_port: '22', hit_count: '1', interval: 'first hit', hashcode1: '0x1a2b', hashcode2: '0x0' },
    { ...ASA({ rule_name: 'outside_in', outcome: 'denied', network: { transport: 'tcp' }, hit_count: 1 }), user: { name: 'alice' }, ...IFS, source: { ip: '192.0.2.10', port: 4711 }, destination: { ip: '10.1.1.5', port: 22 }, ...HASH_E }],
  ['106100', 'access-list outside_in permitted tcp outside/192.0.2.10(4711) -> inside/10.1.1.5(22) hit-cnt 3 300-second interval [0x1a2b, 0x0]',
    { policy_id: 'outside_in', action: 'permitted', protocol: 'tcp', src_interface: 'outside', src_ip: '192.0.2.10', src_port: '4711', dst_interface: 'inside', dst_ip: '10.1.1.5', dst_port: '22', hit_count: '3', interval: '300-second interval', hashcode1: '0x1a2b', hashcode2: '0x0' },
    { ...ASA({ rule_name: 'outside_in', outcome: 'permitted', network: { transport: 'tcp' }, hit_count: 3 }), ...IFS, source: { ip: '192.0.2.10', port: 4711 }, destination: { ip: '10.1.1.5', port: 22 }, ...HASH_E }],
  ['304001', '10.1.1.5(alice) Accessed URL 93.184.216.34:http://www.example.com/index.html', { src_ip: '10.1.1.5', src_fwuser: 'alice', dst_ip: '93.184.216.34', dst_url: 'http://www.example.com/index.html' },
    { source: { ip: '10.1.1.5', user: { name: 'alice' } }, destination: { ip: '93.184.216.34' }, url: { original: 'http://www.example.com/index.html' } }],
  ['110002', 'Failed to locate egress interface for TCP from inside:10.1.1.5/51234 to 192.0.2.10/443',
    { reason: 'Failed to locate egress interface', protocol: 'TCP', src_interface: 'inside', src_ip: '10.1.1.5', src_port: '51234', dst_ip: '192.0.2.10', dst_port: '443' },
    { event: { reason: 'Failed to locate egress interface' }, ...ASA({ network: { transport: 'TCP' } }), observer: { ingress: { interface: { name: 'inside' } } }, source: { ip: '10.1.1.5', port: 51234 }, destination: { ip: '192.0.2.10', port: 443 } }],
  ['302010', '4 in use, 1203 most used', { connection_count: '4', connection_count_max: '1203' }, ASA({ connections: { in_use: 4, most_used: 1203 } })],
  ['302013_302014_302015_302016', 'Built outbound TCP connection 123456 for outside:93.184.216.34/443 (93.184.216.34/443) to inside:10.1.1.5/51234 (203.0.113.5/41000)',
    { action: 'Built', direction: 'outbound', protocol: 'TCP', connection_id: '123456', src_interface: 'outside', src_ip: '93.184.216.34', src_port: '443', src_mapped_ip: '93.184.216.34', src_mapped_port: '443', dst_interface: 'inside', dst_ip: '10.1.1.5', dst_port: '51234', dst_mapped_ip: '203.0.113.5', dst_mapped_port: '41000' },
    { ...ASA({ outcome: 'Built', network: { direction: 'outbound', transport: 'TCP' }, connection_id: '123456' }), ...IFS, source: { ip: '93.184.216.34', port: 443, nat: { ip: '93.184.216.34', port: 443 } }, destination: { ip: '10.1.1.5', port: 51234, nat: { ip: '203.0.113.5', port: 41000 } } }],
  ['302020_302021', 'Built inbound ICMP connection for faddr 192.0.2.10/1 gaddr 203.0.113.5/0 laddr 10.1.1.5/0',
    { action: 'Built', direction: 'inbound', protocol: 'ICMP', dst_ip: '192.0.2.10', icmp_seq_num: '1', src_xlated_ip: '203.0.113.5', icmp_code_xlated: '0', src_ip: '10.1.1.5', icmp_code: '0' },
    { ...ASA({ outcome: 'Built', network: { direction: 'inbound', transport: 'ICMP' }, icmp_seq: 1, icmp_type: 0 }), destination: { ip: '192.0.2.10' }, source: { nat: { ip: '203.0.113.5' }, ip: '10.1.1.5' } }],
  ['305011', 'Built dynamic TCP translation from inside:10.1.1.5/51234 to outside:203.0.113.5/41000',
    { action: 'Built', xlate_type: 'dynamic', protocol: 'TCP', src_interface: 'inside', src_ip: '10.1.1.5', src_port: '51234', src_xlated_interface: 'outside', src_xlated_ip: '203.0.113.5', src_xlated_port: '41000' },
    { ...ASA({ outcome: 'Built', network: { transport: 'TCP' } }), observer: { ingress: { interface: { name: 'inside' } }, egress: { interface: { name: 'outside' } } }, source: { ip: '10.1.1.5', port: 51234 }, destination: { ip: '203.0.113.5', port: 41000 } }],
  ['313001_313004_313008', 'Denied ICMP type=8, code=0 from 192.0.2.10 on interface outside', { action: 'Denied', protocol: 'ICMP', icmp_type: '8', icmp_code: '0', src_ip: '192.0.2.10', interface: 'outside' },
    { ...ASA({ outcome: 'Denied', network: { transport: 'ICMP' }, icmp_type: 8, icmp_code: 0 }), source: { ip: '192.0.2.10' }, observer: { egress: { interface: { name: 'outside' } } } }],
  ['313005', 'No matching connection for ICMP error message: icmp src outside:192.0.2.10 dst inside:10.1.1.5 (type 3, code 3) on outside interface.  Original IP payload: udp src 10.1.1.5/53 dst 192.0.2.10/1024',
    { reason: 'No matching connection', protocol: ['ICMP', 'udp'], err_protocol: 'icmp', err_src_interface: 'outside', err_src_ip: '192.0.2.10', err_dst_interface: 'inside', err_dst_ip: '10.1.1.5', err_icmp_type: '3', err_icmp_code: '3',
      interface: 'outside', orig_src_ip: '10.1.1.5', orig_src_port: '53', orig_dst_ip: '192.0.2.10', orig_dst_port: '1024' },
    { event: { reason: 'No matching connection' }, ...ASA({ network: { transport: 'ICMP' }, icmp_type: 3, icmp_code: 3, original_ip_payload: { network: { transport: 'udp' }, source: { ip: '10.1.1.5', port: 53 }, destination: { ip: '192.0.2.10', port: 1024 } } }),
      ...IFS, source: { ip: '192.0.2.10' }, destination: { ip: '10.1.1.5' } }],
  ['321001', "Resource 'conns' limit of 10000 reached for system", { resource_name: 'conns', resource_limit: '10000' }, ASA({ resource: { name: 'conns', limit: 10000 } })],
  ['402117', 'IPSEC: Received a non-IPSec packet (protocol= ICMP) from 192.0.2.10 to 10.1.1.5', { protocol: 'IPSEC', orig_protocol: 'ICMP', src_ip: '192.0.2.10', dst_ip: '10.1.1.5' },
    { ...ASA({ network: { type: 'IPSEC', transport: 'ICMP' } }), source: { ip: '192.0.2.10' }, destination: { ip: '10.1.1.5' } }],
  ['402119', 'IPSEC: Received an ESP packet (SPI= 0x1A2B3C4D, sequence number= 0x5) from 192.0.2.10 (user= vpnuser) to 10.1.1.5 that failed anti-replay checking',
    { protocol: 'IPSEC', orig_protocol: 'ESP', spi: '0x1A2B3C4D', seq_num: '0x5', src_ip: '192.0.2.10', user: 'vpnuser', dst_ip: '10.1.1.5' },
    { ...ASA({ network: { type: 'IPSEC' }, ipsec: { protocol: 'ESP', spi: '0x1A2B3C4D', seq_num: '0x5' } }), source: { ip: '192.0.2.10', user: { name: 'vpnuser' } }, destination: { ip: '10.1.1.5' } }],
  ['419001', 'Dropping TCP packet from outside:192.0.2.10/4711 to inside:10.1.1.5/80, reason: MSS exceeded, MSS 1380, data 1460',
    { action: 'Dropping', protocol: 'TCP', src_interface: 'outside', src_ip: '192.0.2.10', src_port: '4711', dst_interface: 'inside', dst_ip: '10.1.1.5', dst_port: '80', reason: 'MSS exceeded, MSS 1380, data 1460' },
    { ...ASA({ outcome: 'Dropping', network: { transport: 'TCP' } }), ...IFS, source: { ip: '192.0.2.10', port: 4711 }, destination: { ip: '10.1.1.5', port: 80 }, event: { reason: 'MSS exceeded, MSS 1380, data 1460' } }],
  ['419002', 'Duplicate TCP SYN from outside:192.0.2.10/4711 to inside:10.1.1.5/80 with different initial sequence number',
    { reason: 'Duplicate TCP SYN', src_interface: 'outside', src_ip: '192.0.2.10', src_port: '4711', dst_interface: 'inside', dst_ip: '10.1.1.5', dst_port: '80' },
    { event: { reason: 'Duplicate TCP SYN' }, ...IFS, source: { ip: '192.0.2.10', port: 4711 }, destination: { ip: '10.1.1.5', port: 80 } }],
  ['500004', 'Invalid transport field for protocol=UDP, from 192.0.2.10/0 to 10.1.1.5/0', { reason: 'Invalid transport field', protocol: 'UDP', src_ip: '192.0.2.10', src_port: '0', dst_ip: '10.1.1.5', dst_port: '0' },
    { event: { reason: 'Invalid transport field' }, ...ASA({ network: { transport: 'UDP' } }), source: { ip: '192.0.2.10', port: 0 }, destination: { ip: '10.1.1.5', port: 0 } }],
  ['602303_602304', 'IPSEC: An outbound LAN-to-LAN SA (SPI= 0x1A2B3C4D) between 192.0.2.10 and 10.1.1.5 (user= 192.0.2.10) has been created',
    { protocol: 'IPSEC', direction: 'outbound', tunnel_type: 'LAN-to-LAN', spi: '0x1A2B3C4D', src_ip: '192.0.2.10', dst_ip: '10.1.1.5', user: '192.0.2.10', action: 'created' },
    { ...ASA({ network: { type: 'IPSEC', direction: 'outbound' }, ipsec: { tunnel_type: 'LAN-to-LAN', spi: '0x1A2B3C4D' }, outcome: 'created' }), source: { ip: '192.0.2.10', user: { name: '192.0.2.10' } }, destination: { ip: '10.1.1.5' } }],
  ['710001_710002_710003_710005_710006', 'TCP access permitted from 192.0.2.10/4711 to outside:203.0.113.1/443',
    { protocol: 'TCP', action: 'permitted', src_ip: '192.0.2.10', src_port: '4711', dst_interface: 'outside', dst_ip: '203.0.113.1', dst_port: '443' },
    { ...ASA({ network: { transport: 'TCP' }, outcome: 'permitted' }), source: { ip: '192.0.2.10', port: 4711 }, observer: { egress: { interface: { name: 'outside' } } }, destination: { ip: '203.0.113.1', port: 443 } }],
  ['713172', 'Group = vpn-group, IP = 192.0.2.10, Automatic NAT Detection Status:     Remote end is behind a NAT device     This   end is NOT behind a NAT device',
    { group: 'vpn-group', src_ip: '192.0.2.10', is_remote_natted: 'is', is_local_natted: 'is NOT' },
    { ...ASA({ source: { group: 'vpn-group' } }), source: { ip: '192.0.2.10' }, '@metadata': { cisco: { asa: { remote_nat: 'is', local_nat: 'is NOT' } } } }],
  ['733100', '[ Scanning] drop rate-1 exceeded. Current burst rate is 10 per second, max configured rate is 10; Current average rate is 5 per second, max configured rate is 5; Cumulative total count is 3000',
    { drop_type: 'Scanning', drop_rate_id: 'rate-1', drop_rate_current_burst: '10', drop_rate_max_burst: '10', drop_rate_current_avg: '5', drop_rate_max_avg: '5', drop_total_count: '3000' },
    ASA({ burst: { object: 'Scanning', id: 'rate-1', current_rate: 10, configured_rate: 10, avg_rate: 5, configured_avg_rate: 5, cumulative_count: 3000 } })],
];
for (const [n, line, l, e] of FW) MORE.push({ names: [`CISCOFW${n}`], line, disabled: l, v1: e });
MORE.push(
  {
    names: ['NETSCREENSESSIONLOG'],
    line: 'Mar 11 10:24:41 fw01 fw01: NetScreen device_id=fw01  [Root]system-notification-00257(traffic): start_time="2024-03-11 10:24:40" duration=1 policy_id=320 service=udp/port:7001 proto=17 src zone=Trust dst zone=Untrust action=Permit sent=102 rcvd=0 src=10.0.0.5 dst=8.8.8.8 src_port=52000 dst_port=53 src-xlated ip=203.0.113.5 port=41000 dst-xlated ip=8.8.8.8 port=53 session_id=12345 reason=Close - AGE OUT',
    disabled: {
      date: 'Mar 11 10:24:41', device: 'fw01', device_id: 'fw01', start_time: '"2024-03-11 10:24:40"', duration: '1', policy_id: '320', service: 'udp/port:7001', proto: '17', src_zone: 'Trust', dst_zone: 'Untrust',
      action: 'Permit', sent: '102', rcvd: '0', src_ip: '10.0.0.5', dst_ip: '8.8.8.8', src_port: '52000', dst_port: '53', src_xlated_ip: '203.0.113.5', src_xlated_port: '41000', dst_xlated_ip: '8.8.8.8', dst_xlated_port: '53',
      session_id: '12345', reason: 'Close - AGE OUT',
    },
    v1: {
      timestamp: 'Mar 11 10:24:41', observer: { hostname: 'fw01', name: 'fw01', product: 'NetScreen', ingress: { zone: 'Trust' }, egress: { zone: 'Untrust' } },
      netscreen: { device_id: 'fw01', session: { type: 'traffic', start_time: '2024-03-11 10:24:40', duration: 1, id: '12345', reason: 'Close - AGE OUT' }, policy_id: '320', service: 'udp/port:7001', protocol_number: 17 },
      event: { code: '00257', action: 'Permit' }, source: { bytes: 102, address: '10.0.0.5', port: 52000, nat: { ip: '203.0.113.5', port: 41000 } }, destination: { bytes: 0, address: '8.8.8.8', port: 53, nat: { ip: '8.8.8.8', port: 53 } },
    },
  },
  {
    names: ['CISCO_TAGGED_SYSLOG'], line: '<166>Mar 11 2024 10:24:41 asa01 : %ASA-6-302013:',
    disabled: { syslog_pri: '166', timestamp: 'Mar 11 2024 10:24:41', sysloghost: 'asa01', ciscotag: 'ASA-6-302013' },
    v1: { log: { syslog: { priority: 166 } }, timestamp: 'Mar 11 2024 10:24:41', host: { hostname: 'asa01' }, cisco: { asa: { tag: 'ASA-6-302013' } } },
  },
  { names: ['CISCO_HITCOUNT_INTERVAL'], line: 'hit-cnt 5 300-second interval', disabled: null, v1: ASA({ hit_count: 5, interval: 300 }) },
  { names: ['CISCO_SRC_IP_USER'], line: 'outside:192.0.2.10(alice)', disabled: null, v1: { observer: { ingress: { interface: { name: 'outside' } } }, source: { ip: '192.0.2.10', user: { name: 'alice' } } } },
  { names: ['CISCO_DST_IP_USER'], line: 'inside:10.1.1.5', disabled: null, v1: { observer: { egress: { interface: { name: 'inside' } } }, destination: { ip: '10.1.1.5' } } },
  { names: ['CISCO_SRC_HOST_PORT_USER'], line: 'outside:host.example.com/4711', disabled: null, v1: { observer: { ingress: { interface: { name: 'outside' } } }, source: { address: 'host.example.com', port: 4711 } } },
  { names: ['CISCO_DST_HOST_PORT_USER'], line: 'inside:10.1.1.5/22', disabled: null, v1: { observer: { egress: { interface: { name: 'inside' } } }, destination: { ip: '10.1.1.5', port: 22 } } },
  { names: ['IPTABLES'], line: IPT_LINE, anchor: false, disabled: null, v1: IPT_E },
  { names: ['IPTABLES_TCP_PART'], line: 'SEQ=1 ACK=2 WINDOW=512 RES=0x00 ACK PSH ', disabled: null, v1: { iptables: { tcp: { seq: 1, ack: 2, window: 512, flags: 'ACK PSH ' }, tcp_reserved_bits: '00' } } },
  {
    names: ['IPTABLES4_PART'], line: 'SRC=192.0.2.10 DST=10.1.1.5 LEN=60 TOS=0x10 PREC=0x00 TTL=64 ID=0 DF', disabled: null,
    v1: { source: { ip: '192.0.2.10' }, destination: { ip: '10.1.1.5' }, iptables: { length: 60, tos: '10', precedence_bits: '00', ttl: 64, id: '0', fragment_flags: 'DF' } },
  },
  {
    names: ['IPTABLES6_PART'], line: 'SRC=2001:db8::1 DST=2001:db8::2 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=12345', disabled: null,
    v1: { source: { ip: '2001:db8::1' }, destination: { ip: '2001:db8::2' }, iptables: { length: 80, ttl: 64, flow_label: '12345' } },
  },
  {
    names: ['SHOREWALL'], line: `Mar 11 10:24:41 fw01 kernel: Shorewall:net2fw:DROP:${IPT_LINE}`, anchor: false,
    disabled: { timestamp: 'Mar 11 10:24:41', nf_host: 'fw01', nf_action1: 'net2fw', nf_action2: 'DROP', ...NF_L, nf_len: '60', nf_tos: '0x00', nf_prec: '0x00', nf_ttl: '52', nf_id: '12345' },
    v1: { timestamp: 'Mar 11 10:24:41', ...IPT_E, observer: { ...IPT_E.observer, hostname: 'fw01' }, shorewall: { firewall: { type: 'net2fw', action: 'DROP' } } },
  },
  {
    names: ['SFW2'], line: `Mar 11 10:24:41 fw01 kernel: SFW2-INext-DROP-DEFLT ${IPT_LINE}`, anchor: false,
    disabled: { timestamp: 'Mar 11 10:24:41', nf_action: 'DROP-DEFLT', ...NF_L },
    v1: { timestamp: 'Mar 11 10:24:41', ...IPT_E, observer: { ...IPT_E.observer, hostname: 'fw01' }, suse: { firewall: { log_prefix: 'SFW2-INext-DROP-DEFLT', action: 'DROP-DEFLT' } } },
  },
  { names: ['SFW2_LOG_PREFIX'], line: 'SFW2-INext-ACC-TCP', disabled: null, v1: { suse: { firewall: { action: 'ACC-TCP' } } } },
);

for (const { names, line, disabled, v1, anchor = true } of MORE) {
  test(`library pattern ${names.join(', ')}: ${line.slice(0, 50)}`, () => {
    for (const name of names) {
      covered.add(name);
      for (const mode of MODES) {
        const expected = mode === 'disabled' ? disabled : v1;
        const lib = standardPatterns(mode);
        if (expected === null) { assert.equal(lib.has(name), false, `${name} should not exist with ecs ${mode}`); continue; }
        const g = compileGrok(anchor ? `^%{${name}}$` : `%{${name}}`, { patterns: lib });
        assert.deepEqual(g.match(line), expected === 'nomatch' ? null : expected, `${name} (${mode})`);
      }
    }
  });
}

test('every pattern of the library has a sample here', () => {
  const missing: string[] = [];
  for (const mode of MODES) for (const name of standardPatterns(mode).keys()) if (!name.startsWith('_') && !covered.has(name)) missing.push(`${name} (${mode})`);
  assert.deepEqual(missing, []);
});
