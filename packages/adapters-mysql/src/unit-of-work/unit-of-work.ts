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
import { MAX_STREAM_VERSION, parseAppend, parseIdempotencyKey } from '@pet-ops/sql';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { sqlBuilder } from '../database.js';
import { duplicateKeyName, errnoOf, mapDriverError } from '../errors.js';
import { appendOn, concurrencyConflict, findByIdempotencyKeyOn } from '../event-store/append.js';
import type { SqlValue } from '../event-store/codec.js';
import { statement } from '../event-store/driver.js';
import {
  type ConnectionHealth,
  createEventLog,
  type EventLog,
  gapSafetyFields,
  poolSchema,
  resolveGapSafety,
} from '../event-store/event-log.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';
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

const loadSchema = z.object({ id: uuidSchema });
const saveSchema = z.object({
  id: uuidSchema,
  expectedVersion: z.number().int().min(0).max(MAX_STREAM_VERSION),
});

/** Runs one statement on a scope's connection, queued behind the scope's other operations. */
export type ScopeQuery = <T>(sql: string, values?: readonly unknown[]) => Promise<T>;

/** The statement runner of each open MySQL scope (for adapter repositories that read inside the transaction). */
const scopeQueries = new WeakMap<UnitOfWorkScope, ScopeQuery>();

/**
 * The statement runner of a scope made by {@link createMysqlUnitOfWork}: lets adapter repositories (uid
 * allocation, look-ups by natural key) run SQL inside the same transaction. Throws a `ValidationError`
 * for any other scope (e.g. the in-memory one).
 *
 * @example
 * ```ts
 * await uow.run(async (scope) => {
 *   const rows = await mysqlScopeQuery(scope)<RowDataPacket[]>('SELECT 1');
 * });
 * ```
 */
export function mysqlScopeQuery(scope: UnitOfWorkScope): ScopeQuery {
  const q = scopeQueries.get(scope);
  if (q === undefined) {
    throw new ValidationError('unit of work scope', [
      { field: 'scope', rule: 'must be a scope of a MySQL unit of work (createMysqlUnitOfWork)' },
    ]);
  }
  return q;
}

function imageKey(table: string, id: Buffer): string {
  return `${table}\u0000${id.toString('hex')}`;
}

