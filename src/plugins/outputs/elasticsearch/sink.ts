/**
 * Main-thread half of the elasticsearch output. Before the first write it learns the server's
 * version (`GET /`) and installs the index template; then each batch is sent as one bulk request,
 * or several when it is larger than target_bulk_bytes, and each item's result decides its fate
 * (bulk-response.ts): written, failed for good (to the failure path, with the server's reason) or
 * retried — only the items that need it, after the pipeline's retry delay.
 */
import { gzip as gzipCallback } from 'node:zlib';
import { promisify } from 'node:util';
import type { Logger } from '../../../core/logger.js';
import { OutputError, type WriteResult } from '../../api.js';
import { itemsOf, itemText, subsetOf, ACTION_NAMES, type BulkBatch, type BulkItem } from './bulk-batch.js';
import { readItems, type BulkResponseBody, type ItemResult } from './bulk-response.js';
import { dataStreamTemplate, defaultTemplate, templateFor, type TemplateApi, type TemplateBody } from './templates.js';
import { Transport, TransportError } from '../../elasticsearch/transport.js';
import { composableByDefault, describe, hasComposableTemplates, hasDataStreams, mediaTypes, parseServerVersion, UnsupportedServerError, type ServerVersion } from './version.js';

const gzip = promisify(gzipCallback);

export interface TemplatePlan {
  name: string;
  api: TemplateApi | 'auto';
  overwrite: boolean;
  /** The user's template file, or undefined for the shipped default. */
  body: TemplateBody | undefined;
  /** Index pattern of the shipped default. */
  defaultPattern: string;
}

export interface SinkSettings {
  transport: Transport;
  logger: Logger;
  compression: boolean;
  targetBulkBytes: number;
  failureCodes: ReadonlySet<number>;
  /** Undefined when manage_template is off. */
  template: TemplatePlan | undefined;
  /** The data stream type when writing to data streams. */
  dataStreamType: string | undefined;
  manageTemplate: boolean;
  documentTypeWarning: string | undefined;
}

export class ElasticsearchSink {
  private server: ServerVersion | undefined;
  private starting: Promise<ServerVersion> | undefined;
  private media = { json: 'application/json', ndjson: 'application/x-ndjson' };

  constructor(private readonly settings: SinkSettings) {}

  /** The server version once known (tests, logs). */
  get version(): ServerVersion | undefined {
    return this.server;
  }

  async write(batch: BulkBatch): Promise<WriteResult | void> {
    await this.ready();
    const count = batch.actions.length;
    if (count === 0) return;
    let items: BulkItem[] | undefined;
    const chunks: { batch: BulkBatch; positions: number[] | undefined }[] = [];
    if (batch.bytes.length <= this.settings.targetBulkBytes) {
      chunks.push({ batch, positions: undefined });
    } else {
      items = itemsOf(batch);
      for (const positions of splitBySize(items, this.settings.targetBulkBytes)) chunks.push({ batch: subsetOf(batch, items, positions), positions });
    }
    const failed: NonNullable<WriteResult['failed']> = [];
    const retry: number[] = [];
    let transportError: Error | undefined;
    let conflicts = 0;
    for (const chunk of chunks) {
      const at = (i: number): number => chunk.positions?.[i] ?? i;
      let results: ItemResult[];
      try {
        results = await this.sendBulk(chunk.batch);
      } catch (err) {
        if (!(err instanceof OutputError) || err.failure !== 'retryable') throw err;
        transportError = err;
        for (let i = 0; i < chunk.batch.actions.length; i++) retry.push(at(i));
        continue;
      }
      let chunkItems: BulkItem[] | undefined;
      results.forEach((result, i) => {
        if (result.outcome === 'done') return;
        if (result.outcome === 'conflict') {
          conflicts++;
          return;
        }
        if (result.outcome === 'retry') {
          retry.push(at(i));
          return;
        }
        chunkItems ??= itemsOf(chunk.batch);
        failed.push({ index: at(i), reason: `elasticsearch refused the document (status ${result.status}): ${result.reason}`, event: itemText(chunk.batch, chunkItems[i]!) });
      });
      const retried = results.filter((r) => r.outcome === 'retry');
      if (retried.length > 0) {
        this.settings.logger.warn('elasticsearch could not take some documents now; they will be sent again', { documents: retried.length, status: retried[0]!.status, reason: retried[0]!.reason });
      }
    }
    if (conflicts > 0) this.settings.logger.warn('elasticsearch reported version conflicts; those documents were not changed', { documents: conflicts });
    // Nothing got through and nothing was decided: a failed write, retried on the sink's policy.
    if (transportError && retry.length === count) throw transportError;
    if (failed.length === 0 && retry.length === 0) return;
    const result: WriteResult = {};
    if (failed.length > 0) result.failed = failed;
    if (retry.length > 0) {
      items ??= itemsOf(batch);
      retry.sort((a, b) => a - b);
      result.retry = { data: subsetOf(batch, items, retry), indexes: retry };
    }
    return result;
  }

