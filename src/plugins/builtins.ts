/** Every plugin logpipe ships, registered by name. Add a plugin here when you add its folder. */
import { PluginRegistry } from './registry.js';
import type { PluginDefinition } from './api.js';
import { CODECS } from './codecs/index.js';
import { generatorInput } from './inputs/generator/index.js';
import { stdinInput } from './inputs/stdin/index.js';
import { kafkaInput } from './inputs/kafka/index.js';
import { rabbitmqInput } from './inputs/rabbitmq/index.js';
import { redisInput } from './inputs/redis/index.js';
import { jdbcInput } from './inputs/jdbc/index.js';
import { fileInput } from './inputs/file/index.js';
import { logInput } from './inputs/log/index.js';
import { filestreamInput } from './inputs/filestream/index.js';
import { beatsInput } from './inputs/beats/index.js';
import { tcpInput } from './inputs/tcp/index.js';
import { udpInput } from './inputs/udp/index.js';
import { syslogInput } from './inputs/syslog/index.js';
import { gelfInput } from './inputs/gelf/index.js';
import { httpInput } from './inputs/http/index.js';
import { fileOutput } from './outputs/file/index.js';
import { beatsFileOutput } from './outputs/beats_file/index.js';
import { nullOutput } from './outputs/null/index.js';
import { redisOutput } from './outputs/redis/index.js';
import { stdoutOutput } from './outputs/stdout/index.js';
import { kafkaOutput } from './outputs/kafka/index.js';
import { rabbitmqOutput } from './outputs/rabbitmq/index.js';
import { elasticsearchOutput, opensearchOutput } from './outputs/elasticsearch/index.js';
import { jdbcOutput, sqlOutput } from './outputs/sql/index.js';
import { logstashOutput } from './outputs/logstash/index.js';
import { tcpOutput } from './outputs/tcp/index.js';
import { udpOutput } from './outputs/udp/index.js';
import { httpOutput } from './outputs/http/index.js';
import { cloneFilter } from './filters/clone/index.js';
import { dedupFilter } from './filters/dedup/index.js';
import { grokFilter } from './filters/grok/index.js';
import { geoipFilter } from './filters/geoip/index.js';
import { useragentFilter } from './filters/useragent/index.js';
import { jsFilter } from './filters/js/index.js';
import { rubyFilter } from './filters/ruby/index.js';
import { translateFilter } from './filters/translate/index.js';
import { dateFilter } from './filters/date/index.js';
import { uuidFilter } from './filters/uuid/index.js';
import { fingerprintFilter } from './filters/fingerprint/index.js';
import { mutateFilter } from './filters/mutate/index.js';
import { dropFilter } from './filters/drop/index.js';
import { jsonFilter } from './filters/json/index.js';
import { kvFilter } from './filters/kv/index.js';
import { dissectFilter } from './filters/dissect/index.js';
import { csvFilter } from './filters/csv/index.js';
import { pruneFilter } from './filters/prune/index.js';
import { splitFilter } from './filters/split/index.js';
import { truncateFilter } from './filters/truncate/index.js';
import { urldecodeFilter } from './filters/urldecode/index.js';
import { aggregateFilter } from './filters/aggregate/index.js';
import { multilineFilter } from './filters/multiline/index.js';
import { elapsedFilter } from './filters/elapsed/index.js';
import { metricsFilter } from './filters/metrics/index.js';
import { xmlFilter } from './filters/xml/index.js';
import { dnsFilter } from './filters/dns/index.js';
import { memcachedFilter } from './filters/memcached/index.js';
import { httpFilter } from './filters/http/index.js';
import { jdbcStreamingFilter } from './filters/jdbc_streaming/index.js';
import { jdbcStaticFilter } from './filters/jdbc_static/index.js';
import { elasticsearchFilter } from './filters/elasticsearch/index.js';
import { bytesFilter } from './filters/bytes/index.js';
import { deDotFilter } from './filters/de_dot/index.js';
import { jsonEncodeFilter } from './filters/json_encode/index.js';
import { ageFilter } from './filters/age/index.js';
import { environmentFilter } from './filters/environment/index.js';
import { sleepFilter } from './filters/sleep/index.js';
import { cidrFilter } from './filters/cidr/index.js';
import { tldFilter } from './filters/tld/index.js';
import { throttleFilter } from './filters/throttle/index.js';
import { beatsAddFieldsFilter } from './filters/beats_add_fields/index.js';
import { beatsAddTagsFilter } from './filters/beats_add_tags/index.js';
import { beatsDropFieldsFilter } from './filters/beats_drop_fields/index.js';
import { beatsIncludeFieldsFilter } from './filters/beats_include_fields/index.js';
import { beatsDropEventFilter } from './filters/beats_drop_event/index.js';
import { beatsRenameFilter } from './filters/beats_rename/index.js';
import { beatsDecodeJsonFieldsFilter } from './filters/beats_decode_json_fields/index.js';
import { beatsDissectFilter } from './filters/beats_dissect/index.js';
import { beatsAddHostMetadataFilter } from './filters/beats_add_host_metadata/index.js';
import { syslogPriFilter } from './filters/syslog_pri/index.js';

const BUILTINS: PluginDefinition[] = [
  ...CODECS,
  generatorInput,
  stdinInput,
  kafkaInput,
  rabbitmqInput,
  redisInput,
  jdbcInput,
  fileInput,
  logInput,
  filestreamInput,
  beatsInput,
  tcpInput,
  udpInput,
  syslogInput,
  gelfInput,
  httpInput,
  stdoutOutput,
  fileOutput,
  beatsFileOutput,
  nullOutput,
  kafkaOutput,
  rabbitmqOutput,
  elasticsearchOutput,
  opensearchOutput,
  redisOutput,
  sqlOutput,
  jdbcOutput,
  logstashOutput,
  tcpOutput,
  udpOutput,
  httpOutput,
  cloneFilter,
  bytesFilter,
  jdbcStreamingFilter,
  jdbcStaticFilter,
  elasticsearchFilter,
  memcachedFilter,
  httpFilter,
  dnsFilter,
  xmlFilter,
  metricsFilter,
  aggregateFilter,
  multilineFilter,
  elapsedFilter,
  deDotFilter,
  jsonEncodeFilter,
  ageFilter,
  environmentFilter,
  sleepFilter,
  cidrFilter,
  tldFilter,
  throttleFilter,
  dedupFilter,
  grokFilter,
  geoipFilter,
  useragentFilter,
  jsFilter,
  rubyFilter,
  translateFilter,
  dateFilter,
  uuidFilter,
  fingerprintFilter,
  mutateFilter,
  dropFilter,
  jsonFilter,
  kvFilter,
  dissectFilter,
  csvFilter,
  pruneFilter,
  splitFilter,
  truncateFilter,
  urldecodeFilter,
  beatsAddFieldsFilter,
  beatsAddTagsFilter,
  beatsDropFieldsFilter,
  beatsIncludeFieldsFilter,
  beatsDropEventFilter,
  beatsRenameFilter,
  beatsDecodeJsonFieldsFilter,
  beatsDissectFilter,
  beatsAddHostMetadataFilter,
  syslogPriFilter,
] as PluginDefinition[];

let shared: PluginRegistry | undefined;

/** The registry of built-in plugins (one per thread, built on first use). */
export function builtinRegistry(): PluginRegistry {
  if (!shared) {
    shared = new PluginRegistry();
    for (const definition of BUILTINS) shared.register(definition);
  }
  return shared;
}
