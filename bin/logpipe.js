#!/usr/bin/env node
// logpipe launcher: runs the compiled CLI (npm install builds it via the prepare script).
// The agent's young generation is capped before the CLI's modules load, since loading them
// already grows it (src/cli/young-generation.ts).
if (process.argv[2] === 'agent') (await import('../dist/src/cli/young-generation.js')).keepYoungGenerationSmall();
const { main } = await import('../dist/src/cli/main.js');

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Exit even if a library left a handle open; stdout has been flushed by then.
setTimeout(() => process.exit(code), 200).unref();
