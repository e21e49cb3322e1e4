/** Nagios: field layout per logstash-patterns-core's nagios spec (our own sample lines). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grok, includes, including } from './expect.js';

const L = '%{NAGIOSLOGLINE}';

test('nagios: current host state', () => {
  const line = '[1700000000] CURRENT HOST STATE: db-primary;UP;HARD;1;PING OK - Packet loss = 0%, RTA = 0.41 ms';
  const ecs = grok(L, line, 'v1');
  includes(ecs, { timestamp: '1700000000', message: 'PING OK - Packet loss = 0%, RTA = 0.41 ms', host: { hostname: 'db-primary' } });
  including((ecs['nagios'] as Record<string, unknown>)['log'], { status: 'UP', state_type: 'HARD' });
  includes(grok(L, line, 'disabled'), {
    nagios_epoch: '1700000000', nagios_message: 'PING OK - Packet loss = 0%, RTA = 0.41 ms',
    nagios_hostname: 'db-primary', nagios_state: 'UP', nagios_statetype: 'HARD',
  });
});

test('nagios: current service state; the attempt is a number in ECS mode only', () => {
  const line = '[1700000100] CURRENT SERVICE STATE: web-7;HTTPS cert;WARNING;SOFT;2;WARNING - certificate expires in 12 days (95%)';
  includes(grok(L, line, 'v1'), {
    host: { hostname: 'web-7' }, service: { name: 'HTTPS cert' },
    nagios: { log: { type: 'CURRENT SERVICE STATE', status: 'WARNING', state_type: 'SOFT', attempt: 2 } },
    message: 'WARNING - certificate expires in 12 days (95%)', timestamp: '1700000100',
  });
  includes(grok(L, line, 'disabled'), {
    nagios_type: 'CURRENT SERVICE STATE', nagios_epoch: '1700000100', nagios_hostname: 'web-7', nagios_service: 'HTTPS cert',
    nagios_state: 'WARNING', nagios_statetype: 'SOFT', nagios_statecode: '2',
    nagios_message: 'WARNING - certificate expires in 12 days (95%)',
  });
});

test('nagios: timeperiod transition (period bounds are numbers in ECS mode; no trailing semicolon)', () => {
  const line = '[1700000200] TIMEPERIOD TRANSITION: workhours;1;0';
  const ecs = grok(L, line, 'v1');
  including((ecs['nagios'] as Record<string, unknown>)['log'], { type: 'TIMEPERIOD TRANSITION', period_from: 1, period_to: 0 });
  includes(ecs, { service: { name: 'workhours' } });
  const legacy = grok(L, line, 'disabled');
  includes(legacy, { nagios_type: 'TIMEPERIOD TRANSITION', nagios_epoch: '1700000200', nagios_service: 'workhours', nagios_unknown1: '1', nagios_unknown2: '0' });
  for (const m of [ecs['message'], legacy['nagios_message']]) if (typeof m === 'string') assert.ok(!m.endsWith(';'));
});

test('nagios: service alert', () => {
  const line = '[1700000300] SERVICE ALERT: mq-2;Queue depth;CRITICAL;HARD;3;Current value: 9120.0, warn threshold: 500.0, crit threshold: 1000.0';
  const ecs = grok(L, line, 'v1');
  includes(ecs, { timestamp: '1700000300', host: { hostname: 'mq-2' }, message: 'Current value: 9120.0, warn threshold: 500.0, crit threshold: 1000.0' });
  including(ecs['service'], { name: 'Queue depth' });
  including((ecs['nagios'] as Record<string, unknown>)['log'], { type: 'SERVICE ALERT', status: 'CRITICAL', state_type: 'HARD' });
  includes(grok(L, line, 'disabled'), {
    nagios_type: 'SERVICE ALERT', nagios_epoch: '1700000300', nagios_hostname: 'mq-2', nagios_service: 'Queue depth',
    nagios_state: 'CRITICAL', nagios_statelevel: 'HARD', nagios_attempt: '3',
    nagios_message: 'Current value: 9120.0, warn threshold: 500.0, crit threshold: 1000.0',
  });
});

test('nagios: service and host notifications', () => {
  const svc = '[1700000400] SERVICE NOTIFICATION: oncall;mq-2;Queue depth;CRITICAL;notify-by-pager;Current value: 9120.0';
  const ecs = grok(L, svc, 'v1');
  includes(ecs, { timestamp: '1700000400', user: { name: 'oncall' }, host: { hostname: 'mq-2' }, message: 'Current value: 9120.0' });
  including(ecs['service'], { name: 'Queue depth' });
  including((ecs['nagios'] as Record<string, unknown>)['log'], { type: 'SERVICE NOTIFICATION', status: 'CRITICAL', notification_command: 'notify-by-pager' });
  includes(grok(L, svc, 'disabled'), {
    nagios_type: 'SERVICE NOTIFICATION', nagios_epoch: '1700000400', nagios_notifyname: 'oncall', nagios_hostname: 'mq-2',
    nagios_service: 'Queue depth', nagios_state: 'CRITICAL', nagios_contact: 'notify-by-pager', nagios_message: 'Current value: 9120.0',
  });

  const host = '[1700000500] HOST NOTIFICATION: oncall;10.20.30.40;DOWN;host-notify-by-sms;CRITICAL - Host unreachable';
  const h = grok(L, host, 'v1');
  includes(h, { user: { name: 'oncall' }, host: { hostname: '10.20.30.40' }, message: 'CRITICAL - Host unreachable' });
  including((h['nagios'] as Record<string, unknown>)['log'], { type: 'HOST NOTIFICATION', notification_command: 'host-notify-by-sms' });
  includes(grok(L, host, 'disabled'), {
    nagios_type: 'HOST NOTIFICATION', nagios_epoch: '1700000500', nagios_notifyname: 'oncall', nagios_hostname: '10.20.30.40',
    nagios_contact: 'host-notify-by-sms', nagios_message: 'CRITICAL - Host unreachable',
  });
});

test('nagios: scheduled host downtime; only the duration is a number (ECS), no message capture', () => {
  const line = '[1700000600] EXTERNAL COMMAND: SCHEDULE_HOST_DOWNTIME;build-3;1700003600;1700010800;0;4;7200;ops;kernel upgrade;';
  const ecs = grok(L, line, 'v1');
  includes(ecs, {
    host: { hostname: 'build-3' }, user: { name: 'ops' },
    nagios: { log: { type: 'EXTERNAL COMMAND', command: 'SCHEDULE_HOST_DOWNTIME', start_time: '1700003600', end_time: '1700010800', fixed: '0', trigger_id: '4', duration: 7200 } },
  });
  assert.equal(ecs['message'], undefined);
  includes(grok(L, line, 'disabled'), {
    nagios_epoch: '1700000600', nagios_type: 'EXTERNAL COMMAND', nagios_command: 'SCHEDULE_HOST_DOWNTIME', nagios_hostname: 'build-3',
    nagios_duration: '7200', nagios_fixed: '0', nagios_trigger_id: '4', nagios_start_time: '1700003600', nagios_end_time: '1700010800', author: 'ops',
  });
});
