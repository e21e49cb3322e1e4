/**
 * The agent's registry holds every plugin a Filebeat configuration can translate to — the same
 * definitions as the built-in registry — and the Kafka output only when the file can name it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentRegistry } from '../../src/plugins/agent-plugins.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';
import { PROCESSOR_FILTERS } from '../../src/config/filebeat/processors.js';
import { INPUT_TYPES } from '../../src/config/filebeat/inputs.js';

test('every plugin the Filebeat front end can emit is in the agent registry, as the built-in definition', async () => {
  const agent = await agentRegistry('output.kafka:\n  hosts: ["k:9092"]\n');
  const builtin = builtinRegistry();
  const wanted: [kind: 'input' | 'filter' | 'output' | 'codec', name: string][] = [
    ...INPUT_TYPES.map((n) => ['input', n] as ['input', string]),
    ...Object.values(PROCESSOR_FILTERS).map((n) => ['filter', n] as ['filter', string]),
    ['filter', 'beats_add_fields'], ['filter', 'beats_add_tags'], ['filter', 'mutate'],
    ['output', 'logstash'], ['output', 'redis'], ['output', 'file'], ['output', 'stdout'], ['output', 'kafka'],
    ['codec', 'beats_json'], ['codec', 'plain'], ['codec', 'json'],
    // The defaults of the redis, file and stdout outputs.
    ['codec', 'json_lines'], ['codec', 'rubydebug'],
  ];
  for (const [kind, name] of wanted) {
    const definition = agent.find(kind, name);
    assert.ok(definition, `${kind} ${name} missing from the agent registry`);
    assert.equal(definition, builtin.find(kind, name), `${kind} ${name} is not the built-in definition`);
  }
  // Nothing of the pipeline role's catalogue beyond that.
  assert.equal(agent.find('filter', 'grok'), undefined);
  assert.equal(agent.find('output', 'elasticsearch'), undefined);
  for (const codec of ['multiline', 'msgpack', 'cef', 'dots']) assert.equal(agent.find('codec', codec), undefined, `codec ${codec} is not the agent's`);
});

test('the Kafka output is loaded only when the file mentions kafka', async () => {
  assert.equal((await agentRegistry('output.logstash:\n  hosts: ["l:5044"]\n')).find('output', 'kafka'), undefined);
  assert.ok((await agentRegistry('output: { kafka: { hosts: ["k:9092"], topic: t } }')).find('output', 'kafka'));
});
