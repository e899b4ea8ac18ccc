import { type Instant, isPetError, PetError, ValidationError } from '@pet-ops/core';
import {
  migrations as defaultMigrations,
  describeJournalProblem,
  JOURNAL_TABLE,
  type JournalEntry,
  type JournalProblem,
  type JournalStatus,
  journalProblemError,
  type Migration,
  type RunPlan,
  reconcile,
} from '@pet-ops/migrations';
import type { Kysely } from 'kysely';
import { assertDataStepsRegistered, type MissingDataStep, missingDataSteps } from './data-steps.js';
import type { AnyDatabase, PetDialect } from './dialect.js';
import type { MigrateOptions } from './migrate.js';
import {
  compileSteps,
  type ResumableCompiled,
  type ResumableHooks,
  readThroughEarlier,
} from './migrate-resumable.js';
import { journalExists, parseOptions, type Tables } from './migrate-shared.js';

/** One migration as {@link schemaStatus} reports it: its journal row, or `pending` when it has none. */
export interface MigrationState {
  readonly id: string;
  readonly name: string;
  readonly state: 'applied' | 'pending' | 'running' | 'failed';
  /** Steps done (all of them once applied). On MySQL/MariaDB one step is one statement. */
  readonly appliedStatements: number;
  readonly totalStatements: number;
  readonly attempts: number;
  /** 1-based statement that failed, while `state` is `failed`. */
  readonly failedStatement: number | null;
  readonly error: string | null;
  readonly startedAt: Instant | null;
  readonly updatedAt: Instant | null;
  readonly finishedAt: Instant | null;
  /** Checksum recorded in the journal (`null` when pending; the logical one for a row read through `legacyChecksums`). */
  readonly checksum: string | null;
}

/** The journal compared with the migration list, as {@link schemaStatus} finds it. */
export interface SchemaStatus {
  /** The database the journal was read in (the hooks' `database`, default `dialect.database`). */
  readonly database: string;
  readonly prefix: string;
  /** True when every migration is applied and the journal matches the list. */
  readonly current: boolean;
  readonly migrations: readonly MigrationState[];
  /** Journal rows of migrations the list does not contain (a newer version migrated this database). */
  readonly unknown: readonly MigrationState[];
  /**
   * Migrations whose journal row records checksums an earlier release wrote (the dialect's
   * `recordsEarlierChecksums` recognises them): accepted as those migrations; the next `migrate` rewrites them.
   */
  readonly legacyChecksums: readonly string[];
  /** Data steps of migrations not yet applied that are not registered: `migrate` and the plan refuse them. */
  readonly missingDataSteps: readonly MissingDataStep[];
  /** Why nothing may run (tampering, unknown or out-of-order migrations), or `null`. */
  readonly problem: {
    readonly kind: JournalProblem['kind'];
    readonly migrationId: string;
    readonly message: string;
  } | null;
}

/** One pending statement as {@link migrationPlan} lists it. */
export interface PlannedStatement {
  readonly migrationId: string;
  readonly name: string;
  /** 1-based, among the migration's statements (on MySQL/MariaDB each step is one statement). */
  readonly statement: number;
  readonly totalStatements: number;
  /** The statement, or for a data step its marker `-- data step <step>: <description>` (never sent). */
  readonly sql: string;
  /** For a data step: the registered step's name (the engine runs it instead of `sql`). */
  readonly dataStep?: string;
}

/** Options of {@link schemaStatus}, {@link migrationPlan} and `assertSchemaCurrent`. */
export interface SchemaReadOptions extends Pick<MigrateOptions, 'prefix' | 'migrations' | 'target'> {
  /**
   * Overrides the dialect's hooks (`PetDialect.migrationHooks`) for this read, part by part: `database`
   * (which database to name), `recordsEarlierChecksums` (journal rows an earlier release wrote).
   */
  readonly hooks?: Pick<ResumableHooks, 'database' | 'recordsEarlierChecksums'>;
}

