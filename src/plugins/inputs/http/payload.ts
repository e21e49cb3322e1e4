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
