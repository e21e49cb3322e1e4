/** Linux syslog (SYSLOGLINE, SYSLOG5424LINE, PAM, cron): field layout per logstash-patterns-core's syslog spec. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grok, includes, including, noMatch } from './expect.js';

test('SYSLOGLINE: program and pid; pid is a number in ECS mode only', () => {
  const line = 'Oct  2 08:00:01 build-box.lan anacron[2211]: Job `cron.daily\' terminated';
  includes(grok('%{SYSLOGLINE}', line, 'v1'), { process: { name: 'anacron', pid: 2211 }, host: { hostname: 'build-box.lan' }, timestamp: 'Oct  2 08:00:01' });
  includes(grok('%{SYSLOGLINE}', line, 'disabled'), { program: 'anacron', pid: '2211', logsource: 'build-box.lan', timestamp: 'Oct  2 08:00:01' });

  const slash = 'Oct  2 08:00:02 mx1 postfix/qmgr[991]: 4BC1E2A0F: removed';
  includes(grok('%{SYSLOGLINE}', slash, 'v1'), { process: { name: 'postfix/qmgr', pid: 991 } });
  includes(grok('%{SYSLOGLINE}', slash, 'disabled'), { program: 'postfix/qmgr' });
});

test('SYSLOGLINE: a program without pid, any printable tag, and the message', () => {
  const line = 'Oct  2 08:01:00 ws-4 python3-<console>: started worker pool size=8';
  includes(grok('%{SYSLOGLINE}', line, 'v1'), { timestamp: 'Oct  2 08:01:00', process: { name: 'python3-<console>' }, host: { hostname: 'ws-4' }, message: 'started worker pool size=8' });
  includes(grok('%{SYSLOGLINE}', line, 'disabled'), { timestamp: 'Oct  2 08:01:00', logsource: 'ws-4', message: 'started worker pool size=8' });

  const tag = '!"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ\\^_`abcxyz{|}~';
  const any = `Oct  2 08:01:01 ws-4 ${tag}: conforms`;
  includes(grok('%{SYSLOGLINE}', any, 'v1'), { process: { name: tag }, host: { hostname: 'ws-4' } });
  includes(grok('%{SYSLOGLINE}', any, 'disabled'), { logsource: 'ws-4', program: tag });
});

test('SYSLOGLINE: facility/level and msgid text stays in the message', () => {
  const line = 'Oct  2 09:10:11 solaris-1 fmd[314]: [ID 377184 daemon.error] SUNW-MSG-ID: ZFS-8000-D3, TYPE: Fault';
  const msg = '[ID 377184 daemon.error] SUNW-MSG-ID: ZFS-8000-D3, TYPE: Fault';
  includes(grok('%{SYSLOGLINE}', line, 'v1'), { timestamp: 'Oct  2 09:10:11', message: msg, process: { pid: 314, name: 'fmd' }, host: { hostname: 'solaris-1' } });
  includes(grok('%{SYSLOGLINE}', line, 'disabled'), { message: msg, program: 'fmd', pid: '314', logsource: 'solaris-1' });
});

test('SYSLOGLINE: a line without host name parses in ECS mode only', () => {
  const line = "Oct  2 10:00:00 sudo: 'sudo -i' refused for guest on /dev/pts/3";
  includes(grok('%{SYSLOGLINE}', line, 'v1'), { process: { name: 'sudo' } });
  noMatch('^%{SYSLOGLINE}$', line, 'disabled');
});

test('SYSLOGLINE: a priority prefix and no program', () => {
  const line = '<13>Oct  2 10:05:00 nas-01 SyncService Event: upload, Path: /photos/a.jpg, Size: 2.1 MB';
  includes(grok('%{SYSLOGLINE}', line, 'v1'), { host: { hostname: 'nas-01' }, message: 'SyncService Event: upload, Path: /photos/a.jpg, Size: 2.1 MB' });
  includes(grok('%{SYSLOGLINE}', line, 'disabled'), { logsource: 'nas-01', message: 'SyncService Event: upload, Path: /photos/a.jpg, Size: 2.1 MB' });
});

const L5424 = '%{SYSLOG5424LINE}';

test('SYSLOG5424LINE: header fields; priority and pid are numbers in ECS mode, strings in legacy', () => {
  const line = '<165>1 2024-05-06T07:08:09+02:00 10.1.2.3 unbound 4100 - -  info: resolving example.org. A IN';
  includes(grok(L5424, line, 'v1'), {
    log: { syslog: { facility: { code: 165 } } }, host: { hostname: '10.1.2.3' }, process: { name: 'unbound', pid: 4100 },
    system: { syslog: { version: '1' } }, timestamp: '2024-05-06T07:08:09+02:00', message: 'info: resolving example.org. A IN',
  });
  includes(grok(L5424, line, 'disabled'), {
    syslog5424_pri: '165', syslog5424_host: '10.1.2.3', syslog5424_app: 'unbound', syslog5424_ver: '1', syslog5424_proc: '4100',
    syslog5424_ts: '2024-05-06T07:08:09+02:00', syslog5424_msg: 'info: resolving example.org. A IN',
  });
});

test('SYSLOG5424LINE: IPv6 and named hosts, leap second, no msgid', () => {
  const v6 = '<165>1 2001-02-03T04:05:06.7Z 2001:db8:0:1:2:3:4:5 unbound 4100 - -  ok';
  includes(grok(L5424, v6, 'v1'), { host: { hostname: '2001:db8:0:1:2:3:4:5' }, timestamp: '2001-02-03T04:05:06.7Z', message: 'ok' });
  includes(grok(L5424, v6, 'disabled'), { syslog5424_host: '2001:db8:0:1:2:3:4:5', syslog5424_ts: '2001-02-03T04:05:06.7Z' });

  const named = '<165>1 2016-12-31T23:59:60Z dns-a.corp app9[77] - -  zone transfer done';
  const e = grok(L5424, named, 'v1');
  includes(e, { host: { hostname: 'dns-a.corp' }, timestamp: '2016-12-31T23:59:60Z', message: 'zone transfer done' });
  assert.ok(!('message_id' in ((e['system'] as Record<string, Record<string, unknown>>)['syslog']!)));
  const l = grok(L5424, named, 'disabled');
  includes(l, { syslog5424_host: 'dns-a.corp', syslog5424_ts: '2016-12-31T23:59:60Z' });
  assert.ok(!('syslog5424_msgid' in l));
});

test('SYSLOG5424LINE: a nil host leaves no host field', () => {
  const line = '<4>1 2020-01-01T00:00:00+00:00 - - - - - IN=eth9 OUT= SRC=10.0.0.1 DST=224.0.0.251 PROTO=2';
  const e = grok(L5424, line, 'v1');
  includes(e, { timestamp: '2020-01-01T00:00:00+00:00' });
  assert.ok(!('host' in e));
  assert.ok(!('syslog5424_host' in grok(L5424, line, 'disabled')));
});

test('SYSLOG5424LINE: fractional timestamps, msgid, structured data', () => {
  const msgid = '<38>1 2031-01-02T03:04:05.006Z gw.example.com login - AUTH-7 - BOMlogin failed for bob';
  includes(grok(L5424, msgid, 'v1'), { timestamp: '2031-01-02T03:04:05.006Z', event: { code: 'AUTH-7' }, process: { name: 'login' } });
  includes(grok(L5424, msgid, 'disabled'), { syslog5424_ts: '2031-01-02T03:04:05.006Z', syslog5424_msgid: 'AUTH-7' });

  const sd = '<38>1 2012-03-04T05:06:07.123456Z edge1 - - - [origin ip="10.0.0.9"] BOMfan 2 failed';
  const e = grok(L5424, sd, 'v1');
  includes(e, { timestamp: '2012-03-04T05:06:07.123456Z', message: 'BOMfan 2 failed' });
  including((e['system'] as Record<string, unknown>)['syslog'], { structured_data: '[origin ip="10.0.0.9"]' });
  assert.ok(!('process' in e) && !('event' in e));
  includes(grok(L5424, sd, 'disabled'), { syslog5424_ts: '2012-03-04T05:06:07.123456Z', syslog5424_sd: '[origin ip="10.0.0.9"]', syslog5424_msg: 'BOMfan 2 failed' });

  const multi = '[a@1 x="1" y="2"][b@1 z="3"]';
  const m = `<38>1 2012-03-04T05:06:07.1+05:30 edge1 - - - ${multi} [alarm]`;
  including((grok(L5424, m, 'v1')['system'] as Record<string, unknown>)['syslog'], { structured_data: multi });
  includes(grok(L5424, m, 'v1'), { message: '[alarm]' });
  includes(grok(L5424, m, 'disabled'), { syslog5424_sd: multi, syslog5424_msg: '[alarm]' });
});

test('SYSLOGPAMSESSION and CRONLOG', () => {
  const pam = 'Mar  3 21:00:00 laptop sudo: pam_unix(sudo:session): session opened for user admin by (uid=1000)';
  includes(grok('%{SYSLOGPAMSESSION}', pam, 'v1'), {
    timestamp: 'Mar  3 21:00:00', host: { hostname: 'laptop' }, process: { name: 'sudo' }, user: { name: 'admin' },
    system: { auth: { pam: { module: 'pam_unix', origin: 'sudo:session', session_state: 'opened' } } },
    message: 'pam_unix(sudo:session): session opened for user admin by (uid=1000)',
  });
  includes(grok('%{SYSLOGPAMSESSION}', pam, 'disabled'), {
    logsource: 'laptop', program: 'sudo', username: 'admin', pam_module: 'pam_unix', pam_caller: 'sudo:session', pam_session_state: 'opened', pam_by: '(uid=1000)',
  });

  const closed = 'Mar  3 21:00:05.500 laptop.home CRON[4411]: pam_unix(cron:session): session closed for user backup';
  includes(grok('%{SYSLOGPAMSESSION}', closed, 'v1'), { timestamp: 'Mar  3 21:00:05.500', host: { hostname: 'laptop.home' }, process: { name: 'CRON', pid: 4411 }, user: { name: 'backup' } });
  includes(grok('%{SYSLOGPAMSESSION}', closed, 'disabled'), { logsource: 'laptop.home', program: 'CRON', pid: '4411', username: 'backup', pam_session_state: 'closed' });

  const cron = 'Mar  3 22:00:01 laptop CRON[4500]: (backup) CMD (/usr/local/bin/snapshot --daily)';
  includes(grok('%{CRONLOG}', cron, 'v1'), {
    timestamp: 'Mar  3 22:00:01', host: { hostname: 'laptop' }, process: { name: 'CRON', pid: 4500 }, user: { name: 'backup' },
    system: { cron: { action: 'CMD' } }, message: '/usr/local/bin/snapshot --daily',
  });
  includes(grok('%{CRONLOG}', cron, 'disabled'), { logsource: 'laptop', program: 'CRON', pid: '4500', user: 'backup', action: 'CMD', message: '/usr/local/bin/snapshot --daily' });
});
