import { PetError } from '@pet-ops/core';
import type { LockAttempt } from '@pet-ops/sql';
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
  const [row] = await selectRows<{ got: unknown }>(conn, 'SELECT GET_LOCK(?, ?) AS got', [
    name,
    timeoutSeconds,
  ]);
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
      await selectRows(conn, 'SELECT RELEASE_LOCK(?) AS released', [name]);
    },
  };
}
