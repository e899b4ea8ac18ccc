import { Delivery, type EventDraft, type Instant, money } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import {
  milestonesTable,
  projectsTable,
  projectVariancesTable,
  projSoldConstraintsTable,
  soldConstraintsTable,
  tasksTable,
} from './delivery.js';

const id = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
const at = (m: number): Instant => `2026-04-01T09:${String(m).padStart(2, '0')}:00.000001Z` as Instant;
const eur = (minor: number) => money(minor, 'EUR');
const projectId = id(1) as Delivery.ProjectId;
const milestoneId = id(2) as Delivery.MilestoneId;
const taskId = id(3) as Delivery.TaskId;
const varianceId = id(4) as Delivery.VarianceId;
const constraintV1 = id(5) as Delivery.SoldConstraintsId;
const constraintV2 = id(6) as Delivery.SoldConstraintsId;

/** Every state on the way through `events` from the initial state. */
function states<S, E>(evolve: (s: S, e: E) => S, initial: S, events: readonly E[]): S[] {
  const out: S[] = [];
  let s = initial;
  for (const e of events) {
    s = evolve(s, e);
    out.push(s);
  }
  return out;
}

const wbs: Delivery.WbsMilestone[] = [
  {
    ref: '1:Build',
    name: 'Build',
    sequence: 1,
    tasks: [
      {
        sourceLineId: id(10),
        name: 'Code',
        minutes: 600,
        roleId: id(11),
        sell: eur(1200_00),
        cost: eur(600_00),
      },
    ],
  },
];
const v1: Delivery.Baseline = {
  constraintId: constraintV1,
  projectId,
  version: 1,
  reason: 'acceptance',
  saleId: id(20),
  sourceQuoteId: id(21),
  sourceQuoteVersion: 1,
  soldMinutes: 600,
  soldValue: eur(1200_00),
  internalCostCeiling: eur(600_00),
  marginAtSale: eur(600_00),
  wbs,
  cause: null,
  approvedBy: null,
  createdAt: at(0),
};

