/**
 * beats_add_host_metadata: the basics of Filebeat's add_host_metadata processor — host.name,
 * hostname, architecture, os.* and (netinfo) ip and mac — read once when the filter is created.
 */
import { arch, hostname, networkInterfaces, platform, release, type as osType, version as osVersion } from 'node:os';
import { readFileSync } from 'node:fs';
import { defineFilter } from '../../api.js';
import { deepUpdate, processorFilter, WHEN_OPTION } from '../../beats-processors.js';

export const beatsAddHostMetadataFilter = defineFilter({
  kind: 'filter',
  name: 'beats_add_host_metadata',
  description: "Filebeat's add_host_metadata processor (basics): host.name, hostname, architecture, os.*, ip and mac.",
  options: {
    netinfo_enabled: { type: 'boolean', default: true, description: 'Add host.ip and host.mac (Filebeat: netinfo.enabled).' },
    replace_fields: { type: 'boolean', default: true, description: 'Replace an existing `host` field; false keeps an event that already has host fields other than host.name as it is.' },
    when: WHEN_OPTION,
  },
  create(options) {
    const host = hostMetadata(options.netinfo_enabled);
    const replace = options.replace_fields;
    return processorFilter(options.when, (event) => {
      const current = event.data['host'];
      if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
        const keys = Object.keys(current);
        if (!replace && keys.some((k) => k !== 'name')) return;
        if (replace) {
          event.data['host'] = structuredClone(host);
          return;
        }
        deepUpdate(current as Record<string, unknown>, host);
        return;
      }
      event.data['host'] = structuredClone(host);
    });
  },
});

function hostMetadata(netinfo: boolean): Record<string, unknown> {
  const name = hostname();
  const os: Record<string, unknown> = { type: platform() === 'win32' ? 'windows' : platform(), platform: platform(), kernel: release(), family: platform() };
  const release_ = osRelease();
  if (release_['ID']) os['platform'] = release_['ID'];
  if (release_['NAME']) os['name'] = release_['NAME'];
  if (release_['VERSION_ID']) os['version'] = release_['VERSION_ID'];
  if (release_['ID_LIKE']) os['family'] = release_['ID_LIKE'].split(' ')[0];
  else if (release_['ID']) os['family'] = release_['ID'];
  if (!release_['NAME']) os['name'] = osType();
  if (!release_['VERSION_ID']) os['version'] = osVersion();
  const host: Record<string, unknown> = { name, hostname: name, architecture: goArch(arch()), os };
  if (netinfo) {
    const ips: string[] = [];
    const macs = new Set<string>();
    for (const addresses of Object.values(networkInterfaces())) {
      for (const a of addresses ?? []) {
        if (a.internal) continue;
        ips.push(a.address);
        if (a.mac && a.mac !== '00:00:00:00:00:00') macs.add(a.mac.toUpperCase().replaceAll(':', '-'));
      }
    }
    host['ip'] = ips;
    host['mac'] = [...macs];
  }
  return host;
}

/** Filebeat reports Go's uname-like names (x86_64, aarch64). */
function goArch(nodeArch: string): string {
  return ({ x64: 'x86_64', arm64: 'aarch64', ia32: 'i386' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

function osRelease(): Record<string, string> {
  try {
    const out: Record<string, string> = {};
    for (const line of readFileSync('/etc/os-release', 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
    }
    return out;
  } catch {
    return {};
  }
}
