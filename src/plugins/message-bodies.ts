/**
 * How queue inputs (redis, rabbitmq) hand messages to a worker: the raw bodies of many messages
 * back to back in one fresh, transferable byte array, with where each one ends. The main thread
 * never decodes a body; the worker applies the codec per message.
 */

export interface PackedBodies {
  bytes: Uint8Array;
  /** End offset in `bytes` of each message (message i is bytes[ends[i-1] ?? 0, ends[i])). */
  ends: Uint32Array;
}

/**
 * Copies `bodies` (totalling `totalBytes`) into one fresh array. Never Buffer.concat or the
 * bodies themselves: a small Buffer may sit in Node's shared pool, and a client's body may be a
 * view of its socket buffer; transferring either to a worker would detach it under its owner.
 */
export function packBodies(bodies: readonly Uint8Array[], totalBytes: number): PackedBodies {
  const bytes = new Uint8Array(totalBytes);
  const ends = new Uint32Array(bodies.length);
  let at = 0;
  for (let i = 0; i < bodies.length; i++) {
    bytes.set(bodies[i]!, at);
    at += bodies[i]!.length;
    ends[i] = at;
  }
  return { bytes, ends };
}

/** The buffers to transfer with a packed payload. */
export function transferOf(packed: PackedBodies): ArrayBuffer[] {
  return [packed.bytes.buffer as ArrayBuffer, packed.ends.buffer as ArrayBuffer];
}
