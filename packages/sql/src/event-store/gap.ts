import { isPetError, PetError } from '@pet-ops/core';
import type { CompiledQuery } from 'kysely';
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

/** What {@link streamPastGaps} reads and how it makes its values. */
export interface StreamPastGaps<T> {
  readonly dialect: PetDialect;
  /** A pooled db (a streamed read holds one connection of its own). */
  readonly db: AnyDatabase;
  readonly gaps: GapReader;
  /** The events table (prefixed), for waiting out a gap. */
  readonly table: string;
  /** The auto-increment step ({@link GapReader.step}). */
  readonly step: bigint;
  /** Read after this position. */
  readonly after: bigint;
  /** At most this many values (`undefined`: all). */
  readonly limit: number | undefined;
  /** Rows per batch of the dialect's stream. */
  readonly batch: number;
  /** `SELECT … WHERE position > after ORDER BY position [LIMIT limit]`, rows carrying `position`. */
  readonly query: (after: bigint, limit: number | undefined) => CompiledQuery;
  /** A row and its position → the value yielded. */
  readonly decode: (row: Record<string, unknown>, position: bigint) => T;
  /** The operation's name for a classified driver error (`readAll`, `readKpiEvents`). */
  readonly what: string;
}

/**
 * The values of a dialect's streamed read ({@link PetDialect.streamRows}) in position order, gap-safe: one
 * stream (one statement, one snapshot) until a gap; then the stream is closed, the gap waited out, and a
 * new one started after the last value yielded. Each row is dropped from its batch once decoded, so a
 * young-generation GC finds only the rest of the batch alive.
 *
 * @example
 * ```ts
 * for await (const e of streamPastGaps({ dialect, db, gaps, table, step, after: 0n, limit: undefined,
 *   batch: 100, query, decode, what: 'readAll' })) handle(e);
 * ```
 */
export async function* streamPastGaps<T>(s: StreamPastGaps<T>): AsyncGenerator<T, void, undefined> {
  const stream = s.dialect.streamRows;
  if (stream === undefined) throw new TypeError(`${s.what}: the dialect has no streamed read`);
  let after = s.after;
  let left = s.limit ?? Number.POSITIVE_INFINITY;
  // Gaps already waited out: a rolled-back insert burns its position for good.
  let probedUpTo = after;
  while (left > 0) {
    const query = s.query(after, left === Number.POSITIVE_INFINITY ? undefined : left);
    let gapBefore: bigint | undefined;
    try {
      for await (const rows of stream(s.db, query, s.batch)) {
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i] as Record<string, unknown>;
          rows[i] = undefined;
          const position = BigInt(r['position'] as string | number | bigint);
          if (s.gaps.isGap(after, position, s.step, probedUpTo)) {
            gapBefore = position;
            break;
          }
          const value = s.decode(r, position);
          after = position;
          left -= 1;
          yield value;
        }
        if (gapBefore !== undefined) break;
      }
    } catch (e) {
      throw isPetError(e) ? e : s.dialect.classifyError(e, s.what);
    }
    if (gapBefore === undefined) return;
    // An insert below `gapBefore` may still commit: wait it out, then read from `after` again.
    await s.gaps.waitOut(s.db, s.table, after, gapBefore);
    probedUpTo = gapBefore;
  }
}
