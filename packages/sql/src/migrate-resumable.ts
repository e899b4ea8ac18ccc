import { type Instant, isPetError, PetError, type Uuid, ValidationError } from '@pet-ops/core';
import {
  type CompiledMigration,
  dataStepMarker,
  migrations as defaultMigrations,
  EVENTS_TABLE,
  JOURNAL_TABLE,
  type JournalEntry,
  journalMigration,
  journalProblemError,
  type Migration,
  type Operation,
  type PendingMigration,
  reconcile,
  type SchemaModel,
  schemaBeforeEach,
} from '@pet-ops/migrations';
import { type Kysely, sql } from 'kysely';
import { logicalChecksums } from './checksum.js';
import { assertDataStepsRegistered, runDataStep } from './data-steps.js';
import type { AnyDatabase, AnyTransaction, PetDialect } from './dialect.js';
import { createEventStore, type SqlEventStore } from './event-store/event-store.js';
import { lockName } from './lock-name.js';
import type { MigrateOptions, MigrateReport } from './migrate.js';
import {
  journalExists,
  parseOptions,
  readJournal,
  systemNow,
  type Tables,
  withLock,
} from './migrate-shared.js';
import {
  type AppliedMigration,
  type MigrationEventKind,
  recordMigrationEvents,
  recordUnrecordedMigrations,
} from './migration-events.js';
import { uuidV7 } from './system.js';

/** Progress reported by {@link migrateResumable}, in order. `statement` numbers are 1-based steps. */
export type MigrationProgress =
  | { readonly kind: 'journal-created'; readonly table: string }
  /** A journal row recorded checksums an earlier release wrote; they were rewritten to the logical ones. */
  | {
      readonly kind: 'checksums-upgraded';
      readonly migrationId: string;
      readonly from: string;
      readonly to: string;
    }
  | {
      readonly kind: 'migration-started';
      readonly migrationId: string;
      readonly name: string;
      readonly fromStatement: number;
      readonly totalStatements: number;
    }
  | {
      readonly kind: 'statement-executed';
      readonly migrationId: string;
      readonly statement: number;
      readonly totalStatements: number;
      readonly sql: string;
      /** True when the probe found the statement's effect already in place and it did not run. */
      readonly skipped: boolean;
      /** For a data step: the rows its run reported. */
      readonly rows?: number;
    }
  | {
      readonly kind: 'statement-recorded';
      readonly migrationId: string;
      readonly statement: number;
      readonly totalStatements: number;
    }
  | { readonly kind: 'migration-completed'; readonly migrationId: string }
  | {
      readonly kind: 'migration-failed';
      readonly migrationId: string;
      readonly statement: number;
      readonly error: string;
    };

/**
 * One step of a migration as the resumable engine runs it: one logical operation, compiled by the dialect
 * (MySQL/MariaDB: exactly one statement). Steps are what the journal counts (`applied_steps`).
 */
export interface MigrationStep {
  readonly migrationId: string;
  /** 1-based, as in the journal and in progress. */
  readonly statement: number;
  readonly operation: Operation;
  /** The schema before the operation (what `compile` took), from `schemaBeforeEach`. */
  readonly before: SchemaModel | undefined;
  /** The statements the dialect compiled the operation to, in order. */
  readonly sql: readonly string[];
}

/** The migration events the engines record (stream type `migration`, one stream per migration). */
export type MigrationEventType = MigrationEventKind;

/**
 * What a database adds to the resumable engine; every part is optional. A dialect offers them for each
 * run through {@link PetDialect.migrationHooks}; {@link ResumableMigrateOptions.hooks} overrides them.
 */
