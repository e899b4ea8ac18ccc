#!/usr/bin/env node
// The `pet` bin. Everything testable lives in run.ts; this file only binds the process.
import { runCli } from './run.js';

const controller = new AbortController();
let interrupted = false;
const stop = (): void => {
  // First Ctrl-C stops a long-running command cleanly; a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
};
process.on('SIGINT', stop);
// A closed pipe (`pet events tail | head`) ends the output, not in a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
process.on('SIGTERM', stop);

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  },
  (e: unknown) => {
    process.stderr.write(`pet: unexpected error: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
