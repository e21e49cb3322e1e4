/**
 * The elasticsearch output's options: the names, types and defaults of Logstash's
 * logstash-output-elasticsearch (and of the OpenSearch project's logstash-output-opensearch, which
 * shares them). What is accepted but has no effect here says so in its description; what is out of
 * reach is refused when the configuration is checked (see validateOptions in index.ts).
 */
import type { Schema } from '../../../config/schema.js';
import { ELASTICSEARCH_CLIENT_OPTIONS } from '../../elasticsearch/connection.js';

export const ACTIONS = ['index', 'create', 'update', 'delete'] as const;
export type BulkAction = (typeof ACTIONS)[number];

export const ELASTICSEARCH_OPTIONS = {
  hosts: { type: 'string_list', description: 'Nodes to send bulk requests to, round robin with failover: "host", "host:port", "http://host:port/path" or "https://…" (port 9200 when left out). Default 127.0.0.1, or the cloud_id\'s endpoint.' },
  path: { type: 'string', description: 'Path prefix of every request (a node behind a proxy at /es); a path in a host URL wins.' },
  ...ELASTICSEARCH_CLIENT_OPTIONS,
  index: { type: 'string', description: 'Index to write to; sprintf per event, with dates from @timestamp in UTC (foo-%{+YYYY.MM.dd}). Default logstash-%{+yyyy.MM.dd}, or ecs-logstash-%{+yyyy.MM.dd} with ECS on.' },
  document_id: { type: 'string', description: 'Document _id; sprintf per event. Set it (a fingerprint of the event) to make redelivered events overwrite themselves instead of duplicating.' },
  document_type: { type: 'string', description: 'Mapping type: Elasticsearch 7+ and OpenSearch have none; accepted and ignored with one warning.' },
  action: { type: 'string', default: 'index', description: 'Bulk action: index, create, update or delete; sprintf per event (%{[@metadata][action]}).' },
  doc_as_upsert: { type: 'boolean', default: false, description: 'With action update: create the document from the event when it does not exist.' },
  upsert: { type: 'string', default: '', description: 'With action update: JSON of the document to create when it does not exist; sprintf per event.' },
  retry_on_conflict: { type: 'number', default: 1, description: 'With action update: times the server retries a version conflict itself.' },
  routing: { type: 'string', description: 'Shard routing value; sprintf per event.' },
  pipeline: { type: 'string', description: 'Ingest pipeline to run each document through; sprintf per event (an empty result sends none).' },
  version: { type: 'string', description: 'External document version; sprintf per event (with version_type).' },
  version_type: { type: 'string', values: ['internal', 'external', 'external_gt', 'external_gte'], description: 'How `version` is compared.' },

  manage_template: { type: 'boolean', default: true, description: 'Install an index template at startup (the shipped one, or `template`). Off for data streams.' },
  template: { type: 'path', description: 'JSON file of the index template to install (legacy or composable shape; converted to the API in use).' },
  template_name: { type: 'string', description: 'Name of the installed template; default logstash, or ecs-logstash with ECS on.' },
  template_overwrite: { type: 'boolean', default: false, description: 'Replace a template of that name that already exists (else it is left alone).' },
  template_api: { type: 'string', default: 'auto', values: ['auto', 'legacy', 'composable'], description: 'Template API: legacy (_template), composable (_index_template), or auto (composable on Elasticsearch 8+ and OpenSearch, legacy on Elasticsearch 7).' },

  data_stream: { type: 'string', default: 'false', values: ['auto', 'true', 'false'], description: 'Write to a data stream (<type>-<dataset>-<namespace>) with action create. auto: on when ECS is on and no option that data streams cannot take is set.' },
  data_stream_type: { type: 'string', default: 'logs', values: ['logs', 'metrics', 'synthetics', 'traces'], description: 'Data stream type.' },
  data_stream_dataset: { type: 'string', default: 'generic', description: 'Data stream dataset.' },
  data_stream_namespace: { type: 'string', default: 'default', description: 'Data stream namespace.' },
  data_stream_auto_routing: { type: 'boolean', default: true, description: 'Take the data stream from the event\'s [data_stream][type|dataset|namespace] when set.' },
  data_stream_sync_fields: { type: 'boolean', default: true, description: 'Write the data stream actually used into the document\'s data_stream.* fields.' },

  ilm_enabled: { type: 'string', default: 'auto', values: ['auto', 'true', 'false'], description: 'Index lifecycle management. auto and false: this output manages no ILM policy or rollover alias (use data streams, or set index.lifecycle.name in your template); true is refused.' },
  ilm_rollover_alias: { type: 'string', description: 'Only with ilm_enabled true, which is refused: use a data stream.' },
  ilm_pattern: { type: 'string', description: 'Only with ilm_enabled true, which is refused: use a data stream.' },
  ilm_policy: { type: 'string', description: 'Only with ilm_enabled true, which is refused: use a data stream.' },

  http_compression: { type: 'boolean', default: false, description: 'Gzip request bodies (Content-Encoding: gzip).' },
  target_bulk_bytes: { type: 'bytes', default: 20 * 1024 * 1024, description: 'A bulk request holds at most this many bytes (one larger event goes alone); a batch larger than this is sent as several requests.' },
  timeout: { type: 'number', default: 60, description: 'Seconds a request may take before it is abandoned and retried.' },
  retry_initial_interval: { type: 'number', default: 2, description: 'Seconds before the first retry of a failed request or of failed items; doubles each time.' },
  retry_max_interval: { type: 'number', default: 64, description: 'Longest wait between retries, in seconds.' },
  resurrect_delay: { type: 'number', default: 5, description: 'Seconds a node that failed is left out of the rotation before it is tried again.' },
  dlq_custom_codes: { type: 'array', default: [], description: 'Item statuses handled like 400/404: sent to the failure path instead of retried.' },

  cacert: { type: 'path', deprecated: 'use ssl_certificate_authorities', description: 'Deprecated name of ssl_certificate_authorities (one PEM file).' },
  ssl_certificate_verification: { type: 'boolean', deprecated: 'use ssl_verification_mode', description: 'Deprecated: false is ssl_verification_mode => none.' },

  pool_max: { type: 'number', default: 1000, ignored: 'connections are pooled per node by the HTTP client', description: 'Accepted for compatibility.' },
  pool_max_per_route: { type: 'number', default: 100, ignored: 'connections are pooled per node by the HTTP client', description: 'Accepted for compatibility.' },
  validate_after_inactivity: { type: 'number', default: 10000, ignored: 'the HTTP client detects closed keep-alive connections itself', description: 'Accepted for compatibility.' },
  sniffing: { type: 'boolean', default: false, description: 'Discover nodes from the cluster: true is refused (list the nodes in hosts).' },
  healthcheck_path: { type: 'string', ignored: 'a node left out after a failure is tried again on the next request after resurrect_delay', description: 'Accepted for compatibility.' },
  flush_size: { type: 'number', obsolete: 'the pipeline batch size (pipeline.batch.size) and target_bulk_bytes decide the size of bulk requests', description: 'Obsolete.' },
  idle_flush_time: { type: 'number', obsolete: 'batches are sent when the pipeline hands them over (pipeline.batch.delay)', description: 'Obsolete.' },
  script: { type: 'string', description: 'Scripted updates are not supported: refused when set.' },
  codec: { type: 'codec', default: { name: 'plain', settings: [] }, description: 'Ignored: documents are always the event as JSON (as in Logstash).' },
} as const satisfies Schema;
