/**
 * elasticsearch filter: per event, searches Elasticsearch or OpenSearch (a Lucene query string,
 * or a JSON query DSL file, both with sprintf) and copies fields of the hits, their metadata and
 * aggregations into the event. Mirrors logstash-filter-elasticsearch's DSL mode on the output's
 * transport (src/plugins/elasticsearch/: node rotation, credentials, TLS). A failed search (node
 * down, missing index, bad query) tags the event and the pipeline goes on.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { rateLimitedWarn } from '../../../core/rate-limit.js';
import { compileTemplate, type Template } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';
import { ELASTICSEARCH_CLIENT_OPTIONS, openTransport } from '../../elasticsearch/connection.js';
import { TransportError, type Response } from '../../elasticsearch/transport.js';
import { resultCopier, type SearchResponse } from './results.js';

/** Searches in flight per filter instance: a batch does not open a connection per event. */
const CONCURRENCY = 8;

/** An index expression in a URL path: commas and wildcards stay readable, the rest is encoded. */
function indexPath(index: string): string {
  return index === '' ? '' : `/${encodeURIComponent(index).replace(/%2C/gi, ',').replace(/%2A/gi, '*')}`;
}

/** The server's reason for a refused search: `type: reason` of its error object, else the body's start. */
function refusal(status: number, text: string): string {
  try {
    const error = (JSON.parse(text) as { error?: { type?: string; reason?: string } | string }).error;
    if (typeof error === 'object' && error !== null) return `HTTP ${status} ${error.type ?? ''}: ${error.reason ?? ''}`;
    if (typeof error === 'string') return `HTTP ${status} ${error}`;
  } catch {
    // not JSON: the text below says what came back
  }
  return `HTTP ${status} ${text.slice(0, 200)}`;
}

