/** Runs the tcp input's source with a recording sink (our own queue stand-in) and decodes what it pushed. */
import type { Event } from '../../../../src/core/event.js';
import type { ConfigValue } from '../../../../src/config/values.js';
import type { EcsCompatibility, InputPayload, InputSink } from '../../../../src/plugins/api.js';
import { tcpInput } from '../../../../src/plugins/inputs/tcp/index.js';
import { freePort } from '../../../helpers/ports.js';
import { registryWith, settingsOf, testContext } from '../../../helpers/harness.js';

export interface RunningTcpInput {
  port: number;
  payloads: InputPayload[];
  /** Every event decoded so far (decodes payloads as they came). */
  events(): Event[];
  /** Lets pushes wait: while `hold` returns a promise, push() awaits it (a full queue). */
  hold: { current: (() => Promise<void>) | undefined };
  stop(): Promise<void>;
}

export async function startTcpInput(settings: Record<string, ConfigValue> = {}, ecs: EcsCompatibility = 'disabled'): Promise<RunningTcpInput> {
  const port = settings['port'] === undefined ? await freePort() : Number(settings['port']);
  const registry = registryWith(tcpInput);
  const options = registry.validate(tcpInput, settingsOf({ host: '127.0.0.1', dns_reverse_lookup_enabled: false, ...settings, port }));
  const ctx = testContext('tcp', { registry, ecs });
  const source = tcpInput.createSource(options as never, ctx);
  const decoder = tcpInput.createDecoder(options as never, ctx);
  const payloads: InputPayload[] = [];
  const decoded: Event[] = [];
  let decodedUpTo = 0;
  const hold: RunningTcpInput['hold'] = { current: undefined };
  const sink: InputSink = {
    async push(p) {
      while (hold.current) await hold.current();
      payloads.push(p);
    },
    stopping: false,
  };
  const running = source.run(sink);
  // Wait until the port answers (server mode).
  if (settings['mode'] !== 'client') await waitListening(port);
  return {
    port,
    payloads,
    hold,
    events() {
      for (; decodedUpTo < payloads.length; decodedUpTo++) decoder.decode(payloads[decodedUpTo]!.data, (e) => decoded.push(e));
      return decoded;
    },
    async stop() {
      await source.stop();
      await running;
    },
  };
}

async function waitListening(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nothing listens on ${port}`);
}
