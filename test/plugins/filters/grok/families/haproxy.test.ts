/**
 * HAProxy httplog / tcplog / error lines: field layout per logstash-patterns-core's haproxy spec
 * (our own sample lines). ECS field names follow the released ecs-v1 file: the response size is
 * [source][bytes], and [haproxy][total_time_ms] stays a string because HAProxy may prefix it with "+".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGrok, standardPatterns } from '../../../../../src/plugins/filters/grok/index.js';
import { exactly, grok } from './expect.js';

/** The legacy HAPROXYDATE split of `dd/Mon/yyyy:hh:mm:ss.mmm`, as upstream's legacy file captures it. */
function legacyDate(date: string): Record<string, string> {
  const m = /^(\d+)\/(\w+)\/(\d+):((\d+):(\d+):(\d+))\.(\d+)$/.exec(date);
  assert.ok(m, date);
  return {
    accept_date: date, haproxy_monthday: m[1]!, haproxy_month: m[2]!, haproxy_year: m[3]!, haproxy_time: m[4]!,
    haproxy_hour: m[5]!, haproxy_minute: m[6]!, haproxy_second: m[7]!, haproxy_milliseconds: m[8]!,
  };
}

test('HAPROXYHTTP: syslog line with a captured request header', () => {
  const line = 'Mar 14 10:20:30 edge01 haproxy[700]: 10.1.1.5:40404 [14/Mar/2024:10:20:30.001] fe_https~ be_api/api2 ' +
    '0/7/2/10/19 200 5120 - - --NI 9/9/2/1/0 0/3 {api.example.org} "GET /v2/orders HTTP/1.1"';
  exactly(grok('%{HAPROXYHTTP}', line, 'v1'), {
    timestamp: 'Mar 14 10:20:30',
    host: { hostname: 'edge01' },
    process: { name: 'haproxy', pid: 700 },
    source: { address: '10.1.1.5', port: 40404, bytes: 5120 },
    haproxy: {
      request_date: '14/Mar/2024:10:20:30.001', frontend_name: 'fe_https~', backend_name: 'be_api', server_name: 'api2',
      http: { request: { time_wait_ms: 0, time_wait_without_data_ms: 10, captured_headers: 'api.example.org' } },
      total_waiting_time_ms: 7, connection_wait_time_ms: 2, total_time_ms: '19', termination_state: '--NI',
      connections: { active: 9, frontend: 9, backend: 2, server: 1, retries: 0 }, server_queue: 0, backend_queue: 3,
    },
    http: { response: { status_code: 200 }, request: { method: 'GET' }, version: '1.1' },
    url: { original: '/v2/orders', path: '/v2/orders' },
  });
  exactly(grok('%{HAPROXYHTTP}', line, 'disabled'), {
    syslog_timestamp: 'Mar 14 10:20:30', syslog_server: 'edge01', program: 'haproxy', pid: '700',
    client_ip: '10.1.1.5', client_port: '40404', ...legacyDate('14/Mar/2024:10:20:30.001'),
    frontend_name: 'fe_https~', backend_name: 'be_api', server_name: 'api2',
    time_request: '0', time_queue: '7', time_backend_connect: '2', time_backend_response: '10', time_duration: '19',
    http_status_code: '200', bytes_read: '5120', captured_request_cookie: '-', captured_response_cookie: '-', termination_state: '--NI',
    actconn: '9', feconn: '9', beconn: '2', srvconn: '1', retries: '0', srv_queue: '0', backend_queue: '3',
    captured_request_headers: 'api.example.org', http_verb: 'GET', http_request: '/v2/orders', http_version: '1.1',
  });
});

test('HAPROXYHTTP: ISO8601 timestamp, no header captures', () => {
  const line = '2023-04-05T06:07:08+02:00 lb-2 haproxy[4411]: 198.51.100.7:52100 [05/Apr/2023:06:07:08.120] web~ app/app-3 ' +
    '12/0/0/35/47 304 180 - - ---- 3/3/1/1/0 0/0 "GET /assets/site.css HTTP/1.1"';
  const e = grok('%{HAPROXYHTTP}', line, 'v1');
  assert.equal(e['timestamp'], '2023-04-05T06:07:08+02:00');
  assert.deepEqual(e['http'], { response: { status_code: 304 }, request: { method: 'GET' }, version: '1.1' });
  const haproxy = e['haproxy'] as Record<string, Record<string, unknown>>;
  assert.deepEqual(haproxy['http'], { request: { time_wait_ms: 12, time_wait_without_data_ms: 35 } });
  assert.deepEqual(haproxy['connections'], { active: 3, frontend: 3, backend: 1, server: 1, retries: 0 });
  const legacy = grok('%{HAPROXYHTTP}', line, 'disabled');
  assert.equal(legacy['timestamp8601'], '2023-04-05T06:07:08+02:00');
  assert.ok(!('syslog_timestamp' in legacy));
  assert.ok(!('captured_request_headers' in legacy) && !('captured_response_headers' in legacy));
});

