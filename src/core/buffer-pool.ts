/**
 * Reusable byte buffers for data whose end of life is known: a window's frames once acknowledged,
 * a batch's documents once written, J frames once deflated. A fresh buffer of a few hundred KB
 * per batch costs page faults, and it is external memory to V8: allocated faster than scavenges
 * free it, it makes V8 run full mark-compacts (docs/decisions/0026, "Session 9").
 *
 * take() hands out a Buffer of exactly the size asked for, over an ArrayBuffer of its own (never
 * Buffer's shared pool: it may be transferred to another thread). give() takes it back only if it
 * came from this pool and is still attached; whoever gives a buffer back must be its last user.
 * At most `keep` buffers of at most `largest` bytes are kept, so a rare huge batch does not stay
 * pinned.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  private readonly mine = new WeakSet<ArrayBuffer>();

  constructor(private readonly keep = 4, private readonly largest = 4 * 1024 * 1024) {}

  /** `size` bytes, contents undefined. */
  take(size: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      if (this.free[i]!.byteLength >= size) return Buffer.from(this.free.splice(i, 1)[0]!, 0, size);
    }
    // Rounded up so batches of slightly different sizes reuse the same buffers.
    const buffer = Buffer.allocUnsafeSlow(Math.ceil(Math.max(size, 1) / 65536) * 65536).buffer as ArrayBuffer;
    this.mine.add(buffer);
    return Buffer.from(buffer, 0, size);
  }

  /** Takes back the buffer under `view` when it is one of this pool's (otherwise does nothing). */
  give(view: Uint8Array): void {
    const buffer = view.buffer as ArrayBuffer;
    if (!this.mine.has(buffer) || buffer.byteLength === 0 || buffer.byteLength > this.largest) return;
    if (this.free.includes(buffer)) return;
    if (this.free.length >= this.keep) this.free.shift();
    this.free.push(buffer);
  }
}
