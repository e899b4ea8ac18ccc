import { PetError } from '@pet-ops/core';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { mapDriverError } from '../errors.js';
import type { TablePrefix } from '../prefix.js';
import { appendLatchName, type EventStatements, eventStatements } from './statements.js';

/** Tuning of the gap-safety machinery (see GAP-SAFETY.md). */
export interface GapSafetySettings {
  /** How long an append waits for the append latch before failing with `LOCK_TIMEOUT` (retryable). */
  readonly latchTimeoutSeconds: number;
  /** `innodb_lock_wait_timeout` of one gap probe; a probe that times out is retried. */
  readonly probeLockWaitSeconds: number;
  /** How long `readAll` waits in total for one gap to settle before failing with `LOCK_TIMEOUT`. */
  readonly gapWaitSeconds: number;
}

/**
 * Defaults of {@link GapSafetySettings}.
 *
 * @example
 * ```ts
 * createMysqlEventStore({ pool, prefix, gapWaitSeconds: 2 * DEFAULT_GAP_SAFETY.gapWaitSeconds });
 * ```
 */
export const DEFAULT_GAP_SAFETY: GapSafetySettings = {
  latchTimeoutSeconds: 10,
  probeLockWaitSeconds: 2,
  gapWaitSeconds: 60,
};

/** Zod fields of {@link GapSafetySettings} (whole seconds), for the factories' option schemas. */
export const gapSafetyFields: {
  latchTimeoutSeconds: z.ZodOptional<z.ZodNumber>;
  probeLockWaitSeconds: z.ZodOptional<z.ZodNumber>;
  gapWaitSeconds: z.ZodOptional<z.ZodNumber>;
} = {
  latchTimeoutSeconds: z.number().int().min(1).max(3600).optional(),
  probeLockWaitSeconds: z.number().int().min(1).max(3600).optional(),
  gapWaitSeconds: z.number().int().min(1).max(86_400).optional(),
};

/** Fills unset settings with {@link DEFAULT_GAP_SAFETY}. @example `resolveGapSafety({ gapWaitSeconds: 5 })` */
export function resolveGapSafety(s: {
  readonly latchTimeoutSeconds?: number | undefined;
  readonly probeLockWaitSeconds?: number | undefined;
  readonly gapWaitSeconds?: number | undefined;
}): GapSafetySettings {
  return {
    latchTimeoutSeconds: s.latchTimeoutSeconds ?? DEFAULT_GAP_SAFETY.latchTimeoutSeconds,
    probeLockWaitSeconds: s.probeLockWaitSeconds ?? DEFAULT_GAP_SAFETY.probeLockWaitSeconds,
    gapWaitSeconds: s.gapWaitSeconds ?? DEFAULT_GAP_SAFETY.gapWaitSeconds,
  };
}

/** Zod schema of a mysql2 promise pool (duck-typed) that can lend the 2 connections `readAll` needs. */
export const poolSchema: z.ZodType<Pool> = z
  .custom<Pool>(
    (p) =>
      typeof p === 'object' &&
      p !== null &&
      typeof (p as { getConnection?: unknown }).getConnection === 'function' &&
      typeof (p as { execute?: unknown }).execute === 'function',
    'must be a mysql2/promise pool (use connect())',
  )
  .refine(
    (p) =>
      ((p as { pool?: { config?: { connectionLimit?: number } } }).pool?.config?.connectionLimit ?? 2) >= 2,
    'needs connectionLimit ≥ 2 (readAll streams on one connection and probes gaps on another)',
  );

/** Facts about the live database the store needs, read once. */
export interface LogMeta {
  readonly latchName: string;
  /** `auto_increment_increment`: the step between positions of one multi-row INSERT. */
  readonly increment: bigint;
}

/** One events table and how to reach it: shared by the event store and the unit of work. */
export interface EventLog {
  readonly statements: EventStatements;
  readonly settings: GapSafetySettings;
  /** False only in measurements of the latch's cost; never in production. */
  readonly latch: boolean;
  meta(conn: Pick<PoolConnection, 'query'>): Promise<LogMeta>;
}

/**
 * Binds the event log to `<prefix>domain_events`.
 *
 * @example
 * ```ts
 * const log = createEventLog(parseTablePrefix('wp_pet_'), DEFAULT_GAP_SAFETY);
 * ```
 */
export function createEventLog(prefix: TablePrefix, settings: GapSafetySettings, latch = true): EventLog {
  const statements = eventStatements(`${prefix}domain_events`);
  let meta: Promise<LogMeta> | undefined;
  return {
    statements,
    settings,
    latch,
    meta(conn) {
      meta ??= (async () => {
        const [rows] = await conn.query<RowDataPacket[]>(
          'SELECT DATABASE() AS db, @@auto_increment_increment AS inc',
        );
        const row = rows[0];
        const db = row?.['db'] as string | null | undefined;
        if (db === null || db === undefined) {
          throw new PetError(
            'DATABASE_ERROR',
            'the pool has no default database: put it in the URL (…/dbname)',
          );
        }
        return { latchName: appendLatchName(db, statements.table), increment: BigInt(row?.['inc'] ?? 1) };
      })().catch((e: unknown) => {
        meta = undefined;
        throw mapDriverError(e, 'event store setup');
      });
      return meta;
    },
  };
}

/** A pooled connection whose state after a failure is unknown must not go back to the pool. */
export interface ConnectionHealth {
  broken: boolean;
}

/**
 * Runs `work` on a pooled connection, releasing it afterwards (destroying it when `work` marked it
 * broken or the driver called the error fatal). Errors come out as `PetError`s.
 *
 * @example
 * ```ts
 * const result = await withConnection(pool, 'append', (conn, health) => doAppend(conn, health));
 * ```
 */
export async function withConnection<T>(
  pool: Pool,
  operation: string,
  work: (conn: PoolConnection, health: ConnectionHealth) => Promise<T>,
): Promise<T> {
  let conn: PoolConnection;
  try {
    conn = await pool.getConnection();
  } catch (e) {
    throw mapDriverError(e, operation);
  }
  const health: ConnectionHealth = { broken: false };
  try {
    return await work(conn, health);
  } catch (e) {
    if ((e as { fatal?: unknown }).fatal === true) health.broken = true;
    throw mapDriverError(e, operation);
  } finally {
    if (health.broken) conn.destroy();
    else conn.release();
  }
}