export interface ResumableHooks {
  /**
   * Finds whether a step's effect is already in place before it runs (a crashed run executed it but did
   * not record it): `done` skips it, `absent` runs it; a conflict (the object exists with another shape)
   * is thrown as a `PetError` and fails the step. Without it every step runs, except the journal's own
   * creation, found done when the journal exists; a rerun after a crash between a statement and its
   * record then fails on that statement and says so.
   */
  readonly probe?: (db: AnyDatabase, step: MigrationStep) => Promise<'absent' | 'done'>;
  /**
   * The database the run's connections work in, asked once per run before the lock is taken (MySQL:
   * `SELECT DATABASE()`); default `dialect.database`. The lock is named after it, so migrators that reach
   * one database through differently configured pools still exclude each other.
   */
  readonly database?: (db: AnyDatabase) => Promise<string>;
  /**
   * The migration lock's name for that database and the prefix (default `lockName(database, prefix,
   * 'migrate')`; MySQL/MariaDB: `legacyMigrationLockName`, the form every release of its adapter used).
   */
  readonly lockName?: (database: string, prefix: string) => string;
  /** Runs `work` under a migration lock the caller takes itself, instead of `dialect.acquireLock`. */
  readonly withLock?: <T>(work: () => Promise<T>) => Promise<T>;
  /** The value written to the journal's times (e.g. the server's clock); default the `now` option, encoded. */
  readonly timestamp?: () => unknown;
  /**
   * True when a journal row records checksums an earlier release wrote for the same migration: the row is
   * read as if it recorded the logical ones, and `migrate` rewrites it (one guarded UPDATE, under the lock,
   * before anything runs). A row that matches neither stays `MIGRATION_TAMPERED`.
   */
  readonly recordsEarlierChecksums?: (entry: JournalEntry) => boolean;
}

/** Options of {@link migrateResumable}. */
export interface ResumableMigrateOptions extends MigrateOptions {
  /** Called (and awaited) at each step; see {@link MigrationProgress}. */
  readonly onProgress?: (progress: MigrationProgress) => void | Promise<void>;
  /** Overrides the dialect's {@link ResumableHooks} for this run, part by part. */
  readonly hooks?: ResumableHooks;
}

/** What a {@link migrateResumable} run did: {@link MigrateReport} plus its statement counts. */
export interface ResumableMigrateReport extends MigrateReport {
  /** Steps this run executed (data steps included). */
  readonly executedStatements: number;
  /** Steps this run found already in effect (a crashed run executed them) and skipped. */
  readonly skippedStatements: number;
  /** Migrations whose journal row recorded an earlier release's checksums and was rewritten, in order. */
  readonly upgradedChecksums: readonly string[];
}

/**
 * A migration compiled step by step: `statements` holds one text per step, aligned with `stepChecksums`.
 * Internal (status, plan and verify read it too); not exported from the package entry.
 */
export interface ResumableCompiled extends CompiledMigration {
  readonly steps: readonly (MigrationStep & { readonly dataStep: string | undefined })[];
}

/** Each migration of the list compiled step by step for the dialect and prefix, with its logical checksums. */
export function compileSteps(
  dialect: Pick<PetDialect, 'compile'>,
  list: readonly Migration[],
  prefix: string,
): ResumableCompiled[] {
  const before = schemaBeforeEach(list);
  return list.map((m, i) => {
    const steps = m.operations.map((operation, j) => {
      const schema = before[i]?.[j];
      const data = operation.op === 'dataStep';
      return {
        migrationId: m.id,
        statement: j + 1,
        operation,
        before: schema,
        sql: data ? [dataStepMarker(operation)] : dialect.compile(operation, prefix, schema),
        dataStep: data ? operation.step : undefined,
      };
    });
    return {
      id: m.id,
      name: m.name,
      statements: steps.map((s) => s.sql.join(';\n')),
      steps,
      ...logicalChecksums(m),
    };
  });
}

const pick = (o: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((k) => [k, o[k]]));

function migrationFailed(m: ResumableCompiled, index: number, cause: PetError, journaled = true): PetError {
  const k = index + 1;
  const n = m.statements.length;
  const sql = m.statements[index] ?? '';
  return new PetError(
    'MIGRATION_FAILED',
    `migration ${m.id} ("${m.name}") failed at statement ${k} of ${n}: ${cause.message}. ` +
      `Statements before it stay applied and nothing after it ran${journaled ? '; the journal records the failure' : ''}. ` +
      `Fix: remove the cause (data, privileges, server) or ship a corrected version of statements ${k}..${n} ` +
      `under the same id, then run migrate again: it resumes at statement ${k}. Statement: ${sql}`,
    {
      details: {
        migrationId: m.id,
        name: m.name,
        statement: k,
        totalStatements: n,
        sql,
        cause: cause.code,
        ...pick(cause.details, ['errno', 'sqlState']),
      },
      cause,
    },
  );
}

/**
 * The journal as the current checksums read it: a row {@link ResumableHooks.recordsEarlierChecksums}
 * recognises reads as if it recorded the logical checksums, and is listed in `earlier`. Pure.
 */
