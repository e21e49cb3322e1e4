import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/core/errors.js';
import { parseConfig, unescape } from '../../../src/config/logstash/parser.js';
import type { ConditionNode, IfNode, PluginNode, StatementNode } from '../../../src/config/logstash/ast.js';
import type { ConfigValue, PluginValue } from '../../../src/config/values.js';
import { isPluginValue } from '../../../src/config/values.js';

const parse = (text: string, supportEscapes = false) => parseConfig([{ name: 't.conf', text }], { supportEscapes });

function firstPlugin(text: string, supportEscapes = false): PluginNode {
  const s = parse(text, supportEscapes).sections[0]!.body[0]!;
  assert.equal(s.kind, 'plugin');
  return s as PluginNode;
}

function settingsOf(p: { settings: { name: string; value: ConfigValue }[] }): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const s of p.settings) out[s.name] = s.value;
  return out;
}

function condition(text: string): ConditionNode {
  const s = parse(`filter { if ${text} { } }`).sections[0]!.body[0] as IfNode;
  return s.branches[0]!.condition;
}

/** Compact rendering of a condition tree for precedence assertions. */
function show(c: ConditionNode): string {
  switch (c.kind) {
    case 'boolean': return `(${show(c.left)} ${c.op} ${show(c.right)})`;
    case 'not': return `!${show(c.operand)}`;
    case 'truthy': return rv(c.value);
    case 'compare': return `${rv(c.left)}${c.op}${rv(c.right)}`;
    case 'match': return `${rv(c.left)}${c.negate ? '!~' : '=~'}/${c.pattern.source}/`;
    case 'in': return `${rv(c.left)} ${c.negate ? 'not in' : 'in'} ${rv(c.right)}`;
  }
}
function rv(v: import('../../../src/config/logstash/ast.js').RValueNode): string {
  switch (v.kind) {
    case 'field': return v.reference;
    case 'string': return JSON.stringify(v.value);
    case 'number': return String(v.value);
    case 'regex': return `/${v.source}/`;
    case 'array': return `[${v.items.map(rv).join(',')}]`;
    case 'call': return `${v.name}(${v.args.map(rv).join(',')})`;
  }
}

test('empty and comment-only configs have no sections', () => {
  assert.deepEqual(parse('').sections, []);
  assert.deepEqual(parse('  \n# only a comment\n').sections, []);
});

test('sections keep order across sources and carry file locations', () => {
  const ast = parseConfig([
    { name: 'a.conf', text: 'filter { }\noutput { }' },
    { name: 'b.conf', text: '\n  input { }\nfilter { }' },
  ]);
  assert.deepEqual(ast.sections.map((s) => `${s.location.file}:${s.location.line}:${s.location.column}:${s.type}`),
    ['a.conf:1:1:filter', 'a.conf:2:1:output', 'b.conf:2:3:input', 'b.conf:3:1:filter']);
  assert.equal(ast.sources.length, 2);
});

test('each source is parsed separately: a brace cannot span files', () => {
  assert.throws(() => parseConfig([{ name: 'a.conf', text: 'filter {' }, { name: 'b.conf', text: '}' }]),
    (e: unknown) => e instanceof ConfigError && e.location?.file === 'a.conf');
});

test('value types: strings, numbers, barewords, arrays, hashes', () => {
  const p = firstPlugin(`filter { x {
    s1 => "double \\" quote"  s2 => 'single \\' quote'
    n1 => 42 n2 => -3 n3 => 2.5 n4 => -0.5 n5 => 7.
    b => some_word
    a1 => [] a2 => [1, "two", three, [4, []], { "k" => "v" }]
    h => { "a" => 1 bb => [2] 'c' => { dd => "e" } 10 => "ten" }
  } }`);
  const s = settingsOf(p);
  // Without escape support the content is kept literally, backslash included (as Logstash).
  assert.equal(s.s1, 'double \\" quote');
  assert.equal(s.s2, "single \\' quote");
  assert.equal(s.n1, 42);
  assert.equal(s.n2, -3);
  assert.equal(s.n3, 2.5);
  assert.equal(s.n4, -0.5);
  assert.equal(s.n5, 7);
  assert.equal(s.b, 'some_word');
  assert.deepEqual(s.a1, []);
  assert.deepEqual(s.a2, [1, 'two', 'three', [4, []], { k: 'v' }]);
  assert.deepEqual(s.h, { a: 1, bb: [2], c: { dd: 'e' }, 10: 'ten' });
});

