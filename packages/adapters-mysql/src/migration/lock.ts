import { PetError } from '@pet-ops/core';
import { legacyMigrationLockName } from '@pet-ops/sql';
import { acquireMysqlLock } from '../lock.js';
import { type Queryable, selectRows } from './introspect.js';

/**
 * The `GET_LOCK` name of the migrations of one database and prefix: `pet_migrate_` plus the first 52
 * hex digits of sha256(`database:prefix`), the seam's `legacyMigrationLockName` (`@pet-ops/sql`), which
 * names the lock of the seam's `migrate` on MySQL too. Lock names are server-wide and at most 64
 * characters (MariaDB truncates silently), hence the hash. `database` is the one the session works in
 * (`SELECT DATABASE()`), not a pool's configuration.
 *
 * @example
 * ```ts
 * migrationLockName('shop', 'wp_pet_'); // 'pet_migrate_3f1c…' (64 characters)
 * ```
 */
export function migrationLockName(database: string, prefix: string): string {
  return legacyMigrationLockName(database, prefix);
}

/**
 * Takes the migration lock on this connection, waiting at most `timeoutSeconds`. Checks the result:
 * 1 = taken; 0 = another runner kept it for the whole wait → `MIGRATION_LOCK_TIMEOUT` (retryable);
 * NULL = the server failed → `DATABASE_ERROR`.
 */
export async function acquireMigrationLock(
  conn: Queryable,
  name: string,
  timeoutSeconds: number,
  where: { readonly database: string; readonly prefix: string },
): Promise<void> {
  // The name keeps its earlier form, so a migrator of an older release still excludes this one.
  const attempt = await acquireMysqlLock(conn, name, timeoutSeconds);
  if (attempt.outcome === 'acquired') return;
  const [holder] = await selectRows<{ holder: unknown }>(conn, 'SELECT IS_USED_LOCK(?) AS holder', [name]);
  const holderId = holder?.holder ?? null;
  throw new PetError(
    'MIGRATION_LOCK_TIMEOUT',
    `another migration runner${holderId === null ? '' : ` (connection ${String(holderId)})`} held the migration lock of database ${where.database} (prefix '${where.prefix}') for more than ${timeoutSeconds} s; let it finish (status() shows its progress) and run migrate again, or raise lockTimeoutSeconds`,
    {
      retryable: true,
      details: {
        lockName: name,
        database: where.database,
        prefix: where.prefix,
        holderConnectionId: holderId,
        timeoutSeconds,
      },
    },
  );
}

/** Releases the lock; true only when this connection held it (`RELEASE_LOCK` returned 1). */
export async function releaseMigrationLock(conn: Queryable, name: string): Promise<boolean> {
  const [row] = await selectRows<{ released: unknown }>(conn, 'SELECT RELEASE_LOCK(?) AS released', [name]);
  return Number(row?.released) === 1;
}
