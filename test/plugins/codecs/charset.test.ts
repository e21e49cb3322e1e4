/**
 * The text codecs' `charset`: Logstash's names, an unknown name as a config error at the codec,
 * and decoding on real inputs — tcp (UTF-16LE lines split across reads at odd byte offsets, CP1252
 * with an undefined byte), udp (ISO-8859-1 datagrams), http decoder (the content type wins) — while
 * UTF-8 keeps its own path (no TextCharset at all).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Event } from '../../../src/core/event.js';
import { ConfigError } from '../../../src/core/errors.js';
import type { InputDefinition, InputPayload, InputSink } from '../../../src/plugins/api.js';
import { charsetOf } from '../../../src/plugins/codecs/charset.js';
import { tcpInput } from '../../../src/plugins/inputs/tcp/index.js';
import { udpInput } from '../../../src/plugins/inputs/udp/index.js';
import { bytesDecoder } from '../../../src/plugins/codec-bytes.js';
import { httpInput } from '../../../src/plugins/inputs/http/index.js';
import { syslogInput } from '../../../src/plugins/inputs/syslog/index.js';
import { redisInput } from '../../../src/plugins/inputs/redis/index.js';
import { kafkaInput } from '../../../src/plugins/inputs/kafka/index.js';
import { rabbitmqInput } from '../../../src/plugins/inputs/rabbitmq/index.js';
import { stdinEvents } from '../../helpers/stdin.js';
import { client as redisClient } from '../../helpers/redis.js';
import { runInput as runTailInput, tempDir } from '../../tailing/run-input.js';
import { freePort } from '../../helpers/ports.js';
import { makeCodec, registryWith, settingsOf, testContext } from '../../helpers/harness.js';
import { listening, sleep, waitFor } from '../../helpers/wait.js';

const codecSpec = (name: string, charset: string) => ({ name, settings: settingsOf({ charset }), location: { file: 'c.conf', line: 3, column: 20 } });

test('Logstash charset names and aliases are known; UTF-8 in any spelling has no TextCharset (its path is unchanged)', () => {
  for (const name of ['UTF-8', 'utf8', 'Utf-8']) assert.equal(charsetOf(name, undefined), undefined, name);
  const samples: Array<[string, number[], string]> = [
    ['ISO-8859-1', [0x63, 0x61, 0x66, 0xe9], 'café'],
    ['CP1252', [0x80, 0x20, 0x93, 0x61, 0x94], '€ “a”'],
    ['Windows-1252', [0x80], '€'],
    ['GBK', [0xc4, 0xe3, 0xba, 0xc3], '你好'],
    ['Shift_JIS', [0x82, 0xa0], 'あ'],
    ['Windows-31J', [0x82, 0xa0], 'あ'],
    ['UTF-16LE', [0x61, 0x00, 0xac, 0x20], 'a€'],
    ['UTF-16BE', [0x00, 0x61, 0x20, 0xac], 'a€'],
    ['KOI8-R', [0xf0, 0xd2, 0xc9], 'При'],
    ['US-ASCII', [0x61, 0xe9], 'a\uFFFD'],
  ];
  for (const [name, bytes, text] of samples) assert.equal(charsetOf(name, undefined)!.decode(Uint8Array.from(bytes)), text, name);
});

test('bytes invalid in the charset become U+FFFD, never an error', () => {
  assert.equal(charsetOf('CP1252', undefined)!.decode(Uint8Array.from([0x61, 0x81, 0x62])), 'a\uFFFDb');
  assert.equal(charsetOf('GBK', undefined)!.decode(Uint8Array.from([0x81, 0x20, 0x41])), '\uFFFD A');
  // A UTF-16 message cut inside a code unit: its last character is lost and shows as U+FFFD.
  assert.equal(charsetOf('UTF-16LE', undefined)!.decode(Uint8Array.from([0x61, 0x00, 0x62])), 'a\uFFFD');
  // The single-byte stream path (a table over native Latin-1) agrees with whole-message decoding.
  const every = Uint8Array.from({ length: 256 }, (_, byte) => byte);
  for (const name of ['CP1252', 'KOI8-R', 'ISO-8859-15', 'US-ASCII']) {
    const charset = charsetOf(name, undefined)!;
    assert.equal(charset.streamToUtf8().push(every).toString('utf8'), charset.decode(every), name);
  }
  const stream = charsetOf('UTF-16LE', undefined)!.streamToUtf8();
  assert.equal(stream.push(Uint8Array.from([0x61, 0x00, 0x62])).toString(), 'a');
  assert.equal(stream.end().toString(), '\uFFFD');
});

test('an unknown charset is a config error at the codec, listing close Logstash names', () => {
  for (const codec of ['plain', 'line', 'json', 'json_lines']) {
    assert.throws(() => makeCodec(codecSpec(codec, 'Windows-1525')), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /c\.conf:3:20/);
      assert.match(err.message, /unknown charset "Windows-1525"/);
      assert.match(err.hint ?? '', /Windows-1252/);
      return true;
    }, codec);
  }
  assert.equal(makeCodec(codecSpec('line', 'UTF-8')).charset, undefined);
});

test('whole messages (udp, redis, kafka, rabbitmq path): the codec charset decodes them', () => {
  const out: Event[] = [];
  bytesDecoder(makeCodec(codecSpec('json', 'ISO-8859-1')))(Uint8Array.from(Buffer.from('{"name":"Jos\xe9"}', 'latin1')), (e) => out.push(e));
  assert.equal(out[0]!.get('name'), 'José');
});

/** Runs an input's source with a recording sink and decodes what it pushed (our own queue stand-in). */
async function runInput(definition: InputDefinition, settings: Record<string, unknown>, codec: { name: string; charset: string; ecs?: 'disabled' | 'v8' }) {
  const registry = registryWith(definition);
  const options = registry.validate(definition, settingsOf(settings as never)) as Record<string, unknown>;
  options['codec'] = { name: codec.name, settings: settingsOf({ charset: codec.charset }) };
  const ctx = testContext(definition.name, { registry });
  const source = definition.createSource(options as never, ctx);
  const decoder = definition.createDecoder(options as never, ctx);
  const payloads: InputPayload[] = [];
  // Our own queue stand-in: takes every payload and acknowledges it at once.
  const sink: InputSink = {
    async push(p, delivery) {
      payloads.push(p);
      delivery?.ack();
    },
    stopping: false,
  };
  const running = source.run(sink);
  return {
    events(): Event[] {
      const out: Event[] = [];
      for (const p of payloads) decoder.decode(p.data, (e) => out.push(e));
      return out;
    },
    async stop() {
      await source.stop();
      await running;
    },
  };
}

