/** The UDP receiver's socket receive buffer: a default well above the system's, capped by it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createLogger } from '../../../src/core/logger.js';
import { DEFAULT_RECEIVE_BUFFER_BYTES, UdpReceiver } from '../../../src/protocols/net/udp-receiver.js';

/** Linux grants twice the size asked, at most twice net.core.rmem_max. */
const granted = (asked: number): number => 2 * Math.min(asked, Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8')));

async function bound(receiveBufferBytes?: number): Promise<number> {
  const r = new UdpReceiver({
    host: '127.0.0.1', port: 0, queueSize: 10, maxDatagramBytes: 1024, label: 'udp', logger: createLogger('error'),
    ...(receiveBufferBytes !== undefined ? { receiveBufferBytes } : {}),
  });
  await r.bind();
  try {
    return r.receiveBufferBytes;
  } finally {
    await r.close();
  }
}

test('without receive_buffer_bytes the socket asks for the 4 MiB default, not the system default', async () => {
  assert.equal(DEFAULT_RECEIVE_BUFFER_BYTES, 4 * 1024 * 1024);
  assert.equal(await bound(), granted(DEFAULT_RECEIVE_BUFFER_BYTES));
  const systemDefault = 2 * Number(readFileSync('/proc/sys/net/core/rmem_default', 'utf8'));
  const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
  if (rmemMax > systemDefault / 2) assert.ok(await bound() > systemDefault, 'larger than the system default where rmem_max allows');
});

test('a configured receive_buffer_bytes is asked as given', async () => {
  assert.equal(await bound(256 * 1024), granted(256 * 1024));
});
