import {
  abortableReplay,
  abortSignalOf,
  checkEventHandler,
  isPetError,
  PetError,
  parseInput,
} from '@pet-ops/core';
import {
  type AnyDatabase,
  createEventStore,
  type PetDialect,
  parseReadAll,
  type SqlEventStore,
} from '@pet-ops/sql';
import { CompiledQuery, Kysely, MysqlDialect, sql } from 'kysely';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { errnoOf } from '../errors.js';
import { mysqlDialect } from '../pet-dialect.js';
import { tablePrefixSchema } from '../prefix.js';
import { type CallbackPool, preparingInserts } from '../prepared-inserts.js';
import { createEventLog, type GapSafetySettings, gapSafetyFields, resolveGapSafety } from './event-log.js';
import { eachEventFrom, readEventsFrom } from './read.js';

/** Options of {@link createMysqlEventStore}. */
export interface MysqlEventStoreOptions extends Partial<GapSafetySettings> {
  /** A mysql2 promise pool made by `connect()` (BIGINT/DATETIME as strings, UTC). */
  readonly pool: Pool;
  /** Table prefix (`^[A-Za-z0-9_]{0,20}$`); the table is `<prefix>domain_events`. */
  readonly prefix: string;
}

/** A mysql2 promise pool (duck-typed): `connect()` makes one. */
const poolShape = z.custom<Pool>(
  (p) =>
    typeof p === 'object' &&
    p !== null &&
    typeof (p as { getConnection?: unknown }).getConnection === 'function' &&
    typeof (p as { execute?: unknown }).execute === 'function',
  'must be a mysql2/promise pool (use connect())',
);

const optionsSchema = z.object({ pool: poolShape, prefix: tablePrefixSchema, ...gapSafetyFields });

/**
 * The seam's MySQL dialect with this adapter's gap-probe settings: a reader that meets a gap probes it
 * with `innodb_lock_wait_timeout = probeLockWaitSeconds` per attempt and gives up after `gapWaitSeconds`
 * with a retryable `LOCK_TIMEOUT`.
 */
function withGapSettings(dialect: PetDialect, settings: GapSafetySettings): PetDialect {
  const latch = dialect.appendLatch;
  if (latch === undefined) return dialect;
  const { probeLockWaitSeconds, gapWaitSeconds } = settings;
  const attempts = Math.max(1, Math.ceil(gapWaitSeconds / probeLockWaitSeconds));
  async function probeOnce(db: AnyDatabase, table: string, after: bigint, before: bigint): Promise<void> {
    await db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (trx) => {
        await sql`SET SESSION innodb_lock_wait_timeout = ${probeLockWaitSeconds}`.execute(trx);
        try {
          // A locking read in READ COMMITTED waits for every uncommitted insert in the range, then returns.
          await sql`SELECT position FROM ${sql.table(table)} WHERE position > ${after.toString()} AND position < ${before.toString()} LOCK IN SHARE MODE`.execute(
            trx,
          );
        } finally {
          await sql`SET SESSION innodb_lock_wait_timeout = DEFAULT`.execute(trx);
        }
      });
  }
  return {
    ...dialect,
    appendLatch: {
      ...latch,
      probeGap: async (db, table, after, before) => {
        for (let attempt = 1; ; attempt++) {
          try {
            await probeOnce(db, table, after, before);
            return;
          } catch (e) {
            const timedOut = errnoOf(e) === 1205 || (isPetError(e) && e.code === 'LOCK_TIMEOUT');
            if (!timedOut) throw e;
            if (attempt >= attempts) {
              throw new PetError(
                'LOCK_TIMEOUT',
                `readAll: positions ${after}…${before} stayed uncommitted for ${gapWaitSeconds} s; retry from the last checkpoint`,
                {
                  retryable: true,
                  details: { operation: 'gap probe', after: String(after), before: String(before) },
                },
              );
            }
          }
        }
      },
    },
  };
}

/** What {@link mysqlEventSeam} builds: the seam's dialect, a Kysely borrowing the pool, the event store. */
export interface MysqlEventSeam {
  readonly dialect: PetDialect;
  readonly db: AnyDatabase;
  readonly events: SqlEventStore;
}

/**
 * The seam's event store (`createEventStore` of `@pet-ops/sql`) on `mysqlDialect` over a host's pool, with
 * this adapter's gap-safety settings. Internal: {@link createMysqlEventStore} and `createMysqlUnitOfWork`
 * share it.
 */