test('tcp: UTF-16LE lines written in pieces cut at odd byte offsets (inside the two-byte "\\n") are whole lines', async () => {
  const port = await freePort();
  const input = await runInput(tcpInput, { host: '127.0.0.1', port, dns_reverse_lookup_enabled: false }, { name: 'plain', charset: 'UTF-16LE' });
  try {
    await listening(port);
    const lines = ['première ligne', 'second €', '', '日本語', 'last'];
    const bytes = iconv.encode(lines.join('\n') + '\n', 'utf16le');
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    // Pieces of 1, 3, 5, … bytes: most cut a code unit, some the newline between its 0x0A and 0x00.
    for (let at = 0, size = 1; at < bytes.length; at += size, size += 2) {
      socket.write(bytes.subarray(at, at + size));
      await sleep(15);
    }
    socket.end();
    await once(socket, 'close');
    await waitFor('five lines', () => input.events().length >= lines.length);
    assert.deepEqual(input.events().map((e) => e.get('message')), lines);
  } finally {
    await input.stop();
  }
});

test('tcp: CP1252 lines, an undefined byte becomes U+FFFD and the line is kept; json_lines in GBK', async () => {
  const port = await freePort();
  const cp1252 = await runInput(tcpInput, { host: '127.0.0.1', port, dns_reverse_lookup_enabled: false }, { name: 'line', charset: 'CP1252' });
  const port2 = await freePort();
  const gbk = await runInput(tcpInput, { host: '127.0.0.1', port: port2, dns_reverse_lookup_enabled: false }, { name: 'json_lines', charset: 'GBK' });
  try {
    await listening(port);
    await listening(port2);
    for (const [p, bytes] of [[port, Buffer.from([0x93, 0x71, 0x94, 0x20, 0x80, 0x0a, 0x61, 0x81, 0x62, 0x0a])], [port2, iconv.encode('{"city":"北京"}\n', 'gbk')]] as const) {
      const socket = connect(p, '127.0.0.1');
      await once(socket, 'connect');
      socket.end(bytes);
      await once(socket, 'close');
    }
    await waitFor('cp1252 lines', () => cp1252.events().length >= 2);
    await waitFor('gbk line', () => gbk.events().length >= 1);
    assert.deepEqual(cp1252.events().map((e) => e.get('message')), ['“q” €', 'a\uFFFDb']);
    assert.equal(gbk.events()[0]!.get('city'), '北京');
  } finally {
    await cp1252.stop();
    await gbk.stop();
  }
});

