/**
 * cidr: checks event addresses against a list of networks; when any address is in any network
 * the event "matches", so the common decorations (add_tag, add_field, ...) apply. Mirrors
 * logstash-filter-cidr 3.1: `address` and `network` may use %{field}; `network_path` reads the
 * networks from a file (one per `separator`), re-read every `refresh_interval` seconds when it
 * changed. Text that is not an address is skipped with a (rate-limited) warning, as Logstash does.
 */
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { rateLimitedWarn } from '../../../core/rate-limit.js';
import { compileTemplate, hasInterpolation } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';
import { networkList, type NetworkList } from './networks.js';

export const cidrFilter = defineFilter({
  kind: 'filter',
  name: 'cidr',
  description: 'Matches when an address of the event lies in one of the given networks.',
  options: {
    address: { type: 'string_list', default: [], description: 'Addresses to check (may use %{field}); an array field gives several.' },
    network: { type: 'string_list', default: [], description: 'Networks: CIDR blocks or single addresses, IPv4 or IPv6 (may use %{field}).' },
    network_path: { type: 'path', description: 'File listing the networks, one per separator; takes the place of network.' },
    separator: { type: 'string', default: '\n', description: 'What separates networks in network_path.' },
    refresh_interval: { type: 'number', default: 600, description: 'Seconds between checks of network_path for changes.' },
  },
  create(options, ctx) {
    if (options.network.length > 0 && options.network_path !== undefined) {
      throw new ConfigError('cidr: network and network_path cannot be used together', ctx.location);
    }
    const limited = rateLimitedWarn(ctx.logger);
    const warn = (message: string, fields: Record<string, unknown> = {}): void => limited(message, message, fields);
    const addresses = options.address.map(compileTemplate);
    let list: NetworkList | undefined;
    let perEvent: ((event: Event) => NetworkList) | undefined;
    const path = options.network_path;
    let loadedMtime = 0;
    let nextCheck = 0;
    const load = (): void => {
      const text = readFileSync(path!, 'utf8');
      const entries = text.split(options.separator).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
      list = networkList(entries);
    };
    try {
      if (path !== undefined) {
        loadedMtime = statSync(path).mtimeMs;
        load();
        nextCheck = Date.now() + options.refresh_interval * 1000;
      } else if (options.network.some(hasInterpolation)) {
        const templates = options.network.map(compileTemplate);
        perEvent = (event) => networkList(templates.map((t) => t(event)));
      } else list = networkList(options.network);
    } catch (err) {
      throw new ConfigError(`cidr: ${(err as Error).message}`, ctx.location);
    }
    const refresh = (): void => {
      const now = Date.now();
      if (now < nextCheck) return;
      nextCheck = now + options.refresh_interval * 1000;
      try {
        const mtime = statSync(path!).mtimeMs;
        if (mtime !== loadedMtime) {
          load();
          loadedMtime = mtime;
        }
      } catch (err) {
        warn(`cidr: could not re-read network_path ${path}; keeping the networks read before`, { error: (err as Error).message });
      }
    };
    return {
      filter(event) {
        if (path !== undefined) refresh();
        let networks: NetworkList;
        try {
          networks = perEvent ? perEvent(event) : list!;
        } catch (err) {
          warn('cidr: a network of the event is invalid; the event does not match', { error: (err as Error).message });
          return false;
        }
        for (const address of addresses) {
          const text = address(event).trim();
          if (networks.contains(text)) return true;
          if (isIP(text) === 0) warn('cidr: invalid IP address, skipping', { address: text });
        }
        return false;
      },
    };
  },
});
