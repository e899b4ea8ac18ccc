import { isPetError, PetError } from '@pet-ops/core';

/** The fields of a node-postgres `DatabaseError` (and of a socket error) that classification reads. */
interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly constraint?: unknown;
  readonly table?: unknown;
  readonly schema?: unknown;
  readonly detail?: unknown;
}

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * The SQLSTATE the append-only and frozen-column guards raise (class 45 is unused by PostgreSQL, and it is
 * MySQL's `SIGNAL SQLSTATE '45000'`, so both databases answer a guard with the same state).
 *
 * @example `if (e.code === GUARD_SQLSTATE) …` → the row is immutable
 */
export const GUARD_SQLSTATE = '45000';

/**
 * The logical name of a key from its constraint name: index names are `<prefixed table>__<name>` here
 * (`pgIndexName`), so a unique violation names `uq_website` as on MySQL, and the primary key `PRIMARY`.
 */
function logicalKey(constraint: string, table: string | undefined): string {
  if (table === undefined || !constraint.startsWith(`${table}__`)) return constraint;
  const name = constraint.slice(table.length + 2);
  return name === 'pkey' ? 'PRIMARY' : name;
}

/**
 * A node-postgres error → the typed error a host sees, by SQLSTATE: `23505` unique violation is
 * `DUPLICATE_KEY` (`details.key` names the key as the logical schema does, e.g. `uq_website`, or
 * `PRIMARY`; `details.constraint` the constraint), a guard's `45000` is `IMMUTABLE_ROW`, other integrity
 * and data errors (`23xxx`, `22xxx`) are `CONSTRAINT_VIOLATION`, `40001` serialization failure and `40P01`
 * deadlock are a retryable `DEADLOCK`, `55P03` lock not available and `57014` statement timeout a retryable
 * `LOCK_TIMEOUT`, `3D000` a missing database `DATABASE_NOT_FOUND`, refused credentials (`28xxx`) a
 * non-retryable `CONNECTION_FAILED`, an unreachable or restarting server (`08xxx`, `57P0x`, socket errors)
 * a retryable `CONNECTION_FAILED`. The driver's message stays in `details.driverMessage`; a `PetError`
 * passes through unchanged.
 *
 * @example
 * ```ts
 * try { await pool.query(text, values); } catch (e) { throw classifyPostgresError(e, 'append'); }
 * ```
 */
export function classifyPostgresError(error: unknown, what: string): PetError {
  if (isPetError(error)) return error;
  const d = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const code = typeof d.code === 'string' ? d.code : undefined;
  const driverMessage =
    typeof d.message === 'string' && d.message.length > 0 ? d.message : String(error ?? 'unknown error');
  const constraint = typeof d.constraint === 'string' ? d.constraint : undefined;
  const table = typeof d.table === 'string' ? d.table : undefined;
  const details = {
    operation: what,
    sqlState: code ?? null,
    driverMessage,
    ...(constraint === undefined ? {} : { key: logicalKey(constraint, table), constraint }),
    ...(table === undefined ? {} : { table }),
  };
  const make = (c: PetError['code'], message: string, retryable = false): PetError =>
    new PetError(c, `${what}: ${message}`, { retryable, details, cause: error });
  if (code === undefined) return make('DATABASE_ERROR', driverMessage);
  if (SOCKET_CODES.has(code)) {
    return make('CONNECTION_FAILED', `the server cannot be reached (${driverMessage}); retry`, true);
  }
  switch (code) {
    case '23505':
      return make('DUPLICATE_KEY', `a row with the same key exists (${driverMessage})`);
    case GUARD_SQLSTATE:
      return make('IMMUTABLE_ROW', `the row is immutable (${driverMessage})`);
    case '40001':
      return make('DEADLOCK', `the transaction could not be serialized with a concurrent one; retry`, true);
    case '40P01':
      return make('DEADLOCK', `deadlock detected, this transaction was chosen to end; retry`, true);
    case '55P03':
    case '57014':
      return make(
        'LOCK_TIMEOUT',
        `a lock or statement waited past its timeout (${driverMessage}); retry`,
        true,
      );
    case '3D000':
      return make('DATABASE_NOT_FOUND', `the database does not exist (${driverMessage}); create it first`);
    case '3F000':
      return make(
        'DATABASE_NOT_FOUND',
        `the schema does not exist (${driverMessage}); create it first (createSchema)`,
      );
    case '22P05':
      // jsonb cannot hold \u0000 (a declared difference from MySQL's JSON).
      return make(
        'CONSTRAINT_VIOLATION',
        `a JSON value holds a character PostgreSQL cannot store (${driverMessage})`,
      );
  }
  const cls = code.slice(0, 2);
  if (cls === '23' || cls === '22') {
    return make('CONSTRAINT_VIOLATION', `a constraint refused the row (${driverMessage})`);
  }
  if (cls === '28') {
    return make('CONNECTION_FAILED', `the server refused the credentials (${driverMessage})`);
  }
  if (cls === '08' || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') {
    return make('CONNECTION_FAILED', `the connection failed (${driverMessage}); retry`, true);
  }
  return make('DATABASE_ERROR', driverMessage);
}
