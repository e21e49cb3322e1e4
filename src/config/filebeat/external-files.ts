/**
 * The external configuration files of `filebeat.config.inputs` / `filebeat.config.modules` (and
 * 5.x `filebeat.config_dir`): which files a `path` glob names, and a signature of their contents
 * that tells a reload whether anything changed (a file added, removed or edited).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { globNameMatcher } from '../../tailing/glob.js';

/** Filebeat's `reload` settings of `filebeat.config.inputs`. */
export interface ConfigReload {
  /** The absolute glob whose files are watched. */
  glob: string;
  /** reload.period (Filebeat's default 10 s). */
  periodMs: number;
  /** The files' signature when they were read (see signatureOf). */
  signature: string;
}

export const DEFAULT_RELOAD_PERIOD_MS = 10_000;

/**
 * The files matched by an absolute glob whose wildcards are in the last segment (Filebeat's
 * `inputs.d/*.yml`), in name order. Throws when the directory cannot be read.
 */
export function matchConfigFiles(glob: string): string[] {
  const dir = dirname(glob);
  const matches = globNameMatcher(basename(glob));
  return readdirSync(dir).filter(matches).sort().map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

/** Names and contents, so an edit, an added and a removed file all change it. */
export function signatureOf(files: readonly { name: string; text: string }[]): string {
  return JSON.stringify([...files].sort((a, b) => a.name.localeCompare(b.name)).map((f) => [f.name, f.text]));
}

/** The signature of what the glob names now (a file vanishing between listing and reading counts as absent). */
export function currentSignature(glob: string): string {
  let files: string[];
  try {
    files = matchConfigFiles(glob);
  } catch {
    files = [];
  }
  const read: { name: string; text: string }[] = [];
  for (const name of files) {
    try {
      read.push({ name, text: readFileSync(name, 'utf8') });
    } catch {
      // gone since the listing
    }
  }
  return signatureOf(read);
}
