import { PetError, ValidationError } from '@pet-ops/core';
import type { Migration } from '@pet-ops/migrations';
import type { AnyDatabase, PetDialect } from './dialect.js';
import { BUILT_IN_DATA_STEPS } from './steps/index.js';

/**
 * What a {@link DataStep} works with: the migration's own database handle, its dialect and the table
 * prefix. On PostgreSQL and SQLite `db` is the migration's transaction (`db.isTransaction` is true: do
 * not open another one); on MySQL/MariaDB it is a Kysely instance on the migration's own connection,
 * which holds the migration lock, outside any transaction (open one with `db.transaction()` when the
 * step's writes must go together). Either way run its queries one after another, not in parallel.
 */
export interface DataStepContext {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  /** The table prefix: table `quotes` is `${prefix}quotes`. */
  readonly prefix: string;
}

/**
 * A data move written in TypeScript over the persistence seam, which a migration runs with a
 * `{ op: 'dataStep', step: name, description }` operation (see `DataStepOperation` of
 * `@pet-ops/migrations`). The engine journals it like a statement.
 *
 * **Contract: `run` is idempotent.** A step that failed or was interrupted is run again from its start
 * by the next `migrate` (on MySQL/MariaDB with whatever it wrote before still there; on PostgreSQL and
 * SQLite after its migration rolled back), so a second run must complete the work without writing
 * anything twice: insert only rows that are missing, update only rows that still have their old value.
 */
export interface DataStep {
  /** The registry key, `^[a-z0-9_]+$` (at most 64 characters): the operation's `step`. */
  readonly name: string;
  /** What it does, for people reading the code (plans print the operation's own description). */
  readonly description: string;
  /** Does the work; resolves with the number of rows it wrote (0 on a run that found nothing left to do). */
  run(context: DataStepContext): Promise<{ readonly rows: number }>;
}

const NAME_RE = /^[a-z0-9_]{1,64}$/;
// PET's own steps are there from the start: its migrations must run wherever the package is imported.
const registry = new Map<string, DataStep>(BUILT_IN_DATA_STEPS.map((s) => [s.name, s]));

/**
 * Registers a data step under its name, so migrations can run it. Register every step before
 * `migrate` (at module load of the code that defines it). Throws `VALIDATION_FAILED` on a malformed
 * step or a name already registered.
 *
 * @example
 * ```ts
 * import { registerDataStep } from '@pet-ops/sql';
 *
 * registerDataStep({
 *   name: 'example_fill_codes',
 *   description: 'every widget gets its code',
 *   async run({ db, prefix }) {
 *     const r = await db.updateTable(`${prefix}widgets`).set({ code: 'W' }).where('code', 'is', null).executeTakeFirst();
 *     return { rows: Number(r.numUpdatedRows) };
 *   },
 * });
 * ```
 */
export function registerDataStep(step: DataStep): void {
  const issues = [];
  if (typeof step !== 'object' || step === null) {
    throw new ValidationError('data step', [{ field: '', rule: 'must be an object' }]);
  }
  if (typeof step.name !== 'string' || !NAME_RE.test(step.name)) {
    issues.push({ field: 'name', rule: 'must match ^[a-z0-9_]+$ (at most 64 characters)' });
  } else if (registry.has(step.name)) {
    issues.push({ field: 'name', rule: `data step ${step.name} is already registered` });
  }
  if (typeof step.description !== 'string' || step.description === '') {
    issues.push({ field: 'description', rule: 'must be a non-empty string' });
  }
  if (typeof step.run !== 'function') issues.push({ field: 'run', rule: 'must be a function' });
  if (issues.length > 0) throw new ValidationError('data step', issues);
  registry.set(step.name, step);
}

/**
 * The registered data step of that name, or `undefined`.
 *
 * @example
 * ```ts
 * import { dataStep } from '@pet-ops/sql';
 *
 * if (dataStep('example_fill_codes') === undefined) throw new Error('import the module that registers it');
 * ```
 */
export function dataStep(name: string): DataStep | undefined {
  return registry.get(name);
}

/** A data step a migration names that nobody registered. */
export interface MissingDataStep {
  readonly migrationId: string;
  /** 1-based position of the operation (= journal step) in its migration. */
  readonly statement: number;
  readonly step: string;
}

/**
 * Every data step the given migrations name that is not registered, in list order. Engines check the
 * migrations they are about to run, so an unknown step stops the run before anything of them runs.
 *
 * @example
 * ```ts
 * import { missingDataSteps } from '@pet-ops/sql';
 * import { migrations } from '@pet-ops/migrations';
 *
 * for (const m of missingDataSteps(migrations)) console.error(`${m.migrationId}: ${m.step} is not registered`);
 * ```
 */
export function missingDataSteps(list: readonly Migration[]): readonly MissingDataStep[] {
  const out: MissingDataStep[] = [];
  for (const m of list) {
    m.operations.forEach((op, i) => {
      if (op.op === 'dataStep' && !registry.has(op.step)) {
        out.push({ migrationId: m.id, statement: i + 1, step: op.step });
      }
    });
  }
  return out;
}

/**
 * Throws `MIGRATION_FAILED` (details `reason: 'unknown_data_step'`, `migrationId`, `step`) naming the
 * first unregistered data step of the given migrations (see {@link missingDataSteps}); nothing when
 * every step is registered. `what` starts the message (`migrate`, `plan`).
 *
 * @example
 * ```ts
 * import { assertDataStepsRegistered } from '@pet-ops/sql';
 * import { migrations } from '@pet-ops/migrations';
 *
 * assertDataStepsRegistered(migrations, 'migrate');
 * ```
 */
export function assertDataStepsRegistered(list: readonly Migration[], what: string): void {
  const missing = missingDataSteps(list);
  const first = missing[0];
  if (first === undefined) return;
  throw new PetError(
    'MIGRATION_FAILED',
    `${what}: migration ${first.migrationId} runs data step ${first.step} (statement ${first.statement}), which is not registered${missing.length > 1 ? ` (${missing.length} unregistered steps in all: ${[...new Set(missing.map((m) => m.step))].join(', ')})` : ''}; nothing of it ran: import the module that registers it (registerDataStep) before migrating`,
    {
      details: {
        reason: 'unknown_data_step',
        migrationId: first.migrationId,
        statement: first.statement,
        step: first.step,
        missing: missing.map((m) => ({ ...m })),
      },
    },
  );
}

/**
 * Runs the registered step of that name. Throws `MIGRATION_FAILED` (`reason: 'unknown_data_step'`)
 * when none is registered, and `MIGRATION_FAILED` when the step resolves without a row count.
 *
 * @example
 * ```ts
 * import { runDataStep } from '@pet-ops/sql';
 *
 * const { rows } = await runDataStep('example_fill_codes', { db, dialect, prefix: 'pet_' });
 * ```
 */
export async function runDataStep(
  name: string,
  context: DataStepContext,
): Promise<{ readonly rows: number }> {
  const step = registry.get(name);
  if (step === undefined) {
    throw new PetError(
      'MIGRATION_FAILED',
      `data step ${name} is not registered: import the module that registers it (registerDataStep) before migrating`,
      { details: { reason: 'unknown_data_step', step: name } },
    );
  }
  const result = await step.run(context);
  const rows = (result as { rows?: unknown } | undefined)?.rows;
  if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 0) {
    throw new PetError(
      'MIGRATION_FAILED',
      `data step ${name} must resolve with { rows: n } (a whole number ≥ 0), not ${JSON.stringify(result)}`,
      { details: { reason: 'bad_data_step_result', step: name } },
    );
  }
  return { rows };
}
