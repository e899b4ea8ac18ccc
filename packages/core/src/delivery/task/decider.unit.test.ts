import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import type { ActiveBaselineFact } from '../sold-bounds.js';
import {
  at,
  constraint,
  eur,
  milestone,
  project,
  ref,
  task,
  tracked,
  variance,
} from '../test-support.test.js';
import type { CreateTask, PlanFacts, TaskFacts } from './commands.js';
import { taskDecider } from './decider.js';
import type { TaskEvent } from './events.js';
import { TASK_REJECTION_CODES } from './rejections.js';
import { taskAcceptsTime } from './state.js';

const { decider, seen } = tracked(taskDecider);
const spec = DeciderSpecification.for(decider);

const t = task(1);
const p = project(1);
const baseline: ActiveBaselineFact = {
  constraintId: constraint(1),
  version: 1,
  soldMinutes: 6000,
  soldValue: eur(1_200_000),
  internalCostCeiling: eur(600_000),
  marginAtSale: eur(600_000),
};
/** Milestone 1 was sold 4000 of the project's 6000 minutes; nothing else is planned in it. */
const plan = (elsewhere: number, variances: PlanFacts['variances'] = []): PlanFacts => ({
  baseline,
  variances,
  plannedMinutesElsewhere: elsewhere,
  milestone: { milestoneId: milestone(1), soldMinutes: 4000, plannedMinutesElsewhere: 0 },
});
const facts = (elsewhere: number, variances: PlanFacts['variances'] = []): TaskFacts => ({
  projectStatus: 'active',
  plan: plan(elsewhere, variances),
});
const create: CreateTask = {
  type: 'create',
  taskId: t,
  projectId: p,
  milestoneId: milestone(1),
  ticketId: null,
  name: ' API ',
  estimatedMinutes: 3600,
  soldMinutes: 3600,
  roleId: ref(100),
  assigneeId: null,
  sequence: 1,
  sourceLineId: ref(11),
  at: at(0),
};
const { type: _type, ...payload } = create;
const created: TaskEvent = { type: 'delivery.task_created', payload: { ...payload, name: 'API' } };
const ids = { taskId: t, projectId: p };
const started: TaskEvent = { type: 'delivery.task_started', payload: { ...ids, at: at(1) } };
const completed: TaskEvent = { type: 'delivery.task_completed', payload: { ...ids, at: at(2) } };
const cancelled: TaskEvent = {
  type: 'delivery.task_cancelled',
  payload: { ...ids, reason: 'descoped', at: at(2) },
};
const archived: TaskEvent = { type: 'delivery.task_archived', payload: { ...ids, at: at(3) } };
const reEstimate = (estimatedMinutes: number) => ({
  type: 're_estimate' as const,
  estimatedMinutes,
  at: at(5),
});

