/**
 * The http input's main-thread half: a node:http (or node:https) server. Each request's body
 * becomes one payload; the request is answered only once the pipeline acknowledged that payload
 * (every output wrote its events), with `response_code`, or 503 when the pipeline gave it up.
 *
 * Bounded memory: at most `max_pending_requests` requests are being read or wait for their
 * acknowledgement at once (one more is answered 429 at once, without reading its body), and a
 * body is read only up to `max_content_length` (beyond it 413). So the source holds at most
 * max_pending_requests × max_content_length bytes of bodies, and far less once the queue is full:
 * a request waiting for the queue holds its own body only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../../core/logger.js';
import type { InputSink, InputSource } from '../../api.js';
import { estimateJsonEvents, headerKey, splitJsonArray, type HttpRequestPayload } from './payload.js';
import { tlsServerOptions, type ServerTls } from '../../../protocols/net/tls.js';

export interface HttpSourceSettings {
  host: string;
  port: number;
  tls: ServerTls | undefined;
  /** Basic authentication; undefined = none asked for. */
  credentials: { user: string; password: string } | undefined;
  responseCode: number;
  responseHeaders: Record<string, string>;
  maxPendingRequests: number;
  maxContentLength: number;
  /** Content types decoded by the json codec: their event count is estimated from the body, a large array cut in several payloads. */
  jsonMimeTypes: ReadonlySet<string>;
  /** Most elements of a JSON array per payload (batch size × PAYLOAD_MAX_BATCHES). */
  maxEventsPerPayload: number;
}

export interface HttpSource extends InputSource {
  /** Where the server listens, once run() started it. */
  address(): AddressInfo | undefined;
}

const REALM = 'Basic realm="logpipe http input"';

