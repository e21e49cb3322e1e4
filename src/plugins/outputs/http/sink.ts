/**
 * The http output's main-thread half: sends the requests the workers rendered through an undici
 * client (net/http-client.ts: keep-alive pools, at most `pool_max` at once). Per request: a 2xx or an
 * ignorable code delivers its events; a retryable code or a failed connection hands them back
 * for a retry with backoff (or, with retry_failed false, to the failure path); any other status
 * sends them to the failure path with the status and the start of the answer.
 */
import type { Logger } from '../../../core/logger.js';
import type { OutputSink, RetryPolicy, WriteResult } from '../../api.js';
import { describeHttpError, HttpClient, redactUrl, type HttpClientSettings } from '../../net/http-client.js';
import type { HttpRequestSpec } from './requests.js';

export interface HttpSinkSettings {
  method: string;
  retryFailed: boolean;
  retryableCodes: ReadonlySet<number>;
  ignorableCodes: ReadonlySet<number>;
  client: HttpClientSettings;
  retry: RetryPolicy;
}

/** How much of an error answer is kept in the failure reason. */
const EXCERPT_CHARS = 500;
/** How much of an answer is read at all (the rest is discarded). */
const READ_LIMIT = 64 * 1024;

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
  private readonly client: HttpClient;

  constructor(private readonly settings: HttpSinkSettings, private readonly logger: Logger) {
    this.retry = settings.retry;
    this.client = new HttpClient(settings.client);
  }

  async write(data: unknown): Promise<WriteResult | void> {
    const requests = data as HttpRequestSpec[] | undefined;
    if (!requests || requests.length === 0) return;
    const outcomes = await Promise.all(requests.map((spec) => this.send(spec)));
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
    await this.client.close();
  }

  private async send(spec: HttpRequestSpec): Promise<Outcome> {
    const where = `${this.settings.method.toUpperCase()} ${redactUrl(spec.url)}`;
    let status: number;
    let excerpt: string;
    try {
      const answer = await this.client.send({ method: this.settings.method, url: spec.url, headers: spec.headers, body: spec.body }, READ_LIMIT);
      status = answer.status;
      excerpt = excerptOf(answer.body);
    } catch (err) {
      const reason = `${where} failed: ${describeHttpError(err)}`;
      // A request the client refuses to send (a header value with a newline) never will be.
      return (err as { code?: string }).code === 'UND_ERR_INVALID_ARG' ? { kind: 'failed', reason } : { kind: 'retry', reason };
    }
    if ((status >= 200 && status < 300) || this.settings.ignorableCodes.has(status)) return { kind: 'delivered' };
    const reason = `${where} answered ${status}${excerpt ? `: ${excerpt}` : ''}`;
    return this.settings.retryableCodes.has(status) ? { kind: 'retry', reason } : { kind: 'failed', reason };
  }
}

/** The start of an answer's body as one line of text. */
function excerptOf(body: Buffer): string {
  const text = body.toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}
