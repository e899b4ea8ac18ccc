import { PetError, parseInput, ValidationError } from '@pet-ops/core';
import {
  assertValidMigrations,
  journalMigration,
  journalProblemError,
  type Migration,
  migrationIdSchema,
  migrations as releasedMigrations,
} from '@pet-ops/migrations';
import {
  type AnyDatabase,
  type MigrationState,
  migrateResumable,
  migrationPlan,
  type PetDialect,
  type SchemaReadOptions,
  type MigrationProgress as SeamMigrationProgress,
  type PlannedStatement as SeamPlannedStatement,
  type SchemaStatus as SeamSchemaStatus,
  schemaStatus,
  assertSchemaCurrent as seamAssertSchemaCurrent,
  verifySchema,
} from '@pet-ops/sql';
import { Kysely } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { z } from 'zod';
import { connect } from '../connection.js';
import { isDriverError, mapDriverError } from '../errors.js';
import { mysqlDialectOnConnection } from '../pet-dialect.js';
import { tablePrefixSchema } from '../prefix.js';
import { migrationChecksums } from './checksum.js';
import { databaseInUse } from './hooks.js';
import { acquireMigrationLock, migrationLockName, releaseMigrationLock } from './lock.js';
import type { SchemaDrift } from './shape.js';

/** Where the schema lives: a mysql2 promise pool, or a `mysql://…/database` URL (a pool is opened and closed). */
export type MigrationTarget = Pool | string;

/** Options shared by every migration entry point. */
export interface SchemaOptions {
  /** Table prefix, `^[A-Za-z0-9_]{0,20}$` (default none). */
  readonly prefix?: string;
  /** The migration list; default PET's one authoritative list. Other lists are for tests and tools. */
  readonly migrations?: readonly Migration[];
}

/**
 * Progress reported by {@link migrate}, in order: the seam's `MigrationProgress` (`@pet-ops/sql`), whose
 * resumable engine runs the migrations. `statement` numbers are 1-based.
 */
export type MigrationProgress = SeamMigrationProgress;

/** Options of {@link migrate}. */
export interface MigrateOptions extends SchemaOptions {
  /** Stop after this migration id (inclusive); default: the last one. */
  readonly target?: string;
  /** How long to wait for another runner's lock, in seconds (default 60; 0 = do not wait). */
  readonly lockTimeoutSeconds?: number;
  /** Called (and awaited) at each step; see {@link MigrationProgress}. */
  readonly onProgress?: (progress: MigrationProgress) => void | Promise<void>;
}

/** What a {@link migrate} run did. */
export interface MigrateResult {
  readonly database: string;
  readonly prefix: string;
  /** Migrations this run completed, in order. */
  readonly applied: readonly string[];
  /** Migrations that were already applied before this run. */
  readonly alreadyApplied: readonly string[];
  /** Statements this run executed. */
  readonly executedStatements: number;
  /** Statements this run found already in effect (a crashed run executed them) and skipped. */
  readonly skippedStatements: number;
  /**
   * Migrations whose journal row recorded the legacy (compiled-statement) checksums of an earlier version
   * and was rewritten to the logical ones by this run, in list order.
   */
  readonly upgradedChecksums: readonly string[];
  /** The data steps this run ran, in order, with the rows each reported (also counted as executed statements). */
  readonly dataSteps: readonly {
    readonly migrationId: string;
    readonly step: string;
    readonly rows: number;
  }[];
}

/** One migration as {@link status} reports it: `MigrationState` of `@pet-ops/sql`. */
export type MigrationStatus = MigrationState;

/** The journal compared with the migration list: `SchemaStatus` of `@pet-ops/sql`, as {@link status} reports it. */
export type SchemaStatus = SeamSchemaStatus;

/** One pending statement as {@link plan} lists it: `PlannedStatement` of `@pet-ops/sql`. */
export type PlannedStatement = SeamPlannedStatement;

/** What {@link verify} found. */
export interface VerifyResult {
  readonly database: string;
  readonly prefix: string;
  /** True when the journal matches the migration list and the live schema is what the journal says. */
  readonly ok: boolean;
  readonly drifts: readonly SchemaDrift[];
  /**
   * Where the journal disagrees with the migration list: an applied migration whose checksum, or any of
   * whose statement checksums, changed; a statement of a partly applied one that changed; a migration the
   * list does not know. One message each.
   */
  readonly journal: readonly string[];
}