test('setting locations point at the setting name', () => {
  const p = firstPlugin('filter {\n  mutate {\n    add_tag => ["x"]\n      id => "m1"\n  }\n}');
  assert.deepEqual(p.location, { file: 't.conf', line: 2, column: 3 });
  assert.deepEqual(p.settings.map((s) => [s.location.line, s.location.column]), [[3, 5], [4, 7]]);
});

test('repeated settings are all kept, in order', () => {
  const p = firstPlugin('filter { grok { match => { "a" => "1" } match => { "b" => "2" } tag => x1 tag => x2 } }');
  assert.deepEqual(p.settings.map((s) => s.name), ['match', 'match', 'tag', 'tag']);
  assert.deepEqual(p.settings.map((s) => s.value), [{ a: '1' }, { b: '2' }, 'x1', 'x2']);
});

test('plugin as a value (codec) and quoted plugin names', () => {
  const p = firstPlugin('output { "file" { codec => line { format => "%{message}" } other => "json" { } } }');
  assert.equal(p.name, 'file');
  const codec = p.settings[0]!.value;
  assert.ok(isPluginValue(codec));
  assert.equal((codec as PluginValue).name, 'line');
  assert.deepEqual((codec as PluginValue).settings.map((s) => [s.name, s.value]), [['format', '%{message}']]);
  assert.deepEqual((codec as PluginValue).location, { file: 't.conf', line: 1, column: 28 });
  const other = p.settings[1]!.value as PluginValue;
  assert.equal(other.kind, 'plugin');
  assert.equal(other.name, 'json');
  assert.deepEqual(other.settings, []);
});

test('a bareword value is not a plugin unless a "{" follows', () => {
  const p = firstPlugin('output { stdout { codec => rubydebug\n id => out } }');
  assert.deepEqual(settingsOf(p), { codec: 'rubydebug', id: 'out' });
});

test('hash entries may be separated by commas; keys are unquoted', () => {
  const p = firstPlugin('filter { m { h => { "a" => 1, bb => 2,\n cc => 3 } } }');
  assert.deepEqual(settingsOf(p).h, { a: 1, bb: 2, cc: 3 });
});

test('duplicate keys in one hash literal are an error at the second key', () => {
  assert.throws(() => parse('filter { m { h => { "aa" => 1\n aa => 2 } } }'), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.location, { file: 't.conf', line: 2, column: 2 });
    assert.match(e.reason, /duplicate key "aa"/);
    return true;
  });
});

test('"__proto__" as a hash key is an ordinary key', () => {
  const p = firstPlugin('filter { m { h => { "__proto__" => "x" } } }');
  const h = settingsOf(p).h as Record<string, unknown>;
  assert.deepEqual(Object.keys(h), ['__proto__']);
  assert.equal(Object.getPrototypeOf(h), Object.prototype);
});

test('comma-separated values after "=>" become an array (extension for configs in the wild)', () => {
  const p = firstPlugin('output { kafka { bootstrap_servers => "a:1","b:2" , "c:3"\n topic_id => "t" } }');
  assert.deepEqual(settingsOf(p), { bootstrap_servers: ['a:1', 'b:2', 'c:3'], topic_id: 't' });
});

test('escapes are only processed with supportEscapes', () => {
  const text = String.raw`filter { m { a => "t\tn\nr\rq\"s\'b\\z\0u\d" } }`;
  assert.equal(settingsOf(firstPlugin(text)).a, String.raw`t\tn\nr\rq\"s\'b\\z\0u\d`);
  assert.equal(settingsOf(firstPlugin(text, true)).a, 't\tn\nr\rq"s\'b\\z\0ud');
  assert.equal(unescape('end\\'), 'end\\');
});

