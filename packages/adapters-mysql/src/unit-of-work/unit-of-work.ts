import { AsyncLocalStorage } from 'node:async_hooks';
import {
  isPetError,
  PetError,
  parseInput,
  type UnitOfWork,
  type UnitOfWorkRunOptions,
  type UnitOfWorkScope,
} from '@pet-ops/core';
import {
  type AnyStateTable,
  createUnitOfWork,
  type PetDialect,
  STATE_TABLES,
  sqlScopeOf,
} from '@pet-ops/sql';
import { CompiledQuery } from 'kysely';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { errnoOf, mapDriverError } from '../errors.js';
import { gapSafetyFields } from '../event-store/event-log.js';
import { mysqlEventSeam } from '../event-store/event-store.js';
import { tablePrefixSchema } from '../prefix.js';

/** Options of {@link createMysqlUnitOfWork}. */
export interface MysqlUnitOfWorkOptions {
  /** A mysql2 promise pool made by `connect()`; one unit of work holds one pooled connection. */
  readonly pool: Pool;
  /** Table prefix (`^[A-Za-z0-9_]{0,20}$`), applied to the events table and every state table. */
  readonly prefix: string;
  /**
   * Stream type → logical table name, as before the seam. Every aggregate `@pet-ops/sql` declares
   * (`STATE_TABLES`) is now mapped on its declared table whatever this says; an entry here is only
   * checked: its stream type must be declared (by the seam or in `stateTables`) on this very table.
   *
   * @deprecated The seam maps every declared aggregate; leave it out. Kept so existing calls compile.
   */
  readonly tables?: Readonly<Record<string, string>>;
  /**
   * The host's own state tables, declared with `defineStateTable` of `@pet-ops/sql` (in addition to the
   * seam's `STATE_TABLES`); `scope.aggregate(aggregateOf(table))` loads and saves them.
   */
  readonly stateTables?: readonly AnyStateTable[];
  /** How long an append waits for the append latch (default 10 s). */
  readonly latchTimeoutSeconds?: number;
  /**
   * When a save's events are written — `createUnitOfWork`'s `appendEvents` of `@pet-ops/sql`. This
   * adapter's unit keeps `'with-each-save'` by default (positions at once, a replayed save reported as a
   * duplicate); `'at-commit'` writes all of a unit's events in one append before COMMIT.
   */
  readonly appendEvents?: 'with-each-save' | 'at-commit';
}

const poolShape = z.custom<Pool>(
  (p) =>
    typeof p === 'object' &&
    p !== null &&
    typeof (p as { getConnection?: unknown }).getConnection === 'function' &&
    typeof (p as { execute?: unknown }).execute === 'function',
  'must be a mysql2/promise pool (use connect())',
);

const optionsSchema = z.object({
  pool: poolShape,
  prefix: tablePrefixSchema,
  tables: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'stream types must match ^[a-z][a-z0-9_]{0,63}$'),
      z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'table names must match ^[A-Za-z0-9_]{1,64}$'),
    )
    .optional(),
  stateTables: z
    .array(
      z.custom<AnyStateTable>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as { streamType?: unknown }).streamType === 'string' &&
          typeof (v as { table?: unknown }).table === 'string',
        'must be a state table declared with defineStateTable (@pet-ops/sql)',
      ),
    )
    .optional(),
  latchTimeoutSeconds: gapSafetyFields.latchTimeoutSeconds,
  appendEvents: z.enum(['with-each-save', 'at-commit']).optional(),
});

/** Every table the unit maps: the seam's, then the host's (a host table may not redeclare a seam one). */
function declaredTables(
  tables: Readonly<Record<string, string>> | undefined,
  host: readonly AnyStateTable[],
): AnyStateTable[] {
  const all = [...STATE_TABLES];
  const issues: { path: string[]; message: string }[] = [];
  host.forEach((t, i) => {
    if (all.some((s) => s.streamType === t.streamType)) {
      issues.push({ path: ['stateTables', String(i)], message: `${t.streamType} is already declared` });
    } else all.push(t);
  });
  for (const [streamType, table] of Object.entries(tables ?? {})) {
    const declared = all.find((t) => t.streamType === streamType);
    if (declared === undefined) {
      issues.push({
        path: ['tables', streamType],
        message:
          'no declared state table: declare it with defineStateTable (@pet-ops/sql) and pass it in stateTables',
      });
    } else if (declared.table !== table) {
      issues.push({ path: ['tables', streamType], message: `is declared on ${declared.table}` });
    }
  }
  if (issues.length > 0) {
    parseInput(
      z.object({}).superRefine((_, ctx) => {
        for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
      }),
      {},
      'unit of work options',
    );
  }
  return all;
}

/**
 * The unit of work on MySQL / MariaDB: the seam's `createUnitOfWork` (`@pet-ops/sql`) on `mysqlDialect`
 * over the host's pool, with every aggregate the seam declares (`STATE_TABLES`, plus `stateTables`).
 * `run(work)` opens one transaction on one pooled connection, hands `work` a scope, commits when it
 * resolves and rolls back when it throws.
 *
 * - `scope.aggregate(def)` picks the declared table by `def.streamType` (a definition only names the
 *   stream type, so the adapter's older definitions such as `quoteDefinition` work as keys) and maps state
 *   and row with the table's own `toRow` / `fromRow`, including its part tables (a quote's versions, line
 *   groups and lines) and child tables, in the same transaction.
 * - `load(id)` reads the row `FOR UPDATE` (concurrent commands on one aggregate serialise), or gives the
 *   initial state at version 0.
 * - `save(id, expectedVersion, state, events)` inserts the row (version 0) or updates it
 *   `WHERE version = expectedVersion` (a retryable `CONCURRENCY_CONFLICT` otherwise), then appends the
 *   events with the same expected version: a row is always the fold of its stream. A failed save is
 *   undone on its own (a savepoint), so work that catches it can go on.
 * - Driver errors come out mapped (deadlock → retryable `DEADLOCK`, lock wait timeout → `LOCK_TIMEOUT`).
 * - Transactions run in READ COMMITTED, set once per pooled session (so other work on the pool does too):
 *   every read sees the latest committed data, and loading a not-yet-existing aggregate takes no gap lock,
 *   so concurrent creations neither serialise nor deadlock.
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix: 'wp_pet_' });
 * await uow.run(async (scope) => {
 *   const quotes = scope.aggregate(quoteDefinition);
 *   const { state, version } = await quotes.load(quoteId);
 *   await quotes.save(quoteId, version, evolveAll(state, events), events);
 * });
 * ```
 */
