import { PetError } from '@pet-ops/core';

interface DriverError {
  readonly errno?: number;
  readonly sqlState?: string;
  readonly code?: string;
  readonly sqlMessage?: string;
  readonly message?: string;
}

function asDriverError(e: unknown): DriverError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const d = e as DriverError;
  return typeof d.errno === 'number' || typeof d.sqlState === 'string' || typeof d.code === 'string'
    ? d
    : undefined;
}

// mysql2 throws this plain Error (no code) when a command is sent on a connection the server closed.
const CLOSED_CONNECTION = /connection is in closed state|Connection lost/i;

/**
 * True for an error that came from the driver (an errno, SQLSTATE or driver code, or mysql2's plain
 * "closed state" error), which {@link mapDriverError} turns into a typed one.
 *
 * @example `catch (e) { throw isDriverError(e) ? mapDriverError(e, 'import') : e; }`
 */
export function isDriverError(e: unknown): boolean {
  if (e instanceof PetError) return false;
  return asDriverError(e) !== undefined || (e instanceof Error && CLOSED_CONNECTION.test(e.message));
}

/** MySQL/MariaDB errno of a driver error, or `undefined`. @example `if (errnoOf(e) === 1062) …` */
export function errnoOf(e: unknown): number | undefined {
  return asDriverError(e)?.errno;
}

/** The unique key named in an ER_DUP_ENTRY (1062) message. @example `duplicateKeyName(e)` → `'uq_event_id'` */
export function duplicateKeyName(e: unknown): string | undefined {
  const msg = asDriverError(e)?.sqlMessage ?? '';
  const m = /for key '(?:[^'.]*\.)?([^']+)'/.exec(msg);
  return m?.[1];
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
]);

/**
 * Maps a mysql2 error to a typed {@link PetError} by errno/SQLSTATE (mysql2's `code` names are wrong
 * for some MariaDB errnos, e.g. 4025). Already-typed errors pass through unchanged.
 *
 * @example
 * ```ts
 * try { await conn.execute(sql, params); } catch (e) { throw mapDriverError(e, 'append'); }
 * ```
 */
export function mapDriverError(e: unknown, operation: string): PetError {
  if (e instanceof PetError) return e;
  const d = asDriverError(e);
  const text = d?.sqlMessage ?? d?.message ?? String(e);
  const at = `${operation}: ${text}`;
  const details = { errno: d?.errno, sqlState: d?.sqlState, operation };
  switch (d?.errno) {
    case 1062:
      return new PetError('DUPLICATE_KEY', at, {
        details: { ...details, key: duplicateKeyName(e) },
        cause: e,
      });
    case 1213:
      return new PetError('DEADLOCK', at, { retryable: true, details, cause: e });
    case 1205:
      return new PetError('LOCK_TIMEOUT', at, { retryable: true, details, cause: e });
    case 1644:
      // SIGNAL SQLSTATE '45000' from the append-only guards.
      return new PetError('IMMUTABLE_ROW', at, { details, cause: e });
    case 4025: // MariaDB CHECK constraint (mysql2 names it wrongly)
    case 3819: // MySQL CHECK constraint
    case 1048: // column cannot be null
    case 1406: // data too long
    case 1264: // out of range
    case 1366: // incorrect value
    case 1452: // foreign key parent missing
    case 1451: // foreign key child exists
      return new PetError('CONSTRAINT_VIOLATION', at, { details, cause: e });
    case 1049: // the database is not there: retrying cannot help
      return new PetError('DATABASE_NOT_FOUND', at, { details, cause: e });
    case 1045: // credentials or grants refused: retrying cannot help
    case 1044:
      return new PetError('CONNECTION_FAILED', at, { details, cause: e });
    case 2002:
    case 2003:
    case 2013:
      return new PetError('CONNECTION_FAILED', at, { retryable: true, details, cause: e });
    default:
      if (
        (d?.code !== undefined && CONNECTION_CODES.has(d.code)) ||
        (e instanceof Error && CLOSED_CONNECTION.test(e.message))
      ) {
        return new PetError('CONNECTION_FAILED', at, { retryable: true, details, cause: e });
      }
      if (d?.sqlState === '40001')
        return new PetError('DEADLOCK', at, { retryable: true, details, cause: e });
      return new PetError('DATABASE_ERROR', at, { details, cause: e });
  }
}
