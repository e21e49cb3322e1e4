/**
 * Path rules of the file output. The static part of `path` (up to the first
 * directory holding a `%{...}`) is the root; event data may only choose a path
 * below it. A rendered path that climbs out (`..`), injects an absolute value
 * (`//`) or otherwise escapes goes to `<root>/<filename_failure>` instead —
 * event data never chooses where on disk we write.
 */
import { resolve, sep } from 'node:path';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { compileTemplate } from '../../../core/sprintf.js';

export interface PathRouter {
  /** The file an event goes to. */
  route(event: Event): string;
  readonly dynamic: boolean;
  readonly root: string;
}

/**
 * `onFailurePath` hears of each event sent to the failure file (the path its data
 * rendered): Logstash logs a warning for each, so the user learns why a file is missing.
 */
export function compilePathRouter(path: string, filenameFailure: string, onFailurePath?: (rendered: string, failurePath: string) => void): PathRouter {
  if (path.startsWith('%{')) {
    throw new ConfigError(`file output: the start of the path must not be dynamic ("${path}")`, undefined,
      'begin the path with a fixed directory, e.g. "/var/log/out/%{type}.log"');
  }
  const absolute = resolve(path);
  const dynamic = absolute.includes('%{');
  if (!dynamic) return { route: () => absolute, dynamic, root: absolute };
  const parts = absolute.split(sep);
  const firstDynamic = parts.findIndex((p) => p.includes('%{'));
  const root = parts.slice(0, firstDynamic).join(sep) || sep;
  const failurePath = resolve(root, filenameFailure);
  const template = compileTemplate(absolute);
  const rootPrefix = root.endsWith(sep) ? root : root + sep;
  return {
    dynamic,
    root,
    route(event) {
      const rendered = template(event);
      const below = rendered.slice(rootPrefix.length);
      if (!rendered.startsWith(rootPrefix) || below.includes('\0') || below.split(sep).some((s) => s === '' || s === '.' || s === '..')) {
        onFailurePath?.(rendered, failurePath);
        return failurePath;
      }
      return rendered;
    },
  };
}
