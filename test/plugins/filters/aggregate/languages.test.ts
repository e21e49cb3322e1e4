/**
 * The aggregate filter's scenarios written twice, in Ruby (the default) and in JavaScript
 * (`code_language => "javascript"`), each run with the whole input in one batch and with one
 * event per batch: the outputs must be the expected ones and the same either way, since a batch
 * runs its code in one call into the language while each event must see its task's map exactly
 * as the previous event of the task left it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPipeline as pipeline, sendFields as send, writtenFields as written, type Fields } from '../../../helpers/json-pipeline.js';

type Language = 'ruby' | 'javascript';
const LANGUAGES: Language[] = ['ruby', 'javascript'];

/** The output without what differs from run to run (times). */
const stable = (events: Fields[]): Fields[] => events.map(({ '@timestamp': _t, ...rest }) => rest);

/** A config option's value as a config string (double quotes escaped). */
const quoted = (code: string): string => `"${code.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Runs `filters` over `input` in batches of `size` events; returns the events, and the final flush's. */
async function run(filters: string, input: Fields[], size: number): Promise<{ out: Fields[]; last: Fields[] }> {
  const core = await pipeline(filters);
  const out: Fields[] = [];
  for (let i = 0; i < input.length; i += size) out.push(...(await send(core, input.slice(i, i + size))));
  const last = written(await core.flush(true));
  await core.close();
  return { out, last };
}

/**
 * Runs one aggregate filter (no conditionals) over `input` in one batch, then one event per
 * batch: both must give the same events, returned with the final flush's.
 */
async function runBoth(filters: string, input: Fields[]): Promise<{ out: Fields[]; last: Fields[] }> {
  const whole = await run(filters, input, input.length);
  const single = await run(filters, input, 1);
  assert.deepEqual(stable(single.out), stable(whole.out), 'one event per batch gives what one batch gives');
  assert.deepEqual(stable(single.last), stable(whole.last));
  return whole;
}

const code = (language: Language, ruby: string, javascript: string): string =>
  `code_language => "${language}" code => ${quoted(language === 'ruby' ? ruby : javascript)}`;

for (const language of LANGUAGES) {
  test(`aggregate (${language}): the docs' SQL example, tasks interleaved, a task id reused after its end; in one batch, filter by filter`, async () => {
    const c = (ruby: string, js: string): string => code(language, ruby, js);
    const config =
      `if [logger] == "TASK_START" {
         aggregate { task_id => "%{taskid}" ${c("map['sql_duration'] = 0", 'map.sql_duration = 0;')} map_action => "create" }
       }
       if [logger] == "SQL" {
         aggregate { task_id => "%{taskid}" ${c("map['sql_duration'] += event.get('duration')", "map.sql_duration += event.get('duration');")} map_action => "update" }
       }
       if [logger] == "TASK_END" {
         aggregate { task_id => "%{taskid}" ${c("event.set('sql_duration', map['sql_duration'])", "event.set('sql_duration', map.sql_duration);")} map_action => "update" end_of_task => true timeout => 120 }
       }`;
    const input = [
        { logger: 'TASK_START', taskid: 't1' },
        { logger: 'TASK_START', taskid: 't2' },
        { logger: 'SQL', taskid: 't1', duration: 12 },
        { logger: 'SQL', taskid: 't2', duration: 5 },
        { logger: 'SQL', taskid: 't1', duration: 34 },
        { logger: 'TASK_END', taskid: 't1' },
        { logger: 'TASK_START', taskid: 't1' },
        { logger: 'SQL', taskid: 't1', duration: 1 },
        { logger: 'TASK_END', taskid: 't1' },
        { logger: 'TASK_END', taskid: 't2' },
        { logger: 'SQL', taskid: 'unknown', duration: 99 },
    ];
    const ends = (out: Fields[]): unknown[] => out.filter((e) => e['logger'] === 'TASK_END').map((e) => [e['taskid'], e['sql_duration'] ?? null]);
    const { out } = await run(config, input, 1);
    assert.equal(out.length, 11);
    assert.deepEqual(ends(out), [['t1', 46], ['t1', 1], ['t2', 5]], 'each run of t1 has its own map');
    assert.equal(out.find((e) => e['taskid'] === 'unknown')!['tags'], undefined);
    // In one batch each filter runs over the events its branch took, as in Logstash: every SQL
    // event of t1 is summed before the first TASK_END, and the second TASK_START found t1's map.
    const whole = await run(config, input, input.length);
    assert.deepEqual(ends(whole.out), [['t1', 47], ['t1', null], ['t2', 5]]);
  });

  test(`aggregate (${language}): create / update / create_or_update and end_of_task on one task`, async () => {
    const count = code(language, "map['n'] = (map['n'] || 0) + 1; event.set('n', map['n'])", "map.n = (map.n || 0) + 1; event.set('n', map.n);");
    // Each filter of a branch runs over its part of a batch: one event per batch gives the per-event story.
    const { out } = await run(
      `if [step] == "create" { aggregate { task_id => "%{id}" ${count} map_action => "create" add_tag => ["created"] } }
       else if [step] == "update" { aggregate { task_id => "%{id}" ${count} map_action => "update" add_tag => ["updated"] } }
       else if [step] == "end" { aggregate { task_id => "%{id}" ${count} end_of_task => true add_tag => ["ended"] } }
       else { aggregate { task_id => "%{id}" ${count} } }`,
      [
        { id: 'a', step: 'update', k: 1 },
        { id: 'a', step: 'create', k: 2 },
        { id: 'a', step: 'create', k: 3 },
        { id: 'a', step: 'update', k: 4 },
        { id: 'a', step: 'any', k: 5 },
        { id: 'a', step: 'end', k: 6 },
        { id: 'a', step: 'update', k: 7 },
        { id: 'a', step: 'any', k: 8 },
      ],
      1,
    );
    const byK = new Map(out.map((e) => [e['k'], [e['n'] ?? null, e['tags'] ?? null]]));
    assert.deepEqual([...byK.keys()].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(byK.get(1), [null, null], 'update without a map: left alone');
    assert.deepEqual(byK.get(2), [1, ['created']]);
    assert.deepEqual(byK.get(3), [null, null], 'create with a map: left alone');
    assert.deepEqual(byK.get(4), [2, ['updated']]);
    assert.deepEqual(byK.get(5), [3, null]);
    assert.deepEqual(byK.get(6), [4, ['ended']]);
    assert.deepEqual(byK.get(7), [null, null], 'the task ended: no map to update');
    assert.deepEqual(byK.get(8), [1, null], 'create_or_update starts a new map');
  });

  test(`aggregate (${language}): push_previous_map_as_event pushes each finished task right after the event that starts the next, timeout_code on it`, async () => {
    const { out, last } = await runBoth(
      `aggregate {
         task_id => "%{country_name}"
         ${code(language,
           "map['country_name'] ||= event.get('country_name'); (map['towns'] ||= []) << {'town_name' => event.get('town_name')}; event.cancel",
           "map.country_name ??= event.get('country_name'); (map.towns ??= []).push({ town_name: event.get('town_name') }); event.cancel();")}
         timeout_code => ${quoted(language === 'ruby' ? "event.set('n', event.get('towns').length)" : "event.set('n', event.get('towns').length);")}
         push_previous_map_as_event => true
         timeout => 3
         timeout_task_id_field => "task"
         timeout_tags => ["pushed"]
         add_tag => ["aggregated"]
       }`,
      [
        { country_name: 'France', town_name: 'Paris' },
        { country_name: 'France', town_name: 'Marseille' },
        { country_name: 'USA', town_name: 'New York' },
        { country_name: 'Spain', town_name: 'Madrid' },
        { country_name: 'Spain', town_name: 'Sevilla' },
        { country_name: 'Spain', town_name: 'Bilbao' },
      ],
    );
    assert.deepEqual(stable(out), [
      { country_name: 'France', towns: [{ town_name: 'Paris' }, { town_name: 'Marseille' }], task: 'France', n: 2, tags: ['pushed', 'aggregated'], '@version': '1' },
      { country_name: 'USA', towns: [{ town_name: 'New York' }], task: 'USA', n: 1, tags: ['pushed', 'aggregated'], '@version': '1' },
    ]);
    assert.deepEqual(last.map((e) => [e['task'], e['n']]), [['Spain', 3]], 'the last task at shutdown');
  });

  test(`aggregate (${language}): with timeout_timestamp_field an event expires older tasks, pushed right after it and before later events`, async () => {
    const { out } = await runBoth(
      `aggregate {
         task_id => "%{id}"
         ${code(language, "map['n'] = (map['n'] || 0) + 1; event.set('n', map['n'])", "map.n = (map.n || 0) + 1; event.set('n', map.n);")}
         push_map_as_event_on_timeout => true
         timeout => 60
         timeout_timestamp_field => "@timestamp"
         timeout_task_id_field => "expired"
       }`,
      [
        { id: 'old', '@timestamp': '2020-01-01T00:00:00.000Z' },
        { id: 'old', '@timestamp': '2020-01-01T00:00:30.000Z' },
        { id: 'new', '@timestamp': '2020-01-01T00:05:00.000Z' },
        { id: 'old', '@timestamp': '2020-01-01T00:05:10.000Z' },
      ],
    );
    assert.deepEqual(
      out.map((e) => [e['id'] ?? null, e['expired'] ?? null, e['n']]),
      [['old', null, 1], ['old', null, 2], ['new', null, 1], [null, 'old', 2], ['old', null, 1]],
      'the expired map follows the event that expired it; the task then starts afresh',
    );
  });

  test(`aggregate (${language}): an exception tags only its event, keeps the map changes made before it, and events made by the code follow their creator`, async () => {
    const { out } = await runBoth(
      `aggregate {
         task_id => "%{id}"
         ${code(language,
           "map['n'] = (map['n'] || 0) + 1; raise 'boom' if event.get('bad'); event.set('n', map['n']); new_event_block.call(LogStash::Event.new('made' => map['n'])) if event.get('emit')",
           "map.n = (map.n || 0) + 1; if (event.get('bad')) throw new Error('boom'); event.set('n', map.n); if (event.get('emit')) emit(new Event({ made: map.n }));")}
         add_tag => ["ok"]
       }`,
      [{ id: 't' }, { id: 't', bad: true }, { id: 'u' }, { id: 't', emit: true }, { id: 'u', emit: true }],
    );
    assert.deepEqual(
      out.map((e) => [e['id'] ?? null, e['n'] ?? null, e['made'] ?? null, e['tags']]),
      [
        ['t', 1, null, ['ok']],
        ['t', null, null, ['_aggregateexception']],
        ['u', 1, null, ['ok']],
        ['t', 3, null, ['ok']],
        [null, null, 3, ['ok']],
        ['u', 2, null, ['ok']],
        [null, null, 2, ['ok']],
      ],
    );
  });
}

