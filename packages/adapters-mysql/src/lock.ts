import { PetError } from '@pet-ops/core';
import type { LockAttempt } from '@pet-ops/sql';
import { mapDriverError } from './errors.js';
import { type Queryable, selectRows } from './migration/introspect.js';

/**
 * The one way this adapter takes a named lock: `GET_LOCK` on the caller's connection, its answer checked
 * (1 acquired, 0 timeout, NULL a server error). Names come from `lockName` of `@pet-ops/sql` (database +
 * prefix + purpose); the lock belongs to the connection, so keep the connection until `release`.
 *
 * @example
 * ```ts
 * const attempt = await acquireMysqlLock(conn, lockName(database, prefix, 'kpi'), 600);
 * if (attempt.outcome === 'timeout') throw busy();
 * try { await work(); } finally { await attempt.release(); }
 * ```
 */
export async function acquireMysqlLock(
  conn: Queryable,
  name: string,
  timeoutSeconds: number,
): Promise<LockAttempt> {
  // A killed or lost connection is a typed, retryable error, never the driver's own.
  const [row] = await selectRows<{ got: unknown }>(conn, 'SELECT GET_LOCK(?, ?) AS got', [
    name,
    timeoutSeconds,
  ]).catch((e: unknown) => {
    throw mapDriverError(e, `take the lock ${name}`);
  });
  const got = row?.got;
  if (got === null || got === undefined) {
    throw new PetError(
      'DATABASE_ERROR',
      `GET_LOCK('${name}') returned NULL (a server error, e.g. the session was killed); try again`,
      { retryable: true, details: { lockName: name } },
    );
  }
  if (Number(got) !== 1) return { outcome: 'timeout' };
  return {
    outcome: 'acquired',
    release: async () => {
      await selectRows(conn, 'SELECT RELEASE_LOCK(?) AS released', [name]).catch((e: unknown) => {
        throw mapDriverError(e, `release the lock ${name}`);
      });
    },
  };
}
