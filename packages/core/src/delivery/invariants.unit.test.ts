import { readdirSync, readFileSync } from 'node:fs';
import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { assertEvolveNeverThrows, assertReplayDeterministic } from '../testing/index.js';
import { deliveryEventRegistry } from './events.js';
import type { VarianceId } from './ids.js';
import { milestoneDecider } from './milestone/decider.js';
import { projectDecider } from './project/decider.js';
import { checkAgainstSold, type VarianceFact } from './sold-bounds.js';
import { soldConstraintsDecider } from './sold-constraints/decider.js';
import type { Baseline } from './sold-constraints/events.js';
import { activeBaseline } from './sold-constraints/state.js';
import type { WbsMilestone } from './sold-constraints/wbs.js';
import type { TaskCommand, TaskFacts } from './task/commands.js';
import { taskDecider } from './task/decider.js';
import { at, constraint, eur, model, pick, project, ref, task, variance } from './test-support.test.js';
import { detectionFor } from './variance/commands.js';
import { varianceDecider } from './variance/decider.js';

const P = project(1);
const wbsOf = (minutes: number): WbsMilestone[] => [
  {
    ref: '1:All',
    name: 'All',
    sequence: 1,
    tasks: [
      {
        sourceLineId: ref(1),
        name: 'All',
        minutes,
        roleId: null,
        sell: eur(minutes * 2_00),
        cost: eur(minutes * 1_00),
      },
    ],
  },
];

type Step =
  | { kind: 'create'; who: number; minutes: number }
  | { kind: 're_estimate'; who: number; minutes: number }
  | { kind: 'cancel'; who: number }
  | { kind: 'acknowledge'; which: number }
  | { kind: 'resolve'; which: number }
  | { kind: 'rebaseline'; minutes: number };

const N = 5;
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      who: pick(N),
      minutes: fc.integer({ min: 0, max: 3000 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('re_estimate' as const),
      who: pick(N),
      minutes: fc.integer({ min: 0, max: 4000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), who: pick(N) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('acknowledge' as const), which: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resolve' as const), which: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rebaseline' as const),
      minutes: fc.integer({ min: 0, max: 8000 }),
    }),
  },
);

const counts = { acceptedGrowth: 0, covered: 0, breaches: 0, detected: 0, rebaselines: 0 };