const listSchema = z.custom<readonly Migration[]>((v) => Array.isArray(v), 'must be an array of migrations');
const baseShape = { prefix: tablePrefixSchema.optional(), migrations: listSchema.optional() };
const schemaOptionsSchema = z.object(baseShape);
const planOptionsSchema = z.object({ ...baseShape, target: migrationIdSchema.optional() });
const migrateOptionsSchema = z.object({
  ...baseShape,
  target: migrationIdSchema.optional(),
  lockTimeoutSeconds: z.number().int('must be whole seconds').min(0).max(86_400).optional(),
  onProgress: z
    .custom<(p: MigrationProgress) => void | Promise<void>>(
      (v) => typeof v === 'function',
      'must be a function',
    )
    .optional(),
});

interface Context {
  readonly conn: PoolConnection;
  readonly database: string;
  readonly prefix: string;
  readonly list: readonly Migration[];
  /** Closes the pinned connection instead of returning it to the pool (frees any lock it holds). */
  readonly discard: () => void;
}

const validLists = new WeakSet<readonly Migration[]>();

function checkList(list: readonly Migration[]): void {
  if (validLists.has(list)) return;
  assertValidMigrations(list);
  const first = list[0];
  // The engine's journal code depends on the exact journal table the first migration creates.
  if (
    first === undefined ||
    first.id !== journalMigration.id ||
    migrationChecksums(first).checksum !== migrationChecksums(journalMigration).checksum
  ) {
    throw new ValidationError('migration options', [
      { field: 'migrations.0', rule: `must be the journal migration ${journalMigration.id}` },
    ]);
  }
  validLists.add(list);
}

function isPool(db: unknown): db is Pool {
  return typeof db === 'object' && db !== null && typeof (db as Pool).getConnection === 'function';
}

async function withConnection<T>(
  db: MigrationTarget,
  options: {
    readonly prefix?: string | undefined;
    readonly migrations?: readonly Migration[] | undefined;
    readonly target?: string | undefined;
  },
  work: (ctx: Context) => Promise<T>,
): Promise<T> {
  const list = options.migrations ?? releasedMigrations;
  checkList(list);
  const target = options.target;
  if (target !== undefined && !list.some((m) => m.id === target)) {
    throw journalProblemError({ kind: 'unknown_target', migrationId: target });
  }
  const prefix = options.prefix ?? '';
  if (typeof db !== 'string' && !isPool(db)) {
    throw new ValidationError('migration target', [
      { field: 'db', rule: 'must be a mysql2 promise Pool or a mysql:// URL' },
    ]);
  }
  const pool = typeof db === 'string' ? await connect({ url: db, connectionLimit: 2 }) : db;
  try {
    const conn = await pool.getConnection().catch((e: unknown) => {
      throw mapDriverError(e, 'connect');
    });
    let discarded = false;
    const discard = (): void => {
      discarded = true;
      conn.destroy();
    };
    try {
      // The database in use names the migration lock, as the seam's migrate names it through
      // mysqlDialect's hooks: the same name whatever database a pool was configured with.
      const database = await databaseInUse(conn);
      return await work({
        conn,
        database,
        prefix,
        list,
        discard,
      });
    } catch (e) {
      // A connection killed or lost mid-run (the journal read, the lock, a probe) is a typed,
      // retryable error; a re-run resumes at the first unfinished statement.
      throw isDriverError(e) ? mapDriverError(e, 'migrate') : e;
    } finally {
      if (!discarded) conn.release();
    }
  } finally {
    if (typeof db === 'string') await pool.end();
  }
}

/**
 * Runs `work` on the seam over this context's pinned connection: a Kysely on it and
 * `mysqlDialectOnConnection` with its hooks (probes, events, legacy checksums, the server's clock).
 */
async function onSeam<T>(
  ctx: Context,
  work: (db: AnyDatabase, dialect: PetDialect) => Promise<T>,
): Promise<T> {
  const dialect = mysqlDialectOnConnection(ctx.conn, ctx.database);
  const db: AnyDatabase = new Kysely({ dialect: dialect.kysely });
  try {
    return await work(db, dialect);
  } finally {
    // Ends nothing on the server: the pinned "pool" never closes the connection.
    await db.destroy();
  }
}

/** The seam's reading options for this context: its prefix and list, and the database already asked. */
function seamOptions(ctx: Context): SchemaReadOptions {
  return {
    prefix: ctx.prefix,
    migrations: ctx.list,
    hooks: { database: async () => ctx.database },
  };
}

/**
 * The run itself, on the seam's resumable engine over this connection (which holds the migration lock):
 * a Kysely on the pinned connection, `mysqlDialectOnConnection` with its hooks (probes, events, legacy
 * checksums, the server's clock). Data steps run on that same Kysely.
 */