export function mysqlEventSeam(
  pool: Pool,
  prefix: string,
  settings: { readonly [K in keyof GapSafetySettings]?: number | undefined },
  adapt: (dialect: PetDialect) => PetDialect = (d) => d,
): MysqlEventSeam {
  const resolved = resolveGapSafety(settings);
  const core = (pool as unknown as { pool: unknown }).pool;
  const kysely = new MysqlDialect({
    pool: preparingInserts(core as CallbackPool) as never,
    // Once per pooled session (as the adapter always did): READ COMMITTED, so every read of a unit sees the
    // latest committed data, and a `FOR UPDATE` load of a not-yet-existing UUIDv7 takes no gap lock up to the
    // end of the index (under REPEATABLE READ concurrent creations would serialise and deadlock). Other work
    // on the same pool also runs in READ COMMITTED.
    onCreateConnection: async (connection) => {
      await connection.executeQuery(
        CompiledQuery.raw('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'),
      );
    },
  });
  const dialect = adapt(withGapSettings({ ...mysqlDialect({ pool }), kysely }, resolved));
  // Kysely borrows the host's pool: it is never destroyed here (destroy() would end the pool).
  const db = new Kysely<never>({ dialect: dialect.kysely }) as unknown as AnyDatabase;
  const events = createEventStore({
    db,
    dialect,
    prefix,
    latchTimeoutMs: resolved.latchTimeoutSeconds * 1000,
  });
  return { dialect, db, events };
}

/**
 * The event store on MySQL 8 / MariaDB 10.6+ (`<prefix>domain_events`): the seam's `createEventStore`
 * (`@pet-ops/sql`) on {@link mysqlDialect} over the host's pool.
 *
 * - `append` validates everything first (a `ValidationError` names the field; nothing is written),
 *   inserts the batch in one transaction, and checks `expectedVersion` (`CONCURRENCY_CONFLICT`,
 *   retryable). A replay of an earlier append (same event ids or idempotency keys, same stream) is a no-op
 *   returning the first result; a partial overlap is `IDEMPOTENCY_MISMATCH`.
 * - `readStream` reads one stream in version order, from `fromVersion` (inclusive, default 1).
 * - `readAll` streams every committed event after a checkpoint in position order (one query streamed with
 *   backpressure: bounded memory); the last position it yields is a safe checkpoint even under concurrent writers: appends
 *   take positions one at a time under the append latch (`appendLatchName`, released after the INSERT,
 *   before COMMIT, so commits group across writers), and a reader that meets a gap
 *   probes it (`probeLockWaitSeconds` per attempt, `gapWaitSeconds` in all, then a retryable
 *   `LOCK_TIMEOUT`). `latchTimeoutSeconds` bounds an append's wait for the latch.
 * - `forEachEvent` hands the same events to a handler as the rows arrive (no queue of rows, no promise per
 *   event): a long replay's peak memory is the raw driver's.
 * - `appendIn`, `transaction` and `findByIdempotencyKey` are the seam's (`SqlEventStore`), for units of work.
 *
 * @example
 * ```ts
 * const pool = await connect({ url: 'mysql://root@127.0.0.1:3306/pet' });
 * const store = createMysqlEventStore({ pool, prefix: 'wp_pet_' });
 * await store.append(quoteId, 'no_stream', [draft]);
 * for await (const event of store.readAll({ after: checkpoint })) checkpoint = event.position;
 * ```
 */
export function createMysqlEventStore(options: MysqlEventStoreOptions): SqlEventStore {
  const valid = parseInput(optionsSchema, options, 'event store options');
  const events = mysqlEventSeam(valid.pool, valid.prefix, valid).events;
  const log = createEventLog(valid.prefix, resolveGapSafety(valid));
  return {
    ...events,
    // Bad read options are refused when readAll is called, before the first event is asked for.
    readAll(readOptions) {
      return readEventsFrom(valid.pool, log, parseReadAll(readOptions));
    },
    async forEachEvent(handle, readOptions) {
      const input = parseReadAll(readOptions);
      const signal = abortSignalOf(readOptions, 'forEachEvent');
      checkEventHandler(handle, 'forEachEvent');
      return abortableReplay(signal, handle, (h) => eachEventFrom(valid.pool, log, input, h));
    },
  };
}
