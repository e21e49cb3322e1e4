import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudAuthCredentials, cloudIdUrl } from '../../../../src/plugins/elasticsearch/cloud.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

test('cloud_id: label, then base64 of host$es-id$kibana-id; the endpoint is https on 443', () => {
  assert.equal(cloudIdUrl(`logs:${b64('eu-west-1.aws.found.io$abc123$def456')}`), 'https://abc123.eu-west-1.aws.found.io:443');
  assert.equal(cloudIdUrl(b64('us-east-1.aws.found.io$abc123$def456')), 'https://abc123.us-east-1.aws.found.io:443', 'the label is optional');
});

test('cloud_id: a port on the host applies to the endpoint, one on the Elasticsearch id wins', () => {
  assert.equal(cloudIdUrl(`x:${b64('cloud.example.com:9243$es1$kb1')}`), 'https://es1.cloud.example.com:9243');
  assert.equal(cloudIdUrl(`x:${b64('cloud.example.com:9243$es1:9443$kb1')}`), 'https://es1.cloud.example.com:9443');
});

test('cloud_id: text that is not an id is refused with what to do', () => {
  assert.throws(() => cloudIdUrl('logs:not base64!'), (e: Error & { hint?: string }) => /invalid cloud_id/.test(e.message) && /Cloud console/.test(e.hint ?? ''));
  assert.throws(() => cloudIdUrl(`logs:${b64('only-a-host')}`), /does not decode/);
  assert.throws(() => cloudIdUrl(`logs:${b64('host:https$es$kb')}`), /port "https" is not a number/);
});

test('cloud_auth: user:password, the password may hold colons', () => {
  assert.deepEqual(cloudAuthCredentials('elastic:pa:ss'), { user: 'elastic', password: 'pa:ss' });
  assert.throws(() => cloudAuthCredentials('elastic'), /must be "user:password"/);
});
