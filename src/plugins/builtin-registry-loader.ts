/**
 * The built-in registry, imported when first needed: the pipeline's modules default to it, but
 * importing it statically would load every plugin into a process that brings its own registry
 * (the agent, see agent-plugins.ts).
 */
import type { PluginRegistry } from './registry.js';

export async function loadBuiltinRegistry(): Promise<PluginRegistry> {
  return (await import('./builtins.js')).builtinRegistry();
}
