/**
 * elasticsearch output (also registered as `opensearch`, the name of the OpenSearch project's
 * Logstash plugin): events → bulk API requests to Elasticsearch 7/8/9 or OpenSearch 1/2/3.
 * Workers build the bulk body (bulk-encoder.ts); the main thread sends it and reads each item's
 * result (sink.ts). See docs/plugins/outputs/elasticsearch.md and docs/decisions/0019.
 */
import { ConfigError } from '../../../core/errors.js';
import type { OptionsOf } from '../../../config/schema.js';
import { defineOutput, type OutputDefinition, type PluginContext, type RetryPolicy } from '../../api.js';
import type { BulkBatch } from './bulk-batch.js';
import { createBulkEncoder, type BulkEncoderSettings } from './bulk-encoder.js';
import { openTransport } from '../../elasticsearch/connection.js';
import { ELASTICSEARCH_OPTIONS } from './options.js';
import { ElasticsearchSink, type TemplatePlan } from './sink.js';
import { readTemplateFile } from './templates.js';

type Options = OptionsOf<typeof ELASTICSEARCH_OPTIONS>;

/** Options a data stream cannot take (Logstash refuses the same). */
const NOT_WITH_DATA_STREAMS = ['index', 'document_type', 'template', 'template_name', 'ilm_rollover_alias', 'ilm_pattern', 'ilm_policy', 'routing', 'script'] as const;

function dataStreamOn(options: Options, ctx: PluginContext): boolean {
  if (options.data_stream === 'true') return true;
  if (options.data_stream === 'false') return false;
  // auto: as Logstash, only where nothing set asks for a plain index.
  const actionFits = options.action === 'create' || options.action === 'index';
  return ctx.ecs !== 'disabled' && actionFits && options.document_id === undefined && NOT_WITH_DATA_STREAMS.every((k) => options[k] === undefined);
}

