/**
 * Where pipeline configs come from: `-f <file|directory|glob>` or `-e <text>`.
 * As Logstash: a directory means every file directly in it, a glob means the
 * files it matches; both sorted alphabetically (this order is the order the
 * sections are concatenated in).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../core/errors.js';
import type { ConfigSource } from './ast.js';

export const CONFIG_STRING_NAME = 'config string';

/** The source for `-e`. */
export function configStringSource(text: string): ConfigSource {
  return { name: CONFIG_STRING_NAME, text };
}

const hasGlob = (s: string): boolean => /[*?[]/.test(s);

export async function loadConfigSources(pathSpec: string): Promise<ConfigSource[]> {
  if (pathSpec.trim() === '') throw new ConfigError('empty configuration path');
  const files = hasGlob(pathSpec) ? await globFiles(pathSpec) : await plainPath(pathSpec);
  if (files.length === 0) {
    throw new ConfigError(
      hasGlob(pathSpec)
        ? `no configuration files match "${pathSpec}"`
        : `configuration directory "${pathSpec}" contains no files`,
      undefined,
      'check the -f / path.config argument',
    );
  }
  const sources: ConfigSource[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read configuration file "${file}": ${(err as Error).message}`);
    }
    sources.push({ name: file, text });
  }
  return sources;
}

async function plainPath(p: string): Promise<string[]> {
  let st;
  try {
    st = await stat(p);
  } catch {
    throw new ConfigError(`no configuration file or directory found at "${p}"`, undefined, 'check the -f / path.config argument');
  }
  if (st.isFile()) return [p];
  if (!st.isDirectory()) throw new ConfigError(`"${p}" is neither a file nor a directory`);
  const entries = await readdir(p, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    // Like Ruby's Dir.glob("dir/*"): hidden files are not matched.
    if (entry.name.startsWith('.')) continue;
    const full = path.join(p, entry.name);
    if (entry.isFile() || (entry.isSymbolicLink() && (await isFile(full)))) files.push(full);
  }
  return files.sort(compareNames);
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Byte-wise order, as Ruby's sort of file names. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Expands `*`, `?`, `[...]` within one path segment and `**` across
 * directories. Hidden entries are only matched by patterns that start with ".".
 */
export async function globFiles(pattern: string): Promise<string[]> {
  const segs = pattern.split(/\/+/);
  let idx = 0;
  let base = '';
  if (segs[0] === '') {
    base = '/';
    idx = 1;
  }
  // Static prefix: leading segments without wildcards.
  while (idx < segs.length - 1 && !hasGlob(segs[idx]!)) {
    base = base === '' ? segs[idx]! : path.join(base, segs[idx]!);
    idx++;
  }
  const rest = segs.slice(idx).filter((s) => s !== '');
  // A trailing "**" matches files like "*" (Ruby's Dir.glob).
  const matchers = rest.map((seg, i) => (seg === '**' && i < rest.length - 1 ? '**' : segmentRegex(seg === '**' ? '*' : seg)));
  const out = new Set<string>();
  await walk(base, matchers, 0, out);
  return [...out].sort(compareNames);
}

/** `dir` is '' for the current directory, so results keep the form the pattern was given in. */
async function walk(dir: string, matchers: Array<RegExp | '**'>, index: number, out: Set<string>): Promise<void> {
  const m = matchers[index];
  if (m === undefined) return;
  const last = index === matchers.length - 1;
  let entries;
  try {
    entries = await readdir(dir || '.', { withFileTypes: true });
  } catch {
    return;
  }
  if (m === '**') {
    // Zero directories...
    await walk(dir, matchers, index + 1, out);
    // ...or one more, keeping "**" active.
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory() || (e.isSymbolicLink() && (await isDir(full)))) {
        await walk(full, matchers, index, out);
      }
    }
    return;
  }
  for (const e of entries) {
    if (!m.test(e.name)) continue;
    const full = join(dir, e.name);
    if (last) {
      if (e.isFile() || (e.isSymbolicLink() && (await isFile(full)))) out.add(full);
    } else if (e.isDirectory() || (e.isSymbolicLink() && (await isDir(full)))) {
      await walk(full, matchers, index + 1, out);
    }
  }
}

const join = (a: string, b: string): string => (a === '' ? b : path.join(a, b));

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function segmentRegex(seg: string): RegExp {
  let re = '^';
  // A leading wildcard does not match hidden files (Ruby's Dir.glob without FNM_DOTMATCH).
  if (seg[0] === '*' || seg[0] === '?' || seg[0] === '[') re += '(?!\\.)';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        let cls = seg.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (cls[0] === '!') cls = '^' + cls.slice(1);
        re += `[${cls}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}