test('udp: ISO-8859-1 datagrams, one event each', async () => {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const port = probe.address().port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const input = await runInput(udpInput, { host: '127.0.0.1', port }, { name: 'plain', charset: 'ISO-8859-1' });
  try {
    await sleep(50);
    const client = createSocket('udp4');
    for (const text of ['Müller', 'señor']) {
      await new Promise<void>((resolve, reject) => client.send(Buffer.from(text, 'latin1'), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    }
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await waitFor('two datagrams', () => input.events().length >= 2);
    assert.deepEqual(input.events().map((e) => e.get('message')).sort(), ['Müller', 'señor']);
  } finally {
    await input.stop();
  }
});

test('stdin: UTF-16LE with the multiline codec, reads cut inside characters; the joining sees decoded lines', async () => {
  const codec = { kind: 'plugin' as const, name: 'multiline', settings: settingsOf({ pattern: '^\\s', what: 'previous', charset: 'UTF-16LE' }), location: { file: 't.conf', line: 1, column: 1 } };
  const bytes = iconv.encode('Exception é\n at one\n at two\nnext €\n', 'utf16le');
  const reads = [bytes.subarray(0, 7), bytes.subarray(7, 30), bytes.subarray(30, 31), bytes.subarray(31)];
  const { events } = await stdinEvents({ codec }, reads);
  assert.deepEqual(events.map((e) => e.get('message')), ['Exception é\n at one\n at two', 'next €']);
});

test('file (read mode): a UTF-16LE file with a BOM-less body and a Windows-1252 file are read in their codec charset', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'w16.log'), iconv.encode('ligne un\r\nÜber €\n', 'utf16le'));
  const read = async (file: string, charset: string): Promise<string[]> => {
    const codec = { kind: 'plugin' as const, name: 'plain', settings: settingsOf({ charset }), location: { file: 't.conf', line: 1, column: 1 } };
    const input = runTailInput('file', { path: [join(dir, file)], mode: 'read', file_completed_action: 'log', file_completed_log_path: join(dir, `${file}.done`), stat_interval: 0.05, codec }, { dataDir: dir });
    await input.waitEvents(2);
    await input.stop();
    return input.messages();
  };
  assert.deepEqual(await read('w16.log', 'UTF-16LE'), ['ligne un\r', 'Über €']);
  writeFileSync(join(dir, 'w1252.log'), Buffer.from([0x93, 0x71, 0x94, 0x0a, 0x80, 0x31, 0x0a]));
  assert.deepEqual(await read('w1252.log', 'Windows-1252'), ['“q”', '€1']);
});