export function readThroughEarlier<E extends JournalEntry>(
  compiled: readonly CompiledMigration[],
  entries: readonly E[],
  recognise: ((entry: JournalEntry) => boolean) | undefined,
): { readonly entries: E[]; readonly earlier: E[] } {
  if (recognise === undefined) return { entries: [...entries], earlier: [] };
  const byId = new Map(compiled.map((m) => [m.id, m]));
  const earlier: E[] = [];
  const out = entries.map((entry) => {
    const m = byId.get(entry.id);
    if (m === undefined || !recognise(entry)) return entry;
    earlier.push(entry);
    return { ...entry, checksum: m.checksum, stepChecksums: m.stepChecksums };
  });
  return { entries: out, earlier };
}

/** One run's state. */
interface Run {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  readonly journal: string;
  readonly hooks: ResumableHooks;
  readonly at: () => unknown;
  readonly progress: (p: MigrationProgress) => void | Promise<void>;
  /** Where the migration events go: the event store, as every other event. */
  readonly store: SqlEventStore;
  /** One id for every event of the run. */
  readonly correlationId: Uuid;
  /** The events' `occurredAt` (the `now` option, default the system clock). */
  readonly now: () => string;
  /** The event log's table (prefixed). */
  readonly eventsTable: string;
  /** The event log exists: migration events are recorded from now on. */
  eventsReady: boolean;
  executed: number;
  skipped: number;
  readonly dataSteps: { migrationId: string; step: string; rows: number }[];
}

const journalOf = (run: Run): Kysely<Tables> => run.db as Kysely<Tables>;
const table = (run: Run): 'schema_migrations' => run.journal as 'schema_migrations';

/**
 * Whether a step's effect is in place: the dialect's probe, or (without one) only the journal's own
 * creation, found done when the journal table exists.
 */
async function inEffect(run: Run, step: MigrationStep): Promise<'absent' | 'done'> {
  if (run.hooks.probe !== undefined) return run.hooks.probe(run.db, step);
  if (step.migrationId !== journalMigration.id) return 'absent';
  return (await journalExists(run.db, run.journal)) ? 'done' : 'absent';
}

/** Runs a step unless it is found in effect. Returns true when it ran. */
async function applyStep(run: Run, step: MigrationStep): Promise<boolean> {
  if ((await inEffect(run, step)) === 'done') return false;
  for (const statement of step.sql) await sql.raw(statement).execute(run.db);
  return true;
}

/**
 * Brings a database to the head of the migration list (or to `target`) step by step, resumable: the
 * engine for dialects whose DDL commits on its own (MySQL/MariaDB), where a migration cannot be rolled
 * back as a whole. `migrate` delegates to it for such dialects.
 *
 * How it works: under the migration lock (`dialect.acquireLock` on the name {@link resolveMigrationLockName}
 * gives, or the hooks' own lock), the journal table is
 * created first when missing (the first migration of the list must be `journalMigration`). The journal is
 * then checked against the list before anything runs: an applied migration whose logical checksum
 * changed, or a step of a failed or crashed one that already ran and changed, is `MIGRATION_TAMPERED`; a
 * journal row the list does not know, or a new migration before an applied one, too. A pending data step
 * nobody registered is `MIGRATION_FAILED` (`reason: 'unknown_data_step'`). Each pending migration's row is
 * written `running` before its first step (`attempts` + 1 on a rerun), `applied_steps` advances after each
 * step, and the row is `applied` after the last. A failing step leaves the steps before it applied: the row
 * becomes `failed` with `failed_step`, `error` (no stack), and `MIGRATION_FAILED` is thrown naming the
 * migration, the step and the fix; the next run resumes at that step (a corrected version of the same id
 * may change only steps that have not run). A crashed run's `running` row resumes the same way. A data step
 * runs its registered step on `db` (outside a transaction, so what it wrote before a failure stays: steps
 * are idempotent). Once the event log exists, `migration.started` / `.completed` / `.failed` go through the
 * event store (`appendIn`) in the transaction of the journal write they belong to, one stream per migration
 * (`migrationStreamId`), one correlation id per run; migrations applied before the log existed get
 * `started` and `completed` at the journal's times as soon as it does. A dialect's {@link ResumableHooks}
 * add probes that skip a step already in effect, the database the lock is named after, and the upgrade of
 * rows an earlier release wrote. A dialect whose DDL is transactional is refused (`VALIDATION_FAILED`,
 * field `dialect.transactionalDdl`): `migrate` runs each of its migrations in one transaction instead.
 *
 * @example
 * ```ts
 * const pet = mysqlDialect({ pool });
 * const report = await migrateResumable(new Kysely<any>({ dialect: pet.kysely }), pet, {
 *   prefix: 'wp_pet_',
 *   onProgress: (p) => console.log(p.kind),
 * });
 * console.log(`${report.applied.length} applied, ${report.skippedStatements} found done`);
 * ```
 */
