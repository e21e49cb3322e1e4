/**
 * MurmurHash3 as the Ruby `murmurhash3` gem that Logstash's fingerprint filter
 * uses: x86_32 written here (small, hot), x64_128 from the installed
 * murmurhash3js-revisited (re-ordered to the gem's little-endian byte layout).
 */
import { createRequire } from 'node:module';

interface Murmur128 {
  x64: { hash128(key: Uint8Array, seed?: number): string };
}
const require = createRequire(import.meta.url);
const murmur = require('murmurhash3js-revisited') as Murmur128;

/** MurmurHash3_x86_32, unsigned, as MurmurHash3::V32.str_hash / int64_hash. */
export function murmur3x86_32(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const len = bytes.length;
  const blocks = len & ~3;
  let h = seed | 0;
  let k: number;
  for (let i = 0; i < blocks; i += 4) {
    k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // Tail bytes (the reference's fall-through switch, written without fall-through).
  const rest = len & 3;
  if (rest > 0) {
    k = 0;
    if (rest === 3) k ^= bytes[blocks + 2]! << 16;
    if (rest >= 2) k ^= bytes[blocks + 1]! << 8;
    k ^= bytes[blocks]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3_x64_128 as the gem's digest: the two 64-bit halves each in
 * little-endian byte order (murmurhash3js prints them big-endian).
 */
export function murmur3x64_128(bytes: Uint8Array, seed: number): Buffer {
  const hex = murmur.x64.hash128(bytes, seed);
  const out = Buffer.from(hex, 'hex');
  out.subarray(0, 8).reverse();
  out.subarray(8, 16).reverse();
  return out;
}

const int64 = Buffer.alloc(8);
const int32 = Buffer.alloc(4);

/** The 8 little-endian bytes of a (64-bit) integer, as the gem's int64_hash. */
export function int64Bytes(n: number): Buffer {
  int64.writeBigInt64LE(BigInt.asIntN(64, BigInt(n)));
  return int64;
}

/** The 4 little-endian bytes of a 32-bit integer, as the gem's int32_hash. */
export function int32Bytes(n: number): Buffer {
  int32.writeInt32LE(n);
  return int32;
}