describe('task: create within sold', () => {
  test('a WBS task is created with its sold minutes when the plan stays within sold', () => {
    spec.given([]).when(create, facts(2400)).then([created]);
  });

  test('a plan beyond sold is refused with sold, planned, delta and the baseline version (scenario 2)', () => {
    spec
      .given([])
      .when(create, facts(3000))
      .thenRejects('TASK_PLAN_EXCEEDS_SOLD', {
        sold: 6000,
        planned: 6600,
        delta: 600,
        baselineVersion: 1,
        constraintId: constraint(1),
        openVarianceId: null,
      });
  });

  test('an acknowledged variance covering the plan lets planning go on; an open one does not', () => {
    const recorded = {
      varianceId: variance(1),
      varianceType: 'planned_over_sold' as const,
      milestoneId: null,
      baselineVersion: 1,
      sold: 6000,
      observed: 7000,
    };
    spec
      .given([])
      .when(create, facts(3000, [{ ...recorded, status: 'acknowledged' }]))
      .then([created]);
    spec
      .given([])
      .when(create, facts(3000, [{ ...recorded, status: 'open' }]))
      .thenRejects('TASK_PLAN_EXCEEDS_SOLD', { openVarianceId: variance(1), planned: 6600 });
    spec
      .given([])
      .when(create, facts(4000, [{ ...recorded, status: 'acknowledged' }]))
      .thenRejects('TASK_PLAN_EXCEEDS_SOLD', { planned: 7600, openVarianceId: null });
    spec
      .given([])
      .when(create, facts(3000, [{ ...recorded, baselineVersion: 0, status: 'acknowledged' }]))
      .thenRejects('TASK_PLAN_EXCEEDS_SOLD', { baselineVersion: 1 });
  });

  test('a project whose sold constraints do not apply is not bounded', () => {
    spec
      .given([])
      .when(create, {
        projectStatus: 'active',
        plan: { baseline: null, variances: [], plannedMinutesElsewhere: 1e6 },
      })
      .then([created]);
  });

  test('closed projects take no tasks; facts must be loaded; no second create', () => {
    for (const projectStatus of ['completed', 'cancelled', 'archived'] as const)
      spec
        .given([])
        .when(create, { ...facts(0), projectStatus })
        .thenRejects('TASK_PROJECT_CLOSED', { projectStatus });
    spec
      .given([])
      .when(create, { plan: plan(0) })
      .thenRejects('TASK_FACTS_MISSING', { fact: 'projectStatus' });
    spec
      .given([])
      .when(create, { projectStatus: 'planned' })
      .thenRejects('TASK_FACTS_MISSING', { fact: 'plan' });
    spec.given([created]).when(create, facts(0)).thenRejects('TASK_ALREADY_EXISTS');
    spec
      .given([])
      .when({ type: 'start', at: at(1) })
      .thenRejects('TASK_NOT_FOUND');
  });

  test('a task created with a ticket needs the ticket to be free (ticket_id is unique)', () => {
    const withTicket = { ...create, ticketId: ref(70) };
    spec
      .given([])
      .when(withTicket, { ...facts(0), ticketHolder: null })
      .then([{ type: 'delivery.task_created', payload: { ...created.payload, ticketId: ref(70) } }]);
    spec
      .given([])
      .when(withTicket, { ...facts(0), ticketHolder: task(2) })
      .thenRejects('TASK_TICKET_TAKEN', { ticketId: ref(70), taskId: task(2) });
    spec.given([]).when(withTicket, facts(0)).thenRejects('TASK_FACTS_MISSING', { fact: 'ticketHolder' });
  });
});

