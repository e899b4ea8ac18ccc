/**
 * Exit codes of the `pet` CLI. Stable: scripts may branch on them. Documented in the package README.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** A bug in `pet` itself (unexpected error); the message asks for a report. */
  internal: 1,
  /** Bad command line: unknown command or option, bad option value (URL, prefix, position, id). */
  usage: 2,
  /** The database server cannot be reached, refused the credentials, or the database does not exist. */
  connection: 3,
  /** The schema blocks the work: a migration failed, was tampered with, is pending, or the lock timed out. */
  schema: 4,
  /** `migrate verify` found drift between the live schema and the journal. */
  drift: 5,
  /** Something named on the command line does not exist (a KPI result id, a file). */
  notFound: 6,
  /** Input data was rejected as a whole (e.g. a CSV file that cannot be parsed). */
  invalidInput: 7,
} as const;

/** One of the {@link EXIT} codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
