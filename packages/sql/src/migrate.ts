import type { Instant, Uuid } from '@pet-ops/core';
import { isPetError, PetError } from '@pet-ops/core';
import {
  type CompiledMigration,
  dataStepMarker,
  migrations as defaultMigrations,
  describeJournalProblem,
  EVENTS_TABLE,
  JOURNAL_TABLE,
  journalMigration,
  type Migration,
  reconcile,
  schemaBeforeEach,
} from '@pet-ops/migrations';
import { sql } from 'kysely';
import { logicalChecksums } from './checksum.js';
import {
  assertDataStepsRegistered,
  type MissingDataStep,
  missingDataSteps,
  runDataStep,
} from './data-steps.js';
import type { AnyDatabase, PetDialect } from './dialect.js';
import { createEventStore, type SqlEventStore } from './event-store/event-store.js';
import { migrateResumable } from './migrate-resumable.js';
import { journalExists, parseOptions, readJournal, systemNow, withLock } from './migrate-shared.js';
import { gateError, readJournalState, type SchemaReadOptions, schemaStatus } from './migrate-status.js';
import { type MigrationEventRecord, recordMigrationEvents } from './migration-events.js';
import { uuidV7 } from './system.js';

/** Options of {@link migrate} and {@link migrationStatus}. */
export interface MigrateOptions {
  /** Table prefix (`^[A-Za-z0-9_]{0,20}$`), WordPress style, e.g. `wp_pet_`. */
  readonly prefix: string;
  /** The migration list (default: PET's own, `@pet-ops/migrations`). */
  readonly migrations?: readonly Migration[];
  /** Stop after this migration id (default: the last one). */
  readonly target?: string;
  /** How long to wait for another migrator's lock (default 60 s). */
  readonly lockTimeoutMs?: number;
  /** The time recorded in the journal (default: the system clock); tests pin it. */
  readonly now?: () => string;
}

/** What {@link migrate} did. */
export interface MigrateReport {
  /** Migrations this call applied, in order. */
  readonly applied: readonly string[];
  /** Migrations that were already applied before the call. */
  readonly alreadyApplied: readonly string[];
  /** The data steps this call ran (in migrations it applied), in order, with the rows each reported. */
  readonly dataSteps: readonly {
    readonly migrationId: string;
    readonly step: string;
    readonly rows: number;
  }[];
}

/** What {@link migrationStatus} found. */
export interface MigrationStatus {
  readonly applied: readonly string[];
  readonly pending: readonly string[];
  /** True when nothing is pending. */
  readonly current: boolean;
  /** Data steps of pending migrations that are not registered: `migrate` would refuse to run them. */
  readonly missingDataSteps: readonly MissingDataStep[];
}

/** A compiled migration plus, per statement, the data step it stands for (`undefined`: plain SQL). */
interface SqlCompiledMigration extends CompiledMigration {
  readonly dataSteps: readonly (string | undefined)[];
}

/**
 * Each migration with its statements for this dialect and prefix, and its logical checksums. A data
 * step is its marker text (never sent to the database: {@link applyOne} runs the registered step).
 */
function compileList(
  dialect: PetDialect,
  list: readonly Migration[],
  prefix: string,
): SqlCompiledMigration[] {
  const before = schemaBeforeEach(list);
  return list.map((m, i) => {
    const parts = m.operations.flatMap((op, j): { sql: string; dataStep: string | undefined }[] =>
      op.op === 'dataStep'
        ? [{ sql: dataStepMarker(op), dataStep: op.step }]
        : dialect.compile(op, prefix, before[i]?.[j]).map((sql) => ({ sql, dataStep: undefined })),
    );
    return {
      id: m.id,
      name: m.name,
      statements: parts.map((p) => p.sql),
      dataSteps: parts.map((p) => p.dataStep),
      ...logicalChecksums(m),
    };
  });
}

/**
 * Brings a database to the head of the migration list (or to `target`), for dialects whose DDL is
 * transactional (SQLite, PostgreSQL): each migration runs in one transaction together with its journal
 * row, so a failing migration leaves nothing behind and is not recorded (spec scenario 57 to the letter).
 * Concurrent migrators are serialised by a checked named lock: one applies, the others find nothing to do.
 * An applied migration whose logical checksum changed is `MIGRATION_TAMPERED`, before anything runs.
 * A data step (`{ op: 'dataStep' }`) runs its registered TypeScript step inside the migration's
 * transaction, in its place among the statements; a pending migration naming an unregistered step is
 * `MIGRATION_FAILED` (`reason: 'unknown_data_step'`), before anything runs.
 * Where DDL is not transactional (MySQL/MariaDB: each statement commits on its own), `migrate` is
 * {@link migrateResumable}: progress is recorded per statement, and a failed or interrupted migration
 * stays in the journal (`failed` / `running`) and resumes at its first unfinished statement.
 *
 * @example
 * ```ts
 * const report = await migrate(db, sqliteDialect({ path: 'pet.db' }), { prefix: 'pet_' });
 * console.log(report.applied); // ['2026_11_22_0001_create_schema_migrations', …]
 * ```
 */