test('HAPROXYHTTP: request and response headers, absolute URL split into url.* in ECS', () => {
  const line = 'Jul 30 09:03:52 home.lan haproxy[32450]: 192.0.2.4:38862 [30/Jul/2018:09:03:52.726] incoming~ docs/docs1 ' +
    '0/0/1/0/2 304 168 - - ---- 6/6/0/0/0 0/0 {docs.example.internal||} {|||} "POST https://api.example.org:8443/v2/orders?limit=5 HTTP/2.0"';
  const e = grok('%{HAPROXYHTTP}', line, 'v1');
  assert.deepEqual(e['url'], {
    original: 'https://api.example.org:8443/v2/orders?limit=5', scheme: 'https', domain: 'api.example.org', port: 8443, path: '/v2/orders', query: 'limit=5',
  });
  assert.deepEqual((e['haproxy'] as Record<string, unknown>)['http'], {
    request: { time_wait_ms: 0, time_wait_without_data_ms: 0, captured_headers: 'docs.example.internal||' },
    response: { captured_headers: '|||' },
  });
  const legacy = grok('%{HAPROXYHTTP}', line, 'disabled');
  // Legacy URIHOST captures the port by itself (grok-patterns' `port`).
  for (const [k, v] of Object.entries({
    captured_request_headers: 'docs.example.internal||', captured_response_headers: '|||', http_verb: 'POST', http_proto: 'https',
    http_host: 'api.example.org:8443', port: '8443', http_request: '/v2/orders?limit=5', http_version: '2.0',
  })) assert.equal(legacy[k], v, k);
});

test('HAPROXYHTTP: <BADREQ> and <NOSRV>; -1 timers leave no ECS field, legacy keeps them', () => {
  const line = 'Aug  1 01:02:03 lb1 haproxy[99]: 203.0.113.50:61000 [01/Aug/2022:01:02:00.500] www www/<NOSRV> -1/-1/-1/-1/3001 408 212 - - cR-- 40/30/0/0/0 0/0 "<BADREQ>"';
  exactly(grok('%{HAPROXYHTTP}', line, 'v1'), {
    timestamp: 'Aug  1 01:02:03', host: { hostname: 'lb1' }, process: { name: 'haproxy', pid: 99 },
    source: { address: '203.0.113.50', port: 61000, bytes: 212 },
    haproxy: {
      request_date: '01/Aug/2022:01:02:00.500', frontend_name: 'www', backend_name: 'www', total_time_ms: '3001', termination_state: 'cR--',
      connections: { active: 40, frontend: 30, backend: 0, server: 0, retries: 0 }, server_queue: 0, backend_queue: 0,
    },
    http: { response: { status_code: 408 } },
  });
  const legacy = grok('%{HAPROXYHTTP}', line, 'disabled');
  for (const [k, v] of Object.entries({
    server_name: '<NOSRV>', time_request: '-1', time_queue: '-1', time_backend_connect: '-1', time_backend_response: '-1', time_duration: '3001',
    http_status_code: '408', bytes_read: '212', captured_request_cookie: '-', captured_response_cookie: '-', termination_state: 'cR--',
  })) assert.equal(legacy[k], v, k);
  assert.ok(!('http_verb' in legacy) && !('http_request' in legacy));
});

test('HAPROXYHTTPBASE (no syslog prefix): a "+" total time stays a string in both modes', () => {
  const line = '192.0.2.1:1000 [02/Jan/2024:03:04:05.006] front back/srv1 1/2/3/4/+5000 200 77 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.0"';
  exactly(grok('%{HAPROXYHTTPBASE}', line, 'v1'), {
    source: { address: '192.0.2.1', port: 1000, bytes: 77 },
    haproxy: {
      request_date: '02/Jan/2024:03:04:05.006', frontend_name: 'front', backend_name: 'back', server_name: 'srv1',
      http: { request: { time_wait_ms: 1, time_wait_without_data_ms: 4 } }, total_waiting_time_ms: 2, connection_wait_time_ms: 3,
      total_time_ms: '+5000', termination_state: '----', connections: { active: 1, frontend: 1, backend: 1, server: 1, retries: 0 },
      server_queue: 0, backend_queue: 0,
    },
    http: { response: { status_code: 200 }, request: { method: 'GET' }, version: '1.0' },
    url: { original: '/', path: '/' },
  });
  const legacy = grok('%{HAPROXYHTTPBASE}', line, 'disabled');
  assert.equal(legacy['time_duration'], '+5000');
  assert.equal(legacy['http_request'], '/');
});