/** Pooled connections (driver sessions) already switched to READ COMMITTED. */
const readCommittedSessions = new WeakSet<object>();

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
 *   the fold of its stream. A save is atomic on its own: when it fails, or its events turn out to be a
 *   replay (`duplicate: true`), the row is put back as `load` read it (a savepoint when the scope did
 *   not load it). A deadlock makes the run roll back even if the work catches it.
 * - `scope.append` and `scope.findByIdempotencyKey` work on the events table inside the transaction.
 *
 * Driver errors come out mapped: deadlock (1213) → `DEADLOCK`, lock wait timeout (1205) →
 * `LOCK_TIMEOUT`, both retryable; conflicts are retryable `CONCURRENCY_CONFLICT`s. READ COMMITTED (not
 * the server's REPEATABLE READ) because every read here must see the latest committed data, and it
 * takes no gap locks, so two commands creating the same aggregate conflict instead of deadlocking (under
 * REPEATABLE READ, `FOR UPDATE` on a not-yet-existing UUIDv7 locks the gap up to the end of the index
 * and serialises every creation). The isolation level is set once per pooled session, so other work on
 * the same pool also runs in READ COMMITTED.
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
        const session = conn.connection as unknown as object;
        if (!readCommittedSessions.has(session)) {
          // Once per pooled connection rather than before every transaction: saves a round trip.
          await statement(conn, 'query', 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
          readCommittedSessions.add(session);
        }
        await statement(conn, 'query', 'START TRANSACTION');
        const value = await work(scope.api);
        await scope.close();
        // A failure that left the transaction unusable (a deadlock, an undo that failed) forbids COMMIT
        // even when the work caught it.
        const poisoned = scope.poisoned();
        if (poisoned !== undefined) throw poisoned;
        await statement(conn, 'query', 'COMMIT');
        return value;
      } catch (e) {
        await scope.close();
        try {
          await statement(conn, 'query', 'ROLLBACK');
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

/**
 * An encoded state may name its own stream id under `id` (so it round-trips through the in-memory unit
 * of work too); the row's key column is the unit of work's, so that entry is dropped. Any other `id` is
 * left for `encodeStateColumns` to refuse.
 */
function withoutOwnId(encoded: unknown, id: Uuid): unknown {
  if (typeof encoded !== 'object' || encoded === null || !('id' in encoded)) return encoded;
  const { id: own, ...rest } = encoded as Record<string, unknown>;
  return own === id ? rest : encoded;
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
  /** The error that made the transaction uncommittable, if any. */
  poisoned(): unknown;
}

function createScope(
  conn: PoolConnection,
  log: EventLog,
  tables: ReadonlyMap<string, string>,
  health: ConnectionHealth,
): Scope {
  let closed = false;
  let poison: unknown;
  let chain: Promise<unknown> = Promise.resolve();
  /**
   * Row images as `load` read them (under `FOR UPDATE`) or `save` wrote them, by table and id: what
   * a save restores when its append fails or turns out to be a replay, without a savepoint.
   */
  const images = new Map<string, Record<string, unknown>>();
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
      const mapped = mapIfDriverError(e, `unit of work ${operation}`);
      // InnoDB rolled the whole transaction back: anything after it would run outside a transaction.
      if (isPetError(mapped) && mapped.code === 'DEADLOCK') poison ??= mapped;
      throw mapped;
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

  scopeQueries.set(api, <T>(sql: string, values?: readonly unknown[]) =>
    serial('query', () => statement<T>(conn, 'query', sql, values)),
  );

  function aggregateStore<S>(definition: AggregateDefinition<S>, table: string): AggregateStore<S> {
    return {
      streamType: definition.streamType,
      load(id) {
        return serial('load', async (): Promise<Loaded<S>> => {
          const key = uuidToBytes(parseInput(loadSchema, { id }, 'load').id);
          const query = builder.selectFrom(table).selectAll().where('id', '=', key).forUpdate().compile();
          const rows = await statement<RowDataPacket[]>(conn, 'query', query.sql, query.parameters);
          const row = rows[0];
          if (row === undefined) {
            images.delete(imageKey(table, key));
            return { state: definition.initialState(), version: 0 };
          }
          const columns = stateColumnsOf(row);
          const version = Number(row['version']);
          images.set(imageKey(table, key), { ...columns, version });
          // decode also sees the row's own id (as a UUID), so a state that carries its id round-trips.
          return { state: definition.decode({ ...columns, id: bytesToUuid(key) }), version };
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
    const columns = encodeStateColumns(withoutOwnId(definition.encode(state), v.id));
    const key = uuidToBytes(v.id);
    const version = v.expectedVersion + input.events.length;
    const values = Object.fromEntries(columns);
    const image = images.get(imageKey(table, key));
    const restorable =
      v.expectedVersion === 0 ||
      (image !== undefined && image['version'] === v.expectedVersion && columns.every(([c]) => c in image));
    // The row and its events move together even when the caller catches a failed save and goes on.
    // Normally the undo is a statement that puts the row back as `load` read it (no extra round trip
    // on success); a save without a matching load in this scope uses a savepoint instead.
    if (!restorable) await statement(conn, 'query', `SAVEPOINT ${SAVE_POINT}`);
    let written = false;
    try {
      if (v.expectedVersion === 0) {
        const query = builder
          .insertInto(table)
          .values({ ...values, id: key, version })
          .compile();
        try {
          await statement<ResultSetHeader>(conn, 'query', query.sql, query.parameters);
        } catch (e) {
          // Only the primary key means "someone created it first"; other unique keys are the caller's.
          if (errnoOf(e) !== 1062 || duplicateKeyName(e) !== 'PRIMARY') throw e;
          throw concurrencyConflict(v.id, 0, await rowVersion(table, key));
        }
      } else {
        const query = builder
          .updateTable(table)
          .set({ ...values, version })
          .where('id', '=', key)
          .where('version', '=', v.expectedVersion)
          .compile();
        const res = await statement<ResultSetHeader>(conn, 'query', query.sql, query.parameters);
        if (res.affectedRows === 0) {
          throw concurrencyConflict(v.id, v.expectedVersion, await rowVersion(table, key));
        }
      }
      written = true;
      const result = await appendOn(conn, log, input, 'in-transaction', health);
      if (result.duplicate) {
        // A replayed append leaves the row as it was, like the in-memory unit of work.
        await undo();
        return result;
      }
      images.set(imageKey(table, key), { ...image, ...values, version });
      return result;
    } catch (e) {
      if (written || !restorable) {
        if (errnoOf(e) === 1213)
          poison ??= e; // the transaction is gone, and with it any undo
        else await undo().catch(() => undefined);
      }
      throw e;
    }

    async function undo(): Promise<void> {
      try {
        if (!restorable) {
          await statement(conn, 'query', `ROLLBACK TO SAVEPOINT ${SAVE_POINT}`);
        } else if (v.expectedVersion === 0) {
          // Undoes this transaction's own, uncommitted insert (nothing committed is ever deleted).
          const query = builder
            .deleteFrom(table)
            .where('id', '=', key)
            .where('version', '=', version)
            .compile();
          await statement<ResultSetHeader>(conn, 'query', query.sql, query.parameters);
        } else if (image !== undefined) {
          const before = Object.fromEntries(
            encodeStateColumns(Object.fromEntries(columns.map(([c]) => [c, image[c]]))),
          );
          const query = builder
            .updateTable(table)
            .set({ ...before, version: v.expectedVersion })
            .where('id', '=', key)
            .compile();
          await statement<ResultSetHeader>(conn, 'query', query.sql, query.parameters);
        }
      } catch (e) {
        poison ??= e;
        throw e;
      }
    }
  }

  async function rowVersion(table: string, key: Buffer): Promise<number> {
    const query = builder.selectFrom(table).select('version').where('id', '=', key).compile();
    const rows = await statement<RowDataPacket[]>(conn, 'query', query.sql, query.parameters);
    return Number(rows[0]?.['version'] ?? 0);
  }

  return {
    api,
    async close() {
      closed = true;
      await chain;
    },
    poisoned: () => poison,
  };
}
