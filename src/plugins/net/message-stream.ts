/**
 * A connection's bytes → payloads of whole messages, cut by a binary codec's framer (the tcp
 * input with msgpack: values back to back, no delimiter). The connection handler for
 * protocols/net/tcp-connection.ts, as line-stream.ts is for lines.
 *
 * Messages gather until a payload is full (`maxMessages`, or ~PAYLOAD_TARGET_BYTES) or the
 * connection goes quiet for QUIET_FLUSH_MS; a push waits while the queue is full, and the
 * connection does not read meanwhile. Memory: one payload being filled plus what the framer holds
 * (at most its `maxMessageBytes`). A stream the framer cannot follow (a malformed or oversized
 * value) is closed: the bytes it held go on as one message (the codec tags it as a failure) and
 * the reason is logged. The unfinished last value of a connection that ends goes on the same way.
 */
import type { ConnectionHandler } from '../../protocols/net/tcp-connection.js';
import { PAYLOAD_TARGET_BYTES, type ByteStreamFramer, type InputSink } from '../api.js';
import { packBodies, type PackedBodies } from '../message-bodies.js';
import { QUIET_FLUSH_MS } from './line-stream.js';

export interface MessageStreamOptions {
  sink: InputSink;
  framer: ByteStreamFramer;
  maxMessages: number;
  /** Pushes one payload's messages (the caller adds the connection's metadata). */
  push(sink: InputSink, messages: PackedBodies): Promise<void>;
}

export class MessageStreamHandler implements ConnectionHandler {
  private messages: Uint8Array[] = [];
  private size = 0;
  private chain: Promise<void> = Promise.resolve();
  private quiet: NodeJS.Timeout | undefined;
  private readonly collect = (message: Uint8Array): void => {
    this.messages.push(message);
    this.size += message.length;
  };

  constructor(private readonly o: MessageStreamOptions) {}

  data(chunk: Buffer): void | Promise<void> {
    clearTimeout(this.quiet);
    this.o.framer.push(chunk, this.collect);
    const broken = this.o.framer.broken;
    if (broken) {
      if (broken.held.length > 0) this.collect(broken.held);
      // The connection closes (and logs why); end() then hands over what was gathered.
      throw new Error(`cannot follow the stream any further: ${broken.reason}`);
    }
    if (this.messages.length >= this.o.maxMessages || this.size >= PAYLOAD_TARGET_BYTES) return this.enqueue();
    if (this.messages.length > 0) this.quiet = setTimeout(() => void this.enqueue().catch(() => undefined), QUIET_FLUSH_MS);
    return undefined;
  }

  end(): Promise<void> {
    clearTimeout(this.quiet);
    const rest = this.o.framer.end();
    if (rest) this.collect(rest);
    return this.enqueue();
  }

  /** Pushes what was gathered once the pushes before it are done. */
  private enqueue(): Promise<void> {
    const next = this.chain.then(() => {
      if (this.messages.length === 0) return undefined;
      const packed = packBodies(this.messages, this.size);
      this.messages = [];
      this.size = 0;
      return this.o.push(this.o.sink, packed);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
