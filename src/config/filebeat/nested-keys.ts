/**
 * Known sub-keys of the nested groups Filebeat passes to a plugin as one hash (`multiline.*`,
 * `json.*`, `prospector.scanner.*`, `ssl.*`, `backoff.*`): a typo inside a group is reported like
 * any unknown key (and left out of the hash), instead of vanishing into it.
 */
import type { Diagnostics } from './diagnostics.js';
import type { YMap, YNode } from './yaml.js';

/** `true`: a leaf (any value); a spec: a map with these keys. */
export type KeySpec = { readonly [key: string]: KeySpec | true };

export const INPUT_GROUPS: KeySpec = {
  multiline: { type: true, pattern: true, negate: true, match: true, max_lines: true, timeout: true, count_lines: true, flush_pattern: true, skip_newline: true },
  json: { keys_under_root: true, overwrite_keys: true, add_error_key: true, message_key: true, expand_keys: true, ignore_decoding_error: true, document_id: true, target: true },
  scan: { sort: true, order: true },
  prospector: {
    scanner: {
      symlinks: true, check_interval: true, exclude_files: true, include_files: true, recursive_glob: true, resend_on_touch: true,
      fingerprint: { enabled: true, offset: true, length: true },
    },
  },
};

const SSL: KeySpec = {
  enabled: true, certificate_authorities: true, certificate: true, key: true, key_passphrase: true, verification_mode: true,
  supported_protocols: true, cipher_suites: true, curve_types: true, renegotiation: true, ca_trusted_fingerprint: true, ca_sha256: true,
};

export const LOGSTASH_OUTPUT_GROUPS: KeySpec = { ssl: SSL, backoff: { init: true, max: true } };

/** Removes (and reports) the keys of `node` that `spec` does not know, at every level. */
export function pruneUnknown(node: YNode, spec: KeySpec, path: string, diag: Diagnostics): YNode {
  if (node.kind !== 'map') return node;
  const kept: YMap = { kind: 'map', entries: [], location: node.location };
  for (const e of node.entries) {
    const sub = spec[e.key];
    if (sub === undefined) {
      diag.unknown(`${path}.${e.key}`, e.key, e.location, Object.keys(spec));
      continue;
    }
    kept.entries.push(sub === true ? e : { ...e, value: pruneUnknown(e.value, sub, `${path}.${e.key}`, diag) });
  }
  return kept;
}