test('comments are allowed wherever whitespace is', () => {
  const ast = parse('#c\nfilter#c\n{#c\nif#c\n[a]#c\n==#c\n"b"#c\n{#c\nm#c\n{#c\nk#c\n=>#c\n[#c\n1#c\n,#c\n2#c\n]#c\n}#c\n}#c\nelse#c\n{#c\n}#c\n}#c');
  const ifNode = ast.sections[0]!.body[0] as IfNode;
  assert.equal(show(ifNode.branches[0]!.condition), '[a]=="b"');
  assert.deepEqual(settingsOf(ifNode.branches[0]!.body[0] as PluginNode), { k: [1, 2] });
  assert.deepEqual(ifNode.elseBody, []);
});

test('"#" inside strings and regexes is not a comment', () => {
  const ast = parse('filter { if [a] =~ /x#y/ { m { k => "a # b" } } }');
  const ifNode = ast.sections[0]!.body[0] as IfNode;
  assert.equal(show(ifNode.branches[0]!.condition), '[a]=~/x#y/');
  assert.equal(settingsOf(ifNode.branches[0]!.body[0] as PluginNode).k, 'a # b');
});

test('if / else if / else chains', () => {
  const ast = parse('output { if [a] { x {} } else if [b] { y {} } else if [c] { } else { z {} } w {} }');
  const body = ast.sections[0]!.body;
  assert.equal(body.length, 2);
  const ifNode = body[0] as IfNode;
  assert.deepEqual(ifNode.branches.map((b) => show(b.condition)), ['[a]', '[b]', '[c]']);
  assert.deepEqual(ifNode.branches.map((b) => b.body.map((s) => (s as PluginNode).name)), [['x'], ['y'], []]);
  assert.deepEqual(ifNode.elseBody!.map((s) => (s as PluginNode).name), ['z']);
  assert.deepEqual(ifNode.branches.map((b) => b.location.column), [10, 26, 47]);
  assert.equal((body[1] as PluginNode).name, 'w');
});

test('an if without else has no elseBody; keywords need a word boundary', () => {
  const ast = parse('filter { if [a] { } elsewhere { } ifx { } }');
  const body: StatementNode[] = ast.sections[0]!.body;
  assert.deepEqual(body.map((s) => (s.kind === 'plugin' ? s.name : 'if')), ['if', 'elsewhere', 'ifx']);
  assert.equal((body[0] as IfNode).elseBody, undefined);
});

test('"elseif" (no space) is an else-if, as in Logstash\'s grammar ("else" cs "if")', () => {
  const ast = parse('filter { if [a] { x {} } elseif [b] { y {} }elseif[c]{ } else{ z {} } }');
  const ifNode = ast.sections[0]!.body[0] as IfNode;
  assert.deepEqual(ifNode.branches.map((b) => show(b.condition)), ['[a]', '[b]', '[c]']);
  assert.deepEqual(ifNode.elseBody!.map((s) => (s as PluginNode).name), ['z']);
  assert.deepEqual(parse('filter { if [a] { } elseif [b] { } }').notLogstash, []);
});

test('"else" on its own line, comments between else and if, and between every token of a branch', () => {
  const ast = parse('filter {\n  if [a] {\n  }\n  # why\n  else\n  # really\n  if [b] {\n  }\n  else\n  {\n    z {}\n  }\n}\n');
  const ifNode = ast.sections[0]!.body[0] as IfNode;
  assert.deepEqual(ifNode.branches.map((b) => show(b.condition)), ['[a]', '[b]']);
  assert.deepEqual(ifNode.elseBody!.map((s) => (s as PluginNode).name), ['z']);
});

test('a trailing comma in an array is refused, as by Logstash (array := "[" value (cs "," cs value)* "]")', () => {
  assert.throws(() => parse('filter { m { k => [1, 2,] } }'), (e: unknown) =>
    e instanceof ConfigError && /expected a value for array element, found "\]"/.test(e.reason));
});

test('hash entries need no commas: whitespace (newlines) separates them', () => {
  const p = firstPlugin('filter { m { k => { "a" => 1\n"b" => [x1]  c3 => { dd => "e" } } } }');
  assert.deepEqual(settingsOf(p).k, { a: 1, b: ["x1"], c3: { dd: "e" } });
});

