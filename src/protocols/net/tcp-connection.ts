/**
 * Reading one TCP (or TLS) connection for a stream server or client, whatever its framing.
 *
 * Contract:
 * * the handler sees the connection's bytes in order through `data()`; while the promise it
 *   returns is pending the socket is paused, so a full pipeline queue stops the reads and TCP
 *   flow control stops the sender: nothing is buffered here beyond the chunk being handed over;
 * * with `proxyProtocol`, the connection must start with a PROXY v1 or v2 header (within
 *   `proxyHeaderTimeoutMs`); the header is taken off and its addresses put in the info, a missing
 *   or malformed one closes the connection with the reason logged;
 * * `end()` is called exactly once, after the last `data()` settled: the peer closed (error
 *   undefined), the socket failed, or the connection was stopped;
 * * `stop()` stops reading at once and resolves once `end()` has settled.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../../core/logger.js';
import { parseProxyHeader, PROXY_V1_MAX_BYTES, type ProxiedAddresses } from './proxy-protocol.js';
import type { PeerCertificate } from './tls.js';

/** Who is at the other end of a connection. */
export interface ConnectionInfo {
  /** Unique within the listener's (or client's) life. */
  id: number;
  remoteAddress: string;
  remotePort: number;
  /** From a PROXY protocol header: the client the proxy connected for. */
  proxied?: ProxiedAddresses;
  /** With TLS, the verified client certificate, when one was asked for and sent. */
  certificate?: PeerCertificate;
  tls: boolean;
}

export interface ConnectionHandler {
  /** Bytes read. Reading pauses until a returned promise settles; a rejection closes the connection. */
  data(chunk: Buffer): void | Promise<void>;
  /** The connection is over (once, after the last data() settled); `error` unless the peer closed cleanly. */
  end(error: Error | undefined): void | Promise<void>;
}

export interface ConnectionSettings {
  /** Log prefix, e.g. "tcp". */
  label: string;
  logger: Logger;
  /** TCP keep-alive probes (SO_KEEPALIVE) after this long idle; undefined = off. */
  keepAliveMs?: number;
  /** A PROXY protocol header is expected first. */
  proxyProtocol?: boolean;
  proxyHeaderTimeoutMs?: number;
  /** Builds the handler once the connection is known (after any PROXY header); may be async (a DNS lookup). */
  onConnection(info: ConnectionInfo): ConnectionHandler | Promise<ConnectionHandler>;
}

const DEFAULT_PROXY_HEADER_TIMEOUT_MS = 10_000;

export class StreamConnection {
  private handler: ConnectionHandler | undefined;
  /** The data() in progress; end() waits for it. */
  private busy: Promise<void> = Promise.resolve();
  private ended = false;
  private endError: Error | undefined;
  private stopped = false;
  /** Bytes read before the PROXY header was complete. */
  private header: Buffer | undefined;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(private readonly socket: Socket, readonly info: ConnectionInfo, private readonly settings: ConnectionSettings) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    if (settings.keepAliveMs !== undefined) socket.setKeepAlive(true, settings.keepAliveMs);
    socket.on('error', (err) => {
      this.endError ??= err;
    });
    socket.on('close', () => this.finish());
    socket.on('end', () => this.finish());
    if (settings.proxyProtocol) {
      this.header = Buffer.alloc(0);
      const timeout = settings.proxyHeaderTimeoutMs ?? DEFAULT_PROXY_HEADER_TIMEOUT_MS;
      socket.setTimeout(timeout, () => {
        if (this.header) this.refuse(`no PROXY protocol header within ${timeout} ms`);
      });
      socket.on('data', (chunk: Buffer) => this.onHeaderBytes(chunk));
    } else {
      socket.pause();
      void this.begin(undefined);
    }
  }

  /** Stops reading now; resolves once the handler's end() settled. */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.endError ??= new Error('stopped');
      this.socket.pause();
      this.finish();
    }
    await this.done;
  }

  private onHeaderBytes(chunk: Buffer): void {
    if (!this.header) return;
    const buf = this.header.length === 0 ? chunk : Buffer.concat([this.header, chunk]);
    const parsed = parseProxyHeader(buf);
    if (parsed.kind === 'incomplete') {
      this.header = buf;
      return;
    }
    if (parsed.kind === 'invalid') {
      this.refuse(parsed.reason);
      return;
    }
    this.header = undefined;
    this.socket.setTimeout(0);
    this.socket.removeAllListeners('data');
    this.socket.pause();
    if (parsed.addresses) this.info.proxied = parsed.addresses;
    const rest = buf.length > parsed.length ? buf.subarray(parsed.length) : undefined;
    void this.begin(rest);
  }

  private refuse(reason: string): void {
    this.header = undefined;
    this.settings.logger.warn(`${this.settings.label}: closing ${this.info.remoteAddress}:${this.info.remotePort}: ${reason}`, { proxy_v1_max_bytes: PROXY_V1_MAX_BYTES });
    this.endError = new Error(reason);
    this.socket.destroy();
  }

  private async begin(first: Buffer | undefined): Promise<void> {
    this.building = true;
    try {
      this.handler = await this.settings.onConnection(this.info);
    } catch (err) {
      this.building = false;
      this.endError ??= err as Error;
      this.settings.logger.warn(`${this.settings.label}: closing ${this.info.remoteAddress}:${this.info.remotePort}: ${this.endError.message}`);
      this.socket.destroy();
      this.ended = true;
      this.resolveDone();
      return;
    }
    this.building = false;
    if (this.ended) {
      // Closed while the handler was being made: it still hears the end, once.
      this.ended = false;
      this.finish();
      return;
    }
    if (first) this.onData(first);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    if (!this.stopped && !this.busyPending) this.socket.resume();
  }

  private busyPending = false;
  private building = false;

  private onData(chunk: Buffer): void {
    if (this.stopped) return;
    let result: void | Promise<void>;
    try {
      result = this.handler!.data(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (result === undefined) return;
    // Paused until the handler took the chunk: TCP flow control holds the sender meanwhile.
    this.socket.pause();
    this.busyPending = true;
    this.busy = result.then(() => {
      this.busyPending = false;
      if (!this.stopped && !this.ended) this.socket.resume();
    }, (err: unknown) => {
      this.busyPending = false;
      this.fail(err);
    });
  }

  private fail(err: unknown): void {
    this.endError ??= err instanceof Error ? err : new Error(String(err));
    this.settings.logger.warn(`${this.settings.label}: closing ${this.info.remoteAddress}:${this.info.remotePort}: ${this.endError.message}`);
    this.socket.destroy();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.building) return; // begin() reports the end once it has the handler
    if (!this.handler) {
      // Still waiting for the PROXY header: no handler was ever made, nothing to hand over.
      this.header = undefined;
      this.socket.destroy();
      this.resolveDone();
      return;
    }
    const handler = this.handler;
    void this.busy.then(async () => {
      try {
        await handler.end(this.endError);
      } catch (err) {
        this.settings.logger.error(`${this.settings.label}: ending connection ${this.info.id} failed: ${(err as Error).message}`);
      }
      // Our side of the stream ends too (the peer may be waiting for it); a stopped or failed one is cut.
      if (this.stopped || this.endError) this.socket.destroy();
      else this.socket.end();
      this.resolveDone();
    });
  }
}