export async function migrateResumable(
  db: AnyDatabase,
  dialect: PetDialect,
  options: ResumableMigrateOptions,
): Promise<ResumableMigrateReport> {
  const { prefix, target } = parseOptions(db, dialect, options);
  if (dialect.transactionalDdl) {
    // There a migration runs in one transaction and a failure leaves nothing behind (`migrate`); run step
    // by step it would leave a failed migration half applied where it need not.
    throw new ValidationError('migrateResumable', [
      {
        field: 'dialect.transactionalDdl',
        rule: `must be false: the resumable engine is for databases whose DDL commits statement by statement (MySQL/MariaDB); ${dialect.name}'s DDL is transactional, migrate it with migrate()`,
      },
    ]);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new ValidationError('migrate options', [{ field: 'onProgress', rule: 'must be a function' }]);
  }
  const list = options.migrations ?? defaultMigrations;
  const first = list[0];
  if (first === undefined || first.id !== journalMigration.id) {
    throw new ValidationError('migrate options', [
      { field: 'migrations.0', rule: `must be the journal migration ${journalMigration.id}` },
    ]);
  }
  if (target !== undefined && !list.some((m) => m.id === target)) {
    throw journalProblemError({ kind: 'unknown_target', migrationId: target });
  }
  const hooks: ResumableHooks = {
    ...dialect.migrationHooks?.(db, { prefix, migrations: list }),
    ...options.hooks,
  };
  const now = options.now;
  const timestamp = hooks.timestamp;
  const at =
    now === undefined && timestamp !== undefined
      ? timestamp
      : () => dialect.codecs.encodeInstant((now ?? systemNow)());
  const run: Run = {
    db,
    dialect,
    prefix,
    journal: `${prefix}${JOURNAL_TABLE}`,
    hooks,
    at,
    progress: options.onProgress ?? (() => undefined),
    store: createEventStore({ db, dialect, prefix }),
    correlationId: uuidV7(),
    now: now ?? systemNow,
    eventsTable: `${prefix}${EVENTS_TABLE}`,
    eventsReady: false,
    executed: 0,
    skipped: 0,
    dataSteps: [],
  };
  const compiled = compileSteps(dialect, list, prefix);
  const typed = (e: unknown): PetError => (isPetError(e) ? e : dialect.classifyError(e, 'migrate'));
  const locked = async (): Promise<ResumableMigrateReport> => {
    try {
      return await runLocked(run, list, compiled, target);
    } catch (e) {
      throw typed(e);
    }
  };
  if (hooks.withLock !== undefined) return hooks.withLock(locked);
  const name = await resolveMigrationLockName(db, dialect, hooks, prefix).catch((e: unknown) => {
    throw typed(e);
  });
  return withLock(db, dialect, prefix, options.lockTimeoutMs ?? 60_000, locked, name);
}

/**
 * The migration lock's name: the hooks' naming (default `lockName(…, 'migrate')`) of the database the
 * run's connections work in (the hooks ask it; default `dialect.database`) and the prefix.
 *
 * @example
 * ```ts
 * const name = await resolveMigrationLockName(db, pet, pet.migrationHooks?.(db, { prefix, migrations }) ?? {}, prefix);
 * ```
 */
export async function resolveMigrationLockName(
  db: AnyDatabase,
  dialect: PetDialect,
  hooks: Pick<ResumableHooks, 'database' | 'lockName'>,
  prefix: string,
): Promise<string> {
  const database = hooks.database === undefined ? dialect.database : await hooks.database(db);
  return hooks.lockName === undefined
    ? lockName(database, prefix, 'migrate')
    : hooks.lockName(database, prefix);
}

