// Shared by the CLI's tests that run `pet` in-process: an io that keeps what a run writes.
import type { CliIo } from './io.js';

/** A {@link CliIo} whose writes are kept, with what was written so far. */
export interface CapturedIo {
  readonly io: CliIo;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** An io for `runCli` that keeps stdout and stderr; `env` and `signal` as the run should see them. */
export function captureIo(
  env: CliIo['env'] = {},
  signal: AbortSignal = new AbortController().signal,
): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env,
      signal,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
