import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explainGrok, splitAlternatives, splitPieces } from '../../src/cli/grok-explain.js';
import { standardPatterns } from '../../src/plugins/filters/grok/index.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'logpipe.js');
const patterns = standardPatterns('disabled');

test('splitPieces: references, groups with quantifiers, classes and escapes stay whole; top-level | refuses', () => {
  assert.deepEqual(splitPieces('%{WORD:a} +(?:\\[%{INT}\\])?: [a-z]+\\d{2}%{DATA}?'), ['%{WORD:a}', ' +', '(?:\\[%{INT}\\])?', ': [a-z]+\\d{2}', '%{DATA}?']);
  assert.equal(splitPieces('a|b'), undefined);
  assert.deepEqual(splitAlternatives('%{A}|(x|y)|[|]'), ['%{A}', '(x|y)', '[|]']);
});

test('explainGrok names the failing sub-pattern, inside composite and aliased patterns', () => {
  const syslog = '%{SYSLOGTIMESTAMP:ts} %{SYSLOGHOST:host} %{WORD:program}\\[%{POSINT:pid}\\]: %{GREEDYDATA:msg}';
  assert.deepEqual(explainGrok(syslog, 'Oct  6 20:55:29 h p[1]: x', patterns), { matched: true, good: [] });
  const bad = explainGrok(syslog, 'Oct  6 20:55:29 h p[x1]: x', patterns);
  assert.equal(bad.matched, false);
  // Inside %{POSINT}: its word boundary matched, its digits did not.
  assert.deepEqual(bad.failed!.within, ['%{POSINT:pid}']);
  assert.equal(bad.failed!.piece, '(?:[1-9][0-9]*)');
  assert.deepEqual(bad.good.map((g) => g.text).slice(0, 6), ['Oct  6 20:55:29', ' ', 'h', ' ', 'p', '[']);
  assert.equal(bad.failed!.at, 20);

  const apache = explainGrok('%{COMMONAPACHELOG}', '192.0.2.1 - - [10/Oct/2026:13:55:36 +0200] "GET / HTTP/1.1" 200 x', patterns);
  assert.deepEqual(apache.failed!.within, ['%{COMMONAPACHELOG}', '%{HTTPD_COMMONLOG}']);
  assert.match(apache.failed!.piece, /bytes/);
});

test('explainGrok: of several alternatives, the one that got furthest is explained', () => {
  const e = explainGrok('%{NUMBER:n} apples|%{IP:client} %{WORD:verb}', '10.1.2.3 !!', patterns);
  assert.deepEqual(e.alternative, { index: 1, of: 2 });
  assert.equal(e.failed!.piece, '%{WORD:verb}');
});

test('logpipe grok --explain prints the failing part for a line that does not match, nothing more for one that does', () => {
  const r = spawnSync(process.execPath, [BIN, 'grok', '--explain', '%{IP:client} %{WORD:verb} %{NUMBER:status:int}', '--line', '10.0.0.1 GET 200', '--line', '10.0.0.1 GET abc'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  const [ok, noMatch, ...rest] = r.stdout.trim().split('\n');
  assert.equal(ok, '{"client":"10.0.0.1","verb":"GET","status":200}');
  assert.equal(noMatch, 'no match');
  assert.deepEqual(rest, [
    '  ok    %{IP:client}  →  "10.0.0.1"',
    "  ok    ' '  →  \" \"",
    '  ok    %{WORD:verb}  →  "GET"',
    "  ok    ' '  →  \" \"",
    '  FAIL  %{NUMBER:status:int}',
    '        does not match at column 14: "abc"',
  ]);
});
