#!/usr/bin/env node
import 'reflect-metadata';
import { handleClosedOutput } from './closed-output.js';
import { runCli } from './program.js';

/** How long a finished command waits for handles it did not open (a user's pool) before exiting. */
const EXIT_GRACE_MS = 3000;

handleClosedOutput();
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// The command is done: a handle left open (a pool the app's container opened, a Redis client of a
// worker that never started) must not keep the process alive. Unref'd, so a process with nothing
// open exits at once. Proved by test/cli/closed-output.test.ts.
setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
