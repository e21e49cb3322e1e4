/**
 * One client connection on the server side: reads frames, gathers each window's events, hands
 * complete windows over, and writes the ACKs the pipeline's acknowledgements allow (plus
 * keepalives while a window is pending). A protocol error closes the connection with the reason
 * logged; nothing of a window that was not complete was handed over, and nothing of a window not
 * acknowledged is ever ACKed.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../core/logger.js';
import { FrameParser, LumberjackProtocolError, encodeAck, type Frame } from './frames.js';
import { ConnectionAcks, type PendingWindow } from './window-acks.js';

/** Who sent a window. */
export interface PeerInfo {
  /** Unique within the server's life. */
  id: number;
  remoteAddress: string;
  remotePort: number;
  /** With TLS and a client certificate: its subject and whether it was verified. */
  certificate?: { subject: string; issuer: string; verified: boolean };
}

/** A complete window as the server hands it over. */
export interface ReceivedWindow {
  peer: PeerInfo;
  /** Each event's JSON, in order (views; copy what must outlive the call). */
  documents: Uint8Array[];
  /**
   * Events [from, to) of this window are done (delivered, or failed for good). ACKs go out as
   * the contiguous acknowledged prefix grows; calls after the connection closed do nothing.
   */
  acknowledge(from: number, to: number): void;
}

export interface ConnectionSettings {
  maxFrameBytes: number;
  /** Close after this long with nothing read or written (0 = never). */
  inactivityTimeoutMs: number;
  /** Re-send the last ACK after this long without writing, while a window is pending. */
  keepaliveIntervalMs: number;
  logger: Logger;
  onWindow(window: ReceivedWindow): void | Promise<void>;
}

export class ServerConnection {
  private readonly parser: FrameParser;
  private readonly acks: ConnectionAcks;
  /** The window being received: its expected size, documents and seqs so far. */
  private expected = -1;
  private documents: Uint8Array[] = [];
  private seqs: number[] = [];
  private keepaliveTimer: NodeJS.Timeout | undefined;
  /** Windows handed over whose onWindow promise has not settled: reading pauses meanwhile. */
  private handing: Promise<void> = Promise.resolve();
  private handingCount = 0;
  private closed = false;
  /** Stop reading; close once every pending window is acknowledged. */
  private draining = false;
  readonly done: Promise<void>;

