/**
 * Oniguruma (Ruby syntax, as Logstash's Joni runs it) → V8 Irregexp.
 *
 * Exact rewrites:
 *  - atomic groups (?>X) and possessive X*+ X++ X?+  →  (?:(?=(X))\N)
 *  - an optional group (X)? / (X)??  →  (?:(X)|) / (?:|(X)), so that an empty match of X
 *    is taken as Oniguruma takes it (ECMAScript's ? refuses an empty iteration)
 *  - POSIX bracket classes [[:alnum:]] (ASCII), nested classes (union)
 *  - `.` matches \n too: Logstash's grok (jls-grok) compiles every expression with
 *    Regexp::MULTILINE, Ruby's dot-all; (?-m) turns it off (then `.` excludes only \n)
 *  - ^ $ are line anchors in Ruby syntax (JS flag m); \A \z \Z; \h \H; {,n}
 *  - (?#comments), (?x) extended mode, \x{HHHH}, \k<name>
 * Plain (…) groups become non-capturing (grok never reads them), so the only
 * capturing groups are the captures grok maps and the atomic helpers.
 */

// Bracket classes are translated exactly as in the other Ruby regex translations.
import { translateRubyClass } from '../../../core/ruby-regex.js';

export interface Translation {
  source: string;
  flags: string;
  /** Capture marker id (from the expander) → JS group index. */
  markers: Map<number, number>;
  /** Raw Oniguruma named groups `(?<name>…)` in order: field name and JS group index. */
  named: Array<{ name: string; group: number }>;
}

/** Expanded grok captures are written `(?<\u0001N>` so they can't collide with user names. */
export const MARK = '\u0001';

export class TranslateError extends Error {}

interface Frame {
  /** What to emit at the closing paren. */
  close: string;
  start: number;
  dotAll: boolean;
  extended: boolean;
}

export function translate(input: string): Translation {
  let out = '';
  let i = 0;
  let ignoreCase = false;
  let dotAll = true;
  let extended = false;
  let atomStart = -1;
  let helper = 0;
  const frames: Frame[] = [];
  const n = input.length;

  const readUntil = (end: string): string => {
    const j = input.indexOf(end, i);
    if (j < 0) throw new TranslateError(`unterminated group near position ${i}`);
    const s = input.slice(i, j);
    i = j + end.length;
    return s;
  };

  const applyFlags = (spec: string): void => {
    let on = true;
    for (const c of spec) {
      if (c === '-') on = false;
      else if (c === 'i') { if (on) ignoreCase = true; }
      else if (c === 'm') dotAll = on;
      else if (c === 'x') extended = on;
      else throw new TranslateError(`unsupported inline option "${c}"`);
    }
  };

  while (i < n) {
    const c = input[i]!;
    if (extended && (c === ' ' || c === '\t' || c === '\n' || c === '\r')) { i++; continue; }
    if (extended && c === '#') { const j = input.indexOf('\n', i); i = j < 0 ? n : j + 1; continue; }
    switch (c) {
      case '\\': {
        atomStart = out.length;
        out += translateEscape(input, i);
        i += escapeLength(input, i);
        break;
      }
      case '[': {
        atomStart = out.length;
        const r = translateClass(input, i);
        out += r.text;
        i = r.end;
        break;
      }
      case '.':
        atomStart = out.length;
        // With the `s` flag a bare dot is dot-all; V8 runs it faster than [\s\S].
        out += dotAll ? '.' : '[^\\n]';
        i++;
        break;
      case '(': {
        const start = out.length;
        if (input[i + 1] !== '?') {
          out += '(?:';
          frames.push({ close: ')', start, dotAll, extended });
          i++;
          break;
        }
        const d = input[i + 2];
        if (d === '#') { i += 3; readUntil(')'); break; }
        if (d === ':' || d === '=' || d === '!') {
          out += input.slice(i, i + 3);
          frames.push({ close: ')', start, dotAll, extended });
          i += 3;
          break;
        }
        if (d === '>') {
          const name = `h${helper++}`;
          out += `(?:(?=(?<${name}>`;
          frames.push({ close: `))\\k<${name}>)`, start, dotAll, extended });
          i += 3;
          break;
        }
        if (d === '<' && (input[i + 3] === '=' || input[i + 3] === '!')) {
          out += input.slice(i, i + 4);
          frames.push({ close: ')', start, dotAll, extended });
          i += 4;
          break;
        }
        if (d === '<' || d === "'") {
          i += 3;
          const name = readUntil(d === '<' ? '>' : "'");
          if (name === '') throw new TranslateError('empty group name');
          out += name.startsWith(MARK) ? `(?<m${name.slice(1)}>` : `(?<n${encodeName(name)}>`;
          frames.push({ close: ')', start, dotAll, extended });
          break;
        }
        // Inline options: (?imx-imx) or (?imx-imx:…)
        const m = /^\(\?([imx-]*)(\)|:)/.exec(input.slice(i, i + 12));
        if (!m) throw new TranslateError(`unsupported group syntax near "${input.slice(i, i + 8)}"`);
        if (m[2] === ')') {
          applyFlags(m[1]!); // lasts to the end of the enclosing group
          i += m[0].length;
          break;
        }
        frames.push({ close: ')', start, dotAll, extended });
        applyFlags(m[1]!);
        out += '(?:';
        i += m[0].length;
        break;
      }
      case ')': {
        const f = frames.pop();
        if (!f) throw new TranslateError('unmatched ")"');
        out += f.close;
        dotAll = f.dotAll;
        extended = f.extended;
        atomStart = f.start;
        i++;
        break;
      }
      case '*': case '+': case '?': {
        let q = c;
        i++;
        if (input[i] === '?') { q += '?'; i++; }
        else if (input[i] === '+') {
          // possessive: wrap atom+quantifier in the atomic rewrite
          i++;
          if (atomStart < 0) throw new TranslateError('nothing to repeat');
          const name = `h${helper++}`;
          out = `${out.slice(0, atomStart)}(?:(?=(?<${name}>${out.slice(atomStart)}${q}))\\k<${name}>)`;
          break;
        }
        if (c === '?' && atomStart >= 0 && out[atomStart] === '(') {
          // Oniguruma takes an empty match of an optional group: (?<a>.*?)? leaves "" and goes
          // on. ECMAScript refuses a quantifier iteration that matches empty, so the group would
          // eat text instead (pfSense's "(%{DATA:anchor})?," then swallows the next fields).
          // An alternation has no such rule: (?:G|) and (?:|G) are Ruby's G? and G??.
          const group = out.slice(atomStart);
          out = `${out.slice(0, atomStart)}${q === '?' ? `(?:${group}|)` : `(?:|${group})`}`;
          break;
        }
        out += q;
        break;
      }
      case '{': {
        const m = /^\{(\d*),?(\d*)\}/.exec(input.slice(i, i + 24));
        if (m && (m[1] !== '' || m[2] !== '')) {
          out += m[1] === '' ? `{0,${m[2]}}` : m[0];
          i += m[0].length;
          if (input[i] === '?') { out += '?'; i++; }
        } else {
          atomStart = out.length;
          out += '\\{';
          i++;
        }
        break;
      }
      case '}':
        atomStart = out.length;
        out += '\\}';
        i++;
        break;
      case '/':
        atomStart = out.length;
        out += '\\/';
        i++;
        break;
      default:
        atomStart = out.length;
        out += c;
        i++;
    }
  }
  if (frames.length > 0) throw new TranslateError('missing ")"');
  return finish(out, ignoreCase);
}