describe('delivery declarations', () => {
  it('given every project state, when written to its row and read back, then it is the same state', () => {
    const all = states(Delivery.evolveProject, Delivery.initialProjectState(), [
      {
        type: 'delivery.project_created',
        payload: {
          projectId,
          kind: 'sold',
          name: 'Relaunch',
          customerId: id(30),
          siteId: null,
          sourceQuoteId: id(21),
          saleId: id(20),
          soldConstraintsApply: true,
          soldMinutes: 600,
          soldValue: eur(1200_00),
          startDate: null,
          endDate: null,
          createdAt: at(0),
        },
      },
      { type: 'project.planned', payload: { projectId, at: at(1) } },
      { type: 'project.activated', payload: { projectId, at: at(2) } },
      { type: 'project.completed', payload: { projectId, at: at(3) } },
      { type: 'project.archived', payload: { projectId, at: at(4) } },
    ] as Delivery.ProjectEvent[]);
    for (const s of all) expect(projectsTable.fromRow(projectsTable.toRow(s), projectId)).toEqual(s);
    const internal = Delivery.evolveProject(Delivery.initialProjectState(), {
      type: 'delivery.project_created',
      payload: {
        projectId,
        kind: 'internal',
        name: 'Tooling',
        customerId: null,
        siteId: null,
        sourceQuoteId: null,
        saleId: null,
        soldConstraintsApply: false,
        soldMinutes: null,
        soldValue: null,
        startDate: '2026-04-01' as never,
        endDate: null,
        createdAt: at(0),
      },
    });
    const cancelled = Delivery.evolveProject(internal, {
      type: 'project.cancelled',
      payload: { projectId, reason: 'Not needed', at: at(5) },
    });
    for (const s of [internal, cancelled])
      expect(projectsTable.fromRow(projectsTable.toRow(s), projectId)).toEqual(s);
  });

  it('given baselines v1 and v2, when written and read back, then both versions and the active one survive; each version is one child row', () => {
    const v2 = {
      ...v1,
      constraintId: constraintV2,
      version: 2,
      reason: 'change_order' as const,
      cause: 'More',
      approvedBy: id(40),
      previousVersion: 1,
    };
    const [s1, s2] = states(Delivery.evolveSoldConstraints, Delivery.initialSoldConstraintsState(), [
      { type: 'project.baseline_created', payload: v1 },
      { type: 'project.rebaselined', payload: v2 },
    ]);
    for (const s of [s1, s2])
      expect(soldConstraintsTable.fromRow(soldConstraintsTable.toRow(s as never), id(99))).toEqual(s);
    expect(soldConstraintsTable.toRow(s2 as never)).toMatchObject({
      active_version: 2,
      active_constraint_id: constraintV2,
    });
    const draft = (type: string, payload: unknown) => ({ type, payload }) as EventDraft;
    expect(projSoldConstraintsTable.rowsOf(draft('project.baseline_created', v1), id(99))).toEqual([
      expect.objectContaining({
        id: constraintV1,
        version_number: 1,
        sold_minutes: 600,
        sold_value: 1200_00,
        currency: 'EUR',
        sold_wbs_json: wbs,
      }),
    ]);
    expect(projSoldConstraintsTable.rowsOf(draft('project.rebaselined', v2), id(99))).toEqual([
      expect.objectContaining({ id: constraintV2, version_number: 2, reason: 'change_order', cause: 'More' }),
    ]);
    expect(projSoldConstraintsTable.rowsOf(draft('project.updated', {}), id(99))).toEqual([]);
    expect(() => soldConstraintsTable.toRow(Delivery.initialSoldConstraintsState())).toThrow(TypeError);
  });

  it('given every milestone and task state, when written and read back, then it is the same state (frozen minutes included)', () => {
    const milestones = states(Delivery.evolveMilestone, Delivery.initialMilestoneState(), [
      {
        type: 'delivery.milestone_defined',
        payload: {
          milestoneId,
          projectId,
          name: 'Build',
          description: null,
          sequence: 1,
          soldMinutes: 600,
          sourceRef: '1:Build',
          at: at(0),
        },
      },
      { type: 'delivery.milestone_activated', payload: { milestoneId, projectId, at: at(1) } },
      {
        type: 'delivery.milestone_completed',
        payload: {
          milestoneId,
          projectId,
          name: 'Build',
          soldMinutes: 600,
          plannedMinutes: 660,
          actualMinutes: 0,
          at: at(2),
        },
      },
      { type: 'delivery.milestone_archived', payload: { milestoneId, projectId, at: at(3) } },
    ] as Delivery.MilestoneEvent[]);
    for (const s of milestones)
      expect(milestonesTable.fromRow(milestonesTable.toRow(s), milestoneId)).toEqual(s);
    const created = {
      type: 'delivery.task_created',
      payload: {
        taskId,
        projectId,
        milestoneId,
        ticketId: null,
        name: 'Code',
        estimatedMinutes: 600,
        soldMinutes: 600,
        roleId: id(11),
        assigneeId: null,
        sequence: 1,
        sourceLineId: id(10),
        at: at(0),
      },
    } as Delivery.TaskEvent;
    const done = states(Delivery.evolveTask, Delivery.initialTaskState(), [
      created,
      { type: 'delivery.task_ticket_linked', payload: { taskId, projectId, ticketId: id(50) } },
      { type: 'delivery.task_started', payload: { taskId, projectId, at: at(1) } },
      { type: 'delivery.task_completed', payload: { taskId, projectId, at: at(2) } },
      { type: 'delivery.task_archived', payload: { taskId, projectId, at: at(3) } },
    ] as Delivery.TaskEvent[]);
    const cancelled = states(Delivery.evolveTask, Delivery.initialTaskState(), [
      created,
      { type: 'delivery.task_cancelled', payload: { taskId, projectId, reason: 'Dropped', at: at(1) } },
    ] as Delivery.TaskEvent[]);
    for (const s of [...done, ...cancelled])
      expect(tasksTable.fromRow(tasksTable.toRow(s), taskId)).toEqual(s);
  });

  it('given every variance state, when written and read back, then it is the same state (resolution and variance order included)', () => {
    const detected = {
      type: 'project.variance_detected',
      payload: {
        varianceId,
        projectId,
        constraintId: constraintV1,
        baselineVersion: 1,
        varianceType: 'cost_over_ceiling',
        milestoneId: null,
        unit: 'minor_units',
        currency: 'EUR',
        sold: 600_00,
        observed: 700_00,
        delta: 100_00,
        detectedAt: at(0),
      },
    } as Delivery.VarianceEvent;
    const all = states(Delivery.evolveVariance, Delivery.initialVarianceState(), [
      detected,
      {
        type: 'project.variance_acknowledged',
        payload: { varianceId, projectId, cause: 'Slow', acknowledgedBy: id(40), at: at(1) },
      },
      {
        type: 'project.variance_order_created',
        payload: {
          varianceId,
          projectId,
          amount: eur(100_00),
          reason: 'Slow',
          price: eur(1200_00),
          marginAtSale: eur(600_00),
          marginAfter: eur(500_00),
          erosionBp: 833,
          at: at(2),
        },
      },
      {
        type: 'project.variance_resolved',
        payload: {
          varianceId,
          projectId,
          resolution: 'variance_order',
          cause: 'Slow',
          changeOrderQuoteId: null,
          newBaselineVersion: null,
          resolvedBy: id(40),
          resolvedAt: at(2),
        },
      },
    ] as Delivery.VarianceEvent[]);
    for (const s of all)
      expect(projectVariancesTable.fromRow(projectVariancesTable.toRow(s), varianceId)).toEqual(s);
  });
});
