/**
 * RFC 5424 message parser: `<PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
 * SP STRUCTURED-DATA [SP MSG]`. Strict about the structure (a line that is not a 5424 message
 * returns undefined, so the caller can treat it as RFC 3164 / grok input), lenient about field
 * lengths (real senders exceed them). Hand-written: one pass over the string, no regexp
 * backtracking, escapes in SD-PARAM values undone (`\"`, `\\`, `\]`).
 */

/** SD-ID → parameter name → value (a repeated parameter becomes an array of its values). */
export type StructuredData = Record<string, Record<string, string | string[]>>;

export interface Rfc5424Message {
  priority: number;
  version: number;
  /** The TIMESTAMP text (RFC 3339), undefined for the nil value "-". */
  timestamp?: string;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  /** Undefined for the nil value "-". */
  structuredData?: StructuredData;
  /** The MSG part, without a leading UTF-8 BOM; "" when absent. */
  message: string;
}

const SP = 0x20;

/** Parses one message; undefined when `text` is not an RFC 5424 message. */
export function parseRfc5424(text: string): Rfc5424Message | undefined {
  if (text.charCodeAt(0) !== 0x3c /* < */) return undefined;
  let i = 1;
  let priority = 0;
  const priStart = i;
  while (i < text.length && i - priStart < 3 && isDigit(text.charCodeAt(i))) priority = priority * 10 + (text.charCodeAt(i++) - 48);
  if (i === priStart || text.charCodeAt(i) !== 0x3e /* > */ || priority > 191) return undefined;
  i++;
  // VERSION: a non-zero digit, then up to two digits, then SP.
  if (!isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 48) return undefined;
  let version = 0;
  const versionStart = i;
  while (i < text.length && i - versionStart < 3 && isDigit(text.charCodeAt(i))) version = version * 10 + (text.charCodeAt(i++) - 48);
  if (text.charCodeAt(i) !== SP) return undefined;
  i++;

  // TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID: printable tokens, "-" for nil.
  const header: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  for (let field = 0; field < 5; field++) {
    let end = i;
    for (;;) {
      if (end >= text.length) return undefined;
      const c = text.charCodeAt(end);
      if (c === SP) break;
      if (c < 33 || c > 126) return undefined; // PRINTUSASCII only
      end++;
    }
    if (end === i) return undefined; // missing field, or two spaces in a row
    if (!(end - i === 1 && text.charCodeAt(i) === 0x2d)) header[field] = text.slice(i, end);
    i = end + 1;
  }

  let structuredData: StructuredData | undefined;
  if (text.charCodeAt(i) === 0x2d /* - */) {
    i++;
  } else {
    const parsed = parseStructuredData(text, i);
    if (!parsed) return undefined;
    structuredData = parsed.data;
    i = parsed.end;
  }
  let message = '';
  if (i < text.length) {
    if (text.charCodeAt(i) !== SP) return undefined;
    message = text.slice(i + 1);
    if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  }
  const parsed: Rfc5424Message = { priority, version, message };
  if (header[0] !== undefined) parsed.timestamp = header[0];
  if (header[1] !== undefined) parsed.hostname = header[1];
  if (header[2] !== undefined) parsed.appName = header[2];
  if (header[3] !== undefined) parsed.procId = header[3];
  if (header[4] !== undefined) parsed.msgId = header[4];
  if (structuredData !== undefined) parsed.structuredData = structuredData;
  return parsed;
}

/** One or more SD-ELEMENTs starting at `start` ("["); their data and the index after the last "]". */
function parseStructuredData(text: string, start: number): { data: StructuredData; end: number } | undefined {
  const data: StructuredData = {};
  let i = start;
  if (text.charCodeAt(i) !== 0x5b /* [ */) return undefined;
  while (text.charCodeAt(i) === 0x5b) {
    i++;
    const idEnd = nameEnd(text, i);
    if (idEnd === i) return undefined;
    const id = text.slice(i, idEnd);
    i = idEnd;
    const params = (data[id] ??= {});
    while (text.charCodeAt(i) === SP) {
      i++;
      const end = nameEnd(text, i);
      if (end === i || text.charCodeAt(end) !== 0x3d /* = */ || text.charCodeAt(end + 1) !== 0x22 /* " */) return undefined;
      const name = text.slice(i, end);
      i = end + 2;
      let value = '';
      let runStart = i;
      for (;;) {
        if (i >= text.length) return undefined; // unterminated value
        const c = text.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x5c /* \ */) {
          const next = text.charCodeAt(i + 1);
          if (next === 0x22 || next === 0x5c || next === 0x5d) {
            value += text.slice(runStart, i);
            runStart = i + 1; // keep the escaped character, drop the backslash
            i += 2;
            continue;
          }
        }
        i++;
      }
      value += text.slice(runStart, i);
      i++; // closing quote
      const previous = params[name];
      params[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
    }
    if (text.charCodeAt(i) !== 0x5d /* ] */) return undefined;
    i++;
  }
  return { data, end: i };
}

/** End of an SD-NAME: printable US-ASCII except "=", SP, "]" and '"'. */
function nameEnd(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c <= SP || c > 0x7e || c === 0x3d || c === 0x5d || c === 0x22) break;
    i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