describe('task: a milestone’s own sold bound, while the project stays within sold', () => {
  const inMilestone = (planned: number, variances: PlanFacts['variances'] = []): TaskFacts => ({
    projectStatus: 'active',
    plan: {
      ...plan(0, variances),
      milestone: { milestoneId: milestone(1), soldMinutes: 4000, plannedMinutesElsewhere: planned },
    },
  });
  const recorded = {
    varianceId: variance(2),
    varianceType: 'planned_over_sold' as const,
    milestoneId: milestone(1),
    baselineVersion: 1,
    sold: 4000,
    observed: 4600,
  };

  test('work shifted into a milestone beyond its sold total is refused with the milestone’s numbers', () => {
    spec
      .given([])
      .when(create, inMilestone(1000))
      .thenRejects('TASK_PLAN_EXCEEDS_SOLD', {
        milestoneId: milestone(1),
        sold: 4000,
        planned: 4600,
        delta: 600,
      });
    spec.given([]).when(create, inMilestone(400)).then([created]);
  });

  test('a milestone variance covers the milestone only; a project variance does not stand in for it', () => {
    spec
      .given([])
      .when(create, inMilestone(1000, [{ ...recorded, status: 'acknowledged' }]))
      .then([created]);
    spec
      .given([])
      .when(create, inMilestone(1000, [{ ...recorded, status: 'open' }]))
      .thenRejects('TASK_PLAN_EXCEEDS_SOLD', { openVarianceId: variance(2) });
    spec
      .given([])
      .when(create, inMilestone(1000, [{ ...recorded, milestoneId: null, status: 'acknowledged' }]))
      .thenRejects('TASK_PLAN_EXCEEDS_SOLD', { milestoneId: milestone(1), openVarianceId: null });
  });

  test('beyond the project’s sold, the project variance is the one that records the overrun', () => {
    const projectCovered = {
      ...recorded,
      milestoneId: null,
      sold: 6000,
      observed: 9000,
      status: 'acknowledged' as const,
    };
    spec
      .given([])
      .when(create, {
        projectStatus: 'active',
        plan: {
          ...plan(5000, [projectCovered]),
          milestone: { milestoneId: milestone(1), soldMinutes: 4000, plannedMinutesElsewhere: 3000 },
        },
      })
      .then([created]);
  });

  test('the milestone’s facts must be loaded for a task in a milestone', () => {
    spec
      .given([])
      .when(create, {
        projectStatus: 'active',
        plan: { baseline, variances: [], plannedMinutesElsewhere: 0 },
      })
      .thenRejects('TASK_FACTS_MISSING', { fact: 'plan.milestone', milestoneId: milestone(1) });
  });

  test('moving a task checks the target milestone only (a move never changes the project total)', () => {
    const move = { type: 'update' as const, changes: { milestoneId: milestone(2) } };
    const target = (planned: number, elsewhere = 2400): TaskFacts => ({
      projectStatus: 'active',
      plan: {
        ...plan(elsewhere),
        milestone: { milestoneId: milestone(2), soldMinutes: 2000, plannedMinutesElsewhere: planned },
      },
    });
    spec
      .given([created])
      .when(move, target(0))
      .thenRejects('TASK_PLAN_EXCEEDS_SOLD', { milestoneId: milestone(2), sold: 2000, planned: 3600 });
    spec
      .given([created])
      .when(move, target(0, 5000))
      .then([{ type: 'delivery.task_updated', payload: { ...ids, changes: { milestoneId: milestone(2) } } }]);
    spec
      .given([created])
      .when({ type: 'update', changes: { milestoneId: null } })
      .then([{ type: 'delivery.task_updated', payload: { ...ids, changes: { milestoneId: null } } }]);
  });
});

describe('task: re-estimate (only planning beyond sold is blocked)', () => {
  test('raising within sold is accepted; beyond sold refused; lowering never needs facts', () => {
    spec
      .given([created])
      .when(reEstimate(4000), facts(2000))
      .then([{ type: 'delivery.task_re_estimated', payload: { ...ids, from: 3600, to: 4000, at: at(5) } }]);
    spec
      .given([created])
      .when(reEstimate(4001), facts(2000))
      .thenRejects('TASK_PLAN_EXCEEDS_SOLD', { planned: 6001, delta: 1 });
    spec
      .given([created, started])
      .when(reEstimate(100))
      .then([{ type: 'delivery.task_re_estimated', payload: { ...ids, from: 3600, to: 100, at: at(5) } }]);
    spec.given([created]).when(reEstimate(3600)).then([]);
    spec
      .given([created, started, completed])
      .when(reEstimate(1))
      .thenRejects('TASK_CLOSED', { from: 'completed' });
  });
});

describe('task: refine, never change sold', () => {
  test('rename, reassign, resequence and move; nothing changed emits nothing', () => {
    spec
      .given([created])
      .when({
        type: 'update',
        changes: {
          assigneeId: ref(5),
          sequence: 3,
          milestoneId: null,
          name: 'API',
          roleId: ref(100),
        },
      })
      .then([
        {
          type: 'delivery.task_updated',
          payload: { ...ids, changes: { milestoneId: null, assigneeId: ref(5), sequence: 3 } },
        },
      ]);
    spec
      .given([created])
      .when({ type: 'update', changes: { soldMinutes: 3600 } })
      .then([]);
    spec
      .given([created])
      .when({ type: 'update', changes: { soldMinutes: 4800 } })
      .thenRejects('TASK_SOLD_IMMUTABLE', { sold: 3600, requested: 4800, delta: 1200 });
    spec
      .given([created, cancelled])
      .when({ type: 'update', changes: { name: 'x' } })
      .thenRejects('TASK_CLOSED');
  });
});

