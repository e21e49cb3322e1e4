/**
 * V8 settings for regular expressions built from user configuration (grok
 * patterns, conditionals, gsub, kv). With
 * --enable-experimental-regexp-engine-on-excessive-backtracks, a regexp that
 * backtracks too much is re-run on V8's linear-time engine, when that engine
 * can run it (no lookarounds, backreferences or large counted repeats). The
 * flags are process-wide (worker threads included) and apply to regexps
 * created afterwards, so the CLI sets them before any config is compiled.
 */
import v8 from 'node:v8';

let flagsSet = false;

export function enableLinearFallback(): void {
  if (flagsSet) return;
  flagsSet = true;
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  // Lets linearCapable() probe with the `l` flag whether the linear engine accepts a regexp.
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
}

/** True when V8's linear engine can run this regexp, i.e. excessive backtracking falls back to it. */
export function linearCapable(source: string, flags: string): boolean {
  enableLinearFallback();
  try {
    new RegExp(source, `${flags}l`);
    return true;
  } catch {
    return false;
  }
}