export function createMysqlUnitOfWork(options: MysqlUnitOfWorkOptions): UnitOfWork {
  const valid = parseInput(optionsSchema, options, 'unit of work options');
  const tables = declaredTables(valid.tables, valid.stateTables ?? []);
  const latch =
    valid.latchTimeoutSeconds === undefined ? {} : { latchTimeoutSeconds: valid.latchTimeoutSeconds };
  const { dialect, events } = mysqlEventSeam(valid.pool, valid.prefix, latch, watchingRollbacks);
  const unit = createUnitOfWork({
    dialect,
    prefix: valid.prefix,
    events,
    tables,
    appendEvents: valid.appendEvents ?? 'with-each-save',
  });
  return {
    run<T>(work: (scope: UnitOfWorkScope) => Promise<T>, options?: UnitOfWorkRunOptions): Promise<T> {
      if (typeof work !== 'function') return unit.run(work);
      const run: RunState = {};
      return runs
        .run(run, () =>
          unit.run(async (scope) => {
            const value = await work(scope);
            // InnoDB rolled the transaction back (a deadlock the work caught): nothing of it may look committed.
            if (run.lost !== undefined) throw run.lost;
            return value;
          }, options),
        )
        .catch((e: unknown) => {
          // A savepoint that went with the server's rollback hid the deadlock: report the deadlock (retryable).
          const hidden = isPetError(e) && (e.details as { errno?: unknown } | undefined)?.errno === 1305;
          throw hidden && run.lost !== undefined ? run.lost : mapIfDriverError(e);
        });
    },
  };
}

/** What one run learnt from the errors its statements met. */
interface RunState {
  /** Set when the server rolled the run's transaction back (deadlock victim). */
  lost?: PetError;
}
const runs = new AsyncLocalStorage<RunState>();

/**
 * The dialect with its error classification watched per run: a deadlock (InnoDB rolls the whole
 * transaction back) or a savepoint the server no longer knows (it went with such a rollback) marks the
 * run lost, so it fails with a retryable `DEADLOCK` even when the work caught the error.
 */
function watchingRollbacks(dialect: PetDialect): PetDialect {
  return {
    ...dialect,
    classifyError(error, what) {
      const typed = dialect.classifyError(error, what);
      const run = runs.getStore();
      if (run !== undefined && run.lost === undefined) {
        if (typed.code === 'DEADLOCK') run.lost = typed;
        else if (errnoOf(error) === 1305) {
          run.lost = new PetError(
            'DEADLOCK',
            `unit of work: the server rolled the transaction back (${what}); retry`,
            {
              retryable: true,
              details: { operation: what },
            },
          );
        }
      }
      return typed;
    },
  };
}

/**
 * A driver error that reached the run unclassified (mysql2's "connection is in closed state" after a
 * killed connection carries only `fatal`) becomes a `PetError`; errors of the work itself pass through.
 */
function mapIfDriverError(e: unknown): unknown {
  if (isPetError(e) || typeof e !== 'object' || e === null) return e;
  const d = e as { errno?: unknown; sqlState?: unknown; fatal?: unknown };
  const isDriver = typeof d.errno === 'number' || typeof d.sqlState === 'string' || d.fatal === true;
  return isDriver ? mapDriverError(e, 'unit of work') : e;
}

/** Runs one statement on a scope's connection, queued behind the scope's other operations. */
export type ScopeQuery = <T>(sql: string, values?: readonly unknown[]) => Promise<T>;

/**
 * The statement runner of a scope made by {@link createMysqlUnitOfWork} (any scope of the seam's
 * `createUnitOfWork` on `mysqlDialect`): raw SQL in the unit's transaction, answering as mysql2 does
 * (rows for a query, `{ affectedRows, insertId }` for a write). Internal: the adapter's read repositories
 * use it; a host uses `sqlScopeOf(scope)` of `@pet-ops/sql`. Throws a `ValidationError` for any other
 * scope (e.g. the in-memory one).
 *
 * @example
 * ```ts
 * await uow.run(async (scope) => {
 *   const rows = await mysqlScopeQuery(scope)<RowDataPacket[]>('SELECT 1');
 * });
 * ```
 */
export function mysqlScopeQuery(scope: UnitOfWorkScope): ScopeQuery {
  const s = sqlScopeOf(scope);
  return <T>(text: string, values?: readonly unknown[]): Promise<T> =>
    s.query('query', async (trx) => {
      const r = await trx.executeQuery(CompiledQuery.raw(text, [...(values ?? [])]));
      if (r.numAffectedRows === undefined) return r.rows as T;
      return {
        affectedRows: Number(r.numAffectedRows),
        changedRows: Number(r.numChangedRows ?? 0n),
        insertId: Number(r.insertId ?? 0n),
      } as T;
    });
}
