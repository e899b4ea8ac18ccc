import { isPetError, PetError } from '@pet-ops/core';
import type { AnyDatabase, PetDialect } from '../dialect.js';

/**
 * How a reader of the events table in position order waits out a gap, for the dialect's gap safety:
 * `single-writer` never has to (commit order is position order); `append-latch` probes the gap's range
 * (MySQL/MariaDB); `snapshot` waits until the transactions in progress have ended (PostgreSQL). Every
 * reader of the log (the event store's `readAll`, the KPI and feed readers) uses this one rule.
 */
export interface GapReader {
  /** The distance between consecutive positions (the auto-increment step; 1 unless the dialect says). */
  readonly step: (db: AnyDatabase) => Promise<bigint>;
  /**
   * True when `position`, read right after `after`, leaves a gap that must be waited out before
   * `position` may be yielded (not already waited out up to `probedUpTo`).
   */
  readonly isGap: (after: bigint, position: bigint, step: bigint, probedUpTo: bigint) => boolean;
  /** Resolves once nothing in flight can still commit a position in (after, before) of `table`. */
  readonly waitOut: (db: AnyDatabase, table: string, after: bigint, before: bigint) => Promise<void>;
}

/**
 * The {@link GapReader} of a dialect, or a typed `VALIDATION_FAILED` when the dialect declares a gap safety
 * without what it needs (`appendLatch` for `append-latch`, `snapshot` for `snapshot`).
 *
 * @example
 * ```ts
 * const gaps = gapReader(dialect, 'readKpiEvents');
 * if (gaps.isGap(after, position, step, probedUpTo)) {
 *   await gaps.waitOut(db, table, after, position); // then read the page again
 * }
 * ```
 */
export function gapReader(dialect: PetDialect, what: string): GapReader {
  const latch = dialect.gapSafety === 'append-latch' ? dialect.appendLatch : undefined;
  const visibility = dialect.gapSafety === 'snapshot' ? dialect.snapshot : undefined;
  if (
    (dialect.gapSafety === 'append-latch' && latch === undefined) ||
    (dialect.gapSafety === 'snapshot' && visibility === undefined) ||
    !['single-writer', 'append-latch', 'snapshot'].includes(dialect.gapSafety)
  ) {
    throw new PetError(
      'VALIDATION_FAILED',
      `${what}: dialect ${dialect.name} declares gap safety '${dialect.gapSafety}' without what it needs`,
      {
        details: {
          issues: [
            {
              field: 'dialect.gapSafety',
              rule: "must be 'single-writer', 'append-latch' with appendLatch, or 'snapshot' with snapshot",
            },
          ],
        },
      },
    );
  }
  let stepMemo: Promise<bigint> | undefined;
  return {
    step: (db) => {
      if (latch === undefined) return Promise.resolve(1n);
      stepMemo ??= latch.step(db).catch((e: unknown) => {
        stepMemo = undefined;
        throw isPetError(e) ? e : dialect.classifyError(e, what);
      });
      return stepMemo;
    },
    isGap: (after, position, step, probedUpTo) =>
      dialect.gapSafety !== 'single-writer' && position > after + step && position > probedUpTo,
    waitOut: async (db, table, after, before) => {
      try {
        if (latch !== undefined) await latch.probeGap(db, table, after, before);
        else if (visibility !== undefined) await visibility.awaitInFlight(db);
      } catch (e) {
        throw isPetError(e) ? e : dialect.classifyError(e, what);
      }
    },
  };
}
