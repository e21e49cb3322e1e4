/** bro / zeek TSV logs: field layout per logstash-patterns-core's bro spec (our own sample lines). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grok, includes, including, noMatch } from './expect.js';

const tsv = (...f: string[]): string => f.join('\t');

const broHttp = tsv('1500000000.100200', 'CaBcD1eFgH2iJk3LmN', '10.1.2.3', '50123', '203.0.113.10', '80', '2', 'GET', 'www.example.net',
  '/catalog/item?id=42', 'http://www.example.net/', 'Wget/1.21', '0', '5120', '200', 'OK', '-', '-', '-', '(empty)', 'carol', '-', '-',
  'FaaaBBBcccDDDeee1', 'text/html', 'FzzzYYYxxxWWW2', 'text/html');

test('BRO_HTTP (old bro format): both modes', () => {
  const e = grok('%{BRO_HTTP}', broHttp, 'v1');
  includes(e, {
    timestamp: '1500000000.100200', source: { ip: '10.1.2.3', port: 50123 }, destination: { ip: '203.0.113.10', port: 80 },
    user_agent: { original: 'Wget/1.21' },
  });
  const zeek = e['zeek'] as Record<string, Record<string, unknown>>;
  assert.equal(zeek['session_id'], 'CaBcD1eFgH2iJk3LmN');
  including(zeek['http'], { trans_depth: 2, status_msg: 'OK', orig_fuids: 'FaaaBBBcccDDDeee1', orig_mime_types: 'text/html', resp_fuids: 'FzzzYYYxxxWWW2', resp_mime_types: 'text/html' });
  for (const k of ['info_code', 'info_msg', 'filename', 'tags', 'proxied']) assert.ok(!(k in zeek['http']!), k);
  const http = e['http'] as Record<string, Record<string, unknown>>;
  including(http['request'], { method: 'GET', referrer: 'http://www.example.net/', body: { bytes: 0 } });
  including(http['response'], { status_code: 200, body: { bytes: 5120 } });
  const url = e['url'] as Record<string, unknown>;
  including(url, { domain: 'www.example.net', original: '/catalog/item?id=42', username: 'carol' });
  assert.ok(!('password' in url));

  includes(grok('%{BRO_HTTP}', broHttp, 'disabled'), {
    ts: '1500000000.100200', uid: 'CaBcD1eFgH2iJk3LmN', orig_h: '10.1.2.3', orig_p: '50123', resp_h: '203.0.113.10', resp_p: '80', trans_depth: '2',
    method: 'GET', domain: 'www.example.net', uri: '/catalog/item?id=42', referrer: 'http://www.example.net/', user_agent: 'Wget/1.21',
    request_body_len: '0', response_body_len: '5120', status_code: '200', status_msg: 'OK', info_code: '-', info_msg: '-', filename: '-',
    bro_tags: '(empty)', username: 'carol', password: '-', proxied: '-', orig_fuids: 'FaaaBBBcccDDDeee1', orig_mime_types: 'text/html',
    resp_fuids: 'FzzzYYYxxxWWW2', resp_mime_types: 'text/html',
  });
});

const zeekHttp = tsv('1600000000.000001', 'Cq1w2e3r4t5y6u7i8', '192.168.1.20', '40000', '198.51.100.30', '80', '1', '-', '-', '-', '-', '1.1',
  'curl/7.88', 'https://origin.example', '0', '310', '302', 'Found', '-', '-', 'A,B', '-', '-', '-', '-', '-', '-', 'Fq9w8e7r6t', '-', 'text/html');

test('ZEEK_HTTP (current zeek format, ECS only); the old format no longer matches in ECS mode', () => {
  const e = grok('%{ZEEK_HTTP}', zeekHttp, 'v1');
  includes(e, {
    timestamp: '1600000000.000001', user_agent: { original: 'curl/7.88' },
    http: { request: { body: { bytes: 0 } }, response: { status_code: 302, body: { bytes: 310 } }, version: '1.1' },
    zeek: { session_id: 'Cq1w2e3r4t5y6u7i8', http: { trans_depth: 1, origin: 'https://origin.example', tags: 'A,B', resp_mime_types: 'text/html', status_msg: 'Found', resp_fuids: 'Fq9w8e7r6t' } },
  });
  noMatch('%{ZEEK_HTTP}', broHttp, 'v1');
  // The legacy BRO_HTTP still (wrongly, for compatibility) matches the zeek format.
  includes(grok('%{BRO_HTTP}', zeekHttp, 'disabled'), { domain: '1.1' });
  noMatch('%{BRO_HTTP}', zeekHttp, 'v1');
});

const broDns = tsv('1400000000.500000', 'Dns1Uid2', '10.0.0.5', '33333', '10.0.0.53', '53', 'udp', '1234', 'example.org', '1', 'C_INTERNET',
  '28', 'AAAA', '0', 'NOERROR', 'F', 'F', 'T', 'T', '0', '-', '-', 'F');

test('BRO_DNS (old bro format): both modes; numbers only in ECS mode', () => {
  const e = grok('%{BRO_DNS}', broDns, 'v1');
  includes(e, {
    timestamp: '1400000000.500000', source: { ip: '10.0.0.5', port: 33333 }, destination: { ip: '10.0.0.53', port: 53 }, network: { transport: 'udp' },
    dns: { id: 1234, question: { name: 'example.org', type: 'AAAA' }, response_code: 'NOERROR' },
  });
  const dns = (e['zeek'] as Record<string, Record<string, unknown>>)['dns']!;
  including(dns, { qclass: 1, qclass_name: 'C_INTERNET', qtype: 28, rcode: 0, AA: 'F', TC: 'F', RD: 'T', RA: 'T', Z: 0, rejected: 'F' });
  assert.ok(!('TTLs' in dns) && !('answers' in dns));
  includes(grok('%{BRO_DNS}', broDns, 'disabled'), {
    ts: '1400000000.500000', uid: 'Dns1Uid2', orig_h: '10.0.0.5', orig_p: '33333', resp_h: '10.0.0.53', resp_p: '53', proto: 'udp', trans_id: '1234',
    query: 'example.org', qclass: '1', qclass_name: 'C_INTERNET', qtype: '28', qtype_name: 'AAAA', rcode: '0', rcode_name: 'NOERROR',
    AA: 'F', TC: 'F', RD: 'T', RA: 'T', Z: '0', answers: '-', TTLs: '-', rejected: 'F',
  });

  const sparse = tsv('1400000000.500000', 'Dns1Uid2', '10.0.0.5', '33333', '10.0.0.53', '53', 'udp', '-', '-', '-', '-', '-', '-', '-', '-', 'F', 'F', 'F', 'F', '0', '-', '-', '-');
  const s = grok('%{BRO_DNS}', sparse, 'v1');
  includes(s, { zeek: { session_id: 'Dns1Uid2', dns: { AA: 'F', TC: 'F', RD: 'F', RA: 'F', Z: 0 } } });
  assert.ok(!('dns' in s));
});

test('ZEEK_DNS (current zeek format, ECS only)', () => {
  const line = tsv('1400000001.000000', 'CdnsUid3', '10.0.0.6', '44444', '10.0.0.53', '53', 'udp', '999', '0.012500', 'example.com', '1', 'C_INTERNET',
    '1', 'A', '0', 'NOERROR', 'T', 'F', 'T', 'T', '0', '93.184.216.34', '3600.000000', 'F');
  includes(grok('%{ZEEK_DNS}', line, 'v1'), {
    timestamp: '1400000001.000000', destination: { ip: '10.0.0.53', port: 53 }, source: { ip: '10.0.0.6', port: 44444 }, network: { transport: 'udp' },
    dns: { question: { type: 'A', name: 'example.com' }, response_code: 'NOERROR', id: 999 },
    zeek: {
      session_id: 'CdnsUid3',
      dns: { rtt: 0.0125, qclass: 1, qclass_name: 'C_INTERNET', qtype: 1, rcode: 0, RA: 'T', RD: 'T', TC: 'F', rejected: 'F', AA: 'T', Z: 0, answers: '93.184.216.34', TTLs: '3600.000000' },
    },
  });
  noMatch('%{BRO_DNS}', line, 'v1');
});

test('BRO_CONN and ZEEK_CONN: packets/bytes and connection fields are numbers in ECS mode only', () => {
  const line = tsv('1541000000.250000', 'Cconn1', '192.168.5.5', '60000', '198.51.100.99', '443', 'tcp', 'ssl', '0.250500', '2000', '700', 'SF', 'T', '0', 'ShADadFf', '9', '2400', '7', '1100', '(empty)');
  const e = grok('%{BRO_CONN}', line, 'v1');
  includes(e, {
    timestamp: '1541000000.250000', network: { transport: 'tcp', protocol: 'ssl' },
    source: { ip: '192.168.5.5', port: 60000, packets: 9, bytes: 2400 }, destination: { ip: '198.51.100.99', port: 443, packets: 7, bytes: 1100 },
  });
  including(e['zeek'], {
    session_id: 'Cconn1',
    connection: { duration: 0.2505, orig_bytes: 2000, resp_bytes: 700, state: 'SF', local_orig: 'T', missed_bytes: 0, history: 'ShADadFf' },
  });
  includes(grok('%{BRO_CONN}', line, 'disabled'), {
    ts: '1541000000.250000', uid: 'Cconn1', orig_h: '192.168.5.5', orig_p: '60000', resp_h: '198.51.100.99', resp_p: '443', proto: 'tcp', service: 'ssl',
    duration: '0.250500', orig_bytes: '2000', resp_bytes: '700', conn_state: 'SF', local_orig: 'T', missed_bytes: '0', history: 'ShADadFf',
    orig_pkts: '9', orig_ip_bytes: '2400', resp_pkts: '7', resp_ip_bytes: '1100', tunnel_parents: '(empty)',
  });

  const zeek = tsv('1602000000.000100', 'Czeek2', '192.168.5.6', '47000', '203.0.113.4', '443', 'tcp', '-', '30.500000', '0', '4096', 'SHR', 'T', 'F', '0', '^hCadcCfA', '2', '104', '12', '4800', '-', '52:54:00:00:00:01', '52:54:00:00:00:02');
  includes(grok('%{ZEEK_CONN}', zeek, 'v1'), {
    timestamp: '1602000000.000100', network: { transport: 'tcp' },
    source: { mac: '52:54:00:00:00:01', ip: '192.168.5.6', port: 47000, packets: 2, bytes: 104 },
    destination: { mac: '52:54:00:00:00:02', ip: '203.0.113.4', port: 443, packets: 12, bytes: 4800 },
    zeek: { session_id: 'Czeek2', connection: { duration: 30.5, orig_bytes: 0, resp_bytes: 4096, state: 'SHR', local_orig: 'T', local_resp: 'F', missed_bytes: 0, history: '^hCadcCfA' } },
  });
});
