/**
 * tld: splits a domain name into its public suffix and the labels before it, using the Public
 * Suffix List (ICANN and private sections, as Ruby's public_suffix gem does by default) from the
 * `tldts` package. Mirrors logstash-filter-tld 3.1: a name whose suffix is not on the list (or an
 * IP address, or a bare suffix) is left alone and does not match.
 */
import { parse } from 'tldts';
import { fieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';

export interface DomainParts {
  tld: string;
  sld: string;
  trd: string | null;
  domain: string;
  subdomain: string | null;
  top_level_domain: string;
}

/** The parts of `name`, or undefined when it is not a registrable name under a listed suffix. */
export function domainParts(name: string): DomainParts | undefined {
  const p = parse(name, { allowPrivateDomains: true, extractHostname: false });
  if (p.isIp || !(p.isIcann || p.isPrivate) || !p.domain || !p.publicSuffix || !p.domainWithoutSuffix) return undefined;
  const trd = p.subdomain ? p.subdomain : null;
  return {
    tld: p.publicSuffix,
    sld: p.domainWithoutSuffix,
    trd,
    domain: p.domain,
    subdomain: trd === null ? null : `${trd}.${p.domain}`,
    top_level_domain: p.publicSuffix,
  };
}

export const tldFilter = defineFilter({
  kind: 'filter',
  name: 'tld',
  description: 'Splits a domain name into top-level domain, second-level domain and the rest (Public Suffix List).',
  options: {
    source: { type: 'field_reference', default: 'message', description: 'Field holding the domain name.' },
    target: { type: 'field_reference', default: 'tld', description: 'Hash that receives tld, sld, trd, domain, subdomain, top_level_domain.' },
  },
  create(options) {
    const source = fieldRef(options.source);
    const target = fieldRef(options.target);
    return {
      filter(event) {
        const value = source.get(event);
        if (typeof value !== 'string') return false;
        const parts = domainParts(value.trim().toLowerCase());
        if (!parts) return false;
        const existing = target.get(event);
        const hash = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? existing as Record<string, unknown> : {};
        Object.assign(hash, parts);
        target.set(event, hash);
        return true;
      },
    };
  },
});
