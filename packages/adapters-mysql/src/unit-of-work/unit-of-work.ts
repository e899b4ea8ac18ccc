import {
  type AggregateDefinition,
  type AggregateStore,
  type AppendResult,
  type EventDraft,
  isPetError,
  type Loaded,
  PetError,
  parseInput,
  type UnitOfWork,
  type UnitOfWorkScope,
  type Uuid,
  uuidSchema,
  ValidationError,
} from '@pet-ops/core';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { sqlBuilder } from '../database.js';
import { errnoOf, mapDriverError } from '../errors.js';
import { appendOn, concurrencyConflict, findByIdempotencyKeyOn } from '../event-store/append.js';
import type { SqlValue } from '../event-store/codec.js';
import {
  type ConnectionHealth,
  createEventLog,
  type EventLog,
  gapSafetyFields,
  poolSchema,
  resolveGapSafety,
} from '../event-store/event-log.js';
import { MAX_STREAM_VERSION, parseAppend, parseIdempotencyKey } from '../event-store/validation.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { tablePrefixSchema } from '../prefix.js';
import { encodeStateColumns, stateColumnsOf } from './state-table.js';

/** Options of {@link createMysqlUnitOfWork}. */
export interface MysqlUnitOfWorkOptions {
  /** A mysql2 promise pool made by `connect()`. */
  readonly pool: Pool;
  /** Table prefix (`^[A-Za-z0-9_]{0,32}$`), applied to the events table and every state table. */
  readonly prefix: string;
  /**
   * State table (logical name, prefixed at run time) of each aggregate kind, by `streamType`. A state
   * table has `id BINARY(16) PRIMARY KEY`, `version INT UNSIGNED NOT NULL` and the columns that the
   * definition's `encode(state)` returns.
   */
  readonly tables: Readonly<Record<string, string>>;
  /** How long an append waits for the append latch (default 10 s). */
  readonly latchTimeoutSeconds?: number;
}

const STREAM_TYPE_RE = /^[a-z][a-z0-9_]{0,63}$/;

const optionsSchema = z
  .object({
    pool: poolSchema,
    prefix: tablePrefixSchema,
    tables: z.record(
      z.string().regex(STREAM_TYPE_RE, 'stream types must match ^[a-z][a-z0-9_]{0,63}$'),
      z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'table names must match ^[A-Za-z0-9_]{1,64}$'),
    ),
    latchTimeoutSeconds: gapSafetyFields.latchTimeoutSeconds,
  })
  .superRefine((o, ctx) => {
    for (const [streamType, table] of Object.entries(o.tables)) {
      if (o.prefix.length + table.length > 64) {
        ctx.addIssue({
          code: 'custom',
          path: ['tables', streamType],
          message: 'prefix + table name must be ≤ 64 characters',
        });
      }
    }
  });

const saveSchema = z.object({
  id: uuidSchema,
  expectedVersion: z.number().int().min(0).max(MAX_STREAM_VERSION),
});

type StateDb = Record<string, Record<string, SqlValue>>;
// State-table statements go over the text protocol: their column lists vary with what encode()
// returns, and every distinct text would otherwise be one more server-side prepared statement.
const SAVE_POINT = 'pet_ops_save';
const builder = sqlBuilder<StateDb>();

/**
 * The unit of work on MySQL / MariaDB: `run(work)` opens one READ COMMITTED transaction on one pooled
 * connection, hands `work` a scope, commits when it resolves and rolls back when it throws.
 *
 * - `scope.aggregate(def).load(id)` reads the state row `SELECT … FOR UPDATE` (so concurrent commands on
 *   one aggregate serialise), or gives `initialState()` and version 0 when there is none.
 * - `save(id, expectedVersion, state, events)` inserts the row (version 0; a concurrent creator makes it
 *   a `CONCURRENCY_CONFLICT`) or updates it `WHERE version = expectedVersion` (0 rows → conflict), then
 *   appends the events with the same expected version, in the same transaction: a state row is always
 *   the fold of its stream. A save is atomic on its own (a savepoint): when it fails, or its events
 *   turn out to be a replay (`duplicate: true`), the row is left as it was.
 * - `scope.append` and `scope.findByIdempotencyKey` work on the events table inside the transaction.
 *
 * Driver errors come out mapped: deadlock (1213) → `DEADLOCK`, lock wait timeout (1205) →
 * `LOCK_TIMEOUT`, both retryable; conflicts are retryable `CONCURRENCY_CONFLICT`s. READ COMMITTED (not
 * the server's REPEATABLE READ) because every read here must see the latest committed data, and it
 * takes no gap locks, so two commands creating the same aggregate conflict instead of deadlocking.
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix: 'wp_pet_', tables: { quote: 'quotes' } });
 * await uow.run(async (scope) => {
 *   const quotes = scope.aggregate(quoteDefinition);
 *   const { state, version } = await quotes.load(quoteId);
 *   await quotes.save(quoteId, version, evolveAll(state, events), events);
 * });
 * ```
 */
