/**
 * Ruby regexes as Logstash users write them, compiled to JavaScript:
 *  - `^`/`$` are line anchors in Ruby, hence the `m` flag;
 *  - `\A`, `\z`, `\Z` (string anchors) and `\h`/`\H` (hex digit) are translated,
 *    since JavaScript would silently read them as the letters A, z, h;
 *  - a leading `(?i)` becomes the `i` flag.
 * Anything else JavaScript cannot parse throws (a configuration error upstream).
 */
export function compileRubyRegex(source: string): RegExp {
  let flags = 'm';
  let body = source;
  if (body.startsWith('(?i)')) {
    flags += 'i';
    body = body.slice(4);
  }
  return new RegExp(translate(body), flags);
}

function translate(source: string): string {
  if (!source.includes('\\')) return source;
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const n = source[++i]!;
      if (inClass) {
        out += n === 'h' ? '0-9a-fA-F' : '\\' + n;
      } else if (n === 'A') out += '(?<![\\s\\S])';
      else if (n === 'z') out += '(?![\\s\\S])';
      else if (n === 'Z') out += '(?=\\n?(?![\\s\\S]))';
      else if (n === 'h') out += '[0-9a-fA-F]';
      else if (n === 'H') out += '[^0-9a-fA-F]';
      else out += '\\' + n;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}
