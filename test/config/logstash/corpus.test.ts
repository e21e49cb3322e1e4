/**
 * Runs every file of test/config/corpus through the parser. Invalid files
 * declare `# expect-error: LINE:COL fragment`; valid ones declare the section
 * types and the number of plugin statements they contain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../src/core/errors.js';
import { parseConfig } from '../../../src/config/logstash/parser.js';
import type { IfNode, StatementNode } from '../../../src/config/logstash/ast.js';

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

const corpus = path.join(repoRoot(), 'test', 'config', 'corpus');
const list = (sub: string): string[] => readdirSync(path.join(corpus, sub)).filter((f) => f.endsWith('.conf')).sort();

function countPlugins(body: StatementNode[]): number {
  let n = 0;
  for (const s of body) {
    if (s.kind === 'plugin') n++;
    else {
      for (const b of s.branches) n += countPlugins(b.body);
      if (s.elseBody) n += countPlugins(s.elseBody);
    }
  }
  return n;
}

function directive(text: string, name: string): string | undefined {
  const m = new RegExp(`^# ${name}:[ \\t]*(.*)$`, 'm').exec(text);
  return m ? m[1]!.trim() : undefined;
}

test('corpus has enough files', () => {
  assert.ok(list('valid').length >= 30, 'at least 30 valid configs');
  assert.ok(list('invalid').length >= 20, 'at least 20 invalid configs');
});

for (const file of list('valid')) {
  test(`valid: ${file}`, () => {
    const name = path.join('corpus', 'valid', file);
    const text = readFileSync(path.join(corpus, 'valid', file), 'utf8');
    const supportEscapes = directive(text, 'options')?.includes('supportEscapes') ?? false;
    const ast = parseConfig([{ name, text }], { supportEscapes });
    const sections = directive(text, 'expect-sections');
    assert.notEqual(sections, undefined, 'file declares expect-sections');
    assert.deepEqual(ast.sections.map((s) => s.type), sections === '' ? [] : sections!.split(/\s+/));
    const plugins = Number(directive(text, 'expect-plugins'));
    assert.equal(ast.sections.reduce((n, s) => n + countPlugins(s.body), 0), plugins, 'plugin count');
    for (const s of ast.sections) {
      assert.equal(s.location.file, name);
      assert.ok(s.location.line >= 1 && s.location.column >= 1);
    }
    const branches = directive(text, 'expect-branches');
    if (branches) {
      const [count, hasElse] = branches.split(/\s+/);
      const ifNode = ast.sections[0]!.body.find((s): s is IfNode => s.kind === 'if')!;
      assert.equal(ifNode.branches.length, Number(count));
      assert.equal(ifNode.elseBody !== undefined, hasElse === 'else');
    }
    const settings = directive(text, 'expect-settings');
    if (settings) {
      const first = ast.sections[0]!.body[0]!;
      assert.equal(first.kind, 'plugin');
      if (first.kind === 'plugin') assert.equal(first.settings.length, Number(settings));
    }
  });
}

for (const file of list('invalid')) {
  test(`invalid: ${file}`, () => {
    const name = path.join('corpus', 'invalid', file);
    const text = readFileSync(path.join(corpus, 'invalid', file), 'utf8');
    const m = /^# expect-error: (\d+):(\d+) (.+)$/m.exec(text);
    assert.ok(m, 'file declares expect-error');
    const [, line, column, fragment] = m;
    assert.throws(() => parseConfig([{ name, text }]), (err: unknown) => {
      assert.ok(err instanceof ConfigError, `ConfigError expected, got ${String(err)}`);
      assert.deepEqual(err.location, { file: name, line: Number(line), column: Number(column) }, err.message);
      assert.ok(err.reason.includes(fragment!), `reason "${err.reason}" should contain "${fragment}"`);
      assert.ok(err.excerpt && err.excerpt.includes('^'), 'has a caret excerpt');
      assert.ok(err.message.startsWith(`${name}:${line}:${column}: `));
      return true;
    });
  });
}
