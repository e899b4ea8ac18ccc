import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  type CompiledMigration,
  describeJournalProblem,
  type JournalEntry,
  type JournalProblem,
  journalProblemError,
  type RunPlan,
  reconcile,
} from './reconcile.js';

// A "checksum" here is the statement text itself: reconcile only compares strings.
function compiled(id: string, statements: readonly string[]): CompiledMigration {
  return { id, name: id, statements, stepChecksums: statements, checksum: statements.join('|') };
}

const listArb = fc
  .array(fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((stmts) => stmts.map((s, i) => compiled(`2026_01_01_${String(i + 1).padStart(4, '0')}_m`, s)));

const applied = (m: CompiledMigration): JournalEntry => ({
  id: m.id,
  status: 'applied',
  checksum: m.checksum,
  appliedSteps: m.statements.length,
  stepChecksums: m.stepChecksums,
});

const ok = (r: ReturnType<typeof reconcile>): RunPlan => {
  if (!r.ok) throw new Error(describeJournalProblem(r.error));
  return r.value;
};
const problem = (r: ReturnType<typeof reconcile>): JournalProblem => {
  if (r.ok) throw new Error('expected a problem');
  return r.error;
};

describe('reconcile', () => {
  test.prop([listArb, fc.nat(), fc.nat(), fc.constantFrom('failed', 'running', 'none')])(
    'given the first k migrations applied and the next one interrupted at step p, then the run resumes exactly there',
    (list, kRaw, pRaw, interrupted) => {
      const k = kRaw % (list.length + 1);
      const journal = list.slice(0, k).map(applied);
      const next = list[k];
      const p = next === undefined ? 0 : pRaw % next.statements.length;
      if (next !== undefined && interrupted !== 'none') {
        journal.push({
          id: next.id,
          status: interrupted as 'failed' | 'running',
          checksum: next.checksum,
          appliedSteps: p,
          stepChecksums: next.stepChecksums,
        });
      }
      const plan = ok(reconcile(list, journal));
      expect(plan.applied).toEqual(list.slice(0, k).map((m) => m.id));
      expect(plan.pending.map((x) => x.migration.id)).toEqual(list.slice(k).map((m) => m.id));
      if (next !== undefined) expect(plan.pending[0]?.fromStep).toBe(interrupted === 'none' ? 0 : p);
      expect(plan.pending.slice(1).every((x) => x.fromStep === 0 && x.previous === undefined)).toBe(true);
    },
  );

  test.prop([listArb, fc.nat(), fc.nat()])(
    'given an applied migration whose statement changed, then it is tampering naming that migration',
    (list, iRaw, sRaw) => {
      const i = iRaw % list.length;
      const target = list[i] as CompiledMigration;
      const s = sRaw % target.statements.length;
      const edited = target.statements.map((x, j) => (j === s ? `${x}!` : x));
      const changed = list.map((m, j) => (j === i ? compiled(m.id, edited) : m));
      const p = problem(reconcile(changed, list.map(applied)));
      expect(p).toMatchObject({ kind: 'tampered', migrationId: target.id });
      expect(describeJournalProblem(p)).toContain(target.id);
    },
  );

  test.prop([
    fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 6 }),
    fc.nat(),
    fc.nat(),
  ])(
    'given a failed migration, when a statement changes, then only a change to a statement that already ran is tampering',
    (statements, doneRaw, editRaw) => {
      const done = doneRaw % statements.length;
      const edit = editRaw % statements.length;
      const original = compiled('2026_01_01_0001_m', statements);
      const fixed = compiled(
        original.id,
        statements.map((x, j) => (j === edit ? `${x}fixed` : x)),
      );
      const journal: JournalEntry[] = [{ ...applied(original), status: 'failed', appliedSteps: done }];
      const r = reconcile([fixed], journal);
      if (edit < done) expect(problem(r)).toMatchObject({ kind: 'tampered', step: edit + 1 });
      else expect(ok(r).pending[0]).toMatchObject({ fromStep: done });
    },
  );

  test('given a journal row the list does not contain, then it is unknown', () => {
    const list = [compiled('2026_01_01_0001_a', ['x'])];
    const stranger = applied(compiled('2026_01_02_0001_b', ['y']));
    expect(problem(reconcile(list, [applied(list[0] as CompiledMigration), stranger]))).toEqual({
      kind: 'unknown',
      migrationId: '2026_01_02_0001_b',
      status: 'applied',
    });
  });

  test('given a new migration older than an applied one, then it is out of order', () => {
    const a = compiled('2026_01_01_0001_a', ['x']);
    const b = compiled('2026_01_01_0002_b', ['y']);
    const c = compiled('2026_01_01_0003_c', ['z']);
    expect(problem(reconcile([a, b, c], [applied(a), applied(c)]))).toEqual({
      kind: 'out_of_order',
      migrationId: b.id,
      appliedAfter: c.id,
    });
  });

  test('given a target, then pending stops at it; an unknown target is refused', () => {
    const list = ['a', 'b', 'c'].map((n, i) => compiled(`2026_01_01_000${i + 1}_${n}`, [n]));
    expect(
      ok(reconcile(list, [], { target: '2026_01_01_0002_b' })).pending.map((p) => p.migration.id),
    ).toEqual(['2026_01_01_0001_a', '2026_01_01_0002_b']);
    expect(problem(reconcile(list, [], { target: '2026_09_09_0009_z' }))).toEqual({
      kind: 'unknown_target',
      migrationId: '2026_09_09_0009_z',
    });
  });

  test('given a fully applied journal, when reconciled again, then nothing is pending', () => {
    const list = [compiled('2026_01_01_0001_a', ['x', 'y'])];
    expect(ok(reconcile(list, list.map(applied))).pending).toEqual([]);
  });

  test('given a journal problem, then its error is what every engine throws: a missing target names the field, the rest is MIGRATION_TAMPERED with the problem', () => {
    const target = journalProblemError({ kind: 'unknown_target', migrationId: '2026_01_01_0009_x' });
    expect(target.code).toBe('VALIDATION_FAILED');
    expect(target.details).toMatchObject({ issues: [{ field: 'target' }] });
    const tampered = journalProblemError({
      kind: 'tampered',
      migrationId: '2026_01_01_0001_a',
      recorded: 'r',
      computed: 'c',
    });
    expect(tampered.code).toBe('MIGRATION_TAMPERED');
    expect(tampered.details).toMatchObject({ kind: 'tampered', reason: 'tampered', recorded: 'r' });
    expect(tampered.message).toContain('2026_01_01_0001_a');
  });
});