export function createMysqlUnitOfWork(options: MysqlUnitOfWorkOptions): UnitOfWork {
  const valid = parseInput(optionsSchema, options, 'unit of work options');
  const log = createEventLog(valid.prefix, resolveGapSafety(valid));
  const tables = new Map(Object.entries(valid.tables).map(([k, t]) => [k, `${valid.prefix}${t}`] as const));
  return {
    async run<T>(work: (scope: UnitOfWorkScope) => Promise<T>): Promise<T> {
      let conn: PoolConnection;
      try {
        conn = await valid.pool.getConnection();
      } catch (e) {
        throw mapDriverError(e, 'unit of work');
      }
      const health: ConnectionHealth = { broken: false };
      const scope = createScope(conn, log, tables, health);
      try {
        await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
        await conn.query('START TRANSACTION');
        const value = await work(scope.api);
        await scope.close();
        await conn.query('COMMIT');
        return value;
      } catch (e) {
        await scope.close();
        try {
          await conn.query('ROLLBACK');
        } catch {
          health.broken = true;
        }
        throw mapIfDriverError(e, 'unit of work');
      } finally {
        // A connection whose rollback failed is in an unknown state: never hand it out again.
        if (health.broken) conn.destroy();
        else conn.release();
      }
    },
  };
}

/** Driver errors become `PetError`s; errors of the caller's own code pass through untouched. */
function mapIfDriverError(e: unknown, operation: string): unknown {
  if (isPetError(e)) return e;
  const d = e as { errno?: unknown; sqlState?: unknown; fatal?: unknown };
  const isDriver =
    typeof e === 'object' &&
    e !== null &&
    (typeof d.errno === 'number' || typeof d.sqlState === 'string' || d.fatal === true);
  return isDriver ? mapDriverError(e, operation) : e;
}

interface Scope {
  readonly api: UnitOfWorkScope;
  /** Waits for operations still running, then refuses new ones. */
  close(): Promise<void>;
}