describe('sold bounds delivered, under random plan edits', () => {
  prop.prop([fc.integer({ min: 0, max: 6000 }), fc.array(stepArb, { minLength: 5, maxLength: 60 })], {
    numRuns: 200,
  })(
    'every plan edit stays within sold or is refused leaving exactly one open variance per breach; earlier baselines never change; state = replay(events)',
    (sold, steps) => {
      const tasks = model(taskDecider);
      const variances = model(varianceDecider);
      const baselines = model(soldConstraintsDecider);
      expect(
        baselines.run(
          P,
          {
            type: 'create',
            constraintId: constraint(1),
            projectId: P,
            reason: 'explicit',
            saleId: null,
            sourceQuoteId: null,
            sourceQuoteVersion: null,
            currency: 'EUR',
            wbs: wbsOf(sold),
            approvedBy: ref(9),
            at: at(0),
          },
          undefined,
        ).ok,
      ).toBe(true);
      let nextVariance = 0;
      let frozen: Baseline[] = [];
      const varianceFacts = (): VarianceFact[] =>
        variances.all().flatMap(([, s]) => (s.status === 'absent' ? [] : [{ ...s, status: s.status }]));
      const live = (id: string) => {
        const s = tasks.state(id);
        return s.status === 'planned' || s.status === 'in_progress';
      };
      const plannedElsewhere = (self: string) =>
        tasks
          .all()
          .reduce(
            (n, [id, s]) => (id === self || s.status === 'absent' || !live(id) ? n : n + s.estimatedMinutes),
            0,
          );
      const openOf = (version: number) =>
        varianceFacts().filter(
          (v) =>
            v.status === 'open' && v.varianceType === 'planned_over_sold' && v.baselineVersion === version,
        );

      steps.forEach((step, i) => {
        const baseline = activeBaseline(baselines.state(P));
        if (baseline === null) throw new Error('no baseline');
        if (step.kind === 'create' || step.kind === 're_estimate' || step.kind === 'cancel') {
          const id = task(step.who);
          const command: TaskCommand =
            step.kind === 'create'
              ? {
                  type: 'create',
                  taskId: id,
                  projectId: P,
                  milestoneId: null,
                  ticketId: null,
                  name: 'T',
                  estimatedMinutes: step.minutes,
                  soldMinutes: 0,
                  roleId: null,
                  assigneeId: null,
                  sequence: 1,
                  sourceLineId: null,
                  at: at(i),
                }
              : step.kind === 're_estimate'
                ? { type: 're_estimate', estimatedMinutes: step.minutes, at: at(i) }
                : { type: 'cancel', reason: 'descoped', at: at(i) };
          const facts: TaskFacts = {
            projectStatus: 'active',
            plan: { baseline, variances: varianceFacts(), plannedMinutesElsewhere: plannedElsewhere(id) },
          };
          const before =
            plannedElsewhere(id) +
            (live(id) && tasks.state(id).status !== 'absent'
              ? (tasks.state(id) as { estimatedMinutes: number }).estimatedMinutes
              : 0);
          const r = tasks.run(id, command, facts);
          const after =
            plannedElsewhere(id) +
            (live(id) ? (tasks.state(id) as { estimatedMinutes: number }).estimatedMinutes : 0);
          if (r.ok && after > before) {
            counts.acceptedGrowth += 1;
            const check = checkAgainstSold(
              { baseline, variances: varianceFacts() },
              'planned_over_sold',
              after,
            );
            expect(['within_sold', 'covered']).toContain(check.kind);
            if (check.kind === 'covered') counts.covered += 1;
          }
          if (!r.ok && r.error.code === 'TASK_PLAN_EXCEEDS_SOLD') {
            counts.breaches += 1;
            const d = r.error.details as {
              sold: number;
              planned: number;
              delta: number;
              baselineVersion: number;
            };
            expect(d.delta).toBe(d.planned - d.sold);
            expect(d.delta).toBeGreaterThan(0);
            expect(d.baselineVersion).toBe(baseline.version);
            // The workflow raises the variance unless an open one records the breach already.
            const check = checkAgainstSold(
              { baseline, variances: varianceFacts() },
              'planned_over_sold',
              d.planned,
            );
            const vid = variance(++nextVariance);
            const detect = detectionFor(check, {
              varianceId: vid,
              projectId: P,
              currency: null,
              detectedAt: at(i),
            });
            if (detect !== null) {
              const open = openOf(baseline.version)[0]?.varianceId ?? null;
              expect(variances.run(vid, detect, { openVarianceId: open }).ok).toBe(true);
              counts.detected += 1;
            }
            expect(openOf(baseline.version)).toHaveLength(1);
          }
        } else if (step.kind === 'acknowledge' || step.kind === 'resolve') {
          const ids = variances.ids();
          if (ids.length === 0) return;
          const id = ids[step.which % ids.length] as VarianceId;
          variances.run(
            id,
            step.kind === 'acknowledge'
              ? { type: 'acknowledge', cause: 'scope grew', by: ref(7), at: at(i) }
              : { type: 'resolve', resolution: 'write_off', cause: 'absorbed', by: ref(7), at: at(i) },
            undefined,
          );
        } else {
          const r = baselines.run(
            P,
            {
              type: 'rebaseline',
              constraintId: constraint(i + 2),
              reason: 'explicit',
              saleId: null,
              sourceQuoteId: null,
              referencesQuoteId: null,
              sourceQuoteVersion: null,
              wbs: wbsOf(step.minutes),
              cause: 'replanned',
              approvedBy: ref(9),
              at: at(i),
            },
            undefined,
          );
          if (r.ok) counts.rebaselines += 1;
        }
        // At most one open variance per (type, baseline version); earlier baselines never change.
        const open = varianceFacts().filter((v) => v.status === 'open');
        expect(new Set(open.map((v) => `${v.varianceType}:${v.baselineVersion}`)).size).toBe(open.length);
        const state = baselines.state(P);
        const versions = state.status === 'baselined' ? state.versions : [];
        expect(versions.slice(0, frozen.length)).toEqual(frozen);
        frozen = structuredClone([...versions]);
        for (const m of [tasks, variances, baselines])
          for (const id of m.ids()) expect(m.replayMatches(id)).toBe(true);
      });
    },
  );

  test('the generator reaches accepted growth, covered plans, breaches, detections and re-baselines (not vacuous)', () => {
    expect(counts.acceptedGrowth).toBeGreaterThan(0);
    expect(counts.covered).toBeGreaterThan(0);
    expect(counts.breaches).toBeGreaterThan(0);
    expect(counts.detected).toBeGreaterThan(0);
    expect(counts.rebaselines).toBeGreaterThan(0);
  });
});

// Histories of any order built from the frozen fixtures: evolve must stay total on them.
const dir = new URL('./__fixtures__/events/', import.meta.url);
const fixtureEvents = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => deliveryEventRegistry.upcast(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))))
  .map((e) => ({ type: e.type, payload: e.payload }));
const of = (prefixes: readonly string[]) =>
  fc.array(fc.constantFrom(...fixtureEvents.filter((e) => prefixes.some((p) => e.type.startsWith(p)))), {
    maxLength: 15,
  });

describe('delivery laws', () => {
  test('evolve never throws and replay is deterministic for any order of events', () => {
    const cases = [
      [
        projectDecider,
        of([
          'delivery.project_',
          'project.updated',
          'project.planned',
          'project.activated',
          'project.completed',
          'project.cancelled',
          'project.archived',
        ]),
      ],
      [soldConstraintsDecider, of(['project.baseline_created', 'project.rebaselined'])],
      [milestoneDecider, of(['delivery.milestone_'])],
      [taskDecider, of(['delivery.task_'])],
      [varianceDecider, of(['project.variance_'])],
    ] as const;
    for (const [decider, histories] of cases) {
      assertEvolveNeverThrows(decider as never, histories as never, { numRuns: 100 });
      assertReplayDeterministic(decider as never, histories as never, { numRuns: 100 });
    }
    expect(fixtureEvents).toHaveLength(26);
  });
});
