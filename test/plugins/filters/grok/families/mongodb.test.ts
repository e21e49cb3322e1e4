/**
 * MongoDB logs (mongodb file): 3.x server lines, 2.x syslog-style lines and 2.x slow queries, per
 * logstash-patterns-core's mongodb spec (our own sample lines). ECS: a "-" component and a missing
 * context leave no field; the slow-query counters are numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactly, grok } from './expect.js';

test('MONGO3_LOG: severity, component, context and message', () => {
  const line = '2019-06-12T09:15:41.123+0000 I NETWORK  [listener] connection accepted from 10.4.4.4:51234 #12 (3 connections now open)';
  exactly(grok('%{MONGO3_LOG}', line, 'v1'), {
    timestamp: '2019-06-12T09:15:41.123+0000', log: { level: 'I' }, mongodb: { component: 'NETWORK', context: 'listener' },
    message: 'connection accepted from 10.4.4.4:51234 #12 (3 connections now open)',
  });
  exactly(grok('%{MONGO3_LOG}', line, 'disabled'), {
    timestamp: '2019-06-12T09:15:41.123+0000', severity: 'I', component: 'NETWORK', context: 'listener',
    message: 'connection accepted from 10.4.4.4:51234 #12 (3 connections now open)',
  });
});

test('MONGO3_LOG: a "-" component is kept in legacy mode and dropped in ECS mode', () => {
  const line = '2019-06-12T09:15:42.001+0000 F -        [conn7] Invariant failure: ok';
  exactly(grok('%{MONGO3_LOG}', line, 'v1'), { timestamp: '2019-06-12T09:15:42.001+0000', log: { level: 'F' }, mongodb: { context: 'conn7' }, message: 'Invariant failure: ok' });
  exactly(grok('%{MONGO3_LOG}', line, 'disabled'), { timestamp: '2019-06-12T09:15:42.001+0000', severity: 'F', component: '-', context: 'conn7', message: 'Invariant failure: ok' });
});

test('MONGO3_LOG: a context with spaces and colons; a line without context', () => {
  const spaced = grok('%{MONGO3_LOG}', '2019-06-12T09:15:43.500+0200 I STORAGE  [WT RecordStoreThread: local.oplog.rs] oplog truncation finished', 'disabled');
  assert.equal(spaced['context'], 'WT RecordStoreThread: local.oplog.rs');
  assert.equal(spaced['message'], 'oplog truncation finished');
  const bare = '2019-06-12T09:15:44.000+0200 I CONTROL  shutting down with code:0';
  exactly(grok('%{MONGO3_LOG}', bare, 'v1'), { timestamp: '2019-06-12T09:15:44.000+0200', log: { level: 'I' }, mongodb: { component: 'CONTROL' }, message: 'shutting down with code:0' });
  exactly(grok('%{MONGO3_LOG}', bare, 'disabled'), { timestamp: '2019-06-12T09:15:44.000+0200', severity: 'I', component: 'CONTROL', message: 'shutting down with code:0' });
});

test('MONGO_LOG: the 2.x syslog-style line', () => {
  const line = 'Mar 10 14:22:01 [conn42] end connection 10.0.0.8:40122';
  exactly(grok('%{MONGO_LOG}', line, 'v1'), { timestamp: 'Mar 10 14:22:01', mongodb: { component: 'conn42' }, message: 'end connection 10.0.0.8:40122' });
  exactly(grok('%{MONGO_LOG}', line, 'disabled'), { timestamp: 'Mar 10 14:22:01', component: 'conn42', message: 'end connection 10.0.0.8:40122' });
});

test('MONGO_SLOWQUERY: database and collection (dashes allowed), the query between braces, counters', () => {
  const line = 'query shop.order-items query: { { customer: 17, status: "open" } } ntoreturn:0 ntoskip:0 nscanned:1532 keyUpdates:0 locks(micros) r:4021 nreturned:12 reslen:2248 183ms';
  exactly(grok('%{MONGO_SLOWQUERY}', line, 'v1'), {
    mongodb: {
      profile: { op: 'query', ntoreturn: 0, ntoskip: 0, nscanned: 1532, nreturned: 12, duration: 183 },
      database: 'shop', collection: 'order-items', query: { original: '{ { customer: 17, status: "open" } }' },
    },
  });
  exactly(grok('%{MONGO_SLOWQUERY}', line, 'disabled'), {
    database: 'shop', collection: 'order-items', query: '{ { customer: 17, status: "open" } }',
    ntoreturn: '0', ntoskip: '0', nscanned: '1532', nreturned: '12', duration: '183',
  });
});
