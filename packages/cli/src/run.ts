import { Command, CommanderError } from 'commander';
import manifest from '../package.json' with { type: 'json' };
import type { Session } from './commands/context.js';
import { crmCommand } from './commands/crm.js';
import { dbCommand } from './commands/db.js';
import { eventsCommand } from './commands/events.js';
import { importCommand } from './commands/import.js';
import { kpiCommand } from './commands/kpi.js';
import { migrateCommand } from './commands/migrate.js';
import { slaCommand } from './commands/sla.js';
import { timeCommand } from './commands/time.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { toFailure } from './failure.js';
import { type CliIo, createOutput, toJson } from './io.js';
import { DEFAULT_DATABASE, DEFAULT_URL, type GlobalOptions, resolveTarget } from './target.js';

const EPILOG = `
Connection: --url, else PET_URL, else MYSQL_URL, else ${DEFAULT_URL} (an embedded SQLite file).
sqlite:<file> names a SQLite file; a mysql:// URL without a database uses '${DEFAULT_DATABASE}';
postgres://user@host:5432/database?schema=tenant names a PostgreSQL schema (default public).
Exit codes: 0 ok, 1 internal error, 2 bad usage, 3 database unreachable, 4 schema blocks the work
(migration failed/tampered/pending/locked), 5 schema drift, 6 not found, 7 input rejected.`;

/** Unicode's mandatory line breaks: LF, CR, VT, FF, NEL, LS, PS (terminals and log readers start a new line on each). */
const LINE_BREAKS = /[\n\r\v\f\u0085\u2028\u2029]+/;

/**
 * The passwords handed to this run: of each URL on the command line (the --url, or one taken for another
 * option's value) and in PET_URL / MYSQL_URL — the text from `user:` to the last `@` (a password may hold
 * an `@`, `#`, `/` or a space) and what follows each `@` in it (URL redaction masks up to the first `@`
 * and prints the rest), decoded too — and the values of password-like query parameters. Blank ones show
 * nothing.
 */
function secretsOf(argv: readonly string[], env: CliIo['env']): string[] {
  const found = new Set<string>();
  for (const token of [...argv, env['PET_URL'] ?? '', env['MYSQL_URL'] ?? '']) {
    const lastAt = token.lastIndexOf('@');
    for (const user of token.matchAll(/:\/\/[^:@/]*:/g)) {
      const from = user.index + user[0].length;
      if (lastAt < from) continue;
      const password = token.slice(from, lastAt);
      const ats = [...password.matchAll(/@/g)].map((m) => m.index);
      for (const part of [password, ...ats.map((i) => password.slice(i + 1))]) {
        found.add(part);
        try {
          found.add(decodeURIComponent(part));
        } catch {
          // Not percent-encoded: the raw text is the one that can show.
        }
      }
    }
    for (const [, name = '', value = ''] of token.matchAll(/[?&]([^=&#?]*)=([^&#]*)/g)) {
      if (/password|pass|pwd|secret|token/i.test(name)) found.add(value);
    }
  }
  // The longest first: a password that contains another is masked whole.
  return [...found].filter((s) => s.trim() !== '').sort((a, b) => b.length - a.length);
}

/**
 * A failure as printed: on one line, and without a password. A message may quote what the user typed —
 * an option's value, a file name, an unknown flag, a URL — and the argv fuzz found both in it:
 * - a line break (`--at $'a\rb'`, a file named `a<LF>b`): each one with the blanks around it is a space;
 * - a password: a URL taken for another option's value (`--prefix --url=mysql://root:pw@h/db`), or a
 *   password holding `@`, `#`, `/` or a space, where URL redaction stops short (`mysql://root:a@pw@h` was
 *   printed `root:***@pw@h`). pet knows the passwords it was given, so it masks them wherever they show.
 * No regex with nested quantifiers: a 100k-character value costs linear time (the one this replaces took
 * seconds on a value of many blanks).
 */
function printable(text: string, secrets: readonly string[]): string {
  const line = text
    .split(LINE_BREAKS)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
  return secrets.reduce((s, secret) => s.split(secret).join('***'), line);
}

/**
 * Builds the `pet` program. Every command gets `--help`; the global options are listed in each help. The
 * `secrets` (the passwords of the run's URLs) are masked in the usage errors it prints.
 */
export function buildProgram(io: CliIo, session: Session, secrets: readonly string[] = []): Command {
  const program = new Command('pet')
    .description(
      'PET-ops command line: migrations, the event log, CRM and timesheet import, SLA evaluation and KPIs, on SQLite (default), MySQL/MariaDB and PostgreSQL',
    )
    .version(manifest.version, '-V, --version', 'print the version of @pet-ops/cli')
    .option(
      '--url <url>',
      `sqlite:<file>, mysql://user:password@host:port/database or postgres://user@host:port/database?schema=s (default: PET_URL, MYSQL_URL, ${DEFAULT_URL})`,
    )
    .option('--prefix <prefix>', 'table prefix, e.g. wp_pet_ (default: none)')
    .option('--json', 'print JSON for scripts instead of text')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One line, the hint on it too: commander's own "(Did you mean …?)" would be a second line.
      outputError: (s, write) =>
        write(`pet: ${printable(s.replace(/^error: /, ''), secrets)} (run with --help for usage)\n`),
    })
    .addHelpText('after', EPILOG)
    .exitOverride();
  migrateCommand(program, session);
  eventsCommand(program, session);
  crmCommand(program, session);
  importCommand(program, session);
  kpiCommand(program, session);
  slaCommand(program, session);
  timeCommand(program, session);
  dbCommand(program, session);
  // Subcommands made after the settings above inherit them (output, exitOverride, help settings).
  return program;
}

/**
 * Runs `pet` with the given arguments (without `node` and the script) and returns its exit code.
 * Failures print one line on stderr (a JSON object with `--json`) and never a stack trace, unless
 * `PET_DEBUG=1`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  let json = argv.includes('--json');
  const session: Session = {
    context(cmd) {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      json = options.json === true;
      return { out: createOutput(io, json), target: resolveTarget(options, io.env), io };
    },
    finish(code) {
      exitCode = code;
    },
  };
  const secrets = secretsOf(argv, io.env);
  const program = buildProgram(io, session, secrets);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not failures; usage errors were already printed by commander.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0
        ? EXIT.ok
        : EXIT.usage;
    }
    const failure = toFailure(e);
    const message = printable(failure.message, secrets);
    if (json)
      io.stderr.write(`${toJson({ error: { code: failure.code, message, exitCode: failure.exitCode } })}\n`);
    else io.stderr.write(`pet: ${message}\n`);
    if (io.env['PET_DEBUG'] === '1' && e instanceof Error && e.stack !== undefined)
      io.stderr.write(`${e.stack}\n`);
    return failure.exitCode;
  }
}