test('aggregate: Ruby and JavaScript filters of one task_id pattern share the maps (a JavaScript Date reaches Ruby as its ISO-8601 text)', async () => {
  const { out } = await run(
    `if [step] == "start" { aggregate { task_id => "%{id}" code => "map['parts'] = [event.get('v')]" map_action => "create" } }
     if [step] == "more" { aggregate { task_id => "%{id}" code_language => "javascript" code => "map.parts.push(event.get('v')); map.at = new Date(0);" map_action => "update" } }
     if [step] == "end" { aggregate { task_id => "%{id}" code => "event.set('parts', map['parts'] + [event.get('v')]); event.set('at', map['at'])" map_action => "update" end_of_task => true } }`,
    [
      { id: 'a', step: 'start', v: 1 },
      { id: 'b', step: 'start', v: 10 },
      { id: 'a', step: 'more', v: 2 },
      { id: 'a', step: 'more', v: 3 },
      { id: 'a', step: 'end', v: 4 },
      { id: 'b', step: 'end', v: 11 },
    ],
    3,
  );
  const ends = out.filter((e) => e['step'] === 'end').map((e) => [e['id'], e['parts'], e['at'] ?? null]);
  assert.deepEqual(ends, [['a', [1, 2, 3, 4], '1970-01-01T00:00:00.000Z'], ['b', [10, 11], null]]);
});