  constructor(private readonly socket: Socket, readonly peer: PeerInfo, private readonly settings: ConnectionSettings) {
    this.parser = new FrameParser({ maxFrameBytes: settings.maxFrameBytes, accept: 'client-frames' });
    this.acks = new ConnectionAcks((seq) => this.write(seq));
    this.done = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setNoDelay(true);
    if (settings.inactivityTimeoutMs > 0) {
      socket.setTimeout(settings.inactivityTimeoutMs, () => this.close(`no activity for ${settings.inactivityTimeoutMs} ms (client_inactivity_timeout)`, 'info'));
    }
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (err) => this.close(`socket error: ${err.message}`, 'info'));
    socket.on('close', () => this.onClose());
  }

  /** Stops reading; the connection closes once its pending windows are acknowledged. */
  drain(): void {
    this.draining = true;
    this.socket.pause();
    this.socket.unref();
    if (!this.acks.pending && this.expected < 0) this.close('server stopping', 'debug');
  }

  /** Closes at once; pending windows will never be ACKed (the client resends them). */
  destroy(reason: string): void {
    this.close(reason, 'debug');
  }

  private onData(chunk: Buffer): void {
    try {
      this.parser.push(chunk, (frame) => this.onFrame(frame));
    } catch (err) {
      if (err instanceof LumberjackProtocolError) this.close(`protocol error (${err.code}): ${err.message}`, 'warn');
      else this.close(`failed to handle a frame: ${(err as Error).message}`, 'error');
    }
  }

  private onEnd(): void {
    if (this.closed) return;
    try {
      this.parser.end();
      if (this.expected >= 0) {
        throw new LumberjackProtocolError('truncated', `the client closed the connection inside a window (${this.documents.length} of ${this.expected} events received)`);
      }
    } catch (err) {
      this.close((err as Error).message, 'warn');
    }
  }

  private onFrame(frame: Frame): void {
    switch (frame.type) {
      case 'window':
        if (this.expected >= 0) {
          // Logstash hands over what arrived and warns; the client's ACK bookkeeping is its own problem.
          this.settings.logger.warn('beats: a new window began before the previous one was complete; handing over the partial window', {
            peer: `${this.peer.remoteAddress}:${this.peer.remotePort}`, received: this.documents.length, expected: this.expected,
          });
          this.completeWindow();
        }
        this.expected = frame.count;
        if (frame.count === 0) this.completeWindow();
        return;
      case 'json':
        this.addEvent(frame.seq, frame.payload);
        return;
      case 'data':
        this.addEvent(frame.seq, Buffer.from(JSON.stringify(frame.fields), 'utf8'));
        return;
      default:
        throw new LumberjackProtocolError('bad_type', `unexpected ${frame.type} frame from a client`);
    }
  }

  private addEvent(seq: number, document: Uint8Array): void {
    if (this.expected < 0) throw new LumberjackProtocolError('bad_frame', 'a data frame arrived outside a window (no window frame before it)');
    this.documents.push(document);
    this.seqs.push(seq);
    if (this.documents.length === this.expected) this.completeWindow();
  }

  private completeWindow(): void {
    const documents = this.documents;
    const pending = this.acks.open(Uint32Array.from(this.seqs));
    this.expected = -1;
    this.documents = [];
    this.seqs = [];
    this.armKeepalive();
    if (documents.length === 0) return;
    this.handOver({ peer: this.peer, documents, acknowledge: (from, to) => this.acknowledge(pending, from, to) });
  }

  private acknowledge(window: PendingWindow, from: number, to: number): void {
    if (this.closed) return;
    window.acknowledge(from, to);
    if (!this.acks.pending) {
      clearTimeout(this.keepaliveTimer);
      if (this.draining && this.expected < 0) this.close('server stopping', 'debug');
    }
  }

  /** Hands a window over; reading pauses until the receiver took it (its queue had room). */
  private handOver(window: ReceivedWindow): void {
    this.handingCount++;
    this.socket.pause();
    this.handing = this.handing
      .then(() => this.settings.onWindow(window))
      .catch((err: unknown) => this.close(`the pipeline refused a window: ${(err as Error).message}`, 'warn'))
      .finally(() => {
        if (--this.handingCount === 0 && !this.closed && !this.draining) this.socket.resume();
      });
  }

  private write(seq: number): void {
    if (this.closed) return;
    this.socket.write(encodeAck(seq));
    this.armKeepalive();
  }

  private armKeepalive(): void {
    clearTimeout(this.keepaliveTimer);
    if (this.closed || !this.acks.pending || this.settings.keepaliveIntervalMs <= 0) return;
    this.keepaliveTimer = setTimeout(() => this.acks.keepalive(), this.settings.keepaliveIntervalMs);
    this.keepaliveTimer.unref();
  }

  private close(reason: string, level: 'debug' | 'info' | 'warn' | 'error'): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.keepaliveTimer);
    this.settings.logger[level](`beats: closing the connection from ${this.peer.remoteAddress}:${this.peer.remotePort}: ${reason}`, {
      connection: this.peer.id,
      unacknowledged_windows: this.acks.pending,
    });
    // A reset, as Logstash (SO_LINGER 0): the client learns at once that its window is lost.
    if (typeof this.socket.resetAndDestroy === 'function' && !(this.socket as TLSSocket).encrypted) this.socket.resetAndDestroy();
    else this.socket.destroy();
  }

  private onClose(): void {
    if (!this.closed) {
      this.closed = true;
      clearTimeout(this.keepaliveTimer);
      if (this.acks.pending || this.expected >= 0) {
        this.settings.logger.info(`beats: the client ${this.peer.remoteAddress}:${this.peer.remotePort} went away with an unacknowledged window`, { connection: this.peer.id });
      }
    }
  }
}