async function runLocked(
  run: Run,
  list: readonly Migration[],
  compiled: readonly ResumableCompiled[],
  target: string | undefined,
): Promise<ResumableMigrateReport> {
  // Bootstrap: the journal cannot record its own creation, so the first migration's steps run (or are
  // found done) before the journal is read; the loop below then finds them done and records the migration
  // like any other.
  const boot = compiled[0] as ResumableCompiled;
  let created = false;
  for (const [i, step] of boot.steps.entries()) {
    try {
      if (await applyStep(run, step)) {
        run.executed++;
        created = true;
      }
    } catch (e) {
      throw migrationFailed(boot, i, classify(run, e, i), false);
    }
  }
  if (created) await run.progress({ kind: 'journal-created', table: run.journal });
  const read = await readJournal(journalOf(run), run.dialect, run.journal);
  const { entries, earlier } = readThroughEarlier(compiled, read, run.hooks.recordsEarlierChecksums);
  const decision = reconcile(compiled, entries, { target });
  if (!decision.ok) throw journalProblemError(decision.error);
  const pendingIds = new Set(decision.value.pending.map((p) => p.migration.id));
  assertDataStepsRegistered(
    list.filter((m) => pendingIds.has(m.id)),
    'migrate',
  );
  // Rows written with an earlier release's checksums of the same migrations move to the logical ones, one
  // guarded UPDATE each, still under the lock and before anything else is written.
  const upgradedChecksums: string[] = [];
  for (const entry of earlier) {
    const m = compiled.find((c) => c.id === entry.id) as ResumableCompiled;
    await journalOf(run)
      .updateTable(table(run))
      .set({
        checksum: m.checksum,
        step_checksums: run.dialect.codecs.encodeJson(m.stepChecksums),
        updated_at: run.at(),
      })
      .where('id', '=', entry.id)
      .where('checksum', '=', entry.checksum)
      .execute();
    upgradedChecksums.push(entry.id);
    await run.progress({
      kind: 'checksums-upgraded',
      migrationId: entry.id,
      from: entry.checksum,
      to: m.checksum,
    });
  }
  // Migration events go to the event log once it exists; applied migrations without any (they ran before
  // it existed, or a crash came between their row and their events) get theirs first.
  run.eventsReady = await journalExists(run.db, run.eventsTable);
  if (run.eventsReady) await recordUnrecorded(run);
  const applied: string[] = [];
  for (const pending of decision.value.pending) {
    await runMigration(run, pending);
    applied.push(pending.migration.id);
  }
  return {
    applied,
    alreadyApplied: decision.value.applied,
    dataSteps: run.dataSteps,
    executedStatements: run.executed,
    skippedStatements: run.skipped,
    upgradedChecksums,
  };
}

function classify(run: Run, e: unknown, index: number): PetError {
  return isPetError(e) ? e : run.dialect.classifyError(e, `statement ${index + 1}`);
}

/** Records one migration event through the event store inside `trx` (a transaction of `run.store`). */
async function recordEvent(
  run: Run,
  trx: AnyTransaction,
  kind: MigrationEventType,
  m: ResumableCompiled,
  error?: string,
): Promise<void> {
  await recordMigrationEvents(run.store, trx, [
    {
      kind,
      migration: { id: m.id, name: m.name, checksum: m.checksum },
      occurredAt: run.now() as Instant,
      correlationId: run.correlationId,
      ...(error === undefined ? {} : { error }),
    },
  ]);
}

/** A journal time as a canonical instant (a driver may hand a `Date`). */
function instantOf(run: Run, value: unknown): Instant {
  if (value instanceof Date) return `${value.toISOString().slice(0, 23)}000Z` as Instant;
  return run.dialect.codecs.decodeInstant(value) as Instant;
}

/**
 * `migration.started` / `.completed` at the journal's times for applied migrations whose stream has no
 * event, in one transaction of the event store.
 */
async function recordUnrecorded(run: Run): Promise<void> {
  await run.store.transaction(async (trx) => {
    const rows = await (trx as unknown as Kysely<Tables>)
      .selectFrom(table(run))
      .select(['id', 'name', 'checksum', 'started_at', 'finished_at', 'updated_at'])
      .where('status', '=', 'applied')
      .orderBy('id')
      .execute();
    const applied = rows.map(
      (r): AppliedMigration => ({
        id: r.id,
        name: r.name,
        checksum: r.checksum,
        startedAt: instantOf(run, r.started_at),
        finishedAt: instantOf(run, r.finished_at ?? r.updated_at),
      }),
    );
    await recordUnrecordedMigrations(run.store, trx, {
      dialect: run.dialect,
      prefix: run.prefix,
      applied,
      correlationId: run.correlationId,
    });
  });
}

