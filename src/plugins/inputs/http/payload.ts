/** What the http source hands a worker: one request, its body as bytes and what the decoder needs of the rest. */

export interface HttpRequestPayload {
  body: Uint8Array;
  /** The content type without parameters, lower case ('' when the request had none). */
  mimeType: string;
  /** The `charset` parameter of the content type, when given. */
  charset?: string;
  /** Headers in Logstash's form: lower case, `-` → `_`, `http_` before all but content_type/content_length; plus request_method, request_path, http_version. */
  headers: Record<string, string>;
  remoteAddress: string;
}

/** Header name → Logstash's key in `headers` (the Rack/CGI convention its Netty handler follows). */
export function headerKey(name: string): string {
  const key = name.toLowerCase().replace(/-/g, '_');
  return key === 'content_type' || key === 'content_length' ? key : `http_${key}`;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * How many events a JSON body will make, for the queue's event bound and batching: the objects
 * directly inside a top-level array (1 for anything else). One pass over the bytes, no parsing.
 */
export function estimateJsonEvents(body: Uint8Array): number {
  let i = 0;
  while (i < body.length && body[i]! <= 0x20) i++;
  if (body[i] !== OPEN_BRACKET) return 1;
  let depth = 0;
  let count = 0;
  let inString = false;
  for (; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 1 && c === OPEN_BRACE) count++;
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return Math.max(1, count);
}

const COMMA = 0x2c;

/**
 * A top-level JSON array of more than `maxElements` elements, cut into arrays of at most that
 * many (fresh, transferable bytes), so one large request becomes several payloads of bounded
 * work that workers decode in parallel. Undefined when the body is not such an array or its
 * brackets and strings do not balance (the codec then sees it whole and reports it).
 */
export function splitJsonArray(body: Uint8Array, maxElements: number): Uint8Array[] | undefined {
  let i = 0;
  while (i < body.length && body[i]! <= 0x20) i++;
  if (body[i] !== OPEN_BRACKET) return undefined;
  /** [start, end) of each element, whitespace included. */
  const bounds: number[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  let closed = false;
  for (; i < body.length; i++) {
    const c = body[i]!;
    if (closed) {
      if (c > 0x20) return undefined; // something after the array
      continue;
    }
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 0) start = i + 1;
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) {
        bounds.push(start, i);
        closed = true;
      }
    } else if (c === COMMA && depth === 1) {
      bounds.push(start, i);
      start = i + 1;
    }
  }
  if (!closed || inString) return undefined;
  const elements = bounds.length / 2;
  if (elements <= maxElements) return undefined;
  const chunks: Uint8Array[] = [];
  for (let e = 0; e < elements; e += maxElements) {
    const last = Math.min(elements, e + maxElements) - 1;
    const from = bounds[e * 2]!;
    const to = bounds[last * 2 + 1]!;
    const chunk = new Uint8Array(to - from + 2);
    chunk[0] = OPEN_BRACKET;
    chunk.set(body.subarray(from, to), 1);
    chunk[chunk.length - 1] = CLOSE_BRACKET;
    chunks.push(chunk);
  }
  return chunks;
}
