/**
 * Ruby String semantics that Logstash plugins inherit (gsub replacement
 * syntax, capitalize, strip, to_i, split) and that differ from the JavaScript
 * built-ins.
 */

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

/** Ruby String#to_i: leading whitespace, sign, digits (single underscores allowed); 0 when none. */
export function rubyToI(s: string): number {
  let i = 0;
  const n = s.length;
  while (i < n && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    if (s[i] === '-') sign = -1;
    i++;
  }
  let value = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
    } else if (c === 95 && digits > 0 && i + 1 < n && s.charCodeAt(i + 1) >= 48 && s.charCodeAt(i + 1) <= 57) {
      continue;
    } else break;
  }
  return digits === 0 ? 0 : sign * value;
}

/** Ruby's split-on-" " white space (rb_isspace): ASCII only, no NUL. */
const AWK_LEADING = /^[ \t\n\v\f\r]+/;
const AWK_RUNS = /[ \t\n\v\f\r]+/;

/**
 * Ruby's String#split with a string separator: a single space splits on runs
 * of white space ignoring leading white space (awk mode), "" splits into
 * characters, and an empty string gives no pieces. Trailing empty pieces are
 * dropped, as with Ruby's default limit, unless `keepTrailing` (limit -1).
 */
export function rubySplit(value: string, separator: string, keepTrailing = false): string[] {
  if (value === '') return [];
  let parts: string[];
  if (separator === ' ') {
    const trimmed = value.replace(AWK_LEADING, '');
    if (trimmed === '') return [];
    parts = trimmed.split(AWK_RUNS);
  } else if (separator === '') {
    parts = Array.from(value);
    if (keepTrailing) parts.push('');
    return parts;
  } else {
    parts = value.split(separator);
  }
  if (keepTrailing) return parts;
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  return end === parts.length ? parts : parts.slice(0, end);
}
