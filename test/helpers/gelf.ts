/** Builds GELF chunks as senders do, for tests: magic, 8-byte id, sequence number, count, data. */
import { randomBytes } from 'node:crypto';

export function gelfChunks(message: Uint8Array, chunkData: number, id: Buffer = randomBytes(8)): Buffer[] {
  const count = Math.max(1, Math.ceil(message.length / chunkData));
  return Array.from({ length: count }, (_, seq) =>
    Buffer.concat([Buffer.from([0x1e, 0x0f]), id, Buffer.from([seq, count]), message.subarray(seq * chunkData, (seq + 1) * chunkData)]));
}
