/** The udp output against a real UDP socket: one datagram per event; an event too large for a datagram fails alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { udpOutput } from '../../../../src/plugins/outputs/udp/index.js';
import { makeOutput } from '../../../helpers/harness.js';
import { waitFor } from '../../../helpers/wait.js';

test('one datagram per event (json codec); an event larger than a datagram goes to the failure path, the others are sent', async () => {
  const receiver = createSocket('udp4');
  const got: string[] = [];
  receiver.on('message', (m) => got.push(m.toString('utf8')));
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  const port = receiver.address().port;
  const out = await makeOutput(udpOutput, { host: '127.0.0.1', port });
  try {
    const result = await out.sink.write(out.encode([{ n: 1 }, { n: 2, big: 'x'.repeat(70_000) }, { n: 3, text: 'a\nb' }]));
    assert.deepEqual(result && result.failed?.map((f) => f.index), [1]);
    assert.match(result!.failed![0]!.reason, /more than a datagram can carry/);
    await waitFor('two datagrams', () => got.length === 2);
    assert.deepEqual(got.map((g) => JSON.parse(g).n).sort(), [1, 3]);
    assert.equal(JSON.parse(got.find((g) => JSON.parse(g).n === 3)!).text, 'a\nb');
  } finally {
    await out.sink.close?.();
    receiver.close();
  }
});
