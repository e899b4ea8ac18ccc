import { isPetError, type PetError } from '@pet-ops/core';
import { EXIT, type ExitCode } from './exit-codes.js';

/** The MySQL errno of a driver error (mysql2 sets `errno`), or `undefined`. */
function errnoOf(e: unknown): number | undefined {
  const n = (e as { errno?: unknown } | null)?.errno;
  return typeof n === 'number' ? n : undefined;
}

/** A failure the CLI reports as one line: what went wrong, the fix, and the exit code. */
export class CliFailure extends Error {
  readonly exitCode: ExitCode;
  readonly code: string;
  constructor(code: string, message: string, exitCode: ExitCode) {
    super(message);
    this.name = 'CliFailure';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Collapses whitespace so a multi-line driver or SQL message stays on one line. */
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

const causeOf = (e: PetError): unknown => (e as { cause?: unknown }).cause;

/** A table that is not there: MySQL errno 1146, SQLite's "no such table", PostgreSQL's 42P01. */
function missingTable(e: unknown): boolean {
  const details = (e as { details?: Record<string, unknown> } | null)?.details ?? {};
  const cause = (e as { cause?: unknown } | null)?.cause;
  const texts = [e, cause].map((x) => (x instanceof Error ? x.message : ''));
  return (
    errnoOf(e) === 1146 ||
    errnoOf(cause) === 1146 ||
    details['errno'] === 1146 ||
    (cause as { code?: unknown } | null)?.code === '42P01' ||
    details['sqlState'] === '42P01' ||
    texts.some((t) => /\bno such table\b/.test(t))
  );
}

function fromPetError(e: PetError): CliFailure {
  const m = oneLine(e.message);
  switch (e.code) {
    case 'VALIDATION_FAILED':
      return new CliFailure(e.code, m, EXIT.usage);
    case 'DATABASE_NOT_FOUND':
      // The library's hint names its API; on the command line the fix is a flag.
      return new CliFailure(
        e.code,
        `${m.replace(/; create it .*$/, '')}; run \`pet migrate up --create-database\` (or create it yourself)`,
        EXIT.connection,
      );
    case 'CONNECTION_FAILED': {
      // SQLite's own words already name the fix (a path, a file that is not a database): no server hint.
      if (e.details['errcode'] !== undefined) return new CliFailure(e.code, m, EXIT.connection);
      const errno = errnoOf(causeOf(e)) ?? (e.details['errno'] as number | undefined);
      if (errno === 1045 || errno === 1044) {
        return new CliFailure(
          e.code,
          `${m.replace(/; check the user.*$/, '')}; check the user and password in --url / MYSQL_URL`,
          EXIT.connection,
        );
      }
      return new CliFailure(
        e.code,
        `${m.replace(/; check that the .*$/, '')}; start the server, or pass --url / set MYSQL_URL`,
        EXIT.connection,
      );
    }
    case 'MIGRATION_FAILED':
    case 'MIGRATION_TAMPERED':
    case 'MIGRATION_LOCK_TIMEOUT':
    case 'SCHEMA_NOT_CURRENT':
      return new CliFailure(e.code, m, EXIT.schema);
    case 'NOT_FOUND':
      return new CliFailure(e.code, m, EXIT.notFound);
    default: {
      if (missingTable(e)) {
        return new CliFailure(
          'SCHEMA_MISSING',
          `${m}; the PET tables are not there (wrong --prefix or database?): run \`pet migrate up\` first`,
          EXIT.schema,
        );
      }
      return new CliFailure(e.code, m, e.retryable ? EXIT.connection : EXIT.internal);
    }
  }
}

/** Turns anything thrown by a command into the one-line failure the CLI prints. */
export function toFailure(e: unknown): CliFailure {
  if (e instanceof CliFailure) return e;
  if (isPetError(e)) return fromPetError(e);
  if (missingTable(e)) {
    return new CliFailure(
      'SCHEMA_MISSING',
      `${oneLine((e as Error).message)}; the PET tables are not there (wrong --prefix or database?): run \`pet migrate up\` first`,
      EXIT.schema,
    );
  }
  const message = e instanceof Error ? e.message : String(e);
  return new CliFailure(
    'INTERNAL',
    `unexpected error: ${oneLine(message)} (a bug in pet: rerun with PET_DEBUG=1 for the stack trace and report it)`,
    EXIT.internal,
  );
}
