/** What the tcp input's source hands its decoder: a chunk of one connection's lines and who sent them. */
import type { TruncatedLines } from '../../line-payloads.js';

/** The connection a payload came from, as the decoder writes it into events. */
export interface TcpPeer {
  /** Host name (reverse lookup) or IP address of the source. */
  name: string;
  ip: string;
  port: number;
  /** With proxy_protocol: the proxy's own address. */
  proxyIp?: string;
  proxyPort?: number;
  /** With TLS and a verified client certificate: its subject. */
  subject?: string;
}

export interface TcpPayload {
  bytes: Uint8Array;
  /** With a binary codec: where each whole message (msgpack value) in `bytes` ends; else `bytes` are lines. */
  ends?: Uint32Array;
  truncated?: TruncatedLines;
  peer: TcpPeer;
}