test('aggregate (ruby): within a batch too, the next event sees the map as plain data; a value that cannot be kept raises on its event', async () => {
  const { out } = await runBoth(
    `aggregate { task_id => "%{id}" code => "
       case event.get('k')
       when 1 then map[:sym] = 1; map['at'] = Time.at(0).utc; map['nan'] = 0.0 / 0
       when 2 then event.set('seen', [map.keys, map['at'].class.name, map['nan']].inspect)
       when 3 then require 'set'; map['set'] = Set[1]
       when 4 then event.set('set', map['set'].class.name)
       end" }`,
    [{ id: 'p', k: 1 }, { id: 'p', k: 2 }, { id: 'p', k: 3 }, { id: 'p', k: 4 }],
  );
  assert.equal(out[1]!['seen'], '[["sym", "at", "nan"], "String", nil]', 'symbol key, Time and NaN as JSON keeps them');
  assert.deepEqual(out[2]!['tags'], ['_aggregateexception'], 'a Set cannot be kept in the map');
  assert.equal(out[3]!['set'], 'String', 'it is kept as its text');
  assert.equal(out[3]!['tags'], undefined);
});

test('aggregate (javascript): the map is a live object of the sandbox; code that does not compile is a configuration error', async () => {
  const { out } = await runBoth(
    `aggregate { task_id => "%{id}" code_language => "javascript" code => "map.list ??= []; map.list.push(event.get('v')); event.set('isArray', Array.isArray(map.list) && map.list instanceof Array); event.set('size', map.list.length);" }`,
    [{ id: 'x', v: 1 }, { id: 'x', v: 2 }],
  );
  assert.deepEqual(out.map((e) => [e['isArray'], e['size']]), [[true, 1], [true, 2]]);
  await assert.rejects(pipeline(`aggregate { task_id => "%{id}" code_language => "javascript" code => "map.x = ;" }`), /aggregate: `code` does not compile/);
  await assert.rejects(pipeline(`aggregate { task_id => "%{id}" code_language => "python" code => "x" }`), /code_language/);
});

