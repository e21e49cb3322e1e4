/**
 * A translation as a js filter (`logpipe ruby2js`): the translated body as `code`, and the
 * helpers it calls, printed from helpers.ts itself, as `init`. Where the Ruby code would meet
 * values the translation does not reproduce exactly, the printed helpers throw, and the js
 * filter tags the event (there is no interpreter to hand it to).
 */
import { R } from './helpers.js';
import type { Translation } from './translate.js';

const JS_FALLBACK = "fallback(reason) {\n    throw new Error('ruby2js: ' + reason + ' (outside what the translation reproduces exactly)');\n  }";

/** The helpers `names` need, with the helpers they call in turn, as the source of `var R = {…}`. */
export function helperSource(names: string[]): string {
  const helpers = R as unknown as Record<string, (...args: unknown[]) => unknown>;
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name) || helpers[name] === undefined) return;
    wanted.add(name);
    for (const m of helpers[name].toString().matchAll(/\bR\.([a-zA-Z]+)\(/g)) visit(m[1]!);
  };
  names.forEach(visit);
  visit('fallback');
  const methods = Object.keys(helpers).filter((n) => wanted.has(n)).map((n) => (n === 'fallback' ? JS_FALLBACK : reindent(helpers[n]!.toString())));
  return `var R = {\n  ${methods.join(',\n  ')}\n};`;
}

/** The js filter block for a translation, in config syntax. */
export function jsFilterBlock(translation: Translation, tagOnException: string, indent = ''): string {
  const init = helperSource(translation.helpers);
  // init holds no double quote (helpers.ts is written without), the code no single quote (translate.ts escapes them).
  return [
    `${indent}js {`,
    `${indent}  init => "${init.split('\n').join(`\n${indent}    `)}"`,
    `${indent}  code => '${translation.body.split('\n').join(`\n${indent}    `)}'`,
    `${indent}  tag_on_exception => "${tagOnException}"`,
    `${indent}}`,
  ].join('\n');
}

/** Method source as compiled (indented for its class body) re-indented under `var R = {`. */
function reindent(source: string): string {
  const lines = source.split('\n');
  const inner = lines.slice(1).filter((l) => l.trim() !== '');
  const strip = Math.min(...inner.map((l) => l.length - l.trimStart().length)) - 2;
  return [lines[0], ...lines.slice(1).map((l) => l.slice(Math.max(0, Math.min(strip, l.length - l.trimStart().length))))].join('\n');
}