async function runLocked(
  ctx: Context,
  options: { readonly target?: string | undefined; readonly onProgress?: MigrateOptions['onProgress'] },
): Promise<MigrateResult> {
  return onSeam(ctx, async (db, dialect) => {
    const r = await migrateResumable(db, dialect, {
      prefix: ctx.prefix,
      migrations: ctx.list,
      ...(options.target === undefined ? {} : { target: options.target }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      // The caller holds GET_LOCK on this same session.
      hooks: { withLock: (work) => work() },
    });
    return {
      database: ctx.database,
      prefix: ctx.prefix,
      applied: r.applied,
      alreadyApplied: r.alreadyApplied,
      executedStatements: r.executedStatements,
      skippedStatements: r.skippedStatements,
      upgradedChecksums: r.upgradedChecksums,
      dataSteps: r.dataSteps,
    };
  });
}

/**
 * Brings the schema to the head of the migration list (or to `target`), forward only. Give it a pool
 * from {@link connect} (or a URL); the pool must select the database. It is `@pet-ops/sql`'s resumable engine
 * (`migrateResumable`, the one the seam's `migrate` runs for `mysqlDialect`) on one pinned connection, with
 * this adapter's lock, probes, events and legacy-checksum reading.
 *
 * How it works: takes `GET_LOCK(pet_migrate_<sha256(database:prefix)>)` on one pinned connection
 * (waiting at most `lockTimeoutSeconds`, else `MIGRATION_LOCK_TIMEOUT`) and releases it at the end;
 * concurrent runners therefore wait and then find nothing to do. It then checks the journal
 * (`<prefix>schema_migrations`) against the list before running anything: an applied migration whose
 * checksum changed, or a journal entry the list does not know, is `MIGRATION_TAMPERED`. Checksums are
 * those of the logical operations (`migrationChecksums`), the same on every database; a row written by
 * an earlier version records the checksums of the compiled statements instead: when they are exactly
 * those of the same migration, the row is accepted and rewritten to the logical checksums (one UPDATE
 * of the row, inside the lock, before anything else runs; reported as `checksums-upgraded` progress and
 * in `upgradedChecksums`); a row that matches neither is `MIGRATION_TAMPERED`. Each operation
 * is one statement, probed in `information_schema` first and skipped when already in effect, and its
 * progress is recorded after it runs, so a crashed run resumes at the first unfinished statement.
 * Tables that exist before their migration ran (made by hand, or by an earlier tool) are taken as
 * they are when their shape is one the list gives them at some point (at creation, with their guards,
 * or with later columns and indexes); any other shape, the journal's included, fails the statement
 * that would create it with `MIGRATION_FAILED` naming each difference, and the table is left as it is.
 * A failing statement marks the migration `failed` (statement number and error in the journal, a
 * `migration.failed` event) and throws `MIGRATION_FAILED`; the next run retries from that statement.
 * A failed migration is fixed by shipping a new version of the same id that changes only statements
 * that have not run yet; changing one that ran is tampering. A data step (`{ op: 'dataStep' }`) is a
 * step like a statement, but the engine runs its registered TypeScript step (`registerDataStep` of
 * `@pet-ops/sql`) on this same connection, with the lock held and outside any transaction, instead of
 * sending its marker text; it has no probe, so a step that failed or was interrupted runs again from its
 * start (steps are idempotent by contract). A data step nobody registered is `MIGRATION_FAILED`
 * (`reason: 'unknown_data_step'`) before any pending migration runs. `migration.started` / `.completed` /
 * `.failed` events go to `domain_events` (stream type `migration`); those of migrations that ran before
 * the event log existed are recorded as soon as it does, with the journal's times.
 *
 * @example
 * ```ts
 * const result = await migrate(pool, { prefix: 'wp_pet_', lockTimeoutSeconds: 120 });
 * console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already there`);
 * ```
 */
export async function migrate(db: MigrationTarget, options: MigrateOptions = {}): Promise<MigrateResult> {
  const opts = parseInput(migrateOptionsSchema, options, 'migration options');
  return withConnection(db, opts, async (ctx) => {
    const lockName = migrationLockName(ctx.database, ctx.prefix);
    await acquireMigrationLock(ctx.conn, lockName, opts.lockTimeoutSeconds ?? 60, ctx);
    let failed = false;
    try {
      return await runLocked(ctx, opts);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      const released = await releaseMigrationLock(ctx.conn, lockName).catch(() => false);
      if (!released) {
        // Closing the session frees any lock it still holds.
        ctx.discard();
        if (!failed) {
          // biome-ignore lint/correctness/noUnsafeFinally: losing the lock mid-run must not pass silently.
          throw new PetError(
            'DATABASE_ERROR',
            `the migration lock of database ${ctx.database} was no longer held when the run ended (connection reset?); another runner may have run concurrently: run verify()`,
            { details: { lockName } },
          );
        }
      }
    }
  });
}

/**
 * Lists every migration of the list as applied, pending, running or failed (with statements done,
 * attempts, times and error), plus journal entries the list does not know. Takes no lock and writes
 * nothing (rows with the legacy checksums of the same migrations are accepted and listed in
 * `legacyChecksums`; `migrate` upgrades them); a `running` entry is either in progress or a crashed run
 * that the next `migrate` resumes. It is `schemaStatus` of `@pet-ops/sql` (one implementation for every
 * dialect) on one connection of the pool, with this adapter's hooks (the database in use, legacy checksums).
 *
 * @example
 * ```ts
 * const s = await status(pool, { prefix: 'wp_pet_' });
 * for (const m of s.migrations) console.log(m.id, m.state, `${m.appliedStatements}/${m.totalStatements}`);
 * ```
 */
export async function status(db: MigrationTarget, options: SchemaOptions = {}): Promise<SchemaStatus> {
  const opts = parseInput(schemaOptionsSchema, options, 'migration options');
  return withConnection(db, opts, (ctx) =>
    onSeam(ctx, (kdb, dialect) => schemaStatus(kdb, dialect, seamOptions(ctx))),
  );
}

/**
 * The SQL the next `migrate` would run (up to `target`), from the first unfinished statement of each
 * pending, failed or crashed migration. Runs nothing. Refuses like `migrate` when the journal does not
 * match the list (`MIGRATION_TAMPERED`), and when a pending data step is not registered
 * (`MIGRATION_FAILED`). A statement whose effect is already in place is skipped at run time. A data step
 * is listed as its marker (`-- data step <step>: <description>`) with `dataStep` set. It is
 * `migrationPlan` of `@pet-ops/sql` on one connection of the pool.
 *
 * @example
 * ```ts
 * for (const s of await plan(pool, { prefix: 'wp_pet_' })) console.log(`-- ${s.migrationId} ${s.statement}/${s.totalStatements}\n${s.sql};`);
 * ```
 */
export async function plan(
  db: MigrationTarget,
  options: SchemaOptions & { readonly target?: string } = {},
): Promise<readonly PlannedStatement[]> {
  const opts = parseInput(planOptionsSchema, options, 'migration options');
  return withConnection(db, opts, (ctx) =>
    onSeam(ctx, (kdb, dialect) =>
      migrationPlan(kdb, dialect, {
        ...seamOptions(ctx),
        ...(opts.target === undefined ? {} : { target: opts.target }),
      }),
    ),
  );
}

/**
 * Compares the live schema (`information_schema`: tables with the prefix, their columns with type,
 * nullability, default and auto-increment, their indexes and triggers) with the schema the journal
 * says was applied (derived from the same migration list, statement by statement) and returns every
 * drift: missing or extra table, column, index or trigger, and every mismatch. It also checks the
 * journal against the list (`journal`): a row that records the legacy checksums of the same migration
 * is no drift; a migration never run before an applied one is. Writes nothing. It is `verifySchema` of
 * `@pet-ops/sql` (one journal check and one diff for every dialect) with this adapter's shapes
 * (`information_schema`), on one connection of the pool.
 *
 * @example
 * ```ts
 * const { ok, drifts } = await verify(pool, { prefix: 'wp_pet_' });
 * if (!ok) for (const d of drifts) console.error(d.message);
 * ```
 */
export async function verify(db: MigrationTarget, options: SchemaOptions = {}): Promise<VerifyResult> {
  const opts = parseInput(schemaOptionsSchema, options, 'migration options');
  return withConnection(db, opts, (ctx) =>
    onSeam(ctx, async (kdb, dialect) => {
      const v = await verifySchema(kdb, dialect, seamOptions(ctx));
      return { database: v.database, prefix: v.prefix, ok: v.ok, drifts: v.drifts, journal: v.journal };
    }),
  );
}

/**
 * The activation gate: resolves when every migration is applied; otherwise throws
 * `SCHEMA_NOT_CURRENT` naming the first migration that is pending, running or failed and the fix. It
 * also refuses (fail safe) when the journal has a migration this list does not know (a newer version
 * migrated the database) or out of order, and throws `MIGRATION_TAMPERED` when an applied migration
 * was edited. Call it when the host application starts, after (or instead of) `migrate`. It is the
 * seam's `assertSchemaCurrent` (`@pet-ops/sql`, the same gate on every dialect) on one connection of the pool.
 *
 * @example
 * ```ts
 * await assertSchemaCurrent(pool, { prefix: 'wp_pet_' }); // refuse to start on an old or broken schema
 * ```
 */
export async function assertSchemaCurrent(db: MigrationTarget, options: SchemaOptions = {}): Promise<void> {
  const opts = parseInput(schemaOptionsSchema, options, 'migration options');
  await withConnection(db, opts, (ctx) =>
    onSeam(ctx, (kdb, dialect) => seamAssertSchemaCurrent(kdb, dialect, seamOptions(ctx))),
  );
}