/** A journal row, decoded: everything status and verify read. */
export interface JournalRow extends JournalEntry {
  readonly name: string;
  readonly totalSteps: number;
  readonly attempts: number;
  readonly failedStep: number | null;
  readonly error: string | null;
  readonly startedAt: Instant | null;
  readonly updatedAt: Instant | null;
  readonly finishedAt: Instant | null;
}

/** What one read of the journal against the list found (internal to the status, plan, gate and verify). */
export interface JournalReading {
  readonly database: string;
  readonly prefix: string;
  readonly list: readonly Migration[];
  readonly compiled: readonly ResumableCompiled[];
  /** The journal's rows in id order, read through the dialect's earlier checksums. */
  readonly rows: readonly JournalRow[];
  /** Ids of the rows that recorded an earlier release's checksums. */
  readonly earlier: readonly string[];
  /** `reconcile`'s decision over the whole list (or up to `target`). */
  readonly decision: ReturnType<typeof reconcile>;
}

/** A journal time as a canonical instant (a driver may hand a `Date`). */
export function journalInstant(dialect: PetDialect, value: unknown): Instant | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return `${value.toISOString().slice(0, 23)}000Z` as Instant;
  return dialect.codecs.decodeInstant(value) as Instant;
}

/** Every journal row in id order, decoded with the dialect's codecs (none when the journal does not exist). */
async function readJournalRows(db: AnyDatabase, dialect: PetDialect, prefix: string): Promise<JournalRow[]> {
  const table = `${prefix}${JOURNAL_TABLE}`;
  if (!(await journalExists(db, table))) return [];
  const rows = await (db as Kysely<Tables>)
    .selectFrom(table as 'schema_migrations')
    .selectAll()
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    status: r.status as JournalStatus,
    checksum: String(r.checksum),
    appliedSteps: Number(r.applied_steps),
    totalSteps: Number(r.total_steps),
    stepChecksums: dialect.codecs.decodeJson(r.step_checksums) as string[],
    attempts: Number(r.attempts),
    failedStep: r.failed_step === null ? null : Number(r.failed_step),
    error: r.error === null ? null : String(r.error),
    startedAt: journalInstant(dialect, r.started_at),
    updatedAt: journalInstant(dialect, r.updated_at),
    finishedAt: journalInstant(dialect, r.finished_at),
  }));
}

/**
 * Reads the journal and compares it with the list: the one reading behind status, plan, the activation
 * gate and verify, on every dialect. A row the hooks' `recordsEarlierChecksums` recognises reads as if it
 * recorded the logical checksums. Writes nothing; driver errors are classified by the dialect.
 */
export async function readJournalState(
  db: AnyDatabase,
  dialect: PetDialect,
  options: SchemaReadOptions,
  what: string,
  read: { readonly ignoreTarget?: boolean } = {},
): Promise<JournalReading> {
  const { prefix, target: given } = parseOptions(db, dialect, options);
  const target = read.ignoreTarget === true ? undefined : given;
  if (options.hooks !== undefined && (typeof options.hooks !== 'object' || options.hooks === null)) {
    throw new ValidationError(`${what} options`, [{ field: 'hooks', rule: 'must be an object' }]);
  }
  const list = options.migrations ?? defaultMigrations;
  try {
    const hooks = { ...dialect.migrationHooks?.(db, { prefix, migrations: list }), ...options.hooks };
    const database = hooks.database === undefined ? dialect.database : await hooks.database(db);
    return journalReading({
      database,
      prefix,
      list,
      compiled: compileSteps(dialect, list, prefix),
      rows: await readJournalRows(db, dialect, prefix),
      recognise: hooks.recordsEarlierChecksums,
      target,
    });
  } catch (e) {
    throw isPetError(e) ? e : dialect.classifyError(e, what);
  }
}

/**
 * The pure half of {@link readJournalState}: journal rows as read, compared with the compiled list. A row
 * `recognise` accepts reads as if it recorded the logical checksums and is listed in `earlier`.
 */
