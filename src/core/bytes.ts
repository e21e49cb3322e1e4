/** Byte helpers shared by stream readers. */

/**
 * `parts` end to end in `out` (by default one fresh Uint8Array: its own ArrayBuffer, transferable
 * to a worker, unlike a pooled Buffer.concat result); `total` is their summed length, which `out`
 * must hold.
 */
export function concatBytes(parts: readonly Uint8Array[], total: number, out: Uint8Array = new Uint8Array(total)): Uint8Array {
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
