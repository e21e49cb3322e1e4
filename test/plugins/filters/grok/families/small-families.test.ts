/**
 * The small pattern files — postgresql, mcollective, ruby, maven — in both modes (our own sample
 * lines; upstream's mcollective and maven specs for the documented behaviour; postgresql and ruby
 * have no upstream spec, their files define the captures).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactly, grok, MODES, noMatch } from './expect.js';

test('POSTGRESQL: timestamp, zone, user, connection id, pid (a number in ECS only)', () => {
  const line = '02/29/2024 13:45:01 EST postgres [unknown] 4711';
  exactly(grok('%{POSTGRESQL}', line, 'v1'), {
    timestamp: '02/29/2024 13:45:01', event: { timezone: 'EST' }, user: { name: 'postgres' },
    postgresql: { log: { connection_id: '[unknown]' } }, process: { pid: 4711 },
  });
  exactly(grok('%{POSTGRESQL}', line, 'disabled'), { timestamp: '02/29/2024 13:45:01', user_id: 'postgres', connection_id: '[unknown]', pid: '4711' });
});

test('POSTGRESQL: an ISO date is read by DATESTAMP from its two-digit tail, as in Logstash', () => {
  // DATESTAMP is DATE_US|DATE_EU then a time: neither fits "2024-02-29" at its start, so the
  // unanchored match begins at "24-02-29" (DATE_EU), exactly as Oniguruma does.
  const line = '2024-02-29 13:45:01 UTC app_user 65e08a1d.3f2c 16172';
  for (const m of MODES) assert.equal(grok('%{POSTGRESQL}', line, m)['timestamp'], '24-02-29 13:45:01', m);
  // CET is not a TZ of the base library ([APMCE][SD]T|UTC).
  for (const m of MODES) noMatch('%{POSTGRESQL}', '02/29/2024 13:45:01 CET postgres x 1', m);
});

test('MCOLLECTIVE: timestamp, pid and level; the rest of the line is not captured', () => {
  const line = 'I, [2012-03-04T05:06:07.891011 #2345]  INFO -- : mcollectived:31 The Marionette Collective 2.0.0 started logging at info level';
  exactly(grok('%{MCOLLECTIVE}', line, 'v1'), { timestamp: '2012-03-04T05:06:07.891011', process: { pid: 2345 }, log: { level: 'INFO' } });
  exactly(grok('%{MCOLLECTIVE}', line, 'disabled'), { timestamp: '2012-03-04T05:06:07.891011', pid: '2345', event_level: 'INFO' });
});

test('MCOLLECTIVEAUDIT: the leading timestamp only', () => {
  const line = '2012-03-04T05:06:08.000001+0000: reqid=abc123: reqtime=1330837568 caller=cert=admin@host agent=package action=status';
  for (const m of MODES) exactly(grok('%{MCOLLECTIVEAUDIT}', line, m), { timestamp: '2012-03-04T05:06:08.000001+0000' });
});

test('RUBY_LOGGER: pid is a number in both modes; an empty progname leaves no field', () => {
  const line = 'E, [2024-05-06T07:08:09.123456 #4242] ERROR -- worker: job 17 failed: timeout';
  exactly(grok('%{RUBY_LOGGER}', line, 'v1'), {
    timestamp: '2024-05-06T07:08:09.123456', process: { pid: 4242, name: 'worker' }, log: { level: 'ERROR' }, message: 'job 17 failed: timeout',
  });
  exactly(grok('%{RUBY_LOGGER}', line, 'disabled'), {
    timestamp: '2024-05-06T07:08:09.123456', pid: 4242, loglevel: 'ERROR', progname: 'worker', message: 'job 17 failed: timeout',
  });
  const anonymous = 'I, [2024-05-06T07:08:10.000001 #4242]  INFO -- : booted';
  exactly(grok('%{RUBY_LOGGER}', anonymous, 'v1'), { timestamp: '2024-05-06T07:08:10.000001', process: { pid: 4242 }, log: { level: 'INFO' }, message: 'booted' });
  exactly(grok('%{RUBY_LOGGER}', anonymous, 'disabled'), { timestamp: '2024-05-06T07:08:10.000001', pid: 4242, loglevel: 'INFO', message: 'booted' });
  // The progname is the shortest text before ": ".
  assert.equal(grok('%{RUBY_LOGGER}', 'W, [2024-05-06T07:08:11.5 #1]  WARN -- Rails::Server: a: b', 'disabled')['progname'], 'Rails::Server');
  for (const m of MODES) noMatch('%{RUBY_LOGGER}', 'X, [2024-05-06T07:08:11.5 #1]  WARN -- app: x', m);
});

test('MAVEN_VERSION: plain, RELEASE/SNAPSHOT with a dot or a dash; nothing captured but the whole', () => {
  for (const v of ['1.1.0', '2.35.128', '1.1.0.RELEASE', '1.1.0.SNAPSHOT', '1.1.0-RELEASE', '1.1.0-SNAPSHOT', '4.*']) {
    for (const m of MODES) exactly(grok('^%{MAVEN_VERSION:v}$', v, m), { v });
  }
  for (const m of MODES) {
    exactly(grok('%{MAVEN_VERSION}', '1.2.3', m), {});
    noMatch('^%{MAVEN_VERSION}$', '1.2.3-BETA', m);
  }
});
