/**
 * Ruby (Onigmo) regular expressions, as written in Logstash configs
 * (conditionals, mutate gsub, kv, prune...), translated to JavaScript once at
 * config load so nothing on the event path deals with the differences.
 *
 * Exact rewrites:
 *  - `^` / `$` are always line anchors in Ruby: the JS regex always gets `m`;
 *    `\A`, `\z`, `\Z` become look-arounds for the string ends;
 *  - `.` never matches `\n` only (JS also stops at `\r`, U+2028/9); Ruby's
 *    `(?m)` is dot-all (a leading one becomes the JS `s` flag);
 *  - a leading `(?i)` becomes the `i` flag; `(?m)`, `(?x)`, `(?-m)`... later in
 *    the pattern and scoped `(?m:...)` apply to their group only;
 *  - `(?x)` extended mode (blanks and `#` comments dropped outside classes),
 *    `(?#comment)`;
 *  - `\h` `\H` (hex digit), `\a` `\e`, `\x{HHHH}`, `\R`, `\k'name'`,
 *    `(?'name'...)`, `{,n}`, a quantifier on a quantifier (`a{2}+` is
 *    `(?:a{2})+` in Ruby);
 *  - POSIX brackets (`[[:alpha:]]`, ASCII ranges) and nested classes (union);
 *  - atomic groups `(?>X)` and possessive `X*+` `X++` `X?+` become
 *    `(?:(?=(X))\N)`, which has exactly their no-backtracking semantics.
 *    The helper capture would renumber the groups after it, so a capturing
 *    group after (or inside) an atomic group or possessive quantifier is
 *    rejected rather than silently shifting `\1`-style references.
 *
 * Rejected with a SyntaxError (a configuration error upstream), because
 * JavaScript cannot express them or would silently read them differently:
 * case-insensitivity that does not cover the whole pattern (`a(?i)b`,
 * `(?i:...)`), `\p{...}`, `\G`, `\K`, `\X`, `\g<...>`, negated POSIX
 * brackets, class intersection `&&`, negated nested classes, conditionals and
 * absent groups. Known remaining difference: JS `^`/`$` (flag m) also see `\r`
 * and U+2028/9 as line ends, Ruby only `\n`.
 */

export interface TranslatedRegex {
  source: string;
  flags: string;
}

/**
 * POSIX bracket expressions as JS class contents, as Ruby's regex engine reads them on
 * UTF-8 text: Unicode classes (`[[:alpha:]]` matches "é" and "日"), while `\w`, `\d`
 * stay ASCII as in Ruby. Our regexes have no `u` flag (it would change other escapes),
 * so a Unicode class is spelled as its ranges within the Basic Multilingual Plane
 * (characters beyond it are not matched), computed on first use. Also used by grok.
 */
export const POSIX_CLASSES: Readonly<Record<string, string>> = Object.create(null) as Record<string, string>; // no prototype: [[:constructor:]] must not find Object's

