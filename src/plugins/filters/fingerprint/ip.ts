/**
 * IPV4_NETWORK: Ruby's `IPAddr.new(value).mask(prefix).to_s`. IPv4 and IPv6
 * addresses are accepted (IPAddr takes both); the result is the masked
 * address in IPAddr's text form. Returns undefined where Ruby raises.
 */
import { isIPv6 } from 'node:net';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function maskIp(text: string, prefix: number): string | undefined {
  const v4 = IPV4.exec(text);
  if (v4) {
    if (prefix < 0 || prefix > 32) return undefined;
    let n = 0;
    for (let i = 1; i <= 4; i++) {
      const part = v4[i]!;
      if (part.length > 1 && part[0] === '0') return undefined; // IPAddr rejects zero-filled octets
      const octet = Number(part);
      if (octet > 255) return undefined;
      n = n * 256 + octet;
    }
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const masked = (n & mask) >>> 0;
    return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}`;
  }
  if (!isIPv6(text) || text.includes('%')) return undefined;
  if (prefix < 0 || prefix > 128) return undefined;
  const groups = expandIpv6(text);
  let bits = prefix;
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, bits));
    groups[i] = keep === 0 ? 0 : groups[i]! & ((0xffff << (16 - keep)) & 0xffff);
    bits -= 16;
  }
  return rubyIpv6ToS(groups);
}

function expandIpv6(text: string): number[] {
  let s = text;
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    s = s.slice(0, dotted.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = s.includes('::') ? (s.split('::') as [string, string]) : [s, undefined];
  const h = head ? head.split(':').map((g) => parseInt(g, 16)) : [];
  if (tail === undefined) return h;
  const t = tail ? tail.split(':').map((g) => parseInt(g, 16)) : [];
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** IPAddr#to_s for IPv6: groups without leading zeros, the first longest zero run as "::". */
function rubyIpv6ToS(groups: number[]): string {
  let str = groups.map((g) => g.toString(16)).join(':');
  // IPAddr tries runs of 8 zero groups down to 2, replacing the first occurrence.
  if (str === '0:0:0:0:0:0:0:0') return '::';
  for (let n = 7; n >= 2; n--) {
    const run = new RegExp(`\\b${new Array(n).fill('0').join(':')}\\b`);
    if (run.test(str)) {
      str = str.replace(run, ':');
      break;
    }
  }
  str = str.replace(/:{3,}/, '::');
  const mapped = /^::(ffff:)?([\da-f]{1,4}):([\da-f]{1,4})$/i.exec(str);
  if (mapped) {
    const hi = parseInt(mapped[2]!, 16);
    const lo = parseInt(mapped[3]!, 16);
    str = `::${mapped[1] ?? ''}${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return str;
}
