import { createHash } from 'node:crypto';
import { ValidationError } from '@pet-ops/core';
import type { AnyDatabase, LockAttempt } from '@pet-ops/sql';
import { type DatabaseConnection, sql } from 'kysely';

/**
 * The 64-bit key `pg_advisory_lock` takes for a lock name: the first eight bytes of its sha256, signed.
 * Names come from `lockName` (database + schema + prefix + purpose), so the key is stable across processes
 * and versions, and two tenants never share one.
 *
 * @example `advisoryKey('pet_ops:migrate:3f0c…')` → `'-8123…'` (a decimal string, for a bigint parameter)
 */
export function advisoryKey(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ValidationError('advisory lock', [{ field: 'name', rule: 'must be a non-empty string' }]);
  }
  return createHash('sha256').update(name, 'utf8').digest().readBigInt64BE(0).toString();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `pg_try_advisory_lock` until it answers true or the time is up (a wait that blocks no statement). */
async function tryUntil(db: AnyDatabase, key: string, timeoutMs: number, xact: boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let pause = 5;
  for (;;) {
    const r = xact
      ? await sql<{ got: boolean }>`SELECT pg_try_advisory_xact_lock(${key}::bigint) AS got`.execute(db)
      : await sql<{ got: boolean }>`SELECT pg_try_advisory_lock(${key}::bigint) AS got`.execute(db);
    if (r.rows[0]?.got === true) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, 200);
  }
}

/**
 * Takes a named PostgreSQL advisory lock, checked: `acquired` with its release, or `timeout` after
 * `timeoutMs`. Given a transaction, the lock is transaction-scoped (`pg_try_advisory_xact_lock`) and ends
 * with it; given a pinned connection (`db.connection()`, which `isPinned` recognises by its connection),
 * a session lock is taken and released on it; given a pool, a session lock is taken on one connection
 * pinned until `release()`, which unlocks on that same connection — so the holder never depends on which
 * pooled connection runs its later work. (The dialect's `acquireLock` is this function.)
 */
export async function acquireAdvisoryLock(
  db: AnyDatabase,
  name: string,
  timeoutMs: number,
  isPinned: (connection: DatabaseConnection) => boolean,
): Promise<LockAttempt> {
  const key = advisoryKey(name);
  if (db.isTransaction) {
    const got = await tryUntil(db, key, timeoutMs, true);
    return got ? { outcome: 'acquired', release: async () => undefined } : { outcome: 'timeout' };
  }
  const connection = await db.getExecutor().provideConnection(async (c) => c);
  if (isPinned(connection)) {
    if (!(await tryUntil(db, key, timeoutMs, false))) return { outcome: 'timeout' };
    return {
      outcome: 'acquired',
      release: async () => {
        await sql`SELECT pg_advisory_unlock(${key}::bigint)`.execute(db);
      },
    };
  }
  return new Promise<LockAttempt>((resolve, reject) => {
    let settled = false;
    db.connection()
      .execute(async (conn) => {
        const got = await tryUntil(conn, key, timeoutMs, false);
        if (!got) {
          settled = true;
          resolve({ outcome: 'timeout' });
          return;
        }
        let letGo!: () => void;
        const released = new Promise<void>((r) => {
          letGo = r;
        });
        let unlocked!: () => void;
        const done = new Promise<void>((r) => {
          unlocked = r;
        });
        settled = true;
        resolve({
          outcome: 'acquired',
          release: async () => {
            letGo();
            await done;
          },
        });
        await released;
        try {
          await sql`SELECT pg_advisory_unlock(${key}::bigint)`.execute(conn);
        } finally {
          // Failing, the connection is gone, and the server dropped the session lock with it.
          unlocked();
        }
      })
      .catch((e: unknown) => {
        if (!settled) reject(e);
      });
  });
}