const ASCII_POSIX: Record<string, string> = {
  space: '\\s',
  xdigit: '0-9a-fA-F',
  ascii: '\\x00-\\x7f',
};
const UNICODE_POSIX: Record<string, RegExp> = {
  alpha: /\p{Alphabetic}/u,
  digit: /\p{Nd}/u,
  alnum: /[\p{Alphabetic}\p{Nd}]/u,
  upper: /\p{Uppercase}/u,
  lower: /\p{Lowercase}/u,
  blank: /[\p{Zs}\t]/u,
  punct: /[\p{P}$+<=>^`|~]/u,
  word: /[\p{L}\p{M}\p{Nd}\p{Pc}]/u,
  cntrl: /\p{Cc}/u,
  graph: /[^\p{White_Space}\p{Cc}\p{Cn}\p{Cs}]/u,
  print: /[^\p{White_Space}\p{Cc}\p{Cn}\p{Cs}]|\p{Zs}/u,
};
for (const [name, text] of Object.entries(ASCII_POSIX)) Object.defineProperty(POSIX_CLASSES, name, { value: text, enumerable: true });
for (const [name, test] of Object.entries(UNICODE_POSIX)) {
  let cached: string | undefined;
  Object.defineProperty(POSIX_CLASSES, name, { enumerable: true, get: () => (cached ??= bmpRanges(test)) });
}

/** The BMP characters (surrogates excluded) matching `test`, as JS class ranges. */
function bmpRanges(test: RegExp): string {
  const hex = (c: number): string => `\\u${c.toString(16).padStart(4, '0')}`;
  let out = '';
  let start = -1;
  for (let c = 0; c <= 0x10000; c++) {
    const inside = c < 0xd800 || (c > 0xdfff && c < 0x10000) ? test.test(String.fromCharCode(c)) : false;
    if (inside && start < 0) start = c;
    else if (!inside && start >= 0) {
      out += c - 1 > start ? `${hex(start)}-${hex(c - 1)}` : hex(start);
      start = -1;
    }
  }
  return out;
}

/** `\H` inside a class: everything but the hex digits, as ranges. */
const NOT_HEX_RANGES = '\\x00-\\x2f\\x3a-\\x40\\x47-\\x60\\x67-\\uffff';

interface Frame {
  /** Emitted at the closing paren. */
  close: string;
  /** Output offset of the group's opening (the atom a quantifier after `)` repeats). */
  start: number;
  dotAll: boolean;
  extended: boolean;
}

/** Rewrites a Ruby regex source into a JavaScript source and flags; throws SyntaxError. */
export function translateRubyRegex(pattern: string): TranslatedRegex {
  const fail = (reason: string): never => {
    throw new SyntaxError(`Invalid regular expression: /${pattern}/: ${reason}`);
  };
  // Ruby's ^ and $ always match at line boundaries: that is JS's `m` flag.
  let flags = 'm';
  let ignoreCase = false;
  let globalDotAll = false;
  let dotAll = false;
  let extended = false;
  let out = '';
  let i = 0;
  const n = pattern.length;
  const frames: Frame[] = [];
  /** Output offsets where capturing groups (user or helper) open, in order. */
  const captures: number[] = [];
  let helperUsed = false;
  /** Output offset of the last complete atom, -1 when there is none to repeat. */
  let atomStart = -1;
  /** The output ends with a quantifier (so another one needs a group). */
  let quantified = false;

  const openCapture = (): void => {
    if (helperUsed) {
      fail('a capturing group after an atomic group or possessive quantifier is not supported (JavaScript would renumber the groups)');
    }
    captures.push(out.length);
  };
  /** Makes the atom at atomStart..end atomic: (?:(?=(X))\N). */
  const wrapAtomic = (): void => {
    let before = 0;
    for (const p of captures) {
      if (p >= atomStart) fail('a capturing group inside a possessive quantifier is not supported (JavaScript would renumber the groups)');
      before++;
    }
    const group = before + 1;
    captures.push(atomStart);
    helperUsed = true;
    out = `${out.slice(0, atomStart)}(?:(?=(${out.slice(atomStart)}))\\${group})`;
  };
  const setFlags = (spec: string, scoped: boolean): void => {
    let on = true;
    for (const c of spec) {
      if (c === '-') on = false;
      else if (c === 'm') dotAll = on;
      else if (c === 'x') extended = on;
      else if (c === 'i') {
        if (on === ignoreCase) continue;
        // Only a case-insensitivity that covers the whole pattern maps to the JS flag.
        if (on && !scoped && out === '' && frames.length === 0) {
          ignoreCase = true;
          flags += 'i';
        } else {
          fail('case-insensitivity for part of a pattern ((?i) after the start, (?i:...), (?-i)) is not supported');
        }
      } else fail(`unsupported inline option "${c}"`);
    }
  };

  while (i < n) {
    const c = pattern[i]!;
    if (extended) {
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
      if (c === '#') {
        const nl = pattern.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
        continue;
      }
    }
    const wasQuantified: boolean = quantified;
    quantified = false;
    switch (c) {
      case '\\': {
        const len = escapeLength(pattern, i, fail);
        atomStart = out.length;
        out += translateEscape(pattern, i, len, false, fail);
        i += len;
        break;
      }
      case '[': {
        atomStart = out.length;
        const r = translateRubyClass(pattern, i, fail);
        out += r.text;
        i = r.end;
        break;
      }
      case '.':
        atomStart = out.length;
        out += dotAll ? (globalDotAll ? '.' : '[\\s\\S]') : '[^\\n]';
        i++;
        break;
      case '(': {
        const start = out.length;
        const push = (close: string): void => {
          frames.push({ close, start, dotAll, extended });
          atomStart = -1; // nothing inside the new group to repeat yet
        };
        if (pattern[i + 1] !== '?') {
          openCapture();
          out += '(';
          push(')');
          i++;
          break;
        }
        const d = pattern[i + 2];
        if (d === '#') {
          const end = pattern.indexOf(')', i);
          if (end < 0) fail('end pattern in group');
          i = end + 1;
          quantified = wasQuantified; // a comment is not an atom
          break;
        }
        if (d === ':' || d === '=' || d === '!') {
          out += pattern.slice(i, i + 3);
          push(')');
          i += 3;
          break;
        }
        if (d === '>') {
          const group = captures.length + 1;
          captures.push(out.length);
          helperUsed = true;
          out += '(?:(?=(';
          push(`))\\${group})`);
          i += 3;
          break;
        }
        if (d === '<' && (pattern[i + 3] === '=' || pattern[i + 3] === '!')) {
          out += pattern.slice(i, i + 4);
          push(')');
          i += 4;
          break;
        }
        if (d === '<' || d === "'") {
          const end = pattern.indexOf(d === '<' ? '>' : "'", i + 3);
          if (end < 0) fail('invalid group name');
          const name = pattern.slice(i + 3, end);
          if (!/^[A-Za-z_]\w*$/.test(name)) fail(`invalid group name <${name}>`);
          openCapture();
          out += `(?<${name}>`;
          push(')');
          i = end + 1;
          break;
        }
        const m = /^\(\?([imx-]*)([):])/.exec(pattern.slice(i, i + 16));
        if (!m) fail(`unsupported group syntax near "${pattern.slice(i, i + 8)}"`);
        if (m![2] === ')') {
          // (?imx-imx) lasts to the end of the enclosing group.
          const wasEmpty = out === '' && frames.length === 0;
          setFlags(m![1]!, false);
          if (wasEmpty && dotAll && !globalDotAll) {
            globalDotAll = true;
            flags += 's';
          }
          i += m![0].length;
          atomStart = -1;
          break;
        }
        push(')');
        setFlags(m![1]!, true);
        out += '(?:';
        i += m![0].length;
        break;
      }
      case ')': {
        const f = frames.pop();
        if (!f) fail('unmatched close parenthesis');
        out += f!.close;
        dotAll = f!.dotAll;
        extended = f!.extended;
        atomStart = f!.start;
        i++;
        break;
      }
      case '*': case '+': case '?': {
        if (atomStart < 0) fail('target of repeat operator is not specified');
        if (wasQuantified) out = `${out.slice(0, atomStart)}(?:${out.slice(atomStart)})`;
        let q = c;
        i++;
        if (pattern[i] === '?') {
          q += '?';
          i++;
        } else if (pattern[i] === '+') {
          i++;
          out += q;
          wrapAtomic();
          quantified = true;
          break;
        }
        out += q;
        quantified = true;
        break;
      }
      case '{': {
        const m = /^\{(\d*)(,?)(\d*)\}/.exec(pattern.slice(i, i + 24));
        if (m && (m[1] !== '' || m[3] !== '') && !(m[2] === '' && m[1] === '')) {
          if (atomStart < 0) fail('target of repeat operator is not specified');
          if (wasQuantified) out = `${out.slice(0, atomStart)}(?:${out.slice(atomStart)})`;
          out += m[1] === '' ? `{0,${m[3]}}` : m[0];
          i += m[0].length;
          if (pattern[i] === '?') { out += '?'; i++; }
          quantified = true;
        } else {
          atomStart = out.length;
          out += '\\{';
          i++;
        }
        break;
      }
      case '^': case '$': case '|':
        atomStart = -1;
        out += c;
        i++;
        break;
      default:
        atomStart = out.length;
        out += c;
        i++;
    }
  }
  if (frames.length > 0) fail('end pattern with unmatched parenthesis');
  return { source: out, flags };
}

/**
 * Compiles a Ruby regex for JavaScript; `extraFlags` adds e.g. `g`. Throws a
 * SyntaxError naming the Ruby pattern when JavaScript cannot express it.
 */
export function compileRubyRegex(pattern: string, extraFlags = ''): RegExp {
  const t = translateRubyRegex(pattern);
  try {
    return new RegExp(t.source, t.flags + extraFlags);
  } catch (e) {
    // V8's message quotes the translated source; users wrote the Ruby one.
    const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    throw new SyntaxError(`Invalid regular expression: /${pattern}/: ${reason}`);
  }
}

function escapeLength(s: string, i: number, fail: (reason: string) => never): number {
  const c = s[i + 1];
  if (c === undefined) fail('too short escape sequence');
  if ((c === 'x' || c === 'p' || c === 'P') && s[i + 2] === '{') {
    const end = s.indexOf('}', i);
    if (end < 0) fail('invalid escape sequence');
    return end - i + 1;
  }
  if ((c === 'k' || c === 'g') && (s[i + 2] === '<' || s[i + 2] === "'")) {
    const end = s.indexOf(s[i + 2] === '<' ? '>' : "'", i + 3);
    if (end < 0) fail('invalid backref name');
    return end - i + 1;
  }
  return 2;
}

function translateEscape(s: string, i: number, len: number, inClass: boolean, fail: (reason: string) => never): string {
  const c = s[i + 1]!;
  switch (c) {
    case 'h': return inClass ? '0-9a-fA-F' : '[0-9a-fA-F]';
    case 'H': return inClass ? NOT_HEX_RANGES : '[^0-9a-fA-F]';
    case 'a': return '\\x07';
    case 'e': return '\\x1b';
    case 'A': case 'z': case 'Z': case 'R':
      if (inClass) break;
      if (c === 'A') return '(?<![\\s\\S])';
      if (c === 'z') return '(?![\\s\\S])';
      if (c === 'Z') return '(?=\\n?(?![\\s\\S]))';
      return '(?:\\r\\n|[\\n\\v\\f\\r\\x85\\u2028\\u2029])';
    case 'x':
      if (len > 2) {
        const hex = s.slice(i + 3, i + len - 1);
        const cp = /^[0-9a-fA-F]{1,8}$/.test(hex) ? parseInt(hex, 16) : NaN;
        if (!(cp <= 0xffff)) fail(`\\x{${hex}} beyond U+FFFF is not supported`);
        return `\\u${cp.toString(16).padStart(4, '0')}`;
      }
      break;
    case 'k':
      if (inClass) fail('a back-reference inside a character class is not supported');
      // \k'name' is Ruby's other spelling of \k<name>.
      if (len > 2) return `\\k<${s.slice(i + 3, i + len - 1)}>`;
      break;
    case 'p': case 'P': case 'G': case 'K': case 'X': case 'g':
      // JavaScript (without the u flag) would read these as plain letters.
      fail(`\\${c} is not supported`);
  }
  return s.slice(i, i + len);
}

/**
 * Translates a Ruby bracket class starting at s[i] === '[' (POSIX brackets,
 * nested classes as unions, \h \H...); returns the JS class and the index
 * past it. `fail` raises the caller's error type. Also used by grok.
 */
export function translateRubyClass(s: string, i: number, fail: (reason: string) => never): { text: string; end: number } {
  const r = classBody(s, i, fail);
  return { text: `[${r.negated ? '^' : ''}${r.body}]`, end: r.end };
}

function classBody(s: string, i: number, fail: (reason: string) => never): { body: string; negated: boolean; end: number } {
  let j = i + 1;
  let negated = false;
  if (s[j] === '^') { negated = true; j++; }
  let body = '';
  // A leading "]" is a literal in Ruby.
  if (s[j] === ']') { body += '\\]'; j++; }
  while (j < s.length) {
    const c = s[j]!;
    if (c === ']') return { body, negated, end: j + 1 };
    if (c === '\\') {
      const len = escapeLength(s, j, fail);
      body += translateEscape(s, j, len, true, fail);
      j += len;
      continue;
    }
    if (c === '[') {
      if (s[j + 1] === ':') {
        const end = s.indexOf(':]', j + 2);
        const name = end < 0 ? '' : s.slice(j + 2, end);
        if (name.startsWith('^')) fail(`negated POSIX bracket [:${name}:] is not supported`);
        const exp = POSIX_CLASSES[name];
        if (exp === undefined) fail(`invalid POSIX bracket type [:${name}:]`);
        body += exp;
        j = end + 2;
        continue;
      }
      // Ruby nests classes: [a-z[0-9]] is the union.
      const inner = classBody(s, j, fail);
      if (inner.negated) fail('negated nested character classes are not supported');
      body += inner.body;
      j = inner.end;
      continue;
    }
    if (c === '&' && s[j + 1] === '&') fail('character class intersection (&&) is not supported');
    body += c;
    j++;
  }
  return fail('premature end of char-class');
}
