/** `logpipe ruby2js`: the printed js filter gives the ruby filter's events; untranslatable lines are named. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'logpipe.js');
const dir = mkdtempSync(join(tmpdir(), 'logpipe-ruby2js-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const logpipe = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 110_000 });

const RUBY = `
  ruby {
    code => 'n = event.get("sequence")
      event.set("double", n * 2)
      if event.get("message").start_with?("GET") && n % 2 == 0
        event.set("[http][verb]", event.get("message").split("/")[0].strip.downcase)
      else
        event.tag("odd")
      end
      event.set("note", "n=#{n}, \${HOME} costs $5")'
  }`;
const config = (filter: string): string =>
  `input { generator { count => 4 message => "GET /index.html" } }\nfilter {${filter}\n}\noutput { stdout { codec => json_lines } }\n`;

/** Events without @timestamp (the runs differ in time). */
function events(stdout: string): unknown[] {
  return stdout.trim().split('\n').map((l) => {
    const { '@timestamp': _, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return rest;
  });
}

test('ruby2js: a translatable ruby filter becomes a js filter that gives the same events', () => {
  writeFileSync(join(dir, 'ruby.conf'), config(RUBY));
  const shown = logpipe('ruby2js', '-f', join(dir, 'ruby.conf'));
  assert.equal(shown.status, 0, shown.stderr + shown.stdout);
  assert.match(shown.stdout, /# ruby filter "ruby_filter_1" \(.*ruby\.conf:3:3\), translated:\njs \{\n {2}init => "var R = \{/);
  assert.match(shown.stdout, /tag_on_exception => "_rubyexception"/);
  writeFileSync(join(dir, 'js.conf'), config(shown.stdout));
  const viaRuby = logpipe('run', '-f', join(dir, 'ruby.conf'), '-w', '1', '--log.level', 'warn', '--path.data', join(dir, 'data-ruby'));
  const viaJs = logpipe('run', '-f', join(dir, 'js.conf'), '-w', '1', '--log.level', 'warn', '--path.data', join(dir, 'data-js'));
  assert.equal(viaRuby.status, 0, viaRuby.stderr);
  assert.equal(viaJs.status, 0, viaJs.stderr);
  const expected = events(viaRuby.stdout);
  assert.equal(expected.length, 4);
  assert.deepEqual((expected[0] as { http: unknown }).http, { verb: 'get' });
  assert.deepEqual((expected[1] as { tags: unknown }).tags, ['odd']);
  assert.deepEqual(events(viaJs.stdout), expected);
});

test('ruby2js: says per line what it cannot translate; init and path scripts are not translated', () => {
  writeFileSync(join(dir, 'mixed.conf'), config(`
  ruby { code => "x = event.get('a')
puts x
event.set('t', Time.now.to_i)
event.set('ok', x)" }
  ruby { init => "@n = 0" code => "@n += 1" }`));
  const shown = logpipe('ruby2js', '-f', join(dir, 'mixed.conf'));
  assert.equal(shown.status, 1);
  assert.match(shown.stdout, /ruby_filter_1.*not translated; these lines are outside what ruby2js translates exactly:\n# {3}line 2: puts x\n# {5}`puts` \(a method call, or a variable not set before\)\n# {3}line 3: event\.set\('t', Time\.now\.to_i\)\n# {5}the constant `Time`\n\n/);
  assert.match(shown.stdout, /ruby_filter_2.*not translated: it uses init/);
  assert.doesNotMatch(shown.stdout, /js \{/);
});

test('ruby2js --code: one snippet', () => {
  const shown = logpipe('ruby2js', '--code', "event.set('b', event.get('a').to_i + 1) unless event.include?('b')");
  assert.equal(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /code => 'if \(!\(R\.has\(event, "b"\)\)\) \{\n\s+R\.set\(event, "b", R\.add\(R\.toI\(R\.get\(event, "a"\)\), 1\)\);\n\s+\}'/);
});
