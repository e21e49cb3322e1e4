/**
 * Logstash conditionals use Ruby (Onigmo) regular expressions; we run them on
 * the JavaScript engine. This module rewrites the cheap, common differences
 * once, at config load, so nothing on the event path deals with them.
 *
 * Handled: `\A`, `\z`, `\Z`, `\h`, `\H`, POSIX classes (`[[:alpha:]]`), a
 * leading `(?imx)` flag group, `(?#comment)`, and Ruby's always-multiline
 * `^`/`$` (the `m` flag). Everything else is passed through; what JavaScript
 * rejects (atomic groups, possessive quantifiers, scoped `(?i:...)`) becomes a
 * config error.
 */

export interface TranslatedRegex {
  source: string;
  flags: string;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9a-fA-F',
  word: '\\w',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

/** Rewrites a Ruby regex source into a JavaScript source and flags. */
export function translateRubyRegex(pattern: string): TranslatedRegex {
  // Ruby's ^ and $ always match at line boundaries: that is JS's `m` flag.
  let flags = 'm';
  let src = pattern;
  const lead = /^\(\?([imx]+)\)/.exec(src);
  let extended = false;
  if (lead) {
    const f = lead[1]!;
    if (f.includes('i')) flags += 'i';
    // Ruby's (?m) is "dot matches newline": JS's `s` flag.
    if (f.includes('m')) flags += 's';
    extended = f.includes('x');
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      i++;
      if (n === undefined) {
        out += '\\\\';
        break;
      }
      if (!inClass) {
        if (n === 'A') { out += '(?<![\\s\\S])'; continue; }
        if (n === 'z') { out += '(?![\\s\\S])'; continue; }
        if (n === 'Z') { out += '(?=\\n?(?![\\s\\S]))'; continue; }
        if (n === 'h') { out += '[0-9a-fA-F]'; continue; }
        if (n === 'H') { out += '[^0-9a-fA-F]'; continue; }
      } else if (n === 'h') {
        out += '0-9a-fA-F';
        continue;
      }
      out += '\\' + n;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        const name = end > 0 ? src.slice(i + 2, end) : '';
        const repl = POSIX_CLASSES[name];
        if (repl !== undefined) {
          out += repl;
          i = end + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A leading "]" or "^]" is literal in both dialects; copy it so it does not close the class.
      if (src[i + 1] === '^') { out += '^'; i++; }
      if (src[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(' && src.startsWith('(?#', i)) {
      const end = src.indexOf(')', i);
      if (end > 0) { i = end; continue; }
    }
    if (extended) {
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
      if (c === '#') {
        const nl = src.indexOf('\n', i);
        i = nl < 0 ? src.length : nl;
        continue;
      }
    }
    out += c;
  }
  return { source: out, flags };
}

/** Compiles a Ruby regex for JavaScript; throws SyntaxError when JS cannot express it. */
export function compileRubyRegex(pattern: string): RegExp {
  const t = translateRubyRegex(pattern);
  return new RegExp(t.source, t.flags);
}
