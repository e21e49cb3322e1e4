/** Outputs for pipeline tests that need an output to wait or to fail in a set way. */
import { defineOutput, OutputError, type OutputDefinition } from '../../src/plugins/api.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';
import { PluginRegistry } from '../../src/plugins/registry.js';
import { waitFor } from './wait.js';

export interface Gate {
  open: boolean;
  /** Writes started so far. */
  writes: number;
}

/** An output named `gated` whose writes complete only while `gate.open`. */
export function gatedOutput(gate: Gate): OutputDefinition {
  return defineOutput({
    kind: 'output',
    name: 'gated',
    description: 'test output: writes complete when the test opens the gate',
    options: {},
    createEncoder: () => ({ encode: (events) => ({ data: events.length }) }),
    createSink: () => ({
      async write() {
        gate.writes++;
        await waitFor('the gate', () => gate.open, 60_000);
      },
    }),
  }) as OutputDefinition;
}

/** An output named `closed` that can never deliver: the pipeline stops its inputs and gives their payloads up. */
export const closedOutput = defineOutput({
  kind: 'output',
  name: 'closed',
  description: 'test output: every write finds the output closed for good',
  options: {},
  createEncoder: () => ({ encode: (events) => ({ data: events.length }) }),
  createSink: () => ({
    async write() {
      throw new OutputError('the reader went away', 'closed');
    },
  }),
}) as OutputDefinition;

/** The built-in plugins plus `extra`. */
export function registryWithOutputs(...extra: OutputDefinition[]): PluginRegistry {
  const r = new PluginRegistry();
  for (const d of builtinRegistry().all()) r.register(d);
  for (const d of extra) r.register(d);
  return r;
}

/** Counts the write attempts of a `failingOutput`. */
export interface Attempts {
  attempts: number;
}

/** An output named `failing` whose every write fails (the output is down), retried every 20 ms for ever. */
export function failingOutput(seen: Attempts): OutputDefinition {
  return defineOutput({
    kind: 'output',
    name: 'failing',
    description: 'test output whose every write fails',
    options: {},
    createEncoder: () => ({ encode: (events) => ({ data: events.length }) }),
    createSink: () => ({
      retry: { initialMs: 20, maxMs: 20, maxAttempts: 0 },
      write: async () => {
        seen.attempts++;
        throw new Error('output down');
      },
    }),
  }) as OutputDefinition;
}
