/** The founding article's jdbc block, verbatim, is a valid logpipe configuration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGraph } from '../../../../src/config/load.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';

const SEED_OUTPUT = `input { stdin { } }
output {
        jdbc {
          connection_string => "jdbc:mysql://db_host:3306/for_bar_db?user=username&password=password&useUnicode=true&characterEncoding=UTF-8&autoReconnect=true"
          unsafe_statement => true
          max_flush_exceptions => 10
          retry_initial_interval => 2
          retry_max_interval => 128
          retry_sql_states => ["100","HY00","2015"]
          statement => ["INSERT INTO for_bar_%{ymd} (log_uuid_fp,log_uuid,log_time,ymd,network,active_time,ip,longitude,latitude,region_name,city_name,source_host) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)","log_uuid_fp","log_uuid","log_time","ymd","network","active_time","ip","geoip[longitude]","geoip[latitude]","geoip[region_name]","geoip[city_name]","beat[hostname]"]
        }
}`;

test("the seed's jdbc output block compiles unchanged; its connection string is kept as a secret", () => {
  const graph = loadGraph([{ name: 'seed.conf', text: SEED_OUTPUT }], { registry: builtinRegistry(), supportEscapes: false });
  assert.ok(graph);
  assert.doesNotMatch(JSON.stringify(graph), /password=password/);
});

test('a jdbc block with an unknown option is refused with the closest name', () => {
  assert.throws(() => loadGraph([{ name: 'x.conf', text: 'input { stdin {} } output { jdbc { connection_string => "jdbc:sqlite::memory:" statement => ["SELECT 1"] flush_sise => 5 } }' }],
    { registry: builtinRegistry(), supportEscapes: false }), /unknown option "flush_sise"[\s\S]*flush_size/);
});