test('aggregate (javascript): a pushed map\'s Date is written as a timestamp, a function is dropped (tagged); an endless loop is cut off on its event', async () => {
  const core = await pipeline(`aggregate {
    task_id => "%{id}"
    code_language => "javascript"
    code => "if (event.get('loop')) { while (true) {} } map.at = new Date(Date.UTC(2020, 0, 2)); if (event.get('fn')) map.fn = () => 1; map.n = (map.n ?? 0) + 1;"
    push_previous_map_as_event => true
    timeout_task_id_field => "task"
  }`);
  const out = await send(core, [{ id: 'a' }, { id: 'a', loop: true }, { id: 'a' }, { id: 'b', fn: true }]);
  assert.deepEqual(out.map((e) => [e['id'] ?? e['task'], e['n'] ?? null, e['tags'] ?? null]), [
    ['a', null, null],
    ['a', null, ['_aggregateexception']],
    ['a', null, null],
    ['b', null, null],
    ['a', 2, null],
  ], 'the looping event is tagged; the others go on, the map counts the two that ran');
  assert.equal(out[4]!['at'], '2020-01-02T00:00:00.000Z');
  const last = written(await core.flush(true));
  assert.deepEqual(last.map((e) => [e['task'], e['n'], e['fn'] ?? null, e['tags']]), [['b', 1, null, ['_aggregateexception']]]);
  await core.close();
});
