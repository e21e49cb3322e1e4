/** Runs a file/log/filestream input in-process: payloads decoded as a worker would, acks under the test's control. */
import { mkdtempSync } from 'node:fs';
import { after } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigValue } from '../../src/config/values.js';
import type { Event } from '../../src/core/event.js';
import type { Delivery, InputDefinition, InputPayload } from '../../src/plugins/api.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';
import { settingsOf, testContext } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

export const tempDir = (prefix = 'logpipe-tail-'): string => mkdtempSync(join(tmpdir(), prefix));

export interface RunningInput {
  events: Event[];
  payloads: { payload: InputPayload; delivery: Delivery }[];
  messages(): string[];
  waitEvents(n: number, timeoutMs?: number): Promise<void>;
  /** Stops the source; resolves once run() returned (all deliveries answered). */
  stop(): Promise<void>;
}

/**
 * Inputs still running when the file's tests end — a test that failed before stopping its input —
 * are stopped here, their unanswered payloads nacked first, so the file reports its failure
 * instead of waiting on the input's timers for ever.
 */
const running = new Set<() => Promise<void>>();
after(async () => {
  for (const cleanUp of running) await cleanUp();
});

/** `autoAck` false: payloads stay unacknowledged until the test acks them through `payloads`. */
export function runInput(name: 'file' | 'log' | 'filestream', settings: Record<string, ConfigValue>, opts: { dataDir: string; autoAck?: boolean; ecs?: 'disabled' | 'v8' }): RunningInput {
  const registry = builtinRegistry();
  const definition = registry.find('input', name) as InputDefinition;
  const options = registry.validate(definition, settingsOf(settings));
  const ctx = { ...testContext(name, { registry, ecs: opts.ecs }), dataDir: opts.dataDir };
  const source = definition.createSource(options as never, ctx);
  const decoder = definition.createDecoder(options as never, ctx);
  const events: Event[] = [];
  const payloads: RunningInput['payloads'] = [];
  let stopping = false;
  const unanswered = new Set<Delivery>();
  const done = source.run({
    push: async (payload, delivery) => {
      // As the pipeline does: the payload's bytes arrive in a worker (a structured clone here).
      decoder.decode(structuredClone(payload.data), (e) => events.push(e));
      const tracked: Delivery = {
        ack: () => {
          unanswered.delete(tracked);
          delivery!.ack();
        },
        nack: (reason: string) => {
          unanswered.delete(tracked);
          delivery!.nack?.(reason);
        },
      };
      unanswered.add(tracked);
      payloads.push({ payload, delivery: tracked });
      if (opts.autoAck !== false) tracked.ack();
    },
    get stopping() {
      return stopping;
    },
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= (async () => {
    running.delete(cleanUp);
    stopping = true;
    await source.stop();
    await done;
  })());
  const cleanUp = async (): Promise<void> => {
    for (const delivery of [...unanswered]) delivery.nack!('the test ended without answering it');
    await stop();
  };
  running.add(cleanUp);
  return {
    events,
    payloads,
    messages: () => events.map((e) => String(e.get('message'))),
    waitEvents: (n, timeoutMs = 10_000) => waitFor(`${n} events (have ${events.length})`, () => events.length >= n, timeoutMs),
    stop,
  };
}
