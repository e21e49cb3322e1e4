/**
 * AWS (aws file): classic ELB, S3 server access and CloudFront access logs, field layout per
 * logstash-patterns-core's aws and s3 specs (our own sample lines). ECS names follow the released
 * ecs-v1 file: S3 total time in [aws][s3access][total_time], its cipher in [tls][cipher], the
 * CloudFront request id in [aws][cloudfront][x_edge_request_id].
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactly, grok, noMatch } from './expect.js';

const ELB = '2021-07-01T10:11:12.345678Z prod-web-lb 203.0.113.77:50001 10.2.3.4:8080 0.000051 0.023012 0.000041 200 201 0 3412 "GET http://shop.example.net:80/cart?id=9 HTTP/1.1"';

test('ELB_ACCESS_LOG: a full line; times are floats, sizes and codes integers', () => {
  exactly(grok('%{ELB_ACCESS_LOG}', ELB, 'v1'), {
    timestamp: '2021-07-01T10:11:12.345678Z',
    aws: {
      elb: {
        name: 'prod-web-lb', backend: { ip: '10.2.3.4', port: 8080, http: { response: { status_code: 201 } } },
        request_processing_time: { sec: 0.000051 }, backend_processing_time: { sec: 0.023012 }, response_processing_time: { sec: 0.000041 },
      },
    },
    source: { ip: '203.0.113.77', port: 50001 },
    http: { response: { status_code: 200, body: { bytes: 3412 } }, request: { body: { bytes: 0 }, method: 'GET' }, version: '1.1' },
    url: { original: 'http://shop.example.net:80/cart?id=9', scheme: 'http', domain: 'shop.example.net', port: 80, path: '/cart', query: 'id=9' },
  });
  exactly(grok('%{ELB_ACCESS_LOG}', ELB, 'disabled'), {
    timestamp: '2021-07-01T10:11:12.345678Z', elb: 'prod-web-lb', clientip: '203.0.113.77', clientport: 50001, backendip: '10.2.3.4', backendport: 8080,
    request_processing_time: 0.000051, backend_processing_time: 0.023012, response_processing_time: 0.000041, response: 200, backend_response: 201,
    received_bytes: 0, bytes: 3412, verb: 'GET', request: 'http://shop.example.net:80/cart?id=9', proto: 'http', urihost: 'shop.example.net:80',
    port: '80', path: '/cart', params: '?id=9', httpversion: '1.1',
  });
});

test('ELB_ACCESS_LOG: no backend; -1 times are absent in ECS and -1.0 in legacy', () => {
  const line = '2021-07-01T10:11:13.000001Z prod-media 198.51.100.12:44321 - -1 -1 -1 504 - 2048 0 "PUT https://upload.example.net:443/videos/abc HTTP/1.1"';
  exactly(grok('%{ELB_ACCESS_LOG}', line, 'v1'), {
    timestamp: '2021-07-01T10:11:13.000001Z', aws: { elb: { name: 'prod-media' } }, source: { ip: '198.51.100.12', port: 44321 },
    http: { response: { status_code: 504, body: { bytes: 0 } }, request: { body: { bytes: 2048 }, method: 'PUT' }, version: '1.1' },
    url: { original: 'https://upload.example.net:443/videos/abc', scheme: 'https', domain: 'upload.example.net', port: 443, path: '/videos/abc' },
  });
  exactly(grok('%{ELB_ACCESS_LOG}', line, 'disabled'), {
    timestamp: '2021-07-01T10:11:13.000001Z', elb: 'prod-media', clientip: '198.51.100.12', clientport: 44321,
    request_processing_time: -1, backend_processing_time: -1, response_processing_time: -1, response: 504, received_bytes: 2048, bytes: 0,
    verb: 'PUT', request: 'https://upload.example.net:443/videos/abc', proto: 'https', urihost: 'upload.example.net:443', port: '443', path: '/videos/abc', httpversion: '1.1',
  });
});

test('ELB_ACCESS_LOG: the newer user agent / cipher / protocol suffix (ECS only); "-" leaves them out', () => {
  const base = '2021-07-01T10:11:14.5Z prod-web-lb 203.0.113.77:50002 10.2.3.4:8080 0.00002 0.0011 0.00003 200 200 0 12 "GET https://shop.example.net:443/ HTTP/1.1"';
  const full = grok('%{ELB_ACCESS_LOG}', `${base} "curl/8.1.2" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2`, 'v1');
  assert.deepEqual(full['user_agent'], { original: 'curl/8.1.2' });
  assert.deepEqual(full['tls'], { cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
  assert.equal((full['aws'] as { elb: Record<string, unknown> }).elb['ssl_protocol'], 'TLSv1.2');
  const dashes = grok('%{ELB_ACCESS_LOG}', `${base} "-" - -`, 'v1');
  assert.ok(!('user_agent' in dashes) && !('tls' in dashes));
  assert.ok(!('ssl_protocol' in (dashes['aws'] as { elb: Record<string, unknown> }).elb));
  // The legacy pattern stops before the suffix.
  const legacy = grok('%{ELB_ACCESS_LOG}', `${base} "curl/8.1.2" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2`, 'disabled');
  assert.ok(!('agent' in legacy) && !('cipher' in legacy) && !('params' in legacy));
  assert.equal(legacy['path'], '/');
});

test('S3_ACCESS_LOG: bucket sub-resource request; "-" fields absent, legacy keeps referrer and agent quoted', () => {
  const line = 'a1b2c3 logs-bucket [07/Mar/2022:12:00:01 +0000] 192.0.2.9 a1b2c3 5F2C1D0E9EXAMPLE REST.GET.ACL - "GET /logs-bucket?acl HTTP/1.1" 200 - 1024 - 9 - "-" "aws-cli/2.4.0" -';
  exactly(grok('%{S3_ACCESS_LOG}', line, 'v1'), {
    aws: {
      s3access: {
        bucket_owner: 'a1b2c3', bucket: 'logs-bucket', request_id: '5F2C1D0E9EXAMPLE', operation: 'REST.GET.ACL',
        request_uri: 'GET /logs-bucket?acl HTTP/1.1', bytes_sent: 1024, total_time: 9,
      },
    },
    timestamp: '07/Mar/2022:12:00:01 +0000', client: { ip: '192.0.2.9', user: { id: 'a1b2c3' } },
    http: { request: { method: 'GET' }, version: '1.1', response: { status_code: 200 } },
    url: { original: '/logs-bucket?acl' }, user_agent: { original: 'aws-cli/2.4.0' },
  });
  exactly(grok('%{S3_ACCESS_LOG}', line, 'disabled'), {
    owner: 'a1b2c3', bucket: 'logs-bucket', timestamp: '07/Mar/2022:12:00:01 +0000', clientip: '192.0.2.9', requester: 'a1b2c3',
    request_id: '5F2C1D0E9EXAMPLE', operation: 'REST.GET.ACL', key: '-', verb: 'GET', request: '/logs-bucket?acl', httpversion: '1.1',
    response: 200, bytes: 1024, request_time_ms: 9, referrer: '"-"', agent: '"aws-cli/2.4.0"',
  });
});

test('S3_ACCESS_LOG: object GET with an object size and no bytes sent', () => {
  const line = 'a1b2c3 logs-bucket [07/Mar/2022:12:00:02 +0000] 10.9.8.7 - 8D7E6F5A4EXAMPLE REST.GET.OBJECT reports/q1.csv "GET /reports/q1.csv HTTP/1.1" 304 - - 4096 14 - "-" "Mozilla/5.0" -';
  const e = grok('%{S3_ACCESS_LOG}', line, 'v1');
  assert.deepEqual(e['client'], { ip: '10.9.8.7' });
  assert.deepEqual(e['aws'], {
    s3access: {
      bucket_owner: 'a1b2c3', bucket: 'logs-bucket', request_id: '8D7E6F5A4EXAMPLE', operation: 'REST.GET.OBJECT', key: 'reports/q1.csv',
      request_uri: 'GET /reports/q1.csv HTTP/1.1', object_size: 4096, total_time: 14,
    },
  });
  const legacy = grok('%{S3_ACCESS_LOG}', line, 'disabled');
  assert.equal(legacy['requester'], '-');
  assert.equal(legacy['object_size'], 4096);
  for (const k of ['error_code', 'turnaround_time_ms', 'version_id', 'bytes']) assert.ok(!(k in legacy), k);
});

test('S3_ACCESS_LOG: the longer format (host id … TLS version) is read in ECS mode only', () => {
  const line = '0f9e8d7c6b5a awsbucket-2 [01/Feb/2023:05:06:07 +0000] 198.51.100.44 arn:aws:iam::210987654321:user/ops@example.org B2C3D4E5F6EXAMPLE ' +
    'REST.GET.BUCKETPOLICY - "GET /awsbucket-2?policy HTTP/1.1" 404 NoSuchBucketPolicy 301 - 41 13 "-" "aws-sdk-go/1.44.0 (go1.20; linux; amd64)" - ' +
    'QmFzZTY0SG9zdElkRXhhbXBsZQ== SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader awsbucket-2.s3.eu-west-1.amazonaws.com TLSv1.2';
  exactly(grok('%{S3_ACCESS_LOG}', line, 'v1'), {
    aws: {
      s3access: {
        bucket_owner: '0f9e8d7c6b5a', bucket: 'awsbucket-2', request_id: 'B2C3D4E5F6EXAMPLE', operation: 'REST.GET.BUCKETPOLICY',
        request_uri: 'GET /awsbucket-2?policy HTTP/1.1', error_code: 'NoSuchBucketPolicy', bytes_sent: 301, total_time: 41, turn_around_time: 13,
        host_id: 'QmFzZTY0SG9zdElkRXhhbXBsZQ==', signature_version: 'SigV4', authentication_type: 'AuthHeader',
        host_header: 'awsbucket-2.s3.eu-west-1.amazonaws.com', tls_version: 'TLSv1.2',
      },
    },
    timestamp: '01/Feb/2023:05:06:07 +0000',
    client: { ip: '198.51.100.44', user: { id: 'arn:aws:iam::210987654321:user/ops@example.org' } },
    http: { request: { method: 'GET' }, version: '1.1', response: { status_code: 404 } },
    url: { original: '/awsbucket-2?policy' }, user_agent: { original: 'aws-sdk-go/1.44.0 (go1.20; linux; amd64)' },
    tls: { cipher: 'ECDHE-RSA-AES128-GCM-SHA256' },
  });
  exactly(grok('%{S3_ACCESS_LOG}', line, 'disabled'), {
    owner: '0f9e8d7c6b5a', bucket: 'awsbucket-2', timestamp: '01/Feb/2023:05:06:07 +0000', clientip: '198.51.100.44',
    requester: 'arn:aws:iam::210987654321:user/ops@example.org', request_id: 'B2C3D4E5F6EXAMPLE', operation: 'REST.GET.BUCKETPOLICY', key: '-',
    verb: 'GET', request: '/awsbucket-2?policy', httpversion: '1.1', response: 404, error_code: 'NoSuchBucketPolicy', bytes: 301,
    request_time_ms: 41, turnaround_time_ms: 13, referrer: '"-"', agent: '"aws-sdk-go/1.44.0 (go1.20; linux; amd64)"',
  });
});

const tsv = (...f: string[]): string => f.join('\t');
const CF = tsv('2019-12-04', '21:02:31', 'LAX1', '392', '192.0.2.100', 'GET', 'd111111abcdef8.cloudfront.net', '/index.html', '200', '-',
  'Mozilla/5.0%20(Windows%20NT%2010.0)', '-', '-', 'Hit', 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==', 'd111111abcdef8.cloudfront.net',
  'https', '23', '0.001', '-', 'TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256', 'Hit');

test('CLOUDFRONT_ACCESS_LOG: the 24-column format; the timestamp keeps its tab', () => {
  exactly(grok('%{CLOUDFRONT_ACCESS_LOG}', CF, 'v1'), {
    timestamp: '2019-12-04\t21:02:31',
    aws: {
      cloudfront: {
        x_edge_location: 'LAX1', x_edge_result_type: 'Hit', x_edge_request_id: 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==',
        http: { request: { host: 'd111111abcdef8.cloudfront.net' } }, time_taken: 0.001, ssl_protocol: 'TLSv1.2', x_edge_response_result_type: 'Hit',
      },
    },
    destination: { bytes: 392 }, source: { ip: '192.0.2.100', bytes: 23 },
    http: { request: { method: 'GET' }, response: { status_code: 200 } },
    url: { domain: 'd111111abcdef8.cloudfront.net', path: '/index.html' },
    user_agent: { original: 'Mozilla/5.0%20(Windows%20NT%2010.0)' }, network: { protocol: 'https' }, tls: { cipher: 'ECDHE-RSA-AES128-GCM-SHA256' },
  });
  exactly(grok('%{CLOUDFRONT_ACCESS_LOG}', CF, 'disabled'), {
    timestamp: '2019-12-04\t21:02:31', x_edge_location: 'LAX1', sc_bytes: 392, clientip: '192.0.2.100', cs_method: 'GET',
    cs_host: 'd111111abcdef8.cloudfront.net', cs_uri_stem: '/index.html', sc_status: 200, referrer: '-', agent: 'Mozilla/5.0%20(Windows%20NT%2010.0)',
    cs_uri_query: '-', cookies: '-', x_edge_result_type: 'Hit', x_edge_request_id: 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==',
    x_host_header: 'd111111abcdef8.cloudfront.net', cs_protocol: 'https', cs_bytes: 23, time_taken: 0.001, x_forwarded_for: '-',
    ssl_protocol: 'TLSv1.2', ssl_cipher: 'ECDHE-RSA-AES128-GCM-SHA256', x_edge_response_result_type: 'Hit',
  });
});

test('CLOUDFRONT_ACCESS_LOG: the 33-column format fills the extra ECS fields; legacy GREEDYDATA shifts them', () => {
  const line = tsv(CF, 'HTTP/2.0', '-', '-', '11040', '0.001', 'Hit', 'text/html', '78', '-', '-');
  const e = grok('%{CLOUDFRONT_ACCESS_LOG}', line, 'v1');
  assert.deepEqual(e['aws'], {
    cloudfront: {
      x_edge_location: 'LAX1', x_edge_result_type: 'Hit', x_edge_request_id: 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==',
      http: { request: { host: 'd111111abcdef8.cloudfront.net', size: 78 } }, time_taken: 0.001, ssl_protocol: 'TLSv1.2',
      x_edge_response_result_type: 'Hit', time_to_first_byte: 0.001, x_edge_detailed_result_type: 'Hit',
    },
  });
  assert.deepEqual(e['source'], { ip: '192.0.2.100', bytes: 23, port: 11040 });
  assert.deepEqual(e['http'], { request: { method: 'GET', mime_type: 'text/html' }, response: { status_code: 200 }, version: '2.0' });
  // Legacy: the greedy time_taken swallows eleven columns (converted as Ruby's to_f reads the leading number),
  // and the last four captures take the last four columns.
  const legacy = grok('%{CLOUDFRONT_ACCESS_LOG}', line, 'disabled');
  assert.equal(legacy['time_taken'], 0.001);
  assert.deepEqual([legacy['x_forwarded_for'], legacy['ssl_protocol'], legacy['ssl_cipher'], legacy['x_edge_response_result_type']], ['text/html', '78', '-', '-']);
});

test('CLOUDFRONT_ACCESS_LOG: status 000 and "-" sizes leave no field in ECS; legacy needs a byte count', () => {
  const line = tsv('2020-01-02', '03:04:05', 'FRA56-C1', '-', '2001:db8::7', 'POST', 'd222.cloudfront.net', '/api/submit', '000', 'https://example.org/form',
    'curl/8.0', 'a=1&b=2', 'session=xyz', 'Error', 'AbCdEf==', 'api.example.org', 'https', '-', '0.250', '203.0.113.5', '-', '-', 'Error');
  exactly(grok('%{CLOUDFRONT_ACCESS_LOG}', line, 'v1'), {
    timestamp: '2020-01-02\t03:04:05',
    aws: {
      cloudfront: {
        x_edge_location: 'FRA56-C1', http: { request: { cookie: 'session=xyz', host: 'api.example.org' } }, x_edge_result_type: 'Error',
        x_edge_request_id: 'AbCdEf==', time_taken: 0.25, x_edge_response_result_type: 'Error',
      },
    },
    source: { ip: '2001:db8::7' }, http: { request: { method: 'POST', referrer: 'https://example.org/form' } },
    url: { domain: 'd222.cloudfront.net', path: '/api/submit', query: 'a=1&b=2' }, user_agent: { original: 'curl/8.0' },
    network: { protocol: 'https', forwarded_ip: '203.0.113.5' },
  });
  noMatch('%{CLOUDFRONT_ACCESS_LOG}', line, 'disabled');
});
