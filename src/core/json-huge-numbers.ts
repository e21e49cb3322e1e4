/**
 * JSON numbers beyond the double range (`1e400`, a 400-digit integer) become
 * Infinity in JSON.parse and `null` when written again: the value would be lost
 * without a word. Logstash keeps them (as BigDecimal/BigInteger); we cannot, so
 * such a number is kept as its literal text — a string — and reported.
 */

/** Cheap pre-check: only text with a 3-digit exponent or a 309-digit run can overflow a double. */
const MAY_OVERFLOW = /[eE][+]?\d{3}|\d{309}/;

/** JSON.parse, except that numbers beyond the double range are kept as their text; `onHuge` hears of each. */
export function parseJsonKeepingHugeNumbers(text: string, onHuge?: (literal: string) => void): unknown {
  const parsed: unknown = JSON.parse(text);
  if (!MAY_OVERFLOW.test(text)) return parsed;
  const rewritten = quoteHugeNumbers(text, onHuge);
  return rewritten === text ? parsed : JSON.parse(rewritten);
}

/** Valid JSON text with every number token that overflows a double turned into a JSON string. */
function quoteHugeNumbers(text: string, onHuge?: (literal: string) => void): string {
  let out = '';
  let copiedTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < n && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i++;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const literal = text.slice(start, i);
      if (!Number.isFinite(Number(literal))) {
        onHuge?.(literal);
        out += text.slice(copiedTo, start) + '"' + literal + '"';
        copiedTo = i;
      }
    } else {
      i++;
    }
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}
