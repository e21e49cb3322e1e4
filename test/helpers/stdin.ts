/** Runs the stdin input over substitute reads and decodes what it handed over (our own queue stand-in). */
import { Readable } from 'node:stream';
import type { Event } from '../../src/core/event.js';
import type { ConfigValue } from '../../src/config/values.js';
import type { InputPayload } from '../../src/plugins/api.js';
import { stdinInput, stdinStream } from '../../src/plugins/inputs/stdin/index.js';
import { registryWith, settingsOf, testContext } from './harness.js';

export async function stdinEvents(settings: Record<string, ConfigValue>, reads: Iterable<Buffer | Uint8Array>): Promise<{ payloads: InputPayload[]; events: Event[] }> {
  const registry = registryWith(stdinInput);
  const options = registry.validate(stdinInput, settingsOf(settings));
  const ctx = testContext('stdin', { registry });
  const payloads: InputPayload[] = [];
  const previous = stdinStream.current;
  stdinStream.current = () => Readable.from(reads, { objectMode: false });
  try {
    await stdinInput.createSource(options as never, ctx).run({ push: async (p) => void payloads.push(p), stopping: false });
  } finally {
    stdinStream.current = previous;
  }
  const decoder = stdinInput.createDecoder(options as never, ctx);
  const events: Event[] = [];
  for (const p of payloads) decoder.decode(p.data, (e) => events.push(e));
  return { payloads, events };
}
