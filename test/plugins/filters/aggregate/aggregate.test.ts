import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonPipeline as pipeline, sendFields as send, writtenFields as written, type Fields } from '../../../helpers/json-pipeline.js';


// Logstash's docs, example 1: SQL durations summed per task by three filters sharing the maps.
const SQL_EXAMPLE = `
  if [logger] == "TASK_START" {
    aggregate { task_id => "%{taskid}" code => "map['sql_duration'] = 0" map_action => "create" }
  }
  if [logger] == "SQL" {
    aggregate { task_id => "%{taskid}" code => "map['sql_duration'] += event.get('duration')" map_action => "update" }
  }
  if [logger] == "TASK_END" {
    aggregate { task_id => "%{taskid}" code => "event.set('sql_duration', map['sql_duration'])" map_action => "update" end_of_task => true timeout => 120 }
  }`;

for (const ecs of ['disabled', 'v8'] as const) {
  test(`aggregate (ecs ${ecs}): the docs' SQL example sums the durations of each task onto its end event`, async () => {
    const core = await pipeline(SQL_EXAMPLE, ecs);
    const out = await send(core, [
      { logger: 'TASK_START', taskid: 't1' },
      { logger: 'TASK_START', taskid: 't2' },
      { logger: 'SQL', taskid: 't1', duration: 12 },
      { logger: 'SQL', taskid: 't2', duration: 5 },
      { logger: 'SQL', taskid: 't1', duration: 34 },
      { logger: 'TASK_END', taskid: 't1' },
      { logger: 'SQL', taskid: 'unknown', duration: 99 },
    ]);
    assert.equal(out.length, 7, 'every event goes on');
    // (Events come out grouped by the branch they took, as in Logstash: find them by content.)
    const end = out.filter((e) => e['logger'] === 'TASK_END');
    assert.equal(end.length, 1);
    assert.equal(end[0]!['sql_duration'], 46);
    assert.equal(out.filter((e) => e['sql_duration'] !== undefined).length, 1, 'the map is not put on other events');
    assert.equal(out.find((e) => e['taskid'] === 'unknown')!['tags'], undefined, 'update on a task without a map: skipped, not an error');
    // t1 ended: a later end for it has no map; t2 still has its own.
    const later = await send(core, [{ logger: 'TASK_END', taskid: 't1' }, { logger: 'TASK_END', taskid: 't2' }]);
    assert.equal(later.find((e) => e['taskid'] === 't1')!['sql_duration'], undefined);
    assert.equal(later.find((e) => e['taskid'] === 't2')!['sql_duration'], 5);
    await core.close();
  });
}

test('aggregate: push_previous_map_as_event pushes each finished task\'s map when the next task starts, and the last at shutdown', async () => {
  // Logstash's docs, example 4 (towns by country).
  const core = await pipeline(`aggregate {
    task_id => "%{country_name}"
    code => "
      map['country_name'] ||= event.get('country_name')
      map['towns'] ||= []
      map['towns'] << {'town_name' => event.get('town_name')}
      event.cancel()
    "
    push_previous_map_as_event => true
    timeout => 3
    timeout_task_id_field => "task"
    timeout_tags => ["pushed"]
  }`);
  const out = await send(core, [
    { country_name: 'France', town_name: 'Paris' },
    { country_name: 'France', town_name: 'Marseille' },
    { country_name: 'USA', town_name: 'New York' },
  ]);
  assert.equal(out.length, 1, 'the events are cancelled; France is pushed when USA starts');
  assert.equal(out[0]!['country_name'], 'France');
  assert.deepEqual(out[0]!['towns'], [{ town_name: 'Paris' }, { town_name: 'Marseille' }]);
  assert.equal(out[0]!['task'], 'France');
  assert.deepEqual(out[0]!['tags'], ['pushed']);
  assert.equal(typeof out[0]!['@timestamp'], 'string');
  assert.equal(written(await core.flush(false)).length, 0, 'USA is not expired yet');
  const last = written(await core.flush(true));
  assert.equal(last.length, 1);
  assert.deepEqual(last[0]!['towns'], [{ town_name: 'New York' }]);
  await core.close();
});

