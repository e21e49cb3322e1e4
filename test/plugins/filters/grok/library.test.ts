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
};

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
    disabled: { syslog5424_pri: 165, syslog5424_ver: 1, syslog5424_ts: '2003-10-11T22:14:15.003Z', syslog5424_host: 'mymachine.example.com', syslog5424_app: 'evntslog', syslog5424_msgid: 'ID47', syslog5424_sd: '[exampleSDID@32473 iut="3" eventSource="Application"]', syslog5424_msg: 'An application event log entry' },
    v1: { log: { syslog: { facility: { code: 165 } } }, system: { syslog: { version: '1', structured_data: '[exampleSDID@32473 iut="3" eventSource="Application"]' } }, timestamp: '2003-10-11T22:14:15.003Z', host: { hostname: 'mymachine.example.com' }, process: { name: 'evntslog' }, event: { code: 'ID47' }, message: 'An application event log entry' },
  },
  {
    names: ['SYSLOGBASE2'], line: 'Mar  1 18:48:50 host sshd[1234]: Accepted',
    disabled: { timestamp: 'Mar  1 18:48:50', logsource: 'host', program: 'sshd', pid: '1234' },
    v1: { timestamp: 'Mar  1 18:48:50', host: { hostname: 'host' }, process: { name: 'sshd', pid: 1234 } },
  },
  {
    names: ['SYSLOG5424BASE'], line: '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - x',
    disabled: { syslog5424_pri: 34, syslog5424_ver: 1, syslog5424_ts: '2003-10-11T22:14:15.003Z', syslog5424_host: 'mymachine.example.com', syslog5424_app: 'su', syslog5424_msgid: 'ID47' },
    v1: { log: { syslog: { facility: { code: 34 } } }, system: { syslog: { version: '1' } }, timestamp: '2003-10-11T22:14:15.003Z', host: { hostname: 'mymachine.example.com' }, process: { name: 'su' }, event: { code: 'ID47' } },
  },
  {
    names: ['SYSLOG5424PRI'], line: '<191>',
    disabled: { syslog5424_pri: 191 }, v1: { log: { syslog: { facility: { code: 191 } } } },
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
    names: ['CATALINA7_LOG', 'TOMCAT6_LOG'], line: 'Jan 9, 2014 7:13:13 AM org.apache.catalina.core.StandardServer await SEVERE: Invalid command',
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

test('every pattern of the library has a sample here', () => {
  const missing: string[] = [];
  for (const mode of MODES) for (const name of standardPatterns(mode).keys()) if (!name.startsWith('_') && !covered.has(name)) missing.push(`${name} (${mode})`);
  assert.deepEqual(missing, []);
});
