/** `logpipe check` on configurations with a ruby filter (a real process each). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'bin', 'logpipe.js');
const dir = mkdtempSync(join(tmpdir(), 'logpipe-ruby-check-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function check(name: string, config: string) {
  writeFileSync(join(dir, name), config);
  return spawnSync(process.execPath, [BIN, 'check', '-f', join(dir, name)], { encoding: 'utf8', timeout: 110_000 });
}

test('check: ruby filters pass, with a note: the js filter is faster (see ruby2js), or the code runs as JavaScript', () => {
  const ok = check('ruby.conf', 'input { stdin {} }\nfilter { ruby { code => "event.set(\'t\', Time.now.to_i)" } }\nfilter { ruby { code => "event.cancel" } }\noutput { stdout {} }\n');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /note: .*ruby\.conf:2:10: ruby filter .* slower than the js filter.*`logpipe ruby2js`/);
  assert.match(ok.stdout, /note: .*ruby\.conf:3:10: ruby filter .* runs as JavaScript/);
  assert.match(ok.stdout, /Configuration OK/);
});

test('check: a ruby syntax error and a failing script test fail with the filter\'s location', () => {
  const bad = check('broken.conf', 'input { stdin {} }\nfilter { ruby { code => "event.set(" } }\noutput { stdout {} }\n');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /broken\.conf:2:10: ruby: .*syntax/is);
  const script = join(dir, 'failing.rb');
  writeFileSync(script, 'def filter(event) = []\ntest "keeps the event" do\n  in_event { { "a" => 1 } }\n  expect("one event") { |events| events.size == 1 }\nend\n');
  const failing = check('tests.conf', `input { stdin {} }\nfilter { ruby { path => "${script}" } }\noutput { stdout {} }\n`);
  assert.equal(failing.status, 1);
  assert.match(failing.stderr, /tests\.conf:2:10: ruby: 1 of 1 test\(s\) in .*failing\.rb failed:\s+test "keeps the event": expect\("one event"\) failed/);
});
