/**
 * HTTP to the nodes of Elasticsearch/OpenSearch (the elasticsearch output and filter), on undici
 * (keep-alive pools per node; see docs/decisions/0019). A request goes to the next node in turn;
 * when a node cannot be reached (refused, reset, timed out) or answers 502/503/504 (a proxy
 * without a live node behind it), the node rests for resurrect_delay and the request goes to the
 * next one. Only when every node failed does the request fail, as a TransportError.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from '../../core/logger.js';
import { NodeRotation, type Node } from './hosts.js';

export interface TransportSettings {
  urls: string[];
  headers: Record<string, string>;
  tls: ConnectionOptions | undefined;
  timeoutMs: number;
  resurrectMs: number;
  logger: Logger;
}

export interface Response {
  status: number;
  text: string;
  node: string;
}

/** No node could be reached, or every node answered as a gateway without a server behind it. */
export class TransportError extends Error {
  override name = 'TransportError';
}

const GATEWAY_STATUSES = new Set([502, 503, 504]);

export class Transport {
  readonly rotation: NodeRotation;
  private readonly agent: Agent;

  constructor(private readonly settings: TransportSettings) {
    this.rotation = new NodeRotation(settings.urls, settings.resurrectMs);
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: 16,
      ...(settings.tls ? { connect: settings.tls } : {}),
    });
  }

  async send(method: Dispatcher.HttpMethod, path: string, body: Uint8Array | string | undefined, headers: Record<string, string>): Promise<Response> {
    const problems: string[] = [];
    for (const node of this.rotation.order()) {
      const outcome = await this.attempt(node, method, path, body, headers);
      if (typeof outcome === 'string') {
        problems.push(`${node.url}: ${outcome}`);
        if (this.rotation.nodes.length > 1) this.settings.logger.warn('elasticsearch node failed; trying the next one', { node: node.url, error: outcome });
        continue;
      }
      return outcome;
    }
    throw new TransportError(problems.join('; '));
  }

  /** A response, or why the node failed (it then rests). */
  private async attempt(node: Node, method: Dispatcher.HttpMethod, path: string, body: Uint8Array | string | undefined, headers: Record<string, string>): Promise<Response | string> {
    try {
      const response = await request(node.url + path, {
        method,
        headers: { ...this.settings.headers, ...headers },
        body,
        dispatcher: this.agent,
        headersTimeout: this.settings.timeoutMs,
        bodyTimeout: this.settings.timeoutMs,
      });
      const text = await response.body.text();
      if (GATEWAY_STATUSES.has(response.statusCode)) {
        this.rotation.failed(node);
        return `HTTP ${response.statusCode} ${text.slice(0, 200)}`;
      }
      this.rotation.succeeded(node);
      return { status: response.statusCode, text, node: node.url };
    } catch (err) {
      this.rotation.failed(node);
      const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
      return [e.code ?? e.cause?.code, e.message].filter(Boolean).join(' ');
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
