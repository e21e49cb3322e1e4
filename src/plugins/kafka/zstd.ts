/**
 * zstd for the Kafka client on Node.js 20. The client compresses and decompresses record batches
 * with node:zlib, which has zstd only from Node.js 22.15; on older versions it reports zstd as
 * unavailable. There we give its codec table WebAssembly implementations shipped inside npm
 * packages (nothing downloaded, nothing compiled): @bokuweb/zstd-wasm compresses, fzstd (pure
 * JavaScript) decompresses, because Java producers write streaming frames that do not state
 * their decompressed size, which fzstd handles and the WebAssembly one-shot call does not.
 * On a Node.js with zlib zstd this does nothing. docs/decisions/0018-kafka-client.md.
 */
import zlib from 'node:zlib';

/** zstd level the Java client uses by default (compression.zstd.level). */
const ZSTD_LEVEL = 3;

let ready: Promise<void> | undefined;

/** Resolves once zstd works in the client (at once where node:zlib has it). */
export function zstdReady(): Promise<void> {
  ready ??= install();
  return ready;
}

async function install(): Promise<void> {
  if (typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function') return;
  const { compressionsAlgorithms } = await import('@platformatic/kafka');
  const { decompress: fzstdDecompress } = await import('fzstd');
  const wasm = await import('@bokuweb/zstd-wasm');
  await wasm.init();
  const codec = compressionsAlgorithms.zstd as { compressSync: (data: unknown) => Buffer; decompressSync: (data: unknown) => Buffer; available: boolean };
  const bytesOf = (data: unknown): Uint8Array => {
    // The client hands a Buffer, or its DynamicBuffer (a list of Buffers) when it compresses.
    const dynamic = data as { buffer?: unknown; slice?: unknown };
    if (Buffer.isBuffer(data) || data instanceof Uint8Array) return data;
    if (dynamic && Buffer.isBuffer(dynamic.buffer)) return dynamic.buffer;
    throw new TypeError('zstd: unexpected input from the Kafka client');
  };
  codec.compressSync = (data) => {
    const out = wasm.compress(bytesOf(data), ZSTD_LEVEL);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  };
  codec.decompressSync = (data) => {
    const out = fzstdDecompress(bytesOf(data));
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  };
  codec.available = true;
}
