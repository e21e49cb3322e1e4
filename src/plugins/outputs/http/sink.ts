/**
 * The http output's main-thread half: sends the requests the workers rendered through an undici
 * Agent (keep-alive pools per origin), at most `pool_max` at once. Per request: a 2xx or an
 * ignorable code delivers its events; a retryable code or a failed connection hands them back
 * for a retry with backoff (or, with retry_failed false, to the failure path); any other status
 * sends them to the failure path with the status and the start of the answer.
 */
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import type { Logger } from '../../../core/logger.js';
import type { OutputSink, RetryPolicy, WriteResult } from '../../api.js';
import type { HttpRequestSpec } from './requests.js';

export interface HttpSinkSettings {
  method: string;
  retryFailed: boolean;
  retryableCodes: ReadonlySet<number>;
  ignorableCodes: ReadonlySet<number>;
  automaticRetries: number;
  retryNonIdempotent: boolean;
  poolMax: number;
  poolMaxPerRoute: number;
  keepalive: boolean;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  socketTimeoutMs: number;
  followRedirects: boolean;
  /** TLS options for https URLs (ca, cert, key, rejectUnauthorized, versions, ciphers). */
  tls: Record<string, unknown>;
  retry: RetryPolicy;
}

/** How much of an error answer is kept in the failure reason. */
const EXCERPT_CHARS = 500;
/** How much of an answer is read at all (the rest is discarded, the connection kept). */
const READ_LIMIT = 64 * 1024;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

type Outcome = { kind: 'delivered' } | { kind: 'retry'; reason: string } | { kind: 'failed'; reason: string };

/**
 * Writes in flight at once. Logstash calls its http output from every pipeline worker at once;
 * a few writes in flight hide the round trip the same way (batches may then be acknowledged out
 * of order, which the inputs' acknowledgement tracking allows).
 */
const WRITES_IN_FLIGHT = 4;

export class HttpSink implements OutputSink {
  readonly retry: RetryPolicy;
  readonly concurrency = WRITES_IN_FLIGHT;
  private readonly dispatcher: Dispatcher;
  private readonly agent: Agent;
  private readonly method: Dispatcher.HttpMethod;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly settings: HttpSinkSettings, private readonly logger: Logger) {
    this.retry = settings.retry;
    this.method = settings.method.toUpperCase() as Dispatcher.HttpMethod;
    this.agent = new Agent({
      connections: settings.poolMaxPerRoute,
      connect: { timeout: settings.connectTimeoutMs, ...settings.tls },
      headersTimeout: settings.socketTimeoutMs,
      bodyTimeout: settings.socketTimeoutMs,
      ...(settings.keepalive ? {} : { pipelining: 0 }),
    });
    this.dispatcher = settings.followRedirects ? this.agent.compose(interceptors.redirect({ maxRedirections: 5 })) : this.agent;
  }

  async write(data: unknown): Promise<WriteResult | void> {
    const requests = data as HttpRequestSpec[] | undefined;
    if (!requests || requests.length === 0) return;
    const outcomes = await Promise.all(requests.map((spec) => this.limited(() => this.send(spec))));
    let failed: NonNullable<WriteResult['failed']> | undefined;
    const again: HttpRequestSpec[] = [];
    const againIndexes: number[] = [];
    outcomes.forEach((outcome, i) => {
      const spec = requests[i]!;
      if (outcome.kind === 'delivered') return;
      if (outcome.kind === 'retry' && this.settings.retryFailed) {
        // The retry payload numbers its events afresh; indexes say where each was in this one.
        const positions = spec.positions.map((p) => {
          againIndexes.push(p);
          return againIndexes.length - 1;
        });
        again.push({ ...spec, positions });
        return;
      }
      for (const index of spec.positions) (failed ??= []).push({ index, reason: outcome.reason });
    });
    if (again.length > 0) this.logger.debug('http: requests to retry', { requests: again.length });
    if (!failed && again.length === 0) return;
    return { ...(failed ? { failed } : {}), ...(again.length > 0 ? { retry: { data: again, indexes: againIndexes } } : {}) };
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => this.agent.destroy());
  }

  /** Runs `task` once fewer than pool_max requests are in flight. */
  private async limited<T>(task: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.settings.poolMax) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    try {
      return await task();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  private async send(spec: HttpRequestSpec): Promise<Outcome> {
    const where = `${this.method} ${redact(spec.url)}`;
    const immediateRetries = IDEMPOTENT.has(this.method) || this.settings.retryNonIdempotent ? this.settings.automaticRetries : 0;
    for (let attempt = 0; ; attempt++) {
      let status: number;
      let excerpt: string;
      try {
        const response = await request(spec.url, {
          dispatcher: this.dispatcher,
          method: this.method,
          headers: spec.headers,
          body: this.method === 'GET' || this.method === 'HEAD' ? null : spec.body,
          signal: AbortSignal.timeout(this.settings.requestTimeoutMs),
          ...(this.settings.keepalive ? {} : { reset: true }),
        });
        status = response.statusCode;
        excerpt = await readExcerpt(response.body);
      } catch (err) {
        const reason = `${where} failed: ${describe(err)}`;
        // A request the client refuses to send (a header value with a newline) never will be.
        if ((err as { code?: string }).code === 'UND_ERR_INVALID_ARG') return { kind: 'failed', reason };
        if (attempt < immediateRetries) continue;
        return { kind: 'retry', reason };
      }
      if ((status >= 200 && status < 300) || this.settings.ignorableCodes.has(status)) return { kind: 'delivered' };
      const reason = `${where} answered ${status}${excerpt ? `: ${excerpt}` : ''}`;
      return this.settings.retryableCodes.has(status) ? { kind: 'retry', reason } : { kind: 'failed', reason };
    }
  }
}

/** The start of an answer's body as text; the rest is read and dropped so the connection stays usable. */
async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < READ_LIMIT) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= READ_LIMIT) {
      body.destroy();
      break;
    }
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: string }).code;
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${code ? `${code} ` : ''}${err.message}${cause}`;
}

/** A URL without the password it may carry, for logs and failure reasons. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
