/**
 * A ruby filter's helper thread (engine.ts): boots an interpreter with the filter's code, then
 * runs each batch it is sent, counting events in shared memory so the owner can tell which
 * event a runaway script is stuck in.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bootRuntime, type RubySetup } from './engine.js';

const data = workerData as { setup: RubySetup; module: WebAssembly.Module; progress: SharedArrayBuffer };
const progress = new Int32Array(data.progress);
const port = parentPort!;

(globalThis as { __logpipeRubyStep?: () => void }).__logpipeRubyStep = () => {
  Atomics.add(progress, 0, 1);
};

try {
  const { runtime, logs } = await bootRuntime(data.setup, data.module);
  port.postMessage({ type: 'ready', logs });
  port.on('message', (msg: { input: string }) => {
    try {
      // Step 0: the runner reports before every event.
      port.postMessage({ type: 'result', result: runtime.run(msg.input, 0) });
    } catch (e) {
      port.postMessage({ type: 'failed', message: (e as Error).message });
    }
  });
} catch (e) {
  port.postMessage({ type: 'failed', message: (e as Error).message });
}
