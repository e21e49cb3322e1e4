/**
 * Glob patterns → the files they match, by walking only the directories the pattern can reach.
 * Supports `*`, `?`, `[…]`, `{a,b}` within a path segment and `**` as a whole segment (any depth).
 * Hidden names are matched like any other (Filebeat and Logstash both do).
 */
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** One path segment's pattern: a literal name, a regexp, or `**`. */
type Segment = { literal: string } | { regexp: RegExp } | { globstar: true };

const SPECIAL = /[*?[{]/;

/** The regular expression source matching one segment (no `/`). */
export function segmentRegExpSource(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) out += escapeRe(glob[++i]!);
    else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) { out += '\\['; continue; }
      let body = glob.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{') { braces++; out += '(?:'; }
    else if (c === '}' && braces > 0) { braces--; out += ')'; }
    else if (c === ',' && braces > 0) out += '|';
    else out += escapeRe(c);
  }
  return out;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Whether a whole name matches a one-segment glob (the file input's `exclude`). */
export function globNameMatcher(glob: string): (name: string) => boolean {
  const re = new RegExp(`^${segmentRegExpSource(glob)}$`);
  return (name) => re.test(name);
}

function parse(pattern: string): { root: string; segments: Segment[] } {
  const parts = pattern.split('/');
  const absolute = pattern.startsWith('/');
  const segments: Segment[] = [];
  for (const part of parts.slice(absolute ? 1 : 0)) {
    if (part === '' || part === '.') continue;
    if (part === '**') segments.push({ globstar: true });
    else if (SPECIAL.test(part)) segments.push({ regexp: new RegExp(`^${segmentRegExpSource(part)}$`) });
    else segments.push({ literal: part });
  }
  return { root: absolute ? sep : '.', segments };
}

/** Every path (file or not; the caller stats) matching `pattern`. Unreadable directories are skipped. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const { root, segments } = parse(pattern);
  const found = new Set<string>();
  const walk = async (dir: string, i: number, depth: number): Promise<void> => {
    if (i === segments.length) { found.add(dir); return; }
    const seg = segments[i]!;
    if ('literal' in seg) {
      if (i === segments.length - 1) found.add(join(dir, seg.literal));
      else await walk(join(dir, seg.literal), i + 1, depth);
      return;
    }
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if ('globstar' in seg) {
      await walk(dir, i + 1, depth); // ** matches zero segments
      if (depth > 32) return; // a symlink loop or absurd depth
      for (const e of entries) if (e.isDirectory()) await walk(join(dir, e.name), i, depth + 1);
      return;
    }
    for (const e of entries) {
      if (!seg.regexp.test(e.name)) continue;
      if (i === segments.length - 1) found.add(join(dir, e.name));
      else if (e.isDirectory() || e.isSymbolicLink()) await walk(join(dir, e.name), i + 1, depth);
    }
  };
  await walk(root, 0, 0);
  return [...found];
}
