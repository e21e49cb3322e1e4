/** Network lists for the cidr filter: CIDR blocks or single addresses, IPv4 and IPv6, on node:net's BlockList. */
import { BlockList, isIP } from 'node:net';

export interface NetworkList {
  /** Whether `address` (IPv4 or IPv6 text) lies in one of the networks; false for text that is not an address. */
  contains(address: string): boolean;
}

/** Parses networks ("10.0.0.0/8", "192.168.1.1", "2001:db8::/32"); throws on the first invalid one. */
export function networkList(networks: readonly string[]): NetworkList {
  const list = new BlockList();
  for (const raw of networks) {
    const text = raw.trim();
    const slash = text.indexOf('/');
    const address = slash < 0 ? text : text.slice(0, slash);
    const family = isIP(address);
    if (family === 0) throw new Error(`"${raw}" is not an IP address or CIDR block`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash < 0) {
      list.addAddress(address, type);
      continue;
    }
    const prefixText = text.slice(slash + 1);
    const prefix = Number(prefixText);
    if (!/^\d+$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${raw}" has an invalid prefix length`);
    list.addSubnet(address, prefix, type);
  }
  return {
    contains(address) {
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
