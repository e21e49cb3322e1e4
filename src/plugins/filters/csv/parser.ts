/**
 * One CSV row, parsed like Ruby's `CSV.parse_line` (non-liberal): a field that
 * starts with the quote character runs to the matching quote, a doubled quote
 * is a literal quote, separators and line breaks inside quotes are data. A
 * quote inside an unquoted field, text after a closing quote, or an unclosed
 * quote is malformed. Unquoted empty fields are null, quoted empty ones "".
 * Only the first row is returned (the text stops at the first unquoted line break).
 */

export class MalformedCsvError extends Error {
  override name = 'MalformedCsvError';
}

/** Returns null for empty input (Ruby returns nil), else the row's fields. */
export function parseCsvLine(text: string, sep: string, quote: string): Array<string | null> | null {
  const len = text.length;
  if (len === 0) return null;
  const out: Array<string | null> = [];
  const sepLen = sep.length;
  const sep0 = sep.charCodeAt(0);
  const quote0 = quote === '' ? -1 : quote.charCodeAt(0);
  let i = 0;
  if (isRowEnd(text, 0)) return out;
  for (;;) {
    if (text.charCodeAt(i) === quote0) {
      // Quoted field.
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf(quote, from);
        if (q === -1) throw new MalformedCsvError(`Unclosed quoted field in line 1.`);
        value += text.slice(from, q);
        if (text.charCodeAt(q + 1) === quote0) {
          value += quote;
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i >= len || isRowEnd(text, i)) return out;
      if (text.charCodeAt(i) === sep0 && text.startsWith(sep, i)) {
        i += sepLen;
        if (i >= len || isRowEnd(text, i)) {
          out.push(null);
          return out;
        }
        continue;
      }
      throw new MalformedCsvError(`Any value after quoted field isn't allowed in line 1.`);
    }
    // Unquoted field: up to the next separator or line break.
    let j = i;
    while (j < len) {
      const c = text.charCodeAt(j);
      if (c === sep0 && (sepLen === 1 || text.startsWith(sep, j))) break;
      if (c === 10 || c === 13) break;
      if (c === quote0) throw new MalformedCsvError(`Illegal quoting in line 1.`);
      j++;
    }
    out.push(j === i ? null : text.slice(i, j));
    if (j >= len || isRowEnd(text, j)) return out;
    i = j + sepLen;
    if (i >= len || isRowEnd(text, i)) {
      out.push(null);
      return out;
    }
  }
}

function isRowEnd(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 10 || c === 13;
}
