/** The agent configuration of the kill -9 tests: one fast-polling log input whose events carry the lifetime's epoch. */

/**
 * Filebeat YAML: a `log` input on `glob` polling every 100 ms, each event stamped with
 * `epoch: ${EPOCH}` at the root (the env var names the agent lifetime) by the input's `fields`
 * (which the fused step reproduces), by an `add_fields` processor (which keeps the agent on the
 * per-event path), or not at all; a 20 s shutdown deadline, `dataDir`, then `output` (YAML lines
 * of one output).
 */
export function epochAgentYaml(glob: string, dataDir: string, output: string[], stamp: 'fields' | 'processor' | 'none' = 'fields'): string {
  return [
    'filebeat.inputs:',
    '  - type: log',
    `    paths: ["${glob}"]`,
    '    scan_frequency: 100ms',
    '    backoff: 20ms',
    '    max_backoff: 100ms',
    ...(stamp === 'fields' ? ['    fields: { epoch: "${EPOCH}" }', '    fields_under_root: true'] : []),
    ...(stamp === 'processor' ? ['    processors:', '      - add_fields: { target: "", fields: { epoch: "${EPOCH}" } }'] : []),
    'filebeat.shutdown_timeout: 20s',
    `path.data: ${dataDir}`,
    ...output,
    '',
  ].join('\n');
}