test('HAPROXYHTTP: a request line cut off by the syslog size limit still matches, without a version', () => {
  const line = 'Jul 31 22:20:22 lb haproxy[1190]: 203.0.113.54:59968 [31/Jul/2017:22:20:22.447] lb default/i8 135/0/1/19/156 200 1015 - - --VR 8/8/0/0/0 0/0 "GET /very/long/path/that/was/cut';
  const e = grok('%{HAPROXYHTTP}', line, 'v1');
  assert.deepEqual(e['http'], { response: { status_code: 200 }, request: { method: 'GET' } });
  assert.deepEqual(e['url'], { original: '/very/long/path/that/was/cut', path: '/very/long/path/that/was/cut' });
  const legacy = grok('%{HAPROXYHTTP}', line, 'disabled');
  assert.equal(legacy['http_request'], '/very/long/path/that/was/cut');
  assert.ok(!('http_version' in legacy));
});

test('HAPROXYHTTP: CONNECT host:port', () => {
  const line = 'Nov  4 08:32:18 gw haproxy[3666]: 127.0.0.1:34500 [04/Nov/2020:08:32:18.194] fe be/n1 0/0/0/0/0 405 501 - - ---- 1/1/0/1/0 0/0 "CONNECT db.internal:5432 HTTP/1.1"';
  const e = grok('%{HAPROXYHTTP}', line, 'v1');
  assert.deepEqual(e['url'], { original: 'db.internal:5432', domain: 'db.internal', port: 5432 });
  assert.deepEqual(e['http'], { response: { status_code: 405 }, request: { method: 'CONNECT' }, version: '1.1' });
  const legacy = grok('%{HAPROXYHTTP}', line, 'disabled');
  assert.equal(legacy['http_verb'], 'CONNECT');
  assert.equal(legacy['http_host'], 'db.internal:5432');
  assert.ok(!('http_request' in legacy));
});

test('HAPROXYTCP: tcplog line, and one refused with <NOSRV>', () => {
  const line = 'Feb  6 12:12:56 db-lb haproxy[14387]: 10.0.1.2:33313 [06/Feb/2009:12:12:51.443] pg pg_back/pg1 0/0/5007 212 -- 0/0/0/0/3 0/0';
  exactly(grok('%{HAPROXYTCP}', line, 'v1'), {
    timestamp: 'Feb  6 12:12:56', host: { hostname: 'db-lb' }, process: { name: 'haproxy', pid: 14387 },
    source: { address: '10.0.1.2', port: 33313, bytes: 212 },
    haproxy: {
      request_date: '06/Feb/2009:12:12:51.443', frontend_name: 'pg', backend_name: 'pg_back', server_name: 'pg1',
      total_waiting_time_ms: 0, connection_wait_time_ms: 0, total_time_ms: '5007', termination_state: '--',
      connections: { active: 0, frontend: 0, backend: 0, server: 0, retries: 3 }, server_queue: 0, backend_queue: 0,
    },
  });
  exactly(grok('%{HAPROXYTCP}', line, 'disabled'), {
    syslog_timestamp: 'Feb  6 12:12:56', syslog_server: 'db-lb', program: 'haproxy', pid: '14387', client_ip: '10.0.1.2', client_port: '33313',
    ...legacyDate('06/Feb/2009:12:12:51.443'), frontend_name: 'pg', backend_name: 'pg_back', server_name: 'pg1',
    time_queue: '0', time_backend_connect: '0', time_duration: '5007', bytes_read: '212', termination_state: '--',
    actconn: '0', feconn: '0', beconn: '0', srvconn: '0', retries: '3', srv_queue: '0', backend_queue: '0',
  });

  const refused = 'Feb  6 12:13:00 db-lb haproxy[14387]: 10.0.1.2:33320 [06/Feb/2009:12:13:00.001] pg pg_back/<NOSRV> -1/-1/2 0 SC 1/1/0/0/0 0/0';
  const h = grok('%{HAPROXYTCP}', refused, 'v1')['haproxy'] as Record<string, unknown>;
  for (const k of ['server_name', 'total_waiting_time_ms', 'connection_wait_time_ms']) assert.ok(!(k in h), k);
  assert.equal(h['total_time_ms'], '2');
  const legacy = grok('%{HAPROXYTCP}', refused, 'disabled');
  assert.equal(legacy['server_name'], '<NOSRV>');
  assert.equal(legacy['time_queue'], '-1');
});

test('HAPROXYERROR exists in the legacy set only', () => {
  const line = 'Dec  3 18:27:14 localhost haproxy[6103]: 192.0.2.44:56059 [03/Dec/2012:17:35:10.380] frt/f1: Connection error during SSL handshake';
  exactly(grok('%{HAPROXYERROR}', line, 'disabled'), {
    syslog_timestamp: 'Dec  3 18:27:14', syslog_server: 'localhost', program: 'haproxy', pid: '6103', client_ip: '192.0.2.44', client_port: '56059',
    ...legacyDate('03/Dec/2012:17:35:10.380'), frontend_name: 'frt', bind_name: 'f1', error_message: 'Connection error during SSL handshake',
  });
  assert.throws(() => compileGrok('%{HAPROXYERROR}', { patterns: standardPatterns('v1') }), /HAPROXYERROR/);
});