test('aggregate: an expired map is pushed as an event with timeout_task_id_field, timeout_tags and timeout_code', async () => {
  // Logstash's docs, example 3 (clicks per user), with a short timeout.
  const core = await pipeline(`aggregate {
    task_id => "%{user_id}"
    code => "map['clicks'] ||= 0; map['clicks'] += 1;"
    push_map_as_event_on_timeout => true
    timeout_task_id_field => "user_id"
    timeout => 1
    timeout_tags => ['_aggregatetimeout']
    timeout_code => "event.set('several_clicks', event.get('clicks') > 1)"
    add_tag => ["aggregated"]
  }`);
  const out = await send(core, [{ user_id: 'u1' }, { user_id: 'u1' }, { user_id: 'u2' }]);
  assert.equal(out.length, 3);
  assert.deepEqual(out[0]!['tags'], ['aggregated']);
  assert.equal(written(await core.flush(false)).length, 0, 'not yet expired');
  await new Promise((r) => setTimeout(r, 1100));
  const pushed = written(await core.flush(false)).sort((a, b) => String(a['user_id']).localeCompare(String(b['user_id'])));
  assert.equal(pushed.length, 2);
  assert.deepEqual(pushed.map((e) => [e['user_id'], e['clicks'], e['several_clicks']]), [['u1', 2, true], ['u2', 1, false]]);
  assert.deepEqual(pushed[0]!['tags'], ['_aggregatetimeout', 'aggregated'], 'timeout tags, then the filter\'s decorations');
  assert.equal(written(await core.flush(false)).length, 0, 'pushed once');
  // A new event of u1 starts a new map.
  await send(core, [{ user_id: 'u1' }]);
  await new Promise((r) => setTimeout(r, 1100));
  assert.deepEqual(written(await core.flush(false)).map((e) => e['clicks']), [1]);
  await core.close();
});

test('aggregate: inactivity_timeout expires a task that stopped receiving events; without push the map is just dropped', async () => {
  const core = await pipeline(`aggregate { task_id => "%{id}" code => "map['n'] = (map['n'] || 0) + 1; event.set('n', map['n'])" timeout => 30 inactivity_timeout => 1 }`);
  assert.deepEqual((await send(core, [{ id: 'a' }, { id: 'a' }])).map((e) => e['n']), [1, 2]);
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal(written(await core.flush(false)).length, 0, 'dropped, not pushed');
  assert.deepEqual((await send(core, [{ id: 'a' }])).map((e) => e['n']), [1], 'a new map after inactivity');
  await core.close();
});

test('aggregate: timeout_timestamp_field measures timeouts on event time (a replay of old logs)', async () => {
  const core = await pipeline(`aggregate { task_id => "%{id}" code => "map['n'] = (map['n'] || 0) + 1" push_map_as_event_on_timeout => true timeout => 60 timeout_timestamp_field => "@timestamp" timeout_task_id_field => "id" }`);
  const out = await send(core, [
    { id: 'old', '@timestamp': '2020-01-01T00:00:00.000Z' },
    { id: 'old', '@timestamp': '2020-01-01T00:00:30.000Z' },
    { id: 'new', '@timestamp': '2020-01-01T00:05:00.000Z' },
  ]);
  assert.equal(out.length, 4, 'the third event, five minutes later in event time, expires the first task');
  const pushed = out.find((e) => e['id'] === 'old' && e['n'] !== undefined);
  assert.ok(pushed);
  assert.equal(pushed['n'], 2);
  await core.close();
});

test('aggregate: code may emit new events through new_event_block', async () => {
  const core = await pipeline(`aggregate { task_id => "%{id}" code => "map['n'] = (map['n'] || 0) + 1; new_event_block.call(LogStash::Event.new('made' => map['n'])) if event.get('emit')" }`);
  const out = await send(core, [{ id: 'k' }, { id: 'k', emit: true }]);
  assert.equal(out.length, 3);
  assert.deepEqual(out.map((e) => e['made']).filter((m) => m !== undefined), [2]);
  await core.close();
});

test('aggregate: the map keeps plain data between events: symbol keys become strings, a Time its ISO-8601 string', async () => {
  const core = await pipeline(`aggregate { task_id => "%{id}" code => "if map.empty? then map[:sym] = 1; map['at'] = Time.at(0).utc; map['list'] = [1, {'a' => nil}] else event.set('seen', map) end" }`);
  const out = await send(core, [{ id: 'p' }, { id: 'p' }]);
  const seen = out[1]!['seen'] as Fields;
  assert.equal(seen['sym'], 1);
  assert.deepEqual(seen['list'], [1, { a: null }]);
  assert.match(String(seen['at']), /^1970-01-01/);
  await core.close();
});