/** The checks `logpipe check` cannot express in the schema; the same in the worker and the main thread. */
function resolve(options: Options, ctx: PluginContext): BulkEncoderSettings {
  const where = ctx.location;
  if (options.ilm_enabled === 'true') {
    throw new ConfigError(`${ctx.name}: ilm_enabled => true is not supported: this output manages no ILM policy or rollover alias`, where, 'write to a data stream (data_stream => true; the server rolls it over by its lifecycle policy), or name a policy in your template (index.lifecycle.name) and write to an index pattern');
  }
  if (options.sniffing) throw new ConfigError(`${ctx.name}: sniffing is not supported`, where, 'list every node to use in hosts');
  if (options.script !== undefined) throw new ConfigError(`${ctx.name}: scripted updates (script) are not supported`, where, 'use action => "update" with doc_as_upsert or upsert, or an ingest pipeline');
  if (!(options.retry_on_conflict >= 0) || !Number.isInteger(options.retry_on_conflict)) throw new ConfigError(`${ctx.name}: retry_on_conflict must be a whole number`, where);
  const stream = dataStreamOn(options, ctx);
  if (stream) {
    const clashing = NOT_WITH_DATA_STREAMS.filter((k) => options[k] !== undefined);
    if (clashing.length > 0) throw new ConfigError(`${ctx.name}: data_stream => true cannot take ${clashing.join(', ')}`, where, 'the data stream <type>-<dataset>-<namespace> is the target; set data_stream => false to write to an index');
    if (options.action !== 'create' && options.action !== 'index') throw new ConfigError(`${ctx.name}: a data stream only takes action create`, where);
    for (const [key, value] of [['data_stream_dataset', options.data_stream_dataset], ['data_stream_namespace', options.data_stream_namespace]] as const) {
      if (/[\\/*?"<>| ,#:-]/.test(value) || value !== value.toLowerCase()) throw new ConfigError(`${ctx.name}: ${key} "${value}" must be lowercase without \\ / * ? " < > | , # : - or spaces`, where);
    }
  } else if (!options.action.includes('%{')) {
    if (!['index', 'create', 'update', 'delete'].includes(options.action)) throw new ConfigError(`${ctx.name}: action must be index, create, update or delete (or a %{field} template), got "${options.action}"`, where);
    if ((options.action === 'update' || options.action === 'delete') && options.document_id === undefined) throw new ConfigError(`${ctx.name}: action ${options.action} needs document_id`, where);
  }
  if (options.upsert !== '' && options.doc_as_upsert) throw new ConfigError(`${ctx.name}: upsert and doc_as_upsert exclude each other`, where);
  const ecs = ctx.ecs !== 'disabled';
  return {
    index: stream ? undefined : options.index ?? (ecs ? 'ecs-logstash-%{+yyyy.MM.dd}' : 'logstash-%{+yyyy.MM.dd}'),
    action: options.action,
    documentId: options.document_id,
    routing: options.routing,
    pipeline: options.pipeline,
    version: options.version,
    versionType: options.version_type,
    docAsUpsert: options.doc_as_upsert,
    upsert: options.upsert,
    retryOnConflict: options.retry_on_conflict,
    dataStream: stream
      ? {
        type: options.data_stream_type,
        dataset: options.data_stream_dataset,
        namespace: options.data_stream_namespace,
        autoRouting: options.data_stream_auto_routing,
        syncFields: options.data_stream_sync_fields,
      }
      : undefined,
  };
}

function templatePlan(options: Options, ctx: PluginContext, settings: BulkEncoderSettings): TemplatePlan | undefined {
  if (!options.manage_template || settings.dataStream) return undefined;
  const ecs = ctx.ecs !== 'disabled';
  const defaultName = ecs ? 'ecs-logstash' : 'logstash';
  // The shipped template covers the default index; with another index it covers that index's
  // prefix up to its first interpolation (foo-%{+YYYY.MM} → foo-*), as a template for it must.
  const index = settings.index!;
  const prefix = index.split('%{')[0]!;
  const pattern = index.includes('%{') ? `${prefix}*` : index;
  return {
    name: options.template_name ?? defaultName,
    api: options.template_api as TemplatePlan['api'],
    overwrite: options.template_overwrite,
    body: options.template === undefined ? undefined : readTemplateFile(options.template, ctx.location),
    defaultPattern: pattern,
  };
}

function createSink(options: Options, ctx: PluginContext): { sink: ElasticsearchSink; retry: RetryPolicy } {
  const settings = resolve(options, ctx);
  if (!(options.target_bulk_bytes > 0)) throw new ConfigError(`${ctx.name}: target_bulk_bytes must be positive`, ctx.location);
  const failureCodes = new Set(options.dlq_custom_codes.map((c) => Number(c)));
  for (const code of failureCodes) if (!Number.isInteger(code) || code < 400 || code > 599) throw new ConfigError(`${ctx.name}: dlq_custom_codes holds ${code}; only 4xx and 5xx statuses`, ctx.location);
  const transport = openTransport(options, '127.0.0.1', options.cacert ? [options.cacert] : [], ctx);
  const sink = new ElasticsearchSink({
    transport,
    logger: ctx.logger,
    compression: options.http_compression,
    targetBulkBytes: options.target_bulk_bytes,
    failureCodes,
    template: templatePlan(options, ctx, settings),
    dataStreamType: settings.dataStream?.type,
    manageTemplate: options.manage_template,
    documentTypeWarning: options.document_type === undefined ? undefined : `${ctx.name}: document_type "${options.document_type}" ignored: Elasticsearch 7+ and OpenSearch have no mapping types (documents are written as _doc)`,
  });
  // Failed requests and items are retried until delivered, from retry_initial_interval doubling
  // to retry_max_interval, as in Logstash.
  const retry = { initialMs: options.retry_initial_interval * 1000, maxMs: Math.max(options.retry_initial_interval, options.retry_max_interval) * 1000, maxAttempts: 0 };
  return { sink, retry };
}

function definition(name: string, description: string): OutputDefinition<typeof ELASTICSEARCH_OPTIONS> {
  return defineOutput({
    kind: 'output',
    name,
    description,
    options: ELASTICSEARCH_OPTIONS,
    createEncoder(options, ctx) {
      return createBulkEncoder(resolve(options, ctx));
    },
    createSink(options, ctx) {
      const { sink, retry } = createSink(options, ctx);
      return { write: (data) => sink.write(data as BulkBatch), close: () => sink.close(), retry };
    },
  });
}

export const elasticsearchOutput = definition(
  'elasticsearch',
  'Writes events to Elasticsearch 7/8/9 or OpenSearch 1/2/3 with the bulk API: index templates at startup, per-document results (429/5xx retried, mapping errors to the failure path), data streams.',
);

export const opensearchOutput = definition(
  'opensearch',
  'The elasticsearch output under the name of the OpenSearch project\'s Logstash plugin: the same options and behaviour, for OpenSearch 1/2/3.',
);
