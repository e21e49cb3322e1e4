/** redis, bind9, squid and rails: field layout per logstash-patterns-core's specs (our own sample lines). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grok, includes, MODES } from './expect.js';

test('redis: REDISTIMESTAMP, REDISLOG pid', () => {
  for (const m of MODES) grok('^%{REDISTIMESTAMP}$', '03 Feb 12:34:56.789', m);
  includes(grok('%{REDISLOG}', '[771] 03 Feb 12:34:56.789 * DB saved on disk', 'disabled'), { pid: '771' });
});

test('redis: REDISMONLOG keeps legacy database/port as strings; params keep their quotes', () => {
  const simple = grok('%{REDISMONLOG}', '1700000000.123456 [3 10.0.0.7:41000] "ping"', 'disabled');
  includes(simple, { timestamp: '1700000000.123456', database: '3', client: '10.0.0.7', port: '41000', command: 'ping' });
  const one = grok('%{REDISMONLOG}', '1700000001.000001 [0 127.0.0.1:6000] "get" "session:42"', 'disabled');
  includes(one, { command: 'get', params: '"session:42"' });
  const json = '1700000002.5 [12 192.0.2.4:7001] "lpush" "queue:jobs" "{\\"id\\":7,\\"kind\\":\\"mail\\"}"';
  includes(grok('%{REDISMONLOG}', json, 'disabled'), { database: '12', port: '7001', command: 'lpush', params: '"queue:jobs" "{\\"id\\":7,\\"kind\\":\\"mail\\"}"' });
  const many = '1700000003.25 [15 192.0.2.4:7001] "mset" "a" "1" "b" "2"';
  includes(grok('%{REDISMONLOG}', many, 'disabled'), { database: '15', command: 'mset', params: '"a" "1" "b" "2"' });
});

test('bind9: query log in both modes; client port a number in ECS only, the query name captured twice in legacy', () => {
  const line = '02-Mar-2024 10:11:12.131 queries: info: client 192.0.2.77#53111 (mail.example.net): query: mail.example.net IN MX +EDC (192.0.2.53)';
  includes(grok('%{BIND9}', line, 'v1'), {
    timestamp: '02-Mar-2024 10:11:12.131',
    client: { ip: '192.0.2.77', port: 53111 },
    dns: { question: { name: 'mail.example.net', type: 'MX', class: 'IN' } },
    // The category capture follows the current ecs-v1 bind file (BIND9_QUERYLOG).
    bind: { log: { category: 'queries', question: { flags: '+EDC', name: 'mail.example.net' } } },
    server: { ip: '192.0.2.53' },
  });
  includes((grok('%{BIND9}', line, 'v1')['log'] as Record<string, unknown>), { level: 'info' });
  includes(grok('%{BIND9}', line, 'disabled'), {
    timestamp: '02-Mar-2024 10:11:12.131', loglevel: 'info', clientip: '192.0.2.77', clientport: '53111',
    query: ['mail.example.net', 'mail.example.net'], querytype: 'MX +EDC', dns: '192.0.2.53',
  });
});

test('squid: CONNECT and GET access lines; "-" leaves no user or mime type in ECS mode', () => {
  const connect = '1700001234.567  20412 10.4.4.4 TCP_TUNNEL/200 9182 CONNECT api.example.com:443 - HIER_DIRECT/198.51.100.7 -';
  const e = grok('%{SQUID3}', connect, 'v1');
  includes(e, {
    timestamp: '1700001234.567', event: { action: 'TCP_TUNNEL' },
    squid: { hierarchy_code: 'HIER_DIRECT', request: { duration: 20412 } },
    destination: { address: '198.51.100.7' },
    http: { request: { method: 'CONNECT' }, response: { bytes: 9182, status_code: 200 } },
    url: { original: 'api.example.com:443' }, source: { ip: '10.4.4.4' },
  });
  assert.ok(!('user' in e));
  includes(grok('%{SQUID3}', connect, 'disabled'), {
    timestamp: '1700001234.567', duration: '20412', client_address: '10.4.4.4', cache_result: 'TCP_TUNNEL', status_code: '200',
    request_method: 'CONNECT', bytes: '9182', url: 'api.example.com:443', user: '-', hierarchy_code: 'HIER_DIRECT', server: '198.51.100.7', content_type: '-',
  });

  const get = '1700001300.001      7 172.16.0.9 TCP_MEM_HIT/200 5120 GET http://static.example.org/logo.png alice FIRSTUP_PARENT/cache-2.lan image/png 1700000000.500';
  includes(grok('%{SQUID3}', get, 'v1'), {
    timestamp: '1700001300.001', event: { action: 'TCP_MEM_HIT' },
    squid: { request: { duration: 7 }, hierarchy_code: 'FIRSTUP_PARENT' },
    destination: { address: 'cache-2.lan' },
    http: { request: { method: 'GET' }, response: { bytes: 5120, status_code: 200, mime_type: 'image/png' } },
    url: { original: 'http://static.example.org/logo.png' }, source: { ip: '172.16.0.9' }, user: { name: 'alice' },
  });
  includes(grok('%{SQUID3}', get, 'disabled'), {
    duration: '7', client_address: '172.16.0.9', cache_result: 'TCP_MEM_HIT', status_code: '200', bytes: '5120', request_method: 'GET',
    url: 'http://static.example.org/logo.png', user: 'alice', hierarchy_code: 'FIRSTUP_PARENT', server: 'cache-2.lan', content_type: 'image/png',
  });

  // Status 000: no response was received; ECS has no status code then, legacy keeps the text.
  const aborted = '1700001400.100     31 172.16.0.9 TCP_MISS_ABORTED/000 0 GET http://slow.example.org/feed - HIER_DIRECT/203.0.113.80 -';
  includes(grok('%{SQUID3}', aborted, 'v1'), { timestamp: '1700001400.100', event: { action: 'TCP_MISS_ABORTED' }, http: { response: { bytes: 0 }, request: { method: 'GET' } } });
  includes(grok('%{SQUID3}', aborted, 'disabled'), { status_code: '000' });
});

test('rails: RAILS3 single and multi-line requests; timings are floats', () => {
  const single = 'Started DELETE "/admin/users/17" for 10.20.30.40 at 2024-02-03 04:05:06 -0500';
  includes(grok('%{RAILS3}', single, 'disabled'), { verb: 'DELETE', request: '/admin/users/17', clientip: '10.20.30.40', timestamp: '2024-02-03 04:05:06 -0500' });

  const multi = 'Started GET "/shop/orders?page=2&per=50" for 192.0.2.8 at 2024-02-03 04:05:07 +0100\n' +
    'Processing by Shop::OrdersController#index as HTML\n' +
    '  Parameters: {"page"=>"2", "per"=>"50"}\n' +
    'Completed 200 OK in 85ms (Views: 40.2ms | ActiveRecord: 12.0ms)';
  includes(grok('%{RAILS3}', multi, 'disabled'), {
    verb: 'GET', request: '/shop/orders?page=2&per=50', clientip: '192.0.2.8', timestamp: '2024-02-03 04:05:07 +0100',
    controller: 'Shop::OrdersController', action: 'index', format: 'HTML', params: '"page"=>"2", "per"=>"50"',
    response: '200', totalms: 85, viewms: 40.2, activerecordms: 12,
  });
  includes(grok('%{RAILS3}', multi, 'v1'), {
    http: { request: { method: 'GET' }, response: { status_code: 200 } }, url: { original: '/shop/orders?page=2&per=50' }, source: { address: '192.0.2.8' },
    timestamp: '2024-02-03 04:05:07 +0100',
    rails: {
      controller: { class: 'Shop::OrdersController', action: 'index' },
      request: { format: 'HTML', params: '"page"=>"2", "per"=>"50"', duration: { total: 85, view: 40.2, active_record: 12 } },
    },
  });
});
