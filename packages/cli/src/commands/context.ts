import type { Command } from 'commander';
import type { ExitCode } from '../exit-codes.js';
import type { CliIo, Output } from '../io.js';
import type { Target } from '../target.js';

/** What a command's action works with. */
export interface CommandContext {
  readonly out: Output;
  readonly target: Target;
  readonly io: CliIo;
}

/** Shared by every command of one run: builds the context from the parsed options, records the exit code. */
export interface Session {
  context(cmd: Command): CommandContext;
  finish(code: ExitCode): void;
}
