import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGraph } from '../../src/config/load.js';
import { deserializeGraph, serializeGraph } from '../../src/config/serialize.js';
import { Password } from '../../src/config/schema.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';

const CONFIG = `
input { generator { count => 2 id => "gen" } }
filter {
  if [message] =~ /^a/ and [n] > 2 { mutate { add_tag => ["a"] } }
  else if "x" in [tags] { drop {} }
  else { dedup { store => "redis" password => "s3cret" } }
  mutate { add_field => { "k" => "v" } }
}
output { if [x] { stdout { codec => line { format => "%{message}" } } } else { null {} } }`;

test('a compiled graph survives a structured clone: plugins, options, secrets and the conditional tree', () => {
  const registry = builtinRegistry();
  const graph = loadGraph([{ name: 't.conf', text: CONFIG }], { registry, supportEscapes: false });
  const crossed = structuredClone(serializeGraph(graph));
  assert.equal(JSON.stringify(crossed).includes('s3cret'), true, 'the secret itself crosses (a clone of a Password would lose it)');
  const back = deserializeGraph(crossed, registry);

  assert.deepEqual(back.inputs.map((p) => [p.id, p.definition, p.location]), graph.inputs.map((p) => [p.id, p.definition, p.location]));
  assert.deepEqual(back.filterList.map((p) => p.definition.name), ['mutate', 'drop', 'dedup', 'mutate']);
  const password = back.filterList[2]!.options['password'];
  assert.ok(password instanceof Password);
  assert.equal(password.reveal(), 's3cret');
  assert.equal(String(password), '<password>');
  assert.deepEqual(back.outputList.map((p) => p.options['codec']), graph.outputList.map((p) => p.options['codec']));

  // Nodes point at the very plugin objects of the lists (the executor keys its tables by them).
  const ifNode = back.filters[0]!;
  assert.equal(ifNode.kind, 'if');
  if (ifNode.kind !== 'if') return;
  assert.equal(ifNode.branches.length, 2);
  assert.deepEqual(ifNode.branches[0]!.condition, (graph.filters[0] as typeof ifNode).branches[0]!.condition);
  const first = ifNode.branches[0]!.body[0]!;
  assert.ok(first.kind === 'plugin' && first.plugin === back.filterList[0]);
  const last = back.filters[1]!;
  assert.ok(last.kind === 'plugin' && last.plugin === back.filterList[3]);
  const outIf = back.outputs[0]!;
  assert.ok(outIf.kind === 'if' && outIf.elseBody[0]!.kind === 'plugin' && outIf.elseBody[0]!.plugin === back.outputList[1]);
});
