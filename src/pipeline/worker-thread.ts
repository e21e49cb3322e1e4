/** Entry point of a pipeline worker thread: a WorkerCore driven by messages. */
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError } from '../core/errors.js';
import { adoptSharedFiles } from '../core/shared-files.js';
import { runBatch, transferListOf, WorkerCore, type BatchItem, type BatchResult, type WorkerInit } from './worker-core.js';
import type { WorkerReply, WorkerRequest } from './workers.js';

const port = parentPort!;
let core: WorkerCore | undefined;
const init = workerData as WorkerInit;
adoptSharedFiles(init.sharedFiles);
const ready = WorkerCore.create(init).then(
  (c) => {
    core = c;
    port.postMessage({ type: 'ready', watched: c.watched, fused: c.fused } satisfies WorkerReply);
  },
  (err: Error) => port.postMessage({ type: 'failed', message: err.message, config: err instanceof ConfigError } satisfies WorkerReply),
);

function reply(id: number, result: BatchResult): void {
  port.postMessage({ type: 'result', id, result } satisfies WorkerReply, transferListOf(result));
}

async function handle(msg: WorkerRequest): Promise<void> {
  if (!core) return;
  if (msg.type === 'acknowledged') {
    void core.effects.acknowledge(msg.deferred);
    return;
  }
  try {
    if (msg.type === 'batch') reply(msg.id, await runBatch(core, () => core!.process(msg.items as BatchItem[], msg.guarded)));
    else if (msg.type === 'flush') reply(msg.id, await runBatch(core, () => core!.flush(msg.final)));
    else if (msg.type === 'close') {
      await core.close();
      port.postMessage({ type: 'closed', id: msg.id } satisfies WorkerReply);
    }
  } catch (err) {
    port.postMessage({ type: 'error', id: msg.id, message: (err as Error).stack ?? String(err) } satisfies WorkerReply);
  }
}

// One message at a time, even when a filter awaits I/O: results leave in the order batches came
// (ordering with one worker), and a batch's guarded flag holds for all of its filters.
let previous: Promise<void> = ready;
port.on('message', (msg: WorkerRequest) => {
  previous = previous.then(() => handle(msg));
});
