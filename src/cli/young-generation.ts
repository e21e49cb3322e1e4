/**
 * The agent's young generation: V8's new space stays at its initial two 1 MiB semi-spaces
 * instead of growing to two 16 MiB ones (~30 MB of RSS once busy). V8 sizes the heap before any
 * JavaScript runs, so `--max-semi-space-size` set at run time never applies; the growth factor is
 * read each time the new space would grow, so setting it to 1 does, in this process, without a
 * launcher or NODE_OPTIONS. Loading the agent's modules already grows the new space to 2 MiB
 * semi-spaces, so bin/logpipe.js calls this before importing them. Kept out of agent.ts for
 * that reason: it must load nothing. Measured in docs/decisions/0026 ("Footprint, session 7").
 */
import { setFlagsFromString } from 'node:v8';

export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
