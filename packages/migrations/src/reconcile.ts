import { err, ok, PetError, type Result, ValidationError } from '@pet-ops/core';

/** A migration's state in the journal. */
export type JournalStatus = 'running' | 'applied' | 'failed';

/** What the engine needs from one journal row. */
export interface JournalEntry {
  readonly id: string;
  readonly status: JournalStatus;
  /** Checksum of the whole migration as recorded when it (last) started. */
  readonly checksum: string;
  /** Statements finished (the next run starts at this 0-based index). */
  readonly appliedSteps: number;
  /** Checksum of each statement as recorded when it (last) started. */
  readonly stepChecksums: readonly string[];
}

/**
 * A migration compiled by a dialect: its statements for the target prefix plus the checksums of its
 * statements compiled for the canonical (empty) prefix, so checksums do not depend on the prefix.
 */
export interface CompiledMigration {
  readonly id: string;
  readonly name: string;
  readonly statements: readonly string[];
  readonly stepChecksums: readonly string[];
  readonly checksum: string;
}

/** A migration the next run executes, from its first unfinished statement. */
export interface PendingMigration {
  readonly migration: CompiledMigration;
  /** 0-based index of the first statement to run (0 unless resuming a failed or crashed run). */
  readonly fromStep: number;
  /** Its journal row when it was started before (failed or crashed while running). */
  readonly previous: JournalEntry | undefined;
}

/** Why the journal and the migration list cannot be reconciled; nothing may run. */
export type JournalProblem =
  | {
      readonly kind: 'tampered';
      readonly migrationId: string;
      /** 1-based statement that changed after it ran; absent when the whole applied migration changed. */
      readonly step?: number;
      readonly recorded: string;
      readonly computed: string;
    }
  | { readonly kind: 'unknown'; readonly migrationId: string; readonly status: JournalStatus }
  | { readonly kind: 'out_of_order'; readonly migrationId: string; readonly appliedAfter: string }
  | { readonly kind: 'unknown_target'; readonly migrationId: string };

/** The run a journal calls for. */
export interface RunPlan {
  /** Ids of applied migrations, in list order. */
  readonly applied: readonly string[];
  /** Migrations to run, in list order, up to the target. */
  readonly pending: readonly PendingMigration[];
}

/**
 * The engine's decision, pure: compares the journal with the compiled list and returns what to run, or
 * the problem that forbids running anything. Rules:
 * - an applied migration must have its recorded checksum (else `tampered`);
 * - a failed or crashed migration may change only in statements that have not run yet: the first
 *   `appliedSteps` statement checksums must match (else `tampered` naming the statement); this is how a
 *   failed migration is fixed — ship a corrected version of its remaining statements under the same id;
 * - every journal row must be in the list (else `unknown`: a newer version migrated this database);
 * - a migration never run must come after every migration in the journal (else `out_of_order`);
 * - pending migrations run in list order up to `target` (inclusive) when given.
 *
 * @example
 * ```ts
 * const r = reconcile(compiled, journalRows, { target: '2026_11_22_0002_create_domain_events' });
 * if (r.ok) for (const p of r.value.pending) run(p.migration.statements.slice(p.fromStep));
 * ```
 */
export function reconcile(
  list: readonly CompiledMigration[],
  journal: readonly JournalEntry[],
  options: { readonly target?: string | undefined } = {},
): Result<RunPlan, JournalProblem> {
  const byId = new Map(list.map((m, i) => [m.id, { m, i }]));
  const target = options.target;
  if (target !== undefined && !byId.has(target)) return err({ kind: 'unknown_target', migrationId: target });
  const entries = new Map<string, JournalEntry>();
  let lastJournaled = -1;
  for (const entry of journal) {
    const found = byId.get(entry.id);
    if (found === undefined) return err({ kind: 'unknown', migrationId: entry.id, status: entry.status });
    const problem = checkEntry(found.m, entry);
    if (problem !== undefined) return err(problem);
    entries.set(entry.id, entry);
    lastJournaled = Math.max(lastJournaled, found.i);
  }
  const lastJournaledId = list[lastJournaled]?.id;
  const end = target === undefined ? list.length - 1 : (byId.get(target)?.i ?? -1);
  const applied: string[] = [];
  const pending: PendingMigration[] = [];
  for (const [i, m] of list.entries()) {
    const entry = entries.get(m.id);
    if (entry?.status === 'applied') {
      applied.push(m.id);
      continue;
    }
    if (entry === undefined && i < lastJournaled && lastJournaledId !== undefined) {
      return err({ kind: 'out_of_order', migrationId: m.id, appliedAfter: lastJournaledId });
    }
    if (i <= end) pending.push({ migration: m, fromStep: entry?.appliedSteps ?? 0, previous: entry });
  }
  return ok({ applied, pending });
}

function checkEntry(m: CompiledMigration, entry: JournalEntry): JournalProblem | undefined {
  if (entry.status === 'applied') {
    return entry.checksum === m.checksum
      ? undefined
      : { kind: 'tampered', migrationId: m.id, recorded: entry.checksum, computed: m.checksum };
  }
  for (let i = 0; i < entry.appliedSteps; i++) {
    const recorded = entry.stepChecksums[i] ?? '(none)';
    const computed = m.stepChecksums[i] ?? '(removed)';
    if (recorded !== computed)
      return { kind: 'tampered', migrationId: m.id, step: i + 1, recorded, computed };
  }
  return undefined;
}

/**
 * A human message for a {@link JournalProblem}, naming the migration and the fix.
 *
 * @example
 * ```ts
 * if (!r.ok) throw new PetError('MIGRATION_TAMPERED', describeJournalProblem(r.error));
 * ```
 */
export function describeJournalProblem(problem: JournalProblem): string {
  switch (problem.kind) {
    case 'tampered':
      return problem.step === undefined
        ? `migration ${problem.migrationId} was edited after it was applied (journal checksum ${problem.recorded}, code checksum ${problem.computed}); applied migrations are immutable: restore the original and put the change in a new migration`
        : `migration ${problem.migrationId} was edited in statement ${problem.step}, which already ran (journal checksum ${problem.recorded}, code checksum ${problem.computed}); a failed migration may only change in statements that have not run yet: restore statements 1..${problem.step} and fix the later ones`;
    case 'unknown':
      return `the journal has migration ${problem.migrationId} (${problem.status}) which this migration list does not contain; the database was migrated by a newer version: upgrade the library (never downgrade)`;
    case 'out_of_order':
      return `migration ${problem.migrationId} has never run but the later migration ${problem.appliedAfter} already has; give the new migration an id after every released one`;
    case 'unknown_target':
      return `target ${problem.migrationId} is not in the migration list`;
  }
}

/**
 * The error a {@link JournalProblem} is, as every engine throws it: a target the list lacks is a
 * `ValidationError` naming `target`; the rest is `MIGRATION_TAMPERED` with the problem as its details.
 *
 * @example
 * ```ts
 * const plan = reconcile(compiled, journal);
 * if (!plan.ok) throw journalProblemError(plan.error);
 * ```
 */
export function journalProblemError(problem: JournalProblem): PetError {
  if (problem.kind === 'unknown_target') {
    return new ValidationError('migration options', [
      { field: 'target', rule: describeJournalProblem(problem) },
    ]);
  }
  return new PetError('MIGRATION_TAMPERED', describeJournalProblem(problem), {
    details: { ...problem, reason: problem.kind },
  });
}
