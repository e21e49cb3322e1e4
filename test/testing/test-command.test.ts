/** `logpipe test` end to end: real processes on LFV suites, failures, JUnit, --watch. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { waitFor } from '../helpers/wait.js';
import { exited } from '../helpers/processes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, 'bin', 'logpipe.js');
const LFV = join(ROOT, 'test', 'testing', 'lfv');
const NOW = '2026-12-01T12:00:00Z';
const tmp = (): string => mkdtempSync(join(tmpdir(), 'logpipe-test-cmd-'));

function logpipeTest(args: string[]) {
  return spawnSync(process.execPath, [BIN, 'test', ...args], { encoding: 'utf8', timeout: 90_000 });
}

test('standalone shape: an LFV collection (grok, date, mutate, kv, json_lines, conditionals, drop, @metadata) passes', () => {
  const r = logpipeTest([join(LFV, 'standalone', 'tests'), join(LFV, 'standalone', 'config'), '--now', NOW]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^9 passed, 0 failed, 9 total$/m);
  assert.match(r.stdout, /PASS .*syslog\.json › a failed ssh login is tagged/);
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when stdout is not a terminal');
});

test('LFV\'s own sub-command words are accepted: logpipe test standalone TESTCASES CONFIG', () => {
  const r = logpipeTest(['standalone', join(LFV, 'standalone', 'tests', 'syslog.json'), join(LFV, 'standalone', 'config'), '--now', NOW]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^4 passed, 0 failed, 4 total$/m);
});

test('the frozen clock decides @timestamp of undated events and %{+YYYY.MM.dd}: another --now fails exactly those fields', () => {
  const r = logpipeTest([join(LFV, 'standalone', 'tests', 'app.yaml'), join(LFV, 'standalone', 'config'), '--now', '2027-01-02T00:00:00Z']);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^2 passed, 1 failed, 3 total$/m);
  assert.match(r.stdout, /\[@timestamp\]: expected "2026-12-01T12:00:00.000Z", got "2027-01-02T00:00:00.000Z"/);
  assert.match(r.stdout, /\[__metadata\]\[target\]: expected "app-2026.12.01", got "app-2027.01.02"/);
});

test('daemon shape: pipelines.yml, input_plugin, plugin mock, export_metadata, export_outputs, expected_outputs, sort', () => {
  const args = ['--pipeline', join(LFV, 'daemon', 'pipelines.yml'), '--pipeline-base', join(LFV, 'daemon'), '--testcase-dir', join(LFV, 'daemon', 'tests'), '--now', NOW];
  const r = logpipeTest([...args, '--plugin-mock', join(LFV, 'daemon', 'mocks.yaml')]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^4 passed, 0 failed, 4 total$/m);
  // Without the mock the real translate filter is built, and its dictionary does not exist here.
  const unmocked = logpipeTest(args);
  assert.equal(unmocked.status, 1);
  assert.match(unmocked.stdout, /FAIL .*web\.json › a 200 goes to redis only \(\d+ ms\)\n\s+.*owners-that-do-not-exist-in-tests\.yml/);
  assert.match(unmocked.stdout, /PASS .*events\.yaml/);
});

test('daemon shape with --logstash-config: plugins without ids are refused unless --add-missing-id', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'p.conf'), 'input { stdin { } } filter { mutate { add_field => { "seen" => "yes" } } } output { stdout { } }');
  cpSync(join(LFV, 'standalone', 'tests', 'legacy-format.json'), join(dir, 'cases', 'legacy.json'), { recursive: true });
  writeFileSync(join(dir, 'cases', 'legacy.json'), JSON.stringify({ ignore: ['@timestamp', 'host'], testcases: [{ input: ['x'], expected: [{ message: 'x', seen: 'yes' }] }] }));
  const base = ['--logstash-config', join(dir, 'p.conf'), '--testcase-dir', join(dir, 'cases')];
  const refused = logpipeTest(base);
  assert.equal(refused.status, 1);
  assert.match(refused.stdout, /every plugin needs an "id" in daemon mode; without one: stdin at .*p\.conf:1:9, mutate at .*p\.conf:1:30, stdout at .*p\.conf:1:85/);
  assert.match(refused.stdout, /--add-missing-id/);
  const ok = logpipeTest([...base, '--add-missing-id']);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^1 passed, 0 failed, 1 total$/m);
});

const FAILING = {
  fields: { type: 'syslog' },
  testcases: [
    {
      description: 'wrong expectations',
      input: ['Oct  6 20:55:29 myhost myprogram[31993]: hello <world> & "you"'],
      expected: [{ '@timestamp': '2026-10-06T20:55:29.000Z', host: 'myhost', message: 'hello <world> & "you"', pid: '31993', program: 'other', type: 'syslog', extra: 1 }],
    },
    { description: 'wrong count', input: ['Oct  6 20:55:30 myhost a: b'], expected: [] },
  ],
};

test('failure diffs name each field: changed value, type mismatch, missing, not expected, wrong count; JUnit parses', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'failing.json'), JSON.stringify(FAILING));
  const junit = join(dir, 'report.xml');
  const r = logpipeTest([join(dir, 'failing.json'), join(LFV, 'standalone', 'config'), '--now', NOW, '--junit', junit]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL .*failing\.json › wrong expectations/);
  assert.match(r.stdout, /\[extra\]: missing; expected 1/);
  assert.match(r.stdout, /\[pid\]: expected "31993", got 31993 \(string vs number\)/);
  assert.match(r.stdout, /\[program\]: expected "other", got "myprogram"\n/);
  assert.match(r.stdout, /FAIL .*wrong count \(\d+ ms\)\n\s+expected 0 event\(s\), got 1\n\s+extra event 1: \{/);
  assert.match(r.stdout, /^0 passed, 2 failed, 2 total$/m);

  const text = readFileSync(junit, 'utf8');
  assert.equal(XMLValidator.validate(text), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text) as {
    testsuites: { tests: string; failures: string; testsuite: { name: string; testcase: { name: string; failure: { '#text': string; message: string } }[] } };
  };
  assert.equal(doc.testsuites.tests, '2');
  assert.equal(doc.testsuites.failures, '2');
  const [first, second] = doc.testsuites.testsuite.testcase;
  assert.equal(first!.name, 'wrong expectations');
  assert.match(first!.failure['#text'], /\[pid\]: expected "31993", got 31993/);
  assert.equal(second!.failure.message, 'expected 0 event(s), got 1');
});

test('--color colours PASS/FAIL and the values of a diff', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'failing.json'), JSON.stringify(FAILING));
  const r = logpipeTest([join(dir, 'failing.json'), join(LFV, 'standalone', 'config'), '--now', NOW, '--color']);
  assert.match(r.stdout, /\x1b\[31mFAIL\x1b\[39m/);
  assert.match(r.stdout, /\[program\]: expected \x1b\[32m"other"\x1b\[39m, got \x1b\[31m"myprogram"\x1b\[39m/);
});

test('concise form: pipeline named in the file, one stage by plugin id, input events, subset comparison', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'p.conf'), `
filter {
  grok { id => "parse" match => { "message" => "%{WORD:verb} %{NUMBER:code:int}" } }
  mutate { id => "mark" add_tag => ["marked"] }
}`);
  writeFileSync(join(dir, 'stage.yaml'), `
pipeline: p.conf
plugin: parse
tests:
  - name: only the grok runs
    input: ["GET 200"]
    expected:
      - { verb: GET, code: 200 }
  - name: events as input
    input:
      - { message: "PUT 201", tags: [given] }
    expected:
      - { verb: PUT, code: 201, tags: [given] }
`);
  writeFileSync(join(dir, 'whole.yaml'), `
pipeline: p.conf
tests:
  - name: the whole filter section runs
    input: ["GET 200"]
    expected:
      - { verb: GET, tags: [marked] }
  - name: a listed field that differs fails
    input: ["GET 200"]
    expected:
      - { verb: POST }
`);
  const r = logpipeTest([dir, '--now', NOW]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /PASS .*stage\.yaml › only the grok runs/);
  assert.match(r.stdout, /PASS .*stage\.yaml › events as input/);
  assert.match(r.stdout, /PASS .*whole\.yaml › the whole filter section runs/);
  assert.match(r.stdout, /FAIL .*whole\.yaml › a listed field that differs fails \(\d+ ms\)\n\s+event 1:\n\s+\[verb\]: expected "POST", got "GET"\n\n/);
  assert.match(r.stdout, /^3 passed, 1 failed, 4 total$/m);
});

test('a broken test file or configuration is a failed case with the reason, not a crash', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'bad.yaml'), 'testcases:\n  - input: ["x"]\n    expectd: []\n');
  writeFileSync(join(dir, 'p.conf'), 'filter { mutate { add_feild => { "a" => "b" } } }');
  const r = logpipeTest([join(dir, 'bad.yaml'), join(dir, 'p.conf')]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /unknown key "expectd" in testcases\[0\]/);
  writeFileSync(join(dir, 'good.yaml'), 'testcases:\n  - input: ["x"]\n    expected: []\n');
  const c = logpipeTest([join(dir, 'good.yaml'), join(dir, 'p.conf')]);
  assert.equal(c.status, 1);
  assert.match(c.stdout, /add_feild/);
  assert.match(c.stdout, /p\.conf:1:19/);
});

test('--watch runs again when a test file changes', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'p.conf'), 'filter { mutate { add_field => { "seen" => "yes" } } }');
  const file = join(dir, 'case.yaml');
  writeFileSync(file, 'ignore: ["@timestamp", host]\ntestcases:\n  - input: ["x"]\n    expected: [{ message: x, seen: "no" }]\n');
  const child = spawn(process.execPath, [BIN, 'test', file, join(dir, 'p.conf'), '--watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitFor('the first run', () => out.includes('watching for changes'));
    assert.match(out, /0 passed, 1 failed, 1 total/);
    writeFileSync(file, 'ignore: ["@timestamp", host]\ntestcases:\n  - input: ["x"]\n    expected: [{ message: x, seen: "yes" }]\n');
    await waitFor('the second run', () => /1 passed, 0 failed, 1 total/.test(out));
    assert.match(out, /change detected, running again/);
  } finally {
    child.kill('SIGINT');
    await exited(child);
  }
});
