/** Byte helpers shared by stream readers. */

/**
 * One fresh Uint8Array (its own ArrayBuffer, transferable to a worker, unlike a pooled
 * Buffer.concat result) holding `parts` end to end; `total` is their summed length.
 */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