export async function migrate(
  db: AnyDatabase,
  dialect: PetDialect,
  options: MigrateOptions,
): Promise<MigrateReport> {
  const { prefix, target } = parseOptions(db, dialect, options);
  // MySQL/MariaDB commit DDL statement by statement: a migration cannot be undone as a whole there, so it
  // is recorded step by step and resumed (the resumable engine).
  if (!dialect.transactionalDdl) return migrateResumable(db, dialect, options);
  const list = options.migrations ?? defaultMigrations;
  const now = options.now ?? systemNow;
  const journal = `${prefix}${JOURNAL_TABLE}`;
  const compiled = compileList(dialect, list, prefix);
  return withLock(db, dialect, prefix, options.lockTimeoutMs ?? 60_000, async () => {
    try {
      const bootstrap = !(await journalExists(db, journal));
      const entries = bootstrap ? [] : await readJournal(db, dialect, journal);
      const plan = reconcile(compiled, entries, target === undefined ? {} : { target });
      if (!plan.ok) {
        const problem = plan.error;
        throw new PetError(
          problem.kind === 'tampered' ? 'MIGRATION_TAMPERED' : 'MIGRATION_FAILED',
          `migrate: ${describeJournalProblem(problem)}`,
          {
            details: { ...problem },
          },
        );
      }
      // Every data step of what is about to run must be registered, before anything runs.
      const pendingIds = new Set(plan.value.pending.map((p) => p.migration.id));
      assertDataStepsRegistered(
        list.filter((m) => pendingIds.has(m.id)),
        'migrate',
      );
      const applied: string[] = [];
      const already = [...plan.value.applied];
      const dataSteps: { migrationId: string; step: string; rows: number }[] = [];
      // Migration events go to the event log once it exists (the list's migration that creates it has
      // been applied); the migrations applied before it in the same run get theirs with it.
      const createsLog = (id: string) =>
        list
          .find((m) => m.id === id)
          ?.operations.some((op) => op.op === 'createTable' && op.table === EVENTS_TABLE) === true;
      const events: MigrationEvents = {
        store: createEventStore({ db, dialect, prefix }),
        ready: plan.value.applied.some((id) => createsLog(id)),
        correlationId: uuidV7(),
        unrecorded: [],
      };
      for (const { migration } of plan.value.pending) {
        const done = await applyOne(
          dialect,
          { journal, prefix },
          migration as SqlCompiledMigration,
          now,
          bootstrap && migration.id === journalMigration.id,
          { ...events, opensLog: !events.ready && createsLog(migration.id) },
        );
        (done === false ? already : applied).push(migration.id);
        if (done !== false) dataSteps.push(...done.map((d) => ({ migrationId: migration.id, ...d })));
        if (done !== false && !events.ready) {
          if (createsLog(migration.id)) {
            events.ready = true;
            events.unrecorded = [];
          } else events.unrecorded.push(migration as SqlCompiledMigration);
        }
      }
      return { applied, alreadyApplied: already, dataSteps };
    } catch (e) {
      throw isPetError(e) ? e : dialect.classifyError(e, 'migrate');
    }
  });
}

/** How one `migrate` call records its migration events. */
interface MigrationEvents {
  readonly store: SqlEventStore;
  /** The event log exists (before the migration at hand). */
  ready: boolean;
  readonly correlationId: Uuid;
  /** Migrations this call applied before the event log existed: recorded when it is created. */
  unrecorded: SqlCompiledMigration[];
}

/**
 * Applies one migration in one transaction with its journal row and its `migration.started` and
 * `migration.completed` events (through the event store, once the event log exists); a data step runs
 * inside that transaction (its `db` is the transaction). A failure rolls all of it back; the event log
 * then gets `migration.failed` in a transaction of its own (the journal records nothing). Returns false
 * when another process applied it first, else the data steps it ran with their row counts.
 */