test('notLogstash lists every construct we accept that Logstash refuses, with its location', () => {
  const text = [
    'filter {',
    '  m { k => { "a" => 1, "b" => 2 } }',   // comma between entries
    '  m { hosts => "a", "b" }',              // comma list
    '  m { k => {',
    '    "a" => 1',
    '    # about b',                          // comment between hash entries
    '    "b" => 2',
    '  } }',
    '  m { a => 1# glued',                    // comment glued to a value before the next setting
    '    b => 2 }',
    '  if ["x"] in [tags] { }',               // quoted selector read as an array
    '  if [a] not\tin [b] { }',               // "not " needs a plain space
    '}',
    '# no newline at the end',
  ].join('\n');
  const ast = parse(text);
  const found = ast.notLogstash!.map((f) => `${f.location.line}:${f.location.column} ${f.reason.split(':')[0]!.split(';')[0]}`);
  assert.deepEqual(found, [
    '2:22 a comma between hash entries is a logpipe extension',
    '3:7 comma-separated values for setting "hosts" are a logpipe extension',
    '5:13 a comment between hash entries',
    '9:13 a comment right after a setting\'s value',
    '11:6 ["x"] is read as a one-element array here',
    '12:10 Logstash\'s grammar needs a space right after "not" in "not in"',
    '14:1 a comment on the last line needs a line end after it in Logstash\'s grammar',
  ]);
  // The plain Logstash forms of the same config are not flagged.
  const clean = parse('filter {\n  m { k => { "a" => 1 "b" => 2 } hosts => ["a", "b"] }\n  m { a => 1 # ok\n    b => 2 }\n  if "x" in [tags] { }\n}\n# end\n');
  assert.deepEqual(clean.notLogstash, []);
});

test('boolean precedence: and binds tighter than or; xor/nand at or-level, left-assoc', () => {
  assert.equal(show(condition('[a] or [b] and [c]')), '([a] or ([b] and [c]))');
  assert.equal(show(condition('[a] and [b] or [c]')), '(([a] and [b]) or [c])');
  assert.equal(show(condition('[a] and [b] and [c] or [d]')), '((([a] and [b]) and [c]) or [d])');
  assert.equal(show(condition('[a] or [b] or [c]')), '(([a] or [b]) or [c])');
  assert.equal(show(condition('[a] xor [b] and [c] nand [d]')), '(([a] xor ([b] and [c])) nand [d])');
  assert.equal(show(condition('([a] or [b]) and [c]')), '(([a] or [b]) and [c])');
});

test('expressions: comparisons, regex, in / not in, negation, calls', () => {
  assert.equal(show(condition('[a][b] == "x"')), '[a][b]=="x"');
  assert.equal(show(condition('[n]>=-1.5')), '[n]>=-1.5');
  assert.equal(show(condition('[n] != [m]')), '[n]!=[m]');
  assert.equal(show(condition('[p] =~ /a\\/b/')), '[p]=~/a\\/b/');
  assert.equal(show(condition('[p] !~ "^x"')), '[p]!~/^x/');
  assert.equal(show(condition('"x" in [tags]')), '"x" in [tags]');
  assert.equal(show(condition('[a] not  in ["x", 1, [2]]')), '[a] not in ["x",1,[2]]');
  assert.equal(show(condition('![a]')), '![a]');
  assert.equal(show(condition('!([a] == 1) and ! [b]')), '(![a]==1 and ![b])');
  assert.equal(show(condition('len([a], "x") > 2')), 'len([a],"x")>2');
  assert.equal(show(condition('"lit"')), '"lit"');
});

test('a single quoted element in brackets is a one-element array, not a field named with quotes', () => {
  assert.equal(show(condition('[a] in ["x"]')), '[a] in ["x"]');
  assert.equal(show(condition("[a] in [ 'x' ]")), '[a] in ["x"]');
  // Unquoted, it stays a field reference, as in Logstash.
  assert.equal(show(condition('[a] in [x]')), '[a] in [x]');
  const c = condition('[a] in [x]');
  assert.ok(c.kind === 'in' && c.right.kind === 'field');
});

