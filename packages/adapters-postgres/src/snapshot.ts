import { PetError, ValidationError } from '@pet-ops/core';
import type { AnyDatabase, SnapshotVisibility } from '@pet-ops/sql';
import { sql } from 'kysely';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * PostgreSQL's `snapshot` gap safety (see `SnapshotVisibility` in `@pet-ops/sql`):
 * - a writer calls `pg_current_xact_id()` before it takes a position, which gives its transaction an id
 *   (`xid8`) now, so every snapshot taken from then on lists it as in progress until it ends;
 * - a reader that meets a gap reads `pg_snapshot_xip(pg_current_snapshot())`, the transactions in
 *   progress at that moment, and polls until a fresh snapshot sees every one of them ended
 *   (`pg_visible_in_snapshot`; waiting only for those, not for transactions that start later, so it ends
 *   under any load), then reads the gap again: whatever was missing is now visible or rolled back for good.
 * A transaction still running after `waitMs` makes the read fail with a retryable `LOCK_TIMEOUT` (a reader
 * never guesses past a gap).
 *
 * @example
 * ```ts
 * const pet = { ...postgresDialect({ pool, schema }), snapshot: postgresSnapshotVisibility(5_000) };
 * ```
 */
export function postgresSnapshotVisibility(waitMs = 30_000): SnapshotVisibility {
  if (!Number.isSafeInteger(waitMs) || waitMs < 0) {
    throw new ValidationError('snapshot visibility', [{ field: 'waitMs', rule: 'must be an integer ≥ 0' }]);
  }
  return {
    claim: async (trx) => {
      await sql`SELECT pg_current_xact_id()`.execute(trx);
    },
    awaitInFlight: async (db: AnyDatabase) => {
      const r = await sql<{
        xids: string[] | null;
      }>`SELECT array_agg(x::text) AS xids FROM pg_snapshot_xip(pg_current_snapshot()) AS x`.execute(db);
      const xids = r.rows[0]?.xids ?? [];
      if (xids.length === 0) return;
      const deadline = Date.now() + waitMs;
      let pause = 1;
      for (;;) {
        // Ended as a fresh snapshot sees it, not as the commit log says: a transaction is marked committed
        // there a moment before it leaves the running set, and a snapshot taken in that moment still hides
        // its rows — a reader that trusted `pg_xact_status` could read the gap again in that moment, find
        // it empty, and step past events that were about to appear.
        const left = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM unnest(${xids}::text[]) AS t(x) WHERE NOT pg_visible_in_snapshot(t.x::xid8, pg_current_snapshot())`.execute(
          db,
        );
        if (Number(left.rows[0]?.n ?? 0) === 0) return;
        if (Date.now() >= deadline) {
          throw new PetError(
            'LOCK_TIMEOUT',
            `readAll: a transaction that may still commit events below the next position ran past ${waitMs} ms; retry (a long transaction on this server holds readers at a gap)`,
            { retryable: true, details: { operation: 'gap wait', waitMs } },
          );
        }
        await sleep(pause);
        pause = Math.min(pause * 2, 25);
      }
    },
  };
}
