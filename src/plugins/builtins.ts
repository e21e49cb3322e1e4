/** Every plugin logpipe ships, registered by name. Add a plugin here when you add its folder. */
import { PluginRegistry } from './registry.js';
import type { PluginDefinition } from './api.js';

const BUILTINS: PluginDefinition[] = [
];

let shared: PluginRegistry | undefined;

/** The registry of built-in plugins (one per thread, built on first use). */
export function builtinRegistry(): PluginRegistry {
  if (!shared) {
    shared = new PluginRegistry();
    for (const definition of BUILTINS) shared.register(definition);
  }
  return shared;
}