test('condition node locations', () => {
  const c = condition('[a] == 1 or [b]');
  assert.ok(c.kind === 'boolean');
  assert.deepEqual(c.location, { file: 't.conf', line: 1, column: 22 });
  assert.deepEqual(c.left.location, { file: 't.conf', line: 1, column: 13 });
});

test('Ruby regex differences are translated so valid Ruby regexes parse', () => {
  for (const r of ['/\\Afoo\\z/', '/(?i)abc/', '/[[:alpha:]]+\\h/', '/(?<name>\\w+)/', '/a(?#comment)b/']) {
    assert.doesNotThrow(() => condition(`[m] =~ ${r}`), r);
  }
});

test('errors: location, reason and excerpt', () => {
  const cases: Array<[string, number, number, RegExp]> = [
    ['filter {\n  mutate {\n    add_tag "x"\n  }\n}', 3, 13, /expected "=>" after setting name "add_tag"/],
    ['filter { m { a => "abc } }', 1, 19, /unterminated string started at 1:19/],
    ['filter { m { } } }', 1, 18, /unexpected "}"/],
    ['filter { else { } }', 1, 10, /"else" without a preceding "if"/],
    ['input { if [a] { } }', 1, 9, /not allowed in the "input" section/],
    ['filter { if [a] =~ /[/ { } }', 1, 20, /invalid regular expression/],
    ['filter { if a == 1 { } }', 1, 13, /brackets/],
    ['filter { if [a] == 1 { } else { } else { } }', 1, 35, /"else" without a preceding "if"/],
    ['filter {\n  m {', 2, 6, /missing "}" to close plugin "m" opened at 2:5/],
    ['filter { if [a] == 1 { m {} }', 1, 30, /missing "}" to close the "filter" section opened at 1:1/],
    ['filter { if [a] and { } }', 1, 21, /expected a field reference/],
    ['filter { if { } }', 1, 13, /expected a field reference/],
    ['output { if [a] { } else if { } }', 1, 29, /expected a field reference/],
  ];
  for (const [text, line, column, reason] of cases) {
    assert.throws(() => parse(text), (e: unknown) => {
      assert.ok(e instanceof ConfigError, text);
      assert.deepEqual(e.location, { file: 't.conf', line, column }, `${text} -> ${e.message}`);
      assert.match(e.reason, reason, text);
      const caretLine = e.excerpt!.split('\n')[1]!;
      const gutter = `${line} | `.length;
      assert.equal(caretLine.indexOf('^'), gutter + column - 1, 'caret under the column');
      return true;
    });
  }
});

test('hints for common mistakes', () => {
  assert.throws(() => parse('filter { if [a] { } elsif [b] { } }'), (e: unknown) =>
    e instanceof ConfigError && e.hint === 'write "else if"');
  assert.throws(() => parse('filter { elseif [b] { } }'), (e: unknown) =>
    e instanceof ConfigError && e.hint === '"elseif" must follow the "}" of an "if" block');
  assert.throws(() => parse('filter { if type == "x" { } }'), (e: unknown) =>
    e instanceof ConfigError && e.hint === 'write [type]' && e.message.includes('hint: write [type]'));
  assert.throws(() => parse('filter { if ![a] == 1 { } }'), (e: unknown) =>
    e instanceof ConfigError && /!\(\[field\] == "x"\)/.test(e.hint ?? ''));
});

test('a 5,000-line config parses every conditional', () => {
  const block = [
    '  if [type] == "t%d" and "x" in [tags] {',
    '    grok { match => { "message" => "%{IP:ip} %{WORD:w}" } tag_on_failure => ["_f%d"] }',
    '    mutate { add_field => { "a" => "b" "c" => "d" } remove_field => ["x", "y"] }',
    '  } else if [n] >= %d or [m] =~ /^v%d/ {',
    '    drop { }',
    '  }',
    '  # comment %d',
    '',
  ];
  const lines = ['filter {'];
  for (let i = 0; lines.length < 5000; i++) for (const l of block) lines.push(l.replaceAll('%d', String(i)));
  lines.push('}');
  const text = lines.join('\n');
  const ast = parse(text);
  assert.equal(ast.sections[0]!.body.length, Math.ceil((lines.length - 2) / block.length));
});