async function applyOne(
  dialect: PetDialect,
  where: { readonly journal: string; readonly prefix: string },
  m: SqlCompiledMigration,
  now: () => string,
  isBootstrap: boolean,
  events: MigrationEvents & { readonly opensLog: boolean },
): Promise<false | { readonly step: string; readonly rows: number }[]> {
  const { journal, prefix } = where;
  const startedAt = now() as Instant;
  const record = (
    kind: MigrationEventRecord['kind'],
    migrations: readonly SqlCompiledMigration[],
    occurredAt: Instant,
    error?: string,
  ): MigrationEventRecord[] =>
    migrations.map((x) => ({
      kind,
      migration: { id: x.id, name: x.name, checksum: x.checksum },
      occurredAt,
      correlationId: events.correlationId,
      ...(error === undefined ? {} : { error }),
    }));
  let step = 0;
  try {
    return await events.store.transaction(async (trx) => {
      // Another process may have applied it since the plan was read (a dialect's lock may be
      // process-local, as SQLite's is): the transaction holds the write lock, so this read decides.
      // (Introspection lists every table's columns: only the bootstrap asks it; later the journal exists.)
      if (!isBootstrap || (await journalExists(trx, journal))) {
        const row = await trx
          .selectFrom(journal as 'schema_migrations')
          .select('status')
          .where('id', '=', m.id)
          .executeTakeFirst();
        if (row?.status === 'applied') return false;
      }
      const ran: { step: string; rows: number }[] = [];
      for (const [i, statement] of m.statements.entries()) {
        step += 1;
        const name = m.dataSteps[i];
        if (name === undefined) await sql.raw(statement).execute(trx);
        else ran.push({ step: name, ...(await runDataStep(name, { db: trx, dialect, prefix })) });
      }
      const at = dialect.codecs.encodeInstant(now());
      await trx
        .insertInto(journal as 'schema_migrations')
        .values({
          id: m.id,
          name: m.name,
          checksum: m.checksum,
          status: 'applied',
          applied_steps: m.stepChecksums.length,
          total_steps: m.stepChecksums.length,
          step_checksums: dialect.codecs.encodeJson(m.stepChecksums),
          attempts: 1,
          failed_step: null,
          error: null,
          started_at: at,
          updated_at: at,
          finished_at: at,
        })
        .execute();
      if (events.ready || events.opensLog) {
        const finishedAt = now() as Instant;
        const together = [...(events.opensLog ? events.unrecorded : []), m];
        await recordMigrationEvents(events.store, trx, [
          ...together.flatMap((x) => [
            ...record('migration.started', [x], startedAt),
            ...record('migration.completed', [x], finishedAt),
          ]),
        ]);
      }
      return ran;
    });
  } catch (e) {
    const cause = isPetError(e) ? e : dialect.classifyError(e, 'migrate');
    if (events.ready) {
      // The migration left nothing behind; the event log still says it was tried and failed.
      await events.store
        .transaction((trx) =>
          recordMigrationEvents(
            events.store,
            trx,
            record('migration.failed', [m], now() as Instant, cause.message),
          ),
        )
        .catch(() => undefined);
    }
    throw new PetError(
      'MIGRATION_FAILED',
      `migrate: ${m.id} failed at statement ${step} of ${m.statements.length} (${cause.message}); it was rolled back as a whole and not recorded${isBootstrap ? ' (the journal itself)' : ''}: fix the cause and run again`,
      {
        cause,
        details: {
          migrationId: m.id,
          statement: step,
          sql: m.statements[step - 1] ?? null,
          dataStep: m.dataSteps[step - 1] ?? null,
          reason: cause.code,
        },
      },
    );
  }
}

/**
 * Which migrations are applied and which are pending, without changing anything (a missing journal means
 * none is applied). A tampered or foreign journal is an error, as in {@link migrate}. It is a summary of
 * {@link schemaStatus} (one reading of the journal for every dialect), which lists each migration's state
 * and returns a journal problem instead of throwing it.
 *
 * @example
 * ```ts
 * const { current, pending } = await migrationStatus(db, pet, { prefix: 'pet_' });
 * if (!current) throw new Error(`pending: ${pending.join(', ')}`);
 * ```
 */
export async function migrationStatus(
  db: AnyDatabase,
  dialect: PetDialect,
  options: MigrateOptions,
): Promise<MigrationStatus> {
  const reading = await readJournalState(db, dialect, options, 'migrationStatus', { ignoreTarget: true });
  const plan = reading.decision;
  if (!plan.ok) {
    throw new PetError(
      plan.error.kind === 'tampered' ? 'MIGRATION_TAMPERED' : 'MIGRATION_FAILED',
      `migration status: ${describeJournalProblem(plan.error)}`,
      { details: { ...plan.error } },
    );
  }
  const pending = plan.value.pending.map((p) => p.migration.id);
  const waiting = new Set(pending);
  return {
    applied: plan.value.applied,
    pending,
    current: pending.length === 0,
    missingDataSteps: missingDataSteps(reading.list.filter((m) => waiting.has(m.id))),
  };
}

/**
 * The activation gate: resolves when every migration is applied; otherwise throws `SCHEMA_NOT_CURRENT`
 * naming the first migration that is pending, running or failed and the fix, so a host never starts on a
 * schema it does not know. It also refuses (fail safe, `SCHEMA_NOT_CURRENT`) when the journal has a
 * migration this list does not know (a newer version migrated the database) or one out of order, and
 * throws `MIGRATION_TAMPERED` when an applied migration was edited. One gate for every dialect (the
 * MySQL adapter's `assertSchemaCurrent` is this one); `details` name the database, the prefix, the
 * migration, its state and every migration not yet applied (`pending`).
 *
 * @example
 * ```ts
 * await assertSchemaCurrent(db, pet, { prefix: 'pet_' }); // at host start-up
 * ```
 */
export async function assertSchemaCurrent(
  db: AnyDatabase,
  dialect: PetDialect,
  options: SchemaReadOptions,
): Promise<void> {
  const refused = gateError(await schemaStatus(db, dialect, options));
  if (refused !== undefined) throw refused;
}
