#!/usr/bin/env node
// logpipe launcher: runs the compiled CLI (npm install builds it via the prepare script).
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Exit even if a library left a handle open; stdout has been flushed by then.
setTimeout(() => process.exit(code), 200).unref();