export function journalReading(input: {
  readonly database: string;
  readonly prefix: string;
  readonly list: readonly Migration[];
  readonly compiled: readonly ResumableCompiled[];
  readonly rows: readonly JournalRow[];
  readonly recognise?: ((entry: JournalEntry) => boolean) | undefined;
  readonly target?: string | undefined;
}): JournalReading {
  const { compiled, target } = input;
  const { entries: rows, earlier } = readThroughEarlier(compiled, input.rows, input.recognise);
  const decision = reconcile(compiled, rows, target === undefined ? {} : { target });
  const { database, prefix, list } = input;
  return { database, prefix, list, compiled, rows, earlier: earlier.map((e) => e.id), decision };
}

function stateOf(id: string, name: string, row: JournalRow | undefined, total: number): MigrationState {
  return {
    id,
    name,
    state: row?.status ?? 'pending',
    appliedStatements: row === undefined ? 0 : row.status === 'applied' ? row.totalSteps : row.appliedSteps,
    totalStatements: row?.totalSteps ?? total,
    attempts: row?.attempts ?? 0,
    failedStatement: row?.status === 'failed' ? row.failedStep : null,
    error: row?.error ?? null,
    startedAt: row?.startedAt ?? null,
    updatedAt: row?.updatedAt ?? null,
    finishedAt: row?.finishedAt ?? null,
    checksum: row?.checksum ?? null,
  };
}

/** {@link SchemaStatus} of a reading. */
export function statusOf(r: JournalReading): SchemaStatus {
  const byId = new Map(r.rows.map((row) => [row.id, row]));
  const migrations = r.compiled.map((m) => stateOf(m.id, m.name, byId.get(m.id), m.stepChecksums.length));
  const known = new Set(r.compiled.map((m) => m.id));
  const unknown = r.rows
    .filter((row) => !known.has(row.id))
    .map((row) => stateOf(row.id, row.name, row, row.totalSteps));
  const { decision } = r;
  return {
    database: r.database,
    prefix: r.prefix,
    current: decision.ok && migrations.every((m) => m.state === 'applied'),
    migrations,
    unknown,
    legacyChecksums: r.earlier,
    missingDataSteps: missingDataSteps(r.list.filter((m) => byId.get(m.id)?.status !== 'applied')),
    problem: decision.ok
      ? null
      : {
          kind: decision.error.kind,
          migrationId: decision.error.migrationId,
          message: describeJournalProblem(decision.error),
        },
  };
}

/**
 * Lists every migration of the list as applied, pending, running or failed (with steps done, attempts,
 * times and error), plus journal rows the list does not know, and the problem that forbids running
 * anything (tampering, an unknown or out-of-order migration) instead of throwing it. One implementation
 * for every dialect: takes no lock and writes nothing. Rows the dialect's `recordsEarlierChecksums`
 * recognises are accepted and listed in `legacyChecksums` (`migrate` upgrades them). A `running` row is
 * a run in progress or a crashed one the next resumable `migrate` resumes; with transactional DDL every
 * row is `applied`.
 *
 * @example
 * ```ts
 * const s = await schemaStatus(db, pet, { prefix: 'wp_pet_' });
 * for (const m of s.migrations) console.log(m.id, m.state, `${m.appliedStatements}/${m.totalStatements}`);
 * ```
 */
export async function schemaStatus(
  db: AnyDatabase,
  dialect: PetDialect,
  options: SchemaReadOptions,
): Promise<SchemaStatus> {
  return statusOf(await readJournalState(db, dialect, options, 'schemaStatus', { ignoreTarget: true }));
}

/** The pending part of a reading, or the journal problem as every engine throws it. */
function pendingOf(r: JournalReading): RunPlan['pending'] {
  if (!r.decision.ok) throw journalProblemError(r.decision.error);
  return r.decision.value.pending;
}