/** Names can hold brackets ([http][method]); JS group names can't, so they are hex-encoded here and decoded in finish(). */
function encodeName(name: string): string {
  let s = '';
  for (const ch of name) s += ch.codePointAt(0)!.toString(16).padStart(4, '0');
  return s;
}
function decodeName(hex: string): string {
  let s = '';
  for (let k = 0; k < hex.length; k += 4) s += String.fromCodePoint(parseInt(hex.slice(k, k + 4), 16));
  return s;
}

/** Numbers the capturing groups and replaces every name by its number (named groups cost an object per exec). */
function finish(src: string, ignoreCase: boolean): Translation {
  const markers = new Map<number, number>();
  const named: Array<{ name: string; group: number }> = [];
  const helpers = new Map<string, number>();
  let group = 0;
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const k = /^\\k<(h\d+)>/.exec(src.slice(i, i + 16));
      if (k && !inClass) {
        out += `\\${helpers.get(k[1]!)}`;
        i += k[0].length - 1;
        // a backreference followed by a digit would merge with it
        if (/[0-9]/.test(src[i + 1] ?? '')) out += '(?:)';
        continue;
      }
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) { if (c === ']') inClass = false; out += c; continue; }
    if (c === '[') { inClass = true; out += c; continue; }
    if (c === '(' && src[i + 1] === '?' && src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
      const end = src.indexOf('>', i);
      const name = src.slice(i + 3, end);
      group++;
      if (name[0] === 'm') markers.set(Number(name.slice(1)), group);
      else if (name[0] === 'n') named.push({ name: decodeName(name.slice(1)), group });
      else helpers.set(name, group);
      out += '(';
      i = end;
      continue;
    }
    out += c;
  }
  return { source: out, flags: ignoreCase ? 'msi' : 'ms', markers, named };
}

function escapeLength(s: string, i: number): number {
  const c = s[i + 1];
  if (c === undefined) throw new TranslateError('trailing backslash');
  if (c === 'x' && s[i + 2] === '{') return s.indexOf('}', i) - i + 1;
  if (c === 'k' && s[i + 2] === '<') return s.indexOf('>', i) - i + 1;
  return 2;
}

/** An escape outside a bracket class (classes go through translateClass). */
function translateEscape(s: string, i: number): string {
  const c = s[i + 1]!;
  switch (c) {
    case 'h': return '[0-9a-fA-F]';
    case 'H': return '[^0-9a-fA-F]';
    case 'A': return '(?<![\\s\\S])';
    case 'z': return '(?![\\s\\S])';
    case 'Z': return '(?=\\n?(?![\\s\\S]))';
    case 'G': return '';
    case 'x':
      if (s[i + 2] === '{') {
        const hex = s.slice(i + 3, s.indexOf('}', i));
        const cp = parseInt(hex, 16);
        if (!(cp <= 0xffff)) throw new TranslateError(`\\x{${hex}} beyond U+FFFF is not supported`);
        return `\\u${cp.toString(16).padStart(4, '0')}`;
      }
      return '\\x';
    case 'k': throw new TranslateError('named backreferences (\\k<name>) are not supported');
    default:
      return `\\${c}`;
  }
}

/** Translates a bracket class starting at s[i] === '['; returns the JS class and the index past it. */
function translateClass(s: string, i: number): { text: string; end: number } {
  return translateRubyClass(s, i, (reason) => {
    throw new TranslateError(reason);
  });
}