export function httpSource(settings: HttpSourceSettings, logger: Logger): HttpSource {
  let server: Server | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let pending = 0;
  const expected = settings.credentials ? digest(`${settings.credentials.user}:${settings.credentials.password}`) : undefined;

  const answer = (res: ServerResponse, status: number, text: string, close: boolean, headers: Record<string, string> = {}): void => {
    if (res.headersSent || res.destroyed) return;
    if (close) res.shouldKeepAlive = false;
    res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
    res.end(status === 204 ? undefined : text);
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (expected === undefined) return true;
    const header = req.headers.authorization;
    if (header === undefined || !/^basic /i.test(header)) return false;
    const given = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    // Compare digests: equal lengths, and no early exit on the first differing byte.
    return timingSafeEqual(digest(given), expected);
  };

  const onRequest = (sink: InputSink, req: IncomingMessage, res: ServerResponse): void => {
    if (settings.tls?.clientAuthentication === 'optional' && unverifiedPeer(req.socket as TLSSocket)) {
      // Checked per request too: a request may already be parsed when the connection is refused.
      req.socket.destroy();
      return;
    }
    if (stopped || sink.stopping) return answer(res, 503, 'shutting down', true);
    if (!authorized(req)) return answer(res, 401, 'unauthorized', false, { 'WWW-Authenticate': REALM });
    if (pending >= settings.maxPendingRequests) return answer(res, 429, 'too many requests', true);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > settings.maxContentLength) return answer(res, 413, 'payload too large', true);
    pending++;
    let finished = false;
    const finish = (): void => {
      if (!finished) {
        finished = true;
        pending--;
      }
    };
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > settings.maxContentLength) {
        req.off('data', onData);
        chunks.length = 0;
        finish();
        answer(res, 413, 'payload too large', true);
        req.resume(); // discard the rest; the connection closes after the answer
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    // A client gone before the end of its body: nothing was handed over.
    req.on('aborted', finish);
    req.on('error', finish);
    res.on('close', finish);
    req.on('end', () => {
      if (finished) return;
      // A fresh array, not Buffer.concat: a pooled Buffer's ArrayBuffer cannot be transferred.
      const body = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        body.set(chunk, at);
        at += chunk.length;
      }
      chunks.length = 0;
      void handOver(sink, req, res, requestPayload(req, body), size, finish);
    });
  };

  /**
   * Pushes the request's payloads (a large JSON array cut in several) and answers once every one
   * was acknowledged, or 503 as soon as one was given up.
   */
  const handOver = async (sink: InputSink, req: IncomingMessage, res: ServerResponse, payload: HttpRequestPayload, size: number, finish: () => void): Promise<void> => {
    const json = settings.jsonMimeTypes.has(payload.mimeType);
    const bodies = (json && splitJsonArray(payload.body, settings.maxEventsPerPayload)) || [payload.body];
    let waiting = bodies.length;
    let givenUp = false;
    const delivery = {
      ack: () => {
        if (--waiting > 0 || givenUp) return;
        finish();
        answer(res, settings.responseCode, 'ok', false, settings.responseHeaders);
      },
      nack: (reason: string) => {
        if (givenUp) return;
        givenUp = true;
        finish();
        answer(res, 503, `not delivered: ${reason}`, true, { 'Retry-After': '1' });
      },
    };
    try {
      for (const body of bodies) {
        if (givenUp) break;
        const events = json ? estimateJsonEvents(body) : 1;
        const bytes = bodies.length === 1 ? size : body.length;
        await sink.push({ data: { ...payload, body }, transfer: [body.buffer as ArrayBuffer], events, bytes, endOfBurst: true }, delivery);
      }
    } catch (err) {
      logger.error('http: could not hand a request over', { error: (err as Error).message, path: req.url });
      delivery.nack('not handed over');
    }
  };

  return {
    address: () => (server?.address() as AddressInfo | null) ?? undefined,
    async run(sink) {
      if (stopped) return;
      const tls = settings.tls;
      const handler = (req: IncomingMessage, res: ServerResponse): void => {
        try {
          onRequest(sink, req, res);
        } catch (err) {
          // A bug on one request must not take the listener (and the process) down.
          logger.error('http: request failed', { error: (err as Error).message });
          answer(res, 500, 'internal error', true);
        }
      };
      const srv: Server = tls ? createHttpsServer(tlsServerOptions(tls), handler) : createHttpServer(handler);
      server = srv;
      if (tls?.clientAuthentication === 'optional') {
        // Optional client certificates: none is fine, but one that does not verify is refused.
        srv.on('secureConnection', (socket: TLSSocket) => {
          if (unverifiedPeer(socket)) socket.destroy();
        });
      }
      srv.on('tlsClientError', (err: Error) => logger.debug('http: TLS handshake failed', { error: err.message }));
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(settings.port, settings.host, () => {
          srv.off('error', reject);
          resolve();
        });
      });
      srv.on('error', (err) => logger.error('http: server error', { error: err.message }));
      const address = srv.address() as AddressInfo;
      logger.info(`http: listening on ${address.address}:${address.port}${tls ? ' (TLS)' : ''}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (stopped) resolve();
      });
      // No new connections; idle keep-alive ones close now, busy ones once their answer is sent
      // (requests waiting for an acknowledgement still get it while the pipeline drains).
      srv.close();
      srv.closeIdleConnections();
    },
    stop() {
      stopped = true;
      wake?.();
    },
  };
}

/** A client that sent a certificate which did not verify (with optional client authentication). */
function unverifiedPeer(socket: TLSSocket): boolean {
  return !socket.authorized && (socket.destroyed || socket.getPeerCertificate()?.subject !== undefined);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function requestPayload(req: IncomingMessage, body: Uint8Array): HttpRequestPayload {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[headerKey(name)] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['request_method'] = req.method ?? 'GET';
  headers['request_path'] = req.url ?? '/';
  headers['http_version'] = `HTTP/${req.httpVersion}`;
  const contentType = req.headers['content-type'] ?? '';
  const [mime = '', ...params] = contentType.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const m = /^\s*charset\s*=\s*"?([^";]+)"?\s*$/i.exec(param);
    if (m) charset = m[1]!.toLowerCase();
  }
  const remote = req.socket.remoteAddress ?? '';
  return {
    body,
    mimeType: mime.trim().toLowerCase(),
    ...(charset !== undefined ? { charset } : {}),
    headers,
    remoteAddress: remote.startsWith('::ffff:') ? remote.slice(7) : remote,
  };
}