export const elasticsearchFilter = defineFilter({
  kind: 'filter',
  name: 'elasticsearch',
  description: 'Searches Elasticsearch or OpenSearch per event (query string or query DSL template) and copies fields of the hits, their metadata and aggregations into the event.',
  options: {
    hosts: { type: 'string_list', description: 'Nodes to search, round robin with failover: "host", "host:port", "http(s)://host:port/path" (port 9200 when left out). Default localhost:9200, or the cloud_id\'s endpoint.' },
    index: { type: 'string', default: '', description: 'Index, alias or pattern to search (comma-separated for several); sprintf per event. Empty: every index.' },
    query: { type: 'string', description: 'Lucene query string; sprintf per event (type:start AND operation:%{[opid]}). Exclusive with query_template.' },
    query_template: { type: 'path', description: 'File holding a JSON query DSL body; sprintf per event before it is parsed. result_size, sort and enable_sort do not apply (put size and sort in the body).' },
    sort: { type: 'string', default: '@timestamp:desc', description: 'With query: comma-separated field:direction pairs.' },
    enable_sort: { type: 'boolean', default: true, description: 'With query: whether to send sort.' },
    result_size: { type: 'number', default: 1, description: 'With query: hits to fetch. One hit copies values; several copy lists of values.' },
    fields: { type: 'hash', default: {}, description: 'Field of the found document (_source; [a][b] for nested) → event field that receives it.' },
    docinfo_fields: { type: 'hash', default: {}, description: 'Hit metadata (_id, _index, _version, …) → event field that receives it.' },
    aggregation_fields: { type: 'hash', default: {}, description: 'Aggregation name → event field that receives its result (with query_template).' },
    target: { type: 'field_reference', description: 'Field the copied values go under; default: the top level of the event.' },
    tag_on_failure: { type: 'string_list', default: ['_elasticsearch_lookup_failure'], description: 'Tags added when the search fails (server down, index missing, bad query).' },
    retry_on_failure: { type: 'number', default: 0, description: 'Times a search is sent again when no node answered or one answered a retry_on_status status.' },
    retry_on_status: { type: 'array', default: [500, 502, 503, 504], description: 'HTTP statuses that make retry_on_failure send the search again.' },
    path: { type: 'string', description: 'logpipe extension: path prefix of every request (a node behind a proxy at /es); a path in a host URL wins.' },
    ...ELASTICSEARCH_CLIENT_OPTIONS,
    ca_file: { type: 'path', deprecated: 'use ssl_certificate_authorities', description: 'Deprecated name of ssl_certificate_authorities (one PEM file).' },
    ssl_certificate_verification: { type: 'boolean', deprecated: 'use ssl_verification_mode', description: 'Deprecated: false is ssl_verification_mode => none.' },
    timeout: { type: 'number', default: 10, description: 'logpipe extension: seconds a search may take before the event is tagged.' },
    resurrect_delay: { type: 'number', default: 5, description: 'logpipe extension: seconds a node that failed is left out of the rotation.' },
  },
  create(options, ctx) {
    const where = ctx.location;
    if ((options.query === undefined) === (options.query_template === undefined)) {
      throw new ConfigError('elasticsearch filter: set exactly one of query and query_template', where);
    }
    if (!Number.isInteger(options.result_size) || options.result_size < 0) throw new ConfigError('elasticsearch filter: result_size must be a whole number', where);
    if (!Number.isInteger(options.retry_on_failure) || options.retry_on_failure < 0) throw new ConfigError('elasticsearch filter: retry_on_failure must be a whole number', where);
    let body: Template | undefined;
    if (options.query_template !== undefined) {
      try {
        body = compileTemplate(readFileSync(options.query_template, 'utf8'));
      } catch (err) {
        throw new ConfigError(`elasticsearch filter: cannot read query_template ${options.query_template}: ${(err as Error).message}`, where);
      }
    }
    const query = options.query === undefined ? undefined : compileTemplate(options.query);
    const index = compileTemplate(options.index);
    const copier = resultCopier({ fields: options.fields, docinfoFields: options.docinfo_fields, aggregationFields: options.aggregation_fields, target: options.target });
    const transport = openTransport(options, 'localhost:9200', options.ca_file ? [options.ca_file] : [], ctx);
    const warn = rateLimitedWarn(ctx.logger);
    const json = { 'content-type': 'application/json', accept: 'application/json' };

    const retryStatuses = new Set(options.retry_on_status.map(Number));
    /** One request, sent again up to retry_on_failure times when no node answered or one answered a retry_on_status. */
    const send = async (method: 'GET' | 'POST', path: string, text: string | undefined): Promise<Response> => {
      for (let attempt = 0; ; attempt++) {
        const last = attempt >= options.retry_on_failure;
        try {
          const response = await transport.send(method, path, text, json);
          if (last || !retryStatuses.has(response.status)) return response;
        } catch (err) {
          if (last || !(err instanceof TransportError)) throw err;
        }
      }
    };
    const search = async (event: Event): Promise<SearchResponse> => {
      const base = `${indexPath(index(event))}/_search`;
      let response: Response;
      if (body) {
        // The template's JSON is checked once filled in, as Logstash parses it per event.
        const text = body(event);
        JSON.parse(text);
        response = await send('POST', base, text);
      } else {
        const params = new URLSearchParams({ q: query!(event), size: String(options.result_size) });
        if (options.enable_sort) params.set('sort', options.sort);
        response = await send('GET', `${base}?${params}`, undefined);
      }
      if (response.status < 200 || response.status > 299) throw new Error(refusal(response.status, response.text));
      const result = JSON.parse(response.text) as SearchResponse;
      const failures = result._shards?.failures;
      if (failures && failures.length > 0) throw new Error(`shard failures: ${JSON.stringify(failures).slice(0, 300)}`);
      return result;
    };
    const process = async (event: Event): Promise<boolean> => {
      try {
        return copier.apply(event, await search(event));
      } catch (err) {
        warn('search', 'elasticsearch filter: the search failed; the event is tagged', { index: options.index, error: (err as Error).message });
        for (const t of options.tag_on_failure) event.tag(t);
        return false;
      }
    };
    return {
      filter() {
        throw new Error('elasticsearch filter: only runs on batches');
      },
      async filterBatch(events, matched) {
        let next = 0;
        const runner = async (): Promise<void> => {
          while (next < events.length) {
            const event = events[next++]!;
            if (await process(event)) matched(event);
          }
        };
        await Promise.all(Array.from({ length: Math.min(CONCURRENCY, events.length) }, runner));
        return events;
      },
      close() {
        return transport.close();
      },
    };
  },
});
