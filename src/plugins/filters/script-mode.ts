/**
 * The inline-or-file rules the js and ruby filters share (those of Logstash's ruby filter):
 * exactly one of `code` and `path`; `init` only with `code`; `script_params` only with `path`.
 */
export interface ScriptModeOptions {
  code?: string | undefined;
  path?: string | undefined;
  init?: string | undefined;
  script_params: Record<string, unknown>;
  timeout_ms: number;
}

export function checkScriptMode(options: ScriptModeOptions, fail: (reason: string) => never): void {
  const hasCode = options.code !== undefined;
  const hasPath = options.path !== undefined;
  if (hasCode === hasPath) fail('set exactly one of `code` (inline) and `path` (script file)');
  if (hasPath && options.init !== undefined) fail('`init` is for inline `code`; a `path` script does its setup in register(params)');
  if (hasCode && Object.keys(options.script_params).length > 0) fail('`script_params` is for `path` scripts; inline code can define values in `init`');
  if (!(options.timeout_ms >= 0)) fail('timeout_ms must be 0 (no limit) or a positive number of milliseconds');
}