test('http: a body without a charset in its content type is read in the codec charset; a content type charset wins', async () => {
  const port = await freePort();
  const input = await runInput(httpInput, { host: '127.0.0.1', port }, { name: 'plain', charset: 'CP1252' });
  try {
    await listening(port);
    const post = async (body: Buffer, type: string): Promise<number> => (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': type } })).status;
    assert.equal(await post(Buffer.from([0x80, 0x20, 0x93, 0x61, 0x94]), 'text/plain'), 200);
    assert.equal(await post(Buffer.from('€ utf-8', 'utf8'), 'text/plain; charset=utf-8'), 200);
    await waitFor('two requests', () => input.events().length >= 2);
    assert.deepEqual(input.events().map((e) => e.get('message')), ['€ “a”', '€ utf-8']);
  } finally {
    await input.stop();
  }
});

test('syslog over udp: an ISO-8859-1 message from an old device is parsed with its accents', async () => {
  const port = await freePort();
  const input = await runInput(syslogInput, { host: '127.0.0.1', port }, { name: 'plain', charset: 'ISO-8859-1' });
  try {
    await sleep(100);
    const client = createSocket('udp4');
    const datagram = Buffer.from('<34>Oct 11 22:14:15 router sshd: échec de connexion pour Jürgen', 'latin1');
    await waitFor('the message', async () => {
      await new Promise<void>((resolve, reject) => client.send(datagram, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
      await sleep(50);
      return input.events().length >= 1;
    });
    client.close();
    assert.equal(input.events()[0]!.get('message'), 'échec de connexion pour Jürgen');
  } finally {
    await input.stop();
  }
});

test('redis list (real Redis): Windows-1251 messages under the charset-test: prefix', async () => {
  const key = `charset-test:${randomBytes(4).toString('hex')}`;
  const redis = redisClient();
  const input = await runInput(redisInput, { host: '127.0.0.1', data_type: 'list', key }, { name: 'json', charset: 'Windows-1251' });
  try {
    await redis.rpush(key, iconv.encode('{"user":"Дмитрий"}', 'win1251'), iconv.encode('{"user":"Ольга"}', 'win1251'));
    await waitFor('two messages', () => input.events().length >= 2);
    assert.deepEqual(input.events().map((e) => e.get('user')), ['Дмитрий', 'Ольга']);
  } finally {
    await input.stop();
    await redis.del(key);
    redis.disconnect();
  }
});

test('kafka and rabbitmq decoders: with a codec charset every value is read in it (no base64 fallback, which is for UTF-8 only)', () => {
  const values = [iconv.encode('Größe 5 €', 'cp1252'), iconv.encode('日本語', 'shiftjis')];
  const packed = { bytes: new Uint8Array(Buffer.concat(values)), ends: Uint32Array.from([values[0]!.length, values[0]!.length + values[1]!.length]) };
  const decodeWith = (definition: InputDefinition, settings: Record<string, unknown>, charset: string): unknown[] => {
    const registry = registryWith(definition);
    const options = registry.validate(definition, settingsOf(settings as never)) as Record<string, unknown>;
    options['codec'] = { name: 'plain', settings: settingsOf({ charset }) };
    const out: Event[] = [];
    definition.createDecoder(options as never, testContext(definition.name, { registry })).decode(packed, (e) => out.push(e));
    return out.map((e) => e.get('message'));
  };
  // CP1252 reads the first value; the Shift_JIS bytes are not CP1252 text, yet become text (Logstash does the same), never an error.
  assert.equal(decodeWith(kafkaInput, { topics: ['t'] }, 'CP1252')[0], 'Größe 5 €');
  assert.equal(decodeWith(rabbitmqInput, { host: '127.0.0.1', queue: 'q' }, 'Shift_JIS')[1], '日本語');
  assert.equal(decodeWith(rabbitmqInput, { host: '127.0.0.1', queue: 'q' }, 'CP1252').length, 2);
});
