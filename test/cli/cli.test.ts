import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'logpipe.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'logpipe-cli-'));

/** Commands that run pipelines take path.data's lock: each run gets its own directory. */
const NOT_RUNNING = new Set(['check', 'grok', 'plugins', 'help', '--help', '--version', '-t']);
const withDataDir = (args: string[]): string[] =>
  NOT_RUNNING.has(args[0]!) || args.includes('--config.test_and_exit') || args.includes('--help') ? args : [...args, '--path.data', tmp()];

function logpipe(args: string[], input?: string | Buffer) {
  return spawnSync(process.execPath, [BIN, ...withDataDir(args)], { input, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
}

test('run -e: the generator example prints three JSON events like Logstash', () => {
  const r = logpipe(['run', '-e', 'input { generator { count => 3 message => "hi" } } output { stdout { codec => json_lines } }', '--log.level', 'warn']);
  assert.equal(r.status, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(events.length, 3);
  for (const e of events) {
    assert.equal(e['message'], 'hi');
    assert.equal(e['@version'], '1');
    assert.match(String(e['@timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(typeof e['host'], 'string');
  }
  assert.deepEqual(events.map((e) => e['sequence']).sort(), [0, 1, 2]);
});

test('-e without input reads stdin, without output prints rubydebug', () => {
  const r = logpipe(['-e', 'filter { }', '--log.level', 'warn'], 'one\ntwo\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"message" => "one"/);
  assert.match(r.stdout, /"message" => "two"/);
});

test('check: OK for a valid config, file:line:column and caret for a broken one', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'good.conf'), 'input { stdin {} }\noutput { stdout {} }\n');
  writeFileSync(join(dir, 'bad.conf'), 'input { stdin {} }\noutput {\n  stdout { codec => }\n}\n');
  const ok = logpipe(['check', '-f', join(dir, 'good.conf')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Configuration OK/);
  const bad = logpipe(['check', '-f', join(dir, 'bad.conf')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bad\.conf:3:\d+/);
  assert.match(bad.stderr, /\^/);
  // Logstash's spelling of the same command.
  assert.equal(logpipe(['-t', '-f', join(dir, 'good.conf')]).status, 0);
  assert.equal(logpipe(['run', '--config.test_and_exit', '-f', join(dir, 'bad.conf')]).status, 1);
});

test('check: unsupported plugins fail with a hint; --syntax-only accepts them', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'hdfs.conf'), 'input { stdin {} }\noutput { webhdfs { host => "h" } }\n');
  const full = logpipe(['check', '-f', join(dir, 'hdfs.conf')]);
  assert.equal(full.status, 1);
  assert.match(full.stderr, /hdfs\.conf:2:10: output plugin "webhdfs" is not supported[\s\S]*file/);
  const syntax = logpipe(['check', '--syntax-only', '-f', join(dir, 'hdfs.conf')]);
  assert.equal(syntax.status, 0, syntax.stderr);
});

test('-f accepts a directory: files are concatenated in alphabetical order', () => {
  const dir = tmp();
  const out = join(dir, 'out.txt');
  writeFileSync(join(dir, '20-output.conf'), `output { file { path => "${out}" codec => line { format => "%{message}-%{step}" } } }`);
  writeFileSync(join(dir, '10-filter.conf'), 'filter { mutate { add_field => { "step" => "filtered" } } }');
  writeFileSync(join(dir, '00-input.conf'), 'input { generator { count => 1 message => "m" } }');
  const r = logpipe(['run', '-f', dir, '--log.level', 'warn']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(out, 'utf8'), 'm-filtered\n');
});

test('help and version', () => {
  const v = logpipe(['--version']);
  assert.match(v.stdout, /^logpipe \d+\.\d+\.\d+/);
  for (const cmd of [['--help'], ['run', '--help'], ['check', '--help'], ['help', 'run']]) {
    const r = logpipe(cmd);
    assert.equal(r.status, 0, cmd.join(' '));
    assert.match(r.stdout, /Usage: logpipe/);
  }
  const unknown = logpipe(['frobnicate']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const badFlag = logpipe(['run', '--pipeline.workers', 'zero', '-e', '']);
  assert.equal(badFlag.status, 1);
  assert.match(badFlag.stderr, /pipeline\.workers must be a positive integer/);
});

test('bad input on stdin: invalid UTF-8, a 10 MB line and a binary blob do not crash', () => {
  const dir = tmp();
  const out = join(dir, 'out.json');
  const big = 'x'.repeat(10 * 1024 * 1024);
  const blob = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 256));
  const input = Buffer.concat([
    Buffer.from('before\n'),
    Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x6f, 0x0a]), // "fo", two invalid bytes, "o"
    Buffer.from(big + '\n'),
    blob,
    Buffer.from('\nafter'), // no final newline: still one event at end of input
  ]);
  const r = logpipe(['run', '-e', `input { stdin {} } output { file { path => "${out}" } }`, '-w', '1', '--log.level', 'warn'], input);
  assert.equal(r.status, 0, r.stderr);
  const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { message: string });
  const messages = events.map((e) => e.message);
  assert.equal(messages[0], 'before');
  assert.equal(messages[1], 'fo\uFFFD\uFFFDo');
  assert.equal(messages[2]!.length, big.length);
  assert.equal(messages[messages.length - 1], 'after');
  const blobLines = blob.toString('latin1').split('\n').length;
  assert.equal(events.length, 4 + blobLines); // before, fo..o, the big line, the blob pieces, after
});