/**
 * The SQL the next `migrate` would run (up to `target`), from the first unfinished step of each pending,
 * failed or crashed migration, compiled by the dialect for the prefix. Runs nothing. Refuses like `migrate`
 * when the journal does not match the list (`MIGRATION_TAMPERED`) and when a pending data step is not
 * registered (`MIGRATION_FAILED`). Where the dialect probes (MySQL/MariaDB), a statement whose effect is
 * already in place is skipped at run time. A data step is listed as its marker
 * (`-- data step <step>: <description>`) with `dataStep` set.
 *
 * @example
 * ```ts
 * for (const s of await migrationPlan(db, pet, { prefix: 'wp_pet_' }))
 *   console.log(`-- ${s.migrationId} ${s.statement}/${s.totalStatements}\n${s.sql};`);
 * ```
 */
export async function migrationPlan(
  db: AnyDatabase,
  dialect: PetDialect,
  options: SchemaReadOptions,
): Promise<readonly PlannedStatement[]> {
  const reading = await readJournalState(db, dialect, options, 'plan');
  const pending = pendingOf(reading);
  const ids = new Set(pending.map((p) => p.migration.id));
  assertDataStepsRegistered(
    reading.list.filter((m) => ids.has(m.id)),
    'plan',
  );
  return pending.flatMap((p) => {
    const m = p.migration as ResumableCompiled;
    const statements = m.steps.flatMap((step, s) =>
      step.sql.map((sql) => ({ sql, step: s, dataStep: step.dataStep })),
    );
    return statements.flatMap((x, i) =>
      x.step < p.fromStep
        ? []
        : [
            {
              migrationId: m.id,
              name: m.name,
              statement: i + 1,
              totalStatements: statements.length,
              sql: x.sql,
              ...(x.dataStep === undefined ? {} : { dataStep: x.dataStep }),
            },
          ],
    );
  });
}

/**
 * The activation gate over a {@link SchemaStatus}: nothing when every migration is applied; otherwise
 * `SCHEMA_NOT_CURRENT` naming the first migration that is pending, running or failed and the fix, or
 * the journal problem (`MIGRATION_TAMPERED` when an applied migration was edited, `SCHEMA_NOT_CURRENT`
 * for a migration the list does not know or one out of order).
 */
export function gateError(s: SchemaStatus): PetError | undefined {
  const where = `database ${s.database}${s.prefix === '' ? '' : ` (prefix '${s.prefix}')`}`;
  const pending = s.migrations.filter((m) => m.state !== 'applied');
  if (s.problem !== null) {
    return new PetError(
      s.problem.kind === 'tampered' ? 'MIGRATION_TAMPERED' : 'SCHEMA_NOT_CURRENT',
      `the PET schema of ${where} cannot be trusted: ${s.problem.message}`,
      {
        details: {
          database: s.database,
          prefix: s.prefix,
          migrationId: s.problem.migrationId,
          reason: s.problem.kind,
        },
      },
    );
  }
  const first = pending[0];
  if (first === undefined) return undefined;
  const waiting = pending.length;
  const fix: Record<Exclude<MigrationState['state'], 'applied'>, string> = {
    pending: `it is pending (${waiting} migration${waiting === 1 ? '' : 's'} not applied); run migrate() (or \`pet migrate up\`) before starting the application`,
    running: `it is running (statement ${first.appliedStatements + 1} of ${first.totalStatements}, started ${first.startedAt ?? '?'}) or its runner crashed; wait for it, or run migrate() again to resume it`,
    failed: `it failed at statement ${first.failedStatement ?? '?'} of ${first.totalStatements}: ${first.error ?? '(no error recorded)'}; fix the cause (or ship a corrected version of its remaining statements) and run migrate() again`,
  };
  return new PetError(
    'SCHEMA_NOT_CURRENT',
    `the PET schema of ${where} is not current: migration ${first.id} ("${first.name}") ${fix[first.state as keyof typeof fix]}`,
    {
      details: {
        database: s.database,
        prefix: s.prefix,
        migrationId: first.id,
        state: first.state,
        pending: pending.map((m) => m.id),
      },
    },
  );
}
