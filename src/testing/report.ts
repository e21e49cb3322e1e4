/** How `logpipe test` shows results: a line per case, field-by-field differences, JUnit XML. */
import { relative } from 'node:path';
import type { CaseResult } from './runner.js';
import type { FieldDifference } from './compare.js';

export interface Style {
  red(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

export const plain: Style = { red: (s) => s, green: (s) => s, dim: (s) => s };
export const ansi: Style = {
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  green: (s) => `\x1b[32m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
};

/** A path relative to the working directory when it is below it, else as given. */
const shortPath = (path: string, cwd: string): string => {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
};

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function describeDifference(d: FieldDifference, style: Style = plain): string {
  switch (d.kind) {
    case 'missing':
      return `${d.field}: missing; expected ${style.green(show(d.expected))}`;
    case 'unexpected':
      return `${d.field}: not expected; got ${style.red(show(d.actual))}`;
    case 'changed': {
      const types = typeOf(d.expected) !== typeOf(d.actual) ? ` (${typeOf(d.expected)} vs ${typeOf(d.actual)})` : '';
      return `${d.field}: expected ${style.green(show(d.expected))}, got ${style.red(show(d.actual))}${types}`;
    }
  }
}

/** The explanation of one failed case, several lines, indented. */
export function failureText(r: CaseResult, style: Style = plain): string {
  const lines: string[] = [];
  if (r.problem) lines.push(r.problem);
  for (const m of r.mismatches) {
    lines.push(`event ${m.index + 1}:`);
    for (const d of m.differences) lines.push(`  ${describeDifference(d, style)}`);
  }
  if (r.problem && r.actual.length !== r.expected.length) {
    for (let i = r.expected.length; i < r.actual.length; i++) lines.push(`extra event ${i + 1}: ${style.red(JSON.stringify(r.actual[i]))}`);
    for (let i = r.actual.length; i < r.expected.length; i++) lines.push(`missing event ${i + 1}: ${style.green(JSON.stringify(r.expected[i]))}`);
  }
  return lines.join('\n');
}

export function textReport(results: CaseResult[], style: Style = plain, cwd = process.cwd()): string {
  const out: string[] = [];
  for (const r of results) {
    const label = `${shortPath(r.suite, cwd)} › ${r.name}`;
    out.push(`${r.passed ? style.green('PASS') : style.red('FAIL')} ${label} ${style.dim(`(${r.durationMs.toFixed(0)} ms)`)}`);
    if (!r.passed) out.push(failureText(r, style).replace(/^/gm, '    '));
  }
  const failed = results.filter((r) => !r.passed).length;
  out.push('');
  out.push(`${results.length - failed} passed, ${failed} failed, ${results.length} total`);
  return out.join('\n') + '\n';
}

/** JUnit XML as CI servers read it: one <testsuite> per test file, one <testcase> per case. */
export function junitReport(results: CaseResult[], cwd = process.cwd()): string {
  const bySuite = new Map<string, CaseResult[]>();
  for (const r of results) bySuite.set(r.suite, [...(bySuite.get(r.suite) ?? []), r]);
  const secs = (ms: number): string => (ms / 1000).toFixed(3);
  const total = results.reduce((s, r) => s + r.durationMs, 0);
  const failures = results.filter((r) => !r.passed).length;
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="logpipe test" tests="${results.length}" failures="${failures}" time="${secs(total)}">`];
  for (const [suite, cases] of bySuite) {
    const name = xml(shortPath(suite, cwd));
    const time = cases.reduce((s, r) => s + r.durationMs, 0);
    out.push(`  <testsuite name="${name}" tests="${cases.length}" failures="${cases.filter((r) => !r.passed).length}" errors="0" time="${secs(time)}">`);
    for (const r of cases) {
      const open = `    <testcase classname="${name}" name="${xml(r.name)}" time="${secs(r.durationMs)}"`;
      if (r.passed) {
        out.push(`${open}/>`);
      } else {
        const text = failureText(r);
        out.push(`${open}>`, `      <failure message="${xml(text.split('\n')[0] ?? '')}">${xml(text)}</failure>`, '    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** Escapes text for XML attributes and content; characters XML 1.0 cannot hold become U+FFFD. */
export function xml(s: string): string {
  return s
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