test('SIGTERM stops inputs, drains in-flight events through the outputs and exits 0', async () => {
  const dir = tmp();
  const out = join(dir, 'out.json');
  const child = spawn(process.execPath, [BIN, ...withDataDir(['run', '-e', `input { generator { } } output { file { path => "${out}" } }`, '-w', '2'])]);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise((resolve) => child.stderr.once('data', resolve)); // "pipeline started"
  await new Promise((resolve) => setTimeout(resolve, 500));
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, stderr);
  const lines = readFileSync(out, 'utf8').split('\n');
  assert.equal(lines.pop(), ''); // file ends with a complete line
  assert.ok(lines.length > 1000, `only ${lines.length} events written`);
  for (const l of lines) JSON.parse(l);
  const m = /acked=(\d+)/.exec(stderr);
  assert.ok(m, stderr);
  assert.equal(Number(m[1]), lines.length, 'every written event was acknowledged and vice versa');
});

test('check never prints a password, not even in the excerpt of a misspelled or broken setting', () => {
  const dir = tmp();
  const cases = [
    'input { stdin {} }\nfilter { dedup { store => redis password => "hunter2" pasword => "hunter2" } }\noutput { null {} }\n',
    'input { stdin {} }\nfilter { dedup { store => redis password => "hunter2" ttl => } }\noutput { null {} }\n',
    'input { stdin {} }\nfilter { dedup { store => redis redis_url => "redis://:hunter2@localhost" ttl => "soon" } }\noutput { null {} }\n',
  ];
  cases.forEach((text, i) => {
    writeFileSync(join(dir, `secret${i}.conf`), text);
    const r = logpipe(['check', '-f', join(dir, `secret${i}.conf`)]);
    assert.equal(r.status, 1, `case ${i} should fail`);
    assert.match(r.stderr, /\^/, `case ${i} shows an excerpt`);
    assert.ok(!(r.stdout + r.stderr).includes('hunter2'), `case ${i} leaked: ${r.stderr}`);
  });
});

/** A pipeline whose drain takes minutes: every event costs a filter 50 ms. */
const SLOW = 'input { generator { } } filter { js { code => "const t = Date.now(); while (Date.now() - t < 50) {}" timeout_ms => 0 } } output { null { } }';

async function startSlow(extra: string[]) {
  const child = spawn(process.execPath, [BIN, ...withDataDir(['run', '-e', SLOW, '-w', '1', ...extra])]);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  while (!stderr.includes('pipeline started')) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, stderr: () => stderr };
}

test('a second signal forces the exit without waiting for the drain', async () => {
  const { child, exited, stderr } = await startSlow(['--pipeline.shutdown_timeout', '120']);
  child.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGINT');
  assert.equal(await exited, 1);
  assert.match(stderr(), /forcing exit/);
});

test('a drain longer than pipeline.shutdown_timeout ends with exit 1 and says what was not acknowledged', async () => {
  const { child, exited, stderr } = await startSlow(['--pipeline.shutdown_timeout', '1']);
  child.kill('SIGTERM');
  assert.equal(await exited, 1);
  assert.match(stderr(), /shutdown timed out/);
});

