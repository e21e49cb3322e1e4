/**
 * Ruby (Onigmo) regular expressions written in Logstash configs, translated
 * to JavaScript once at create(). Only the cheap, common differences are
 * handled; anything JavaScript cannot express makes `new RegExp` throw, which
 * callers report as a configuration error.
 *
 *  - `^` / `$` are line anchors in Ruby, so the JS regex always gets the `m` flag;
 *    `\A`, `\z`, `\Z` become look-arounds for the string ends.
 *  - `\h` / `\H` (hex digit) and POSIX brackets (`[[:alpha:]]`) are expanded.
 *  - leading inline flags `(?i)`, `(?m)` (Ruby's dot-all), `(?x)` become JS flags.
 *  - atomic groups `(?>…)` become plain groups, possessive quantifiers greedy ones
 *    (same matches in all but pathological cases).
 */

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  xdigit: '0-9a-fA-F',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

export interface TranslatedRegex {
  source: string;
  flags: string;
}

/** Translates Ruby regex source to JS source + flags (always including `m`). */
export function translateRubyRegex(pattern: string): TranslatedRegex {
  let flags = 'm';
  let src = pattern;
  // Leading inline options apply to the whole pattern: (?i), (?mi), (?x)...
  const lead = /^\(\?([imx]+)\)/.exec(src);
  let extended = false;
  if (lead) {
    src = src.slice(lead[0].length);
    if (lead[1]!.includes('i')) flags += 'i';
    if (lead[1]!.includes('m')) flags += 's';
    if (lead[1]!.includes('x')) extended = true;
  }
  let out = '';
  let inClass = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) {
        out += '\\\\';
        break;
      }
      i++;
      if (n === 'h') out += inClass ? '0-9a-fA-F' : '[0-9a-fA-F]';
      else if (n === 'H') out += inClass ? '\\x00-\\x2f\\x3a-\\x40\\x47-\\x60\\x67-\\uffff' : '[^0-9a-fA-F]';
      else if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'z') out += '(?![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?=\\n?(?![\\s\\S]))';
      else out += '\\' + n;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        const name = end === -1 ? undefined : src.slice(i + 2, end);
        if (name !== undefined && POSIX[name] !== undefined) {
          out += POSIX[name];
          i = end + 1;
          continue;
        }
      }
      if (c === '[') {
        // Ruby allows nested classes ([a-z[0-9]]); flatten the common union form.
        inClass++;
        continue;
      }
      if (c === ']') {
        inClass--;
        if (inClass === 0) out += ']';
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = 1;
      out += '[';
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      // A leading "]" is a literal in Ruby.
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?' && src[i + 2] === '>') {
      out += '(?:';
      i += 2;
      continue;
    }
    if ((c === '+') && i > 0 && /[*+?}]/.test(src[i - 1]!) && src[i - 2] !== '\\') {
      continue; // possessive quantifier → greedy
    }
    if (extended) {
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
      if (c === '#') {
        const nl = src.indexOf('\n', i);
        i = nl === -1 ? src.length : nl;
        continue;
      }
    }
    out += c;
  }
  return { source: out, flags };
}

/** Compiles a Ruby regex; `extraFlags` adds e.g. `g`. Throws SyntaxError when JS cannot express it. */
export function compileRubyRegex(pattern: string, extraFlags = ''): RegExp {
  const { source, flags } = translateRubyRegex(pattern);
  return new RegExp(source, flags + extraFlags);
}

/**
 * Translates a Ruby gsub replacement string to a JS replacement string:
 * `\1`..`\9` → `$1`, `\0` / `\&` → `$&`, `\k<name>` → `$<name>`, `` \` `` / `\'` → pre/post,
 * `\\` → `\`, and a literal `$` is escaped as `$$`.
 */
export function rubyReplacement(replacement: string): string {
  if (!replacement.includes('\\') && !replacement.includes('$')) return replacement;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '$') {
      out += '$$';
      continue;
    }
    if (c !== '\\' || i + 1 >= replacement.length) {
      out += c;
      continue;
    }
    const n = replacement[i + 1]!;
    if (n >= '1' && n <= '9') out += '$' + n;
    else if (n === '0' || n === '&') out += '$&';
    else if (n === '`') out += '$`';
    else if (n === "'") out += "$'";
    else if (n === '\\') out += '\\';
    else if (n === 'k' && replacement[i + 2] === '<') {
      const end = replacement.indexOf('>', i + 3);
      if (end === -1) {
        out += '\\k';
      } else {
        out += '$<' + replacement.slice(i + 3, end) + '>';
        i = end - 1;
      }
    } else out += '\\' + n;
    i++;
  }
  return out;
}

/** Ruby's String#capitalize: first character upper-cased, the rest lower-cased. */
export function rubyCapitalize(s: string): string {
  if (s === '') return s;
  const first = s.codePointAt(0)!;
  const len = first > 0xffff ? 2 : 1;
  return s.slice(0, len).toUpperCase() + s.slice(len).toLowerCase();
}

/** Ruby's String#strip: ASCII whitespace and NUL at both ends (not Unicode spaces). */
export function rubyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isRubySpace(s.charCodeAt(start))) start++;
  while (end > start && isRubySpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function isRubySpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0;
}
