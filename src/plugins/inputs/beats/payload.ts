/** What the beats source hands a worker: part of one window, as bytes. */

export interface BeatsPayload {
  /** The events' JSON documents laid end to end. */
  bytes: Uint8Array;
  /** End offset of each document in `bytes`. */
  ends: Uint32Array;
  /** The client's address. */
  ip: string;
  /** With TLS: the client certificate's subject, when one was presented and verified. */
  peerSubject?: string;
  tls: boolean;
}

/** Copies documents [from, to) into one fresh, transferable payload. */
export function packDocuments(documents: Uint8Array[], from: number, to: number): { bytes: Uint8Array; ends: Uint32Array } {
  let total = 0;
  for (let i = from; i < to; i++) total += documents[i]!.length;
  // Not Buffer.concat: a pooled Buffer's ArrayBuffer is shared and cannot be transferred.
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(to - from);
  let at = 0;
  for (let i = from; i < to; i++) {
    const doc = documents[i]!;
    bytes.set(doc, at);
    at += doc.length;
    ends[i - from] = at;
  }
  return { bytes, ends };
}