test('a catastrophic regex in a conditional finishes quickly (linear-engine fallback is on from startup)', () => {
  const r = logpipe(['run', '-e', 'input { stdin {} } output { if [message] =~ /^(a+)+$/ { stdout { codec => line { format => "match" } } } else { stdout { codec => line { format => "no" } } } }', '--log.level', 'warn'],
    'a'.repeat(40) + 'b\n' + 'a'.repeat(40) + '\n');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').sort(), ['match', 'no']);
});

test('check builds every plugin: an unknown grok pattern or a missing database is reported with its location', () => {
  const grok = logpipe(['check', '-e', 'input { stdin {} }\nfilter { grok { match => { "message" => "%{NO_SUCH_PATTERN:x}" } } }\noutput { null {} }']);
  assert.equal(grok.status, 1);
  assert.match(grok.stderr, /config string:2:10: .*NO_SUCH_PATTERN/);
  assert.match(grok.stderr, /\^/);
  const geoip = logpipe(['run', '-e', 'input { generator { count => 1 } } filter { geoip { source => "x" database => "/nonexistent.mmdb" } } output { null {} }', '--log.level', 'warn']);
  assert.equal(geoip.status, 1);
  assert.match(geoip.stderr, /configuration error:[\s\S]*nonexistent\.mmdb/);
});

test('grok command: captures per line, "no match" and exit 1 when a line does not match', () => {
  const ok = logpipe(['grok', '%{IP:client} %{WORD:verb} %{NUMBER:bytes:int}'], '10.0.0.1 GET 512\n');
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), { client: '10.0.0.1', verb: 'GET', bytes: 512 });
  const miss = logpipe(['grok', '%{IP:client}', '--line', 'not an ip']);
  assert.equal(miss.status, 1);
  assert.equal(miss.stdout.trim(), 'no match');
  const bad = logpipe(['grok', '%{NOPE_NOT_A_PATTERN}', '--line', 'x']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bad grok pattern:.*NOPE_NOT_A_PATTERN/);
});

test('stdin: lines are processed while the pipe stays open, and SIGTERM ends cleanly', async () => {
  const child = spawn(process.execPath, [BIN, ...withDataDir(['run', '-e', 'input { stdin {} } output { stdout { codec => line { format => "got %{message}" } } }', '-w', '1'])]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.write('one\ntwo\n'); // no end of input
  const deadline = Date.now() + 10_000;
  while (!stdout.includes('got two') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(stdout, 'got one\ngot two\n', 'lines arrive without waiting for end of input');
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /ERROR/);
});

test('a closed stdout (| head -1) stops the pipeline: exit 1 with a clear message, not a generator spinning forever', async () => {
  const child = spawn(process.execPath, [BIN, ...withDataDir(['-e', 'input { generator {} } output { stdout { codec => json_lines } }', '-w', '1'])]);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Read the first line, then go away as head does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(null); }, 20_000);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  assert.equal(code, 1, `exit code (null: still running after 20 s)\n${stderr}`);
  assert.match(stderr, /output stdout_output_1 can never deliver again: standard output is closed \(EPIPE\)/);
});

test('check --logstash-strict exits 1 on constructs Logstash refuses; a filter-only file names the missing sections', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'f.conf'), 'filter { mutate { add_field => { "a" => "1", "b" => "2" } } }\n');
  const plain = logpipe(['check', '-f', join(dir, 'f.conf')]);
  assert.equal(plain.status, 1);
  assert.match(plain.stderr, /no input section[\s\S]*no output section[\s\S]*2 problems found/);
  // --strict, --fragment and their reports are covered in-process by check.test.ts.
  const strict = logpipe(['check', '--fragment', '--logstash-strict', '-f', join(dir, 'f.conf')]);
  assert.equal(strict.status, 1);
  assert.match(strict.stderr, /f\.conf:1:44: Logstash would refuse this: a comma between hash entries/);
});

test('grok --ecs accepts v8 (ECS v1 definitions, as in Logstash) and refuses other modes', () => {
  const ecs = logpipe(['grok', '%{SYSLOGLINE}', '--ecs', 'v8', '--line', 'Oct 11 22:14:15 host1 sshd[42]: hello']);
  assert.equal(ecs.status, 0, ecs.stderr);
  assert.deepEqual(JSON.parse(ecs.stdout).process, { name: 'sshd', pid: 42 });
  const bad = logpipe(['grok', '%{WORD}', '--ecs', 'v9', '--line', 'x']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--ecs must be disabled, v1 or v8/);
});