describe('task: lifecycle planned → in_progress → completed → archived, or cancelled', () => {
  test('transitions', () => {
    spec
      .given([created])
      .when({ type: 'start', at: at(1) })
      .then([started]);
    spec
      .given([created, started])
      .when({ type: 'complete', at: at(2) })
      .then([completed]);
    spec
      .given([created])
      .when({ type: 'cancel', reason: ' descoped ', at: at(2) })
      .then([cancelled]);
    spec
      .given([created, started])
      .when({ type: 'cancel', reason: 'descoped', at: at(2) })
      .then([cancelled]);
    spec
      .given([created, started, completed])
      .when({ type: 'archive', at: at(3) })
      .then([archived]);
    spec
      .given([created, cancelled])
      .when({ type: 'archive', at: at(3) })
      .then([archived]);
  });

  test('illegal orders and closed tasks', () => {
    spec
      .given([created])
      .when({ type: 'complete', at: at(2) })
      .thenRejects('TASK_ILLEGAL_TRANSITION', { from: 'planned', to: 'completed' });
    spec
      .given([created, started])
      .when({ type: 'start', at: at(2) })
      .thenRejects('TASK_ILLEGAL_TRANSITION');
    spec
      .given([created])
      .when({ type: 'archive', at: at(2) })
      .thenRejects('TASK_ILLEGAL_TRANSITION', { to: 'archived' });
    spec
      .given([created, started, completed])
      .when({ type: 'start', at: at(3) })
      .thenRejects('TASK_CLOSED', { from: 'completed', to: 'in_progress' });
    spec
      .given([created, cancelled])
      .when({ type: 'complete', at: at(3) })
      .thenRejects('TASK_CLOSED');
    spec
      .given([created, cancelled])
      .when({ type: 'cancel', reason: 'x', at: at(3) })
      .thenRejects('TASK_CLOSED');
    spec
      .given([created, cancelled, archived])
      .when({ type: 'archive', at: at(4) })
      .thenRejects('TASK_CLOSED');
  });

  test('time is accepted on planned and in-progress tasks only', () => {
    const state = (events: TaskEvent[]) => events.reduce(taskDecider.evolve, taskDecider.initialState());
    expect(taskAcceptsTime(state([created]))).toBe(true);
    expect(taskAcceptsTime(state([created, started]))).toBe(true);
    expect(taskAcceptsTime(state([created, started, completed]))).toBe(false);
    expect(taskAcceptsTime(state([created, cancelled, archived]))).toBe(false);
    expect(taskAcceptsTime(state([]))).toBe(false);
  });
});

describe('task: ticket backbone', () => {
  const link = { type: 'link_ticket' as const, ticketId: ref(70) };
  const linked: TaskEvent = { type: 'delivery.task_ticket_linked', payload: { ...ids, ticketId: ref(70) } };
  test('a task is bridged to one free ticket, once', () => {
    spec.given([created]).when(link, { ticketHolder: null }).then([linked]);
    spec.given([created, started, completed]).when(link, { ticketHolder: null }).then([linked]);
    spec.given([created, linked]).when(link).then([]);
    spec
      .given([created, linked])
      .when({ ...link, ticketId: ref(71) })
      .thenRejects('TASK_TICKET_ALREADY_LINKED', { ticketId: ref(70), requested: ref(71) });
    spec
      .given([created])
      .when(link, { ticketHolder: task(9) })
      .thenRejects('TASK_TICKET_TAKEN', { taskId: task(9) });
    spec.given([created, cancelled, archived]).when(link, { ticketHolder: null }).thenRejects('TASK_CLOSED');
  });
});

test('every documented task rejection code is reachable', () => {
  expect([...seen].sort()).toEqual([...TASK_REJECTION_CODES].sort());
});