  async close(): Promise<void> {
    await this.settings.transport.close();
  }

  /** Version detection and template installation, once; a failure is retried on the next write. */
  ready(): Promise<ServerVersion> {
    if (this.server) return Promise.resolve(this.server);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<ServerVersion> {
    const { logger } = this.settings;
    const root = await this.request('GET', '/', undefined);
    if (root.status === 401 || root.status === 403) throw new OutputError(`elasticsearch refused the credentials (HTTP ${root.status}) at ${root.node}`, 'retryable');
    if (root.status !== 200) throw new OutputError(`elasticsearch root endpoint answered HTTP ${root.status} at ${root.node}: ${root.text.slice(0, 300)}`, 'retryable');
    let version: ServerVersion;
    try {
      version = parseServerVersion(JSON.parse(root.text));
    } catch (err) {
      if (err instanceof UnsupportedServerError) throw new OutputError(err.message, 'closed');
      throw new OutputError(`elasticsearch root endpoint at ${root.node} did not answer JSON: ${root.text.slice(0, 200)}`, 'retryable');
    }
    this.media = mediaTypes(version);
    logger.info('connected to the search server', { server: describe(version), node: root.node });
    if (this.settings.documentTypeWarning) logger.warn(this.settings.documentTypeWarning);
    if (this.settings.dataStreamType !== undefined) {
      if (!hasDataStreams(version)) throw new OutputError(`${describe(version)} has no data streams (Elasticsearch 7.9+ or OpenSearch needed); set data_stream => false`, 'closed');
      if (this.settings.manageTemplate && version.distribution === 'opensearch') await this.installDataStreamTemplate(this.settings.dataStreamType);
    } else if (this.settings.template) {
      await this.installTemplate(this.settings.template, version);
    }
    this.server = version;
    return version;
  }

  private async installTemplate(plan: TemplatePlan, version: ServerVersion): Promise<void> {
    const api: TemplateApi = plan.api === 'auto' ? (composableByDefault(version) ? 'composable' : 'legacy') : plan.api;
    if (api === 'composable' && !hasComposableTemplates(version)) {
      throw new OutputError(`${describe(version)} has no composable templates (_index_template needs Elasticsearch 7.8+); set template_api => "legacy"`, 'closed');
    }
    let body: TemplateBody;
    if (plan.body) {
      let converted;
      try {
        converted = templateFor(plan.body, api);
      } catch (err) {
        throw new OutputError(`template ${plan.name}: ${(err as Error).message}`, 'closed');
      }
      if (converted.changes.length > 0) this.settings.logger.warn(`template ${plan.name} converted for the ${api} API`, { changes: converted.changes.join('; ') });
      body = converted.body;
    } else {
      body = defaultTemplate(plan.defaultPattern, api);
    }
    await this.putTemplate(api === 'legacy' ? `/_template/${encodeURIComponent(plan.name)}` : `/_index_template/${encodeURIComponent(plan.name)}`, plan.name, body, plan.overwrite);
  }

  private async installDataStreamTemplate(type: string): Promise<void> {
    const name = `logpipe-${type}`;
    await this.putTemplate(`/_index_template/${name}`, name, dataStreamTemplate(type), false);
  }

  /** Installs a template unless one of that name exists and overwrite is off. A refused template is logged, not fatal (as in Logstash). */
  private async putTemplate(path: string, name: string, body: TemplateBody, overwrite: boolean): Promise<void> {
    const { logger } = this.settings;
    if (!overwrite) {
      const existing = await this.request('HEAD', path, undefined);
      if (existing.status === 200) {
        logger.info('index template exists; left as it is (template_overwrite => false)', { template: name });
        return;
      }
    }
    const response = await this.request('PUT', path, JSON.stringify(body));
    if (response.status >= 200 && response.status < 300) {
      logger.info('installed index template', { template: name, path });
    } else if (response.status >= 500 || response.status === 429) {
      throw new OutputError(`installing template ${name} failed with HTTP ${response.status}: ${response.text.slice(0, 300)}`, 'retryable');
    } else {
      logger.error('the server refused the index template; going on without it', { template: name, status: response.status, error: response.text.slice(0, 500) });
    }
  }

  /** One bulk request; per-item results. Request-level failures are retryable OutputErrors. */
  private async sendBulk(batch: BulkBatch): Promise<ItemResult[]> {
    const body = this.settings.compression ? await gzip(batch.bytes) : batch.bytes;
    const headers: Record<string, string> = { 'content-type': this.media.ndjson, accept: this.media.json };
    if (this.settings.compression) headers['content-encoding'] = 'gzip';
    const response = await this.request('POST', '/_bulk?filter_path=errors,items.*.status,items.*.error', body, headers);
    if (response.status === 413) {
      // The request is over the server's http.max_content_length: lower target_bulk_bytes.
      throw new OutputError(`elasticsearch refused a bulk request of ${body.length} bytes as too large (HTTP 413); lower target_bulk_bytes below the server's http.max_content_length`, 'permanent');
    }
    if (response.status !== 200) {
      throw new OutputError(`bulk request answered HTTP ${response.status} by ${response.node}: ${response.text.slice(0, 300)}`, 'retryable');
    }
    let parsed: BulkResponseBody;
    try {
      parsed = JSON.parse(response.text) as BulkResponseBody;
    } catch {
      throw new OutputError(`bulk response from ${response.node} is not JSON: ${response.text.slice(0, 200)}`, 'retryable');
    }
    const actions = Array.from(batch.actions, (code) => ACTION_NAMES[code]!);
    if (parsed.errors === false && (parsed.items?.length ?? actions.length) === actions.length) return actions.map(() => ({ outcome: 'done', status: 200 }));
    return readItems(parsed, actions, this.settings.failureCodes);
  }

  private async request(method: 'GET' | 'HEAD' | 'PUT' | 'POST', path: string, body: Uint8Array | string | undefined, headers?: Record<string, string>) {
    const h = headers ?? (body === undefined ? { accept: this.media.json } : { 'content-type': this.media.json, accept: this.media.json });
    try {
      return await this.settings.transport.send(method, path, body, h);
    } catch (err) {
      if (err instanceof TransportError) throw new OutputError(`no elasticsearch node could be reached: ${err.message}`, 'retryable', { cause: err });
      throw err;
    }
  }
}

/** Consecutive runs of items, each at most `limit` bytes (an item larger than that alone). */
export function splitBySize(items: BulkItem[], limit: number): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  let size = 0;
  items.forEach((item, i) => {
    const length = item.end - item.start;
    if (current.length > 0 && size + length > limit) {
      runs.push(current);
      current = [];
      size = 0;
    }
    current.push(i);
    size += length;
  });
  if (current.length > 0) runs.push(current);
  return runs;
}