test('aggregate: a filter with only end_of_task ends the task another filter of the pattern fills (no interpreter needed)', async () => {
  const core = await pipeline(`
    aggregate { task_id => "%{id}" code => "map['n'] = (map['n'] || 0) + 1; event.set('n', map['n'])" }
    if [last] { aggregate { task_id => "%{id}" end_of_task => true map_action => "update" add_tag => ["ended"] } }`);
  // (Each filter runs over the whole batch before the next one, as in Logstash: the end comes in its own batch.)
  const out = await send(core, [{ id: 'a' }, { id: 'a', last: true }]);
  assert.deepEqual(out.map((e) => e['n']).sort(), [1, 2]);
  assert.deepEqual(out.find((e) => e['last'] === true)!['tags'], ['ended']);
  assert.deepEqual((await send(core, [{ id: 'a' }])).map((e) => e['n']), [1], 'the task ended: a new map');
  await core.close();
});

test('aggregate: map_action create only creates; an unresolved task_id leaves the event alone', async () => {
  const core = await pipeline(`aggregate { task_id => "%{id}" code => "map['seen'] = true; event.set('created', true)" map_action => "create" add_tag => ["matched"] }`);
  const out = await send(core, [{ id: 'x' }, { id: 'x' }, { other: 1 }]);
  assert.equal(out[0]!['created'], true);
  assert.deepEqual(out[0]!['tags'], ['matched']);
  assert.equal(out[1]!['created'], undefined, 'the map exists: create skips');
  assert.equal(out[1]!['tags'], undefined, 'a skipped event is not decorated');
  assert.equal(out[2]!['tags'], undefined);
  await core.close();
});

test('aggregate: code that raises tags the event _aggregateexception, keeps the map changes made before, and the pipeline goes on', async () => {
  const core = await pipeline(`aggregate { task_id => "%{id}" code => "map['n'] = (map['n'] || 0) + 1; raise 'boom' if event.get('bad'); event.set('n', map['n'])" add_tag => ["ok"] }`);
  const out = await send(core, [{ id: 't' }, { id: 't', bad: true }, { id: 't' }]);
  assert.equal(out.length, 3);
  assert.deepEqual(out[0]!['tags'], ['ok']);
  assert.deepEqual(out[1]!['tags'], ['_aggregateexception'], 'tagged, not decorated');
  assert.equal(out[2]!['n'], 3, 'the failed event\'s increment stayed in the map');
  assert.equal(out[2]!['@metadata'], undefined);
  await core.close();
});

test('aggregate: code that does not compile, and timeout options on two filters of one pattern, are configuration errors', async () => {
  await assert.rejects(pipeline(`aggregate { task_id => "%{id}" code => "map['x' = 1" }`), /aggregate: the code does not compile/);
  await assert.rejects(
    pipeline(`aggregate { task_id => "%{id}" code => "map['a'] = 1" timeout => 5 } aggregate { task_id => "%{id}" code => "map['b'] = 1" timeout => 6 }`),
    /more than one aggregate filter defines timeout options/,
  );
  await assert.rejects(pipeline(`aggregate { task_id => "%{id}" code => "map_meta.timeout = 5" }`), /code uses map_meta, which logpipe does not provide yet/);
  await assert.rejects(pipeline(`aggregate { task_id => "%{id}" code => "" timeout => 5 inactivity_timeout => 10 }`), /inactivity_timeout \(10\) must be positive and lower than timeout/);
});

test('aggregate: aggregate_maps_path saves the maps at shutdown and loads them (then deletes the file) at start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-aggregate-'));
  const file = join(dir, 'maps.json');
  const config = `aggregate { task_id => "%{id}" code => "map['sum'] = (map['sum'] || 0) + event.get('v'); event.set('sum', map['sum'])" aggregate_maps_path => "${file}" }`;
  try {
    const first = await pipeline(config);
    await send(first, [{ id: 'a', v: 2 }, { id: 'b', v: 10 }, { id: 'a', v: 3 }]);
    await first.close();
    assert.ok(existsSync(file), 'saved at shutdown');
    assert.match(readFileSync(file, 'utf8'), /"sum":5/);
    const second = await pipeline(config);
    assert.equal(existsSync(file), false, 'deleted once loaded');
    assert.deepEqual((await send(second, [{ id: 'a', v: 1 }, { id: 'b', v: 1 }])).map((e) => e['sum']), [6, 11]);
    await second.close();
    writeFileSync(file, '\u0004\b{\u0006I"binary marshal');
    await assert.rejects(pipeline(config), /aggregate_maps_path: .* is not a logpipe aggregate maps file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
