/**
 * Loads a dependency on first use. Heavy client libraries (Redis, YAML) are
 * needed only by some configurations, yet every worker thread imports every
 * plugin; loading them eagerly cost ~80 ms per thread at startup.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
