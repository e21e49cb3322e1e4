/**
 * The PROXY protocol (HAProxy), versions 1 (text) and 2 (binary): the header a load balancer puts
 * in front of a TCP stream to say who the real client is. `parseProxyHeader` looks at the first
 * bytes of a connection and says whether a whole header is there, what it says, and how many bytes
 * it took; what follows is the client's own data.
 */
import { isIP } from 'node:net';

/** Where the proxied connection came from and went to. */
export interface ProxiedAddresses {
  sourceAddress: string;
  sourcePort: number;
  destinationAddress: string;
  destinationPort: number;
}

export type ProxyHeaderResult =
  /** Not enough bytes yet to tell. */
  | { kind: 'incomplete' }
  /** A whole header of `length` bytes; `addresses` undefined for v1 UNKNOWN and v2 LOCAL (health checks) or non-IP families. */
  | { kind: 'header'; version: 1 | 2; length: number; addresses: ProxiedAddresses | undefined }
  | { kind: 'invalid'; reason: string };

/** A v1 header is at most this long, CRLF included (the specification's bound). */
export const PROXY_V1_MAX_BYTES = 107;
const V1_PREFIX = Buffer.from('PROXY ');
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** Largest v2 header we accept (signature, fixed part and TLVs); the length field allows 64 KiB. */
const V2_MAX_BYTES = 16 + 4096;

export function parseProxyHeader(buf: Buffer): ProxyHeaderResult {
  if (startsWithPrefixOf(buf, V2_SIGNATURE)) return buf.length < 16 ? { kind: 'incomplete' } : parseV2(buf);
  if (startsWithPrefixOf(buf, V1_PREFIX)) return buf.length < V1_PREFIX.length ? { kind: 'incomplete' } : parseV1(buf);
  return { kind: 'invalid', reason: 'the connection did not start with a PROXY protocol header' };
}

/** Whether buf begins like `prefix` as far as both go. */
function startsWithPrefixOf(buf: Buffer, prefix: Buffer): boolean {
  const n = Math.min(buf.length, prefix.length);
  return n > 0 && buf.compare(prefix, 0, n, 0, n) === 0;
}

function parseV1(buf: Buffer): ProxyHeaderResult {
  const end = buf.indexOf('\r\n');
  if (end === -1) {
    return buf.length >= PROXY_V1_MAX_BYTES ? { kind: 'invalid', reason: `PROXY v1 header longer than ${PROXY_V1_MAX_BYTES} bytes` } : { kind: 'incomplete' };
  }
  if (end + 2 > PROXY_V1_MAX_BYTES) return { kind: 'invalid', reason: `PROXY v1 header longer than ${PROXY_V1_MAX_BYTES} bytes` };
  const parts = buf.toString('latin1', 0, end).split(' ');
  const length = end + 2;
  if (parts[1] === 'UNKNOWN') return { kind: 'header', version: 1, length, addresses: undefined };
  if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) return { kind: 'invalid', reason: `malformed PROXY v1 header "${parts.join(' ')}"` };
  const [, family, src, dst, sport, dport] = parts as [string, string, string, string, string, string];
  const want = family === 'TCP4' ? 4 : 6;
  const sourcePort = port(sport);
  const destinationPort = port(dport);
  if (isIP(src) !== want || isIP(dst) !== want || sourcePort === undefined || destinationPort === undefined) {
    return { kind: 'invalid', reason: `malformed PROXY v1 header "${parts.join(' ')}"` };
  }
  return { kind: 'header', version: 1, length, addresses: { sourceAddress: src, sourcePort, destinationAddress: dst, destinationPort } };
}

function port(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

function parseV2(buf: Buffer): ProxyHeaderResult {
  const versionCommand = buf[12]!;
  if (versionCommand >> 4 !== 2) return { kind: 'invalid', reason: `PROXY v2 header with version ${versionCommand >> 4}` };
  const command = versionCommand & 0x0f;
  if (command > 1) return { kind: 'invalid', reason: `PROXY v2 header with unknown command ${command}` };
  const family = buf[13]!;
  const bodyLength = buf.readUInt16BE(14);
  const length = 16 + bodyLength;
  if (length > V2_MAX_BYTES) return { kind: 'invalid', reason: `PROXY v2 header of ${length} bytes (at most ${V2_MAX_BYTES})` };
  if (buf.length < length) return { kind: 'incomplete' };
  // LOCAL: the proxy itself (a health check); the connection's own addresses stand.
  if (command === 0) return { kind: 'header', version: 2, length, addresses: undefined };
  const body = buf.subarray(16, length);
  switch (family >> 4) {
    case 1: // AF_INET
      if (bodyLength < 12) return { kind: 'invalid', reason: 'PROXY v2 IPv4 header too short' };
      return {
        kind: 'header', version: 2, length,
        addresses: { sourceAddress: body.subarray(0, 4).join('.'), destinationAddress: body.subarray(4, 8).join('.'), sourcePort: body.readUInt16BE(8), destinationPort: body.readUInt16BE(10) },
      };
    case 2: // AF_INET6
      if (bodyLength < 36) return { kind: 'invalid', reason: 'PROXY v2 IPv6 header too short' };
      return {
        kind: 'header', version: 2, length,
        addresses: { sourceAddress: ipv6(body.subarray(0, 16)), destinationAddress: ipv6(body.subarray(16, 32)), sourcePort: body.readUInt16BE(32), destinationPort: body.readUInt16BE(34) },
      };
    default: // AF_UNSPEC, AF_UNIX: no IP to report
      return { kind: 'header', version: 2, length, addresses: undefined };
  }
}

function ipv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  // The compressed form (longest run of zero groups as "::"), as Node prints remote addresses.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  if (bestStart === -1) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

/** A v1 header (for senders and tests). */
export function encodeProxyV1(a: ProxiedAddresses): Buffer {
  const family = isIP(a.sourceAddress) === 6 ? 'TCP6' : 'TCP4';
  return Buffer.from(`PROXY ${family} ${a.sourceAddress} ${a.destinationAddress} ${a.sourcePort} ${a.destinationPort}\r\n`, 'latin1');
}

/** A v2 PROXY header for IPv4 addresses (for senders and tests). */
export function encodeProxyV2(a: ProxiedAddresses): Buffer {
  const head = Buffer.alloc(28);
  V2_SIGNATURE.copy(head, 0);
  head[12] = 0x21;
  head[13] = 0x11;
  head.writeUInt16BE(12, 14);
  Buffer.from(a.sourceAddress.split('.').map(Number)).copy(head, 16);
  Buffer.from(a.destinationAddress.split('.').map(Number)).copy(head, 20);
  head.writeUInt16BE(a.sourcePort, 24);
  head.writeUInt16BE(a.destinationPort, 26);
  return head;
}