function createScope(
  conn: PoolConnection,
  log: EventLog,
  tables: ReadonlyMap<string, string>,
  health: ConnectionHealth,
): Scope {
  let closed = false;
  let chain: Promise<unknown> = Promise.resolve();
  // One connection runs one statement at a time: operations of the scope queue up in call order.
  const serial = <T>(operation: string, op: () => Promise<T>): Promise<T> => {
    if (closed) {
      return Promise.reject(
        new PetError('DATABASE_ERROR', `unit of work: ${operation} called after run() finished`, {
          details: { operation },
        }),
      );
    }
    const next = chain.then(op, op).catch((e: unknown) => {
      throw mapIfDriverError(e, `unit of work ${operation}`);
    });
    chain = next.catch(() => undefined);
    return next;
  };

  const api: UnitOfWorkScope = {
    aggregate<S>(definition: AggregateDefinition<S>): AggregateStore<S> {
      const table = tables.get(definition.streamType);
      if (table === undefined) {
        throw new ValidationError('aggregate definition', [
          {
            field: 'streamType',
            rule: `no state table is configured for ${JSON.stringify(definition.streamType)}`,
          },
        ]);
      }
      return aggregateStore(definition, table);
    },
    append(streamId, expectedVersion, events) {
      return serial('append', () =>
        appendOn(conn, log, parseAppend(streamId, expectedVersion, events), 'in-transaction', health),
      );
    },
    findByIdempotencyKey(key) {
      return serial('findByIdempotencyKey', () =>
        findByIdempotencyKeyOn(conn, log, parseIdempotencyKey(key)),
      );
    },
  };

  function aggregateStore<S>(definition: AggregateDefinition<S>, table: string): AggregateStore<S> {
    return {
      streamType: definition.streamType,
      load(id) {
        return serial('load', async (): Promise<Loaded<S>> => {
          const key = uuidToBytes(parseInput(z.object({ id: uuidSchema }), { id }, 'load').id);
          const query = builder.selectFrom(table).selectAll().where('id', '=', key).forUpdate().compile();
          const [rows] = await conn.query<RowDataPacket[]>(query.sql, [...query.parameters] as SqlValue[]);
          const row = rows[0];
          if (row === undefined) return { state: definition.initialState(), version: 0 };
          return { state: definition.decode(stateColumnsOf(row)), version: Number(row['version']) };
        });
      },
      save(id, expectedVersion, state, events) {
        return serial('save', () => saveAggregate(definition, table, id, expectedVersion, state, events));
      },
    };
  }

  async function saveAggregate<S>(
    definition: AggregateDefinition<S>,
    table: string,
    id: Uuid,
    expectedVersion: number,
    state: S,
    events: readonly EventDraft[],
  ): Promise<AppendResult> {
    const v = parseInput(saveSchema, { id, expectedVersion }, 'save');
    const input = parseAppend(v.id, v.expectedVersion, events);
    const wrongType = input.events.findIndex((e) => e.streamType !== definition.streamType);
    if (wrongType >= 0) {
      throw new ValidationError('save', [
        {
          field: `events.${wrongType}.streamType`,
          rule: `must be ${definition.streamType}, the aggregate's stream type`,
        },
      ]);
    }
    const columns = encodeStateColumns(definition.encode(state));
    const key = uuidToBytes(v.id);
    const version = v.expectedVersion + input.events.length;
    const values = Object.fromEntries(columns);
    // The row and its events move together even when the caller catches a failed save and goes on:
    // a failure (or a replayed append) returns the transaction to this savepoint.
    await conn.query(`SAVEPOINT ${SAVE_POINT}`);
    try {
      if (v.expectedVersion === 0) {
        const query = builder
          .insertInto(table)
          .values({ ...values, id: key, version })
          .compile();
        try {
          await conn.query<ResultSetHeader>(query.sql, [...query.parameters] as SqlValue[]);
        } catch (e) {
          if (errnoOf(e) !== 1062) throw e;
          throw concurrencyConflict(v.id, 0, await rowVersion(table, key));
        }
      } else {
        const query = builder
          .updateTable(table)
          .set({ ...values, version })
          .where('id', '=', key)
          .where('version', '=', v.expectedVersion)
          .compile();
        const [res] = await conn.query<ResultSetHeader>(query.sql, [...query.parameters] as SqlValue[]);
        if (res.affectedRows === 0) {
          throw concurrencyConflict(v.id, v.expectedVersion, await rowVersion(table, key));
        }
      }
      const result = await appendOn(conn, log, input, 'in-transaction', health);
      // A replayed append leaves the row as it was, like the in-memory unit of work.
      if (result.duplicate) await conn.query(`ROLLBACK TO SAVEPOINT ${SAVE_POINT}`);
      return result;
    } catch (e) {
      // After a deadlock the whole transaction is gone, and with it the savepoint.
      if (errnoOf(e) !== 1213) {
        await conn.query(`ROLLBACK TO SAVEPOINT ${SAVE_POINT}`).catch(() => {
          health.broken = true;
        });
      }
      throw e;
    }
  }

  async function rowVersion(table: string, key: Buffer): Promise<number> {
    const query = builder.selectFrom(table).select('version').where('id', '=', key).compile();
    const [rows] = await conn.query<RowDataPacket[]>(query.sql, [...query.parameters] as SqlValue[]);
    return Number(rows[0]?.['version'] ?? 0);
  }

  return {
    api,
    async close() {
      closed = true;
      await chain;
    },
  };
}
