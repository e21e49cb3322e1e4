/**
 * Logstash's sincedb, read when `sincedb_path` names one: lines `inode major minor offset
 * [last_active [path]]` (the path and timestamp came with file input 4.1). Entries become registry
 * entries of the `file` scope under native identity (device = major/minor as Linux packs them),
 * without a fingerprint, so they resume exactly as Logstash would.
 */
import type { RegistryEntry } from './store.js';

/** Linux's dev_t from major/minor (glibc's makedev). */
export const makedev = (major: number, minor: number): number =>
  ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0 | (Math.floor(major / 4096) * 2 ** 32);

export function parseSincedb(text: string, now = Date.now()): RegistryEntry[] {
  const out: RegistryEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\d+) (\d+) (\d+)(?: (\d+(?:\.\d+)?))?(?: (.*))?$/.exec(line.trim());
    if (!m) continue;
    const inode = Number(m[1]);
    const device = makedev(Number(m[2]), Number(m[3]));
    out.push({
      key: `file::native::${inode}-${device}`,
      path: m[6] ?? '',
      offset: Number(m[4]),
      inode,
      device,
      updated: m[5] ? Math.round(Number(m[5]) * 1000) : now,
      ttl: -1,
    });
  }
  return out;
}