async function runMigration(run: Run, pending: PendingMigration): Promise<void> {
  const m = pending.migration as ResumableCompiled;
  const total = m.statements.length;
  const eventsAtStart = run.eventsReady;
  // Each journal write that goes with an event runs in a transaction of the event store (appendIn needs
  // one): the row and its event commit together.
  await run.store.transaction(async (trx) => {
    const journal = trx as unknown as Kysely<Tables>;
    if (pending.previous === undefined) {
      const at = run.at();
      await journal
        .insertInto(table(run))
        .values({
          id: m.id,
          name: m.name,
          checksum: m.checksum,
          status: 'running',
          applied_steps: 0,
          total_steps: total,
          step_checksums: run.dialect.codecs.encodeJson(m.stepChecksums),
          attempts: 1,
          failed_step: null,
          error: null,
          started_at: at,
          updated_at: at,
          finished_at: null,
        })
        .execute();
    } else {
      // The steps that already ran were checked unchanged (reconcile): the row takes the current checksums.
      await journal
        .updateTable(table(run))
        .set((eb) => ({
          name: m.name,
          checksum: m.checksum,
          status: 'running',
          total_steps: total,
          step_checksums: run.dialect.codecs.encodeJson(m.stepChecksums),
          attempts: eb('attempts', '+', 1),
          failed_step: null,
          error: null,
          updated_at: run.at(),
        }))
        .where('id', '=', m.id)
        .execute();
    }
    if (eventsAtStart) await recordEvent(run, trx, 'migration.started', m);
  });
  await run.progress({
    kind: 'migration-started',
    migrationId: m.id,
    name: m.name,
    fromStatement: pending.fromStep + 1,
    totalStatements: total,
  });
  for (let i = pending.fromStep; i < total; i++) {
    const step = m.steps[i] as ResumableCompiled['steps'][number];
    let ran: boolean;
    let rows: number | undefined;
    try {
      if (step.dataStep !== undefined) {
        // The registered TypeScript step runs instead of the marker, on this run's database (lock held).
        rows = (await runDataStep(step.dataStep, { db: run.db, dialect: run.dialect, prefix: run.prefix }))
          .rows;
        run.dataSteps.push({ migrationId: m.id, step: step.dataStep, rows });
        ran = true;
      } else {
        ran = await applyStep(run, step);
      }
    } catch (e) {
      const cause = classify(run, e, i);
      await run.store.transaction(async (trx) => {
        await (trx as unknown as Kysely<Tables>)
          .updateTable(table(run))
          .set({ status: 'failed', failed_step: i + 1, error: cause.message, updated_at: run.at() })
          .where('id', '=', m.id)
          .execute();
        if (run.eventsReady) await recordEvent(run, trx, 'migration.failed', m, cause.message);
      });
      await run.progress({
        kind: 'migration-failed',
        migrationId: m.id,
        statement: i + 1,
        error: cause.message,
      });
      throw migrationFailed(m, i, cause);
    }
    if (ran) run.executed++;
    else run.skipped++;
    await run.progress({
      kind: 'statement-executed',
      migrationId: m.id,
      statement: i + 1,
      totalStatements: total,
      sql: m.statements[i] ?? '',
      skipped: !ran,
      ...(rows === undefined ? {} : { rows }),
    });
    await journalOf(run)
      .updateTable(table(run))
      .set({ applied_steps: i + 1, updated_at: run.at() })
      .where('id', '=', m.id)
      .execute();
    await run.progress({
      kind: 'statement-recorded',
      migrationId: m.id,
      statement: i + 1,
      totalStatements: total,
    });
    const op = step.operation;
    if (op.op === 'createTable' && op.table === EVENTS_TABLE) run.eventsReady = true;
  }
  await run.store.transaction(async (trx) => {
    const at = run.at();
    await (trx as unknown as Kysely<Tables>)
      .updateTable(table(run))
      .set({ status: 'applied', failed_step: null, error: null, updated_at: at, finished_at: at })
      .where('id', '=', m.id)
      .execute();
    if (eventsAtStart) await recordEvent(run, trx, 'migration.completed', m);
  });
  // The event log appeared during this migration: record this one and the ones before it now.
  if (!eventsAtStart && run.eventsReady) await recordUnrecorded(run);
  await run.progress({ kind: 'migration-completed', migrationId: m.id });
}
