/** httpd access and error logs: field layout per logstash-patterns-core's httpd spec (our own sample lines). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grok, includes } from './expect.js';

const C = '%{HTTPD_COMBINEDLOG}';
const E = '%{HTTPD_ERRORLOG}';

test('HTTPD_COMBINEDLOG: a typical line; "-" ident/auth are not captured in ECS mode', () => {
  const line = '198.51.100.14 - - [05/Mar/2024:10:20:30 +0100] "GET /assets/app.js?v=9 HTTP/2.0" 200 48211 "https://shop.example.com/cart" "curl/8.5.0"';
  const e = grok(C, line, 'v1');
  includes(e, {
    http: { request: { method: 'GET', referrer: 'https://shop.example.com/cart' }, response: { body: { bytes: 48211 }, status_code: 200 }, version: '2.0' },
    source: { address: '198.51.100.14' }, url: { original: '/assets/app.js?v=9' }, user_agent: { original: 'curl/8.5.0' },
    timestamp: '05/Mar/2024:10:20:30 +0100',
  });
  assert.ok(!('user' in e) && !('apache' in e));
  includes(grok(C, line, 'disabled'), {
    clientip: '198.51.100.14', verb: 'GET', request: '/assets/app.js?v=9', httpversion: '2.0', response: '200', bytes: '48211',
    referrer: '"https://shop.example.com/cart"', agent: '"curl/8.5.0"', auth: '-', ident: '-',
  });
});

test('HTTPD_COMBINEDLOG: an e-mail address as user; an empty referrer', () => {
  const line = '10.1.1.1 - ops@example.org [06/Mar/2024:00:00:01 +0000] "POST /api/v1/login HTTP/1.1" 401 12 "" "okhttp/4.12.0"';
  includes(grok(C, line, 'v1'), { user: { name: 'ops@example.org' } });
  includes(grok(C, line, 'disabled'), { auth: 'ops@example.org' });
});

test('HTTPD_COMBINEDLOG: a "-" status is not captured', () => {
  const line = '192.0.2.200 - probe [06/Mar/2024:00:00:02 +0000] "PROPFIND /dav/ HTTP/1.1" - 512 "-" "health-checker (v1.0)"';
  const e = grok(C, line, 'v1');
  const http = e['http'] as Record<string, Record<string, unknown>>;
  assert.deepEqual(http['response'], { body: { bytes: 512 } });
  assert.deepEqual(http['request'], { method: 'PROPFIND' });
  includes(e, { url: { original: '/dav/' }, user_agent: { original: 'health-checker (v1.0)' } });
  const l = grok(C, line, 'disabled');
  includes(l, { verb: 'PROPFIND', request: '/dav/', httpversion: '1.1', bytes: '512' });
  assert.ok(!('response' in l));
});

test('HTTPD_ERRORLOG: a full 2.4 line with proxy error, client and error code', () => {
  const line = '[Tue Mar 05 11:12:13.141516 2024] [proxy_http:error] [pid 4242:tid 139912345678912] (111)Connection refused: [client 203.0.113.50:61000] AH01114: HTTP: failed to make connection to backend: 127.0.0.1, referer: https://www.example.com/';
  const msg = 'HTTP: failed to make connection to backend: 127.0.0.1, referer: https://www.example.com/';
  includes(grok(E, line, 'v1'), {
    timestamp: 'Tue Mar 05 11:12:13.141516 2024', log: { level: 'error' },
    process: { pid: 4242, thread: { id: 139912345678912 } }, source: { address: '203.0.113.50', port: 61000 }, error: { code: 'AH01114' },
    apache: { error: { module: 'proxy_http', proxy: { error: { code: '111', message: 'Connection refused' } } } }, message: msg,
  });
  includes(grok(E, line, 'disabled'), {
    timestamp: 'Tue Mar 05 11:12:13.141516 2024', module: 'proxy_http', loglevel: 'error', pid: '4242', tid: '139912345678912',
    proxy_errorcode: '111', proxy_message: 'Connection refused', clientip: '203.0.113.50', clientport: '61000', errorcode: 'AH01114', message: msg,
  });
});

test('HTTPD_ERRORLOG: a 2.2 line has no error code', () => {
  const line = '[Wed Mar 06 08:00:00 2024] [warn] [client 192.0.2.9] File does not exist: /var/www/favicon.ico';
  const e = grok(E, line, 'v1');
  includes(e, { timestamp: 'Wed Mar 06 08:00:00 2024', log: { level: 'warn' }, source: { address: '192.0.2.9' }, message: 'File does not exist: /var/www/favicon.ico' });
  assert.ok(!('error' in e));
  const l = grok(E, line, 'disabled');
  includes(l, { timestamp: 'Wed Mar 06 08:00:00 2024', loglevel: 'warn', clientip: '192.0.2.9', message: 'File does not exist: /var/www/favicon.ico' });
  assert.ok(!('errorcode' in l));
});

test('HTTPD_ERRORLOG: short 2.4 lines, with and without thread id', () => {
  const a = "[Thu Mar 07 09:09:09.090909 2024] [proxy_fcgi:error] [pid 777:tid 140000000000001] [client 198.51.100.3:40404] AH01071: Got error 'PHP message: boom\\n'";
  includes(grok(E, a, 'v1'), {
    timestamp: 'Thu Mar 07 09:09:09.090909 2024', apache: { error: { module: 'proxy_fcgi' } }, log: { level: 'error' },
    process: { pid: 777, thread: { id: 140000000000001 } }, source: { address: '198.51.100.3', port: 40404 }, error: { code: 'AH01071' },
    message: "Got error 'PHP message: boom\\n'",
  });
  includes(grok(E, a, 'disabled'), { module: 'proxy_fcgi', loglevel: 'error', pid: '777', tid: '140000000000001', clientip: '198.51.100.3', clientport: '40404', errorcode: 'AH01071' });

  const b = '[Thu Mar 07 09:09:10.000001 2024] [php:warn] [pid 31] [client 10.0.0.31:5000] Notice from the app';
  includes(grok(E, b, 'v1'), { apache: { error: { module: 'php' } }, log: { level: 'warn' }, process: { pid: 31 }, source: { address: '10.0.0.31', port: 5000 }, message: 'Notice from the app' });
  includes(grok(E, b, 'disabled'), { module: 'php', loglevel: 'warn', pid: '31', clientip: '10.0.0.31', clientport: '5000', message: 'Notice from the app' });
});

test('HTTPD_ERRORLOG: restart notices and a line without module', () => {
  const notice = '[Fri Mar 08 03:00:00.123456 2024] [mpm_prefork:notice] [pid 100:tid 139000000000000] AH00163: Apache/2.4.58 (Debian) configured -- resuming normal operations';
  includes(grok(E, notice, 'v1'), {
    apache: { error: { module: 'mpm_prefork' } }, log: { level: 'notice' }, process: { pid: 100, thread: { id: 139000000000000 } }, error: { code: 'AH00163' },
    message: 'Apache/2.4.58 (Debian) configured -- resuming normal operations',
  });
  includes(grok(E, notice, 'disabled'), { module: 'mpm_prefork', loglevel: 'notice', pid: '100', tid: '139000000000000', errorcode: 'AH00163' });

  const noModule = "[Sat Mar 09 12:00:00.000100 2024] [:error] [pid 900] [client 192.0.2.1:1234] script '/cgi-bin/x.php' not found or unable to stat";
  const e = grok(E, noModule, 'v1');
  includes(e, { timestamp: 'Sat Mar 09 12:00:00.000100 2024', log: { level: 'error' }, process: { pid: 900 } });
  const apacheError = ((e['apache'] ?? {}) as Record<string, Record<string, unknown>>)['error'] ?? {};
  assert.ok(!('module' in apacheError));
  includes(grok(E, noModule, 'disabled'), { loglevel: 'error', pid: '900' });
});

test('HTTPD_ERRORLOG: a debug line with a source location (legacy reads it as the error code)', () => {
  const line = '[Sun Mar 10 01:02:03.456789 2024] [authz_core:debug] [pid 12:tid 140111111111111] mod_authz_core.c(845): [client 10.9.9.9:50000] AH01626: authorization result of Require all granted: granted';
  includes(grok(E, line, 'disabled'), {
    timestamp: 'Sun Mar 10 01:02:03.456789 2024', module: 'authz_core', loglevel: 'debug', pid: '12', tid: '140111111111111',
    errorcode: 'mod_authz_core.c(845)', message: '[client 10.9.9.9:50000] AH01626: authorization result of Require all granted: granted',
  });
});
