import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import type { VarianceFact } from '../sold-bounds.js';
import { at, eur, project, ref, task, tracked, variance } from '../test-support.test.js';
import type { CreateProject, ProjectFacts } from './commands.js';
import { projectDecider } from './decider.js';
import type { ProjectEvent } from './events.js';
import { PROJECT_REJECTION_CODES } from './rejections.js';
import { projectAcceptsTime } from './state.js';

const { decider, seen } = tracked(projectDecider);
const spec = DeciderSpecification.for(decider);

const p = project(1);
const create: CreateProject = {
  type: 'create',
  projectId: p,
  kind: 'sold',
  name: ' Website ',
  customerId: ref(1),
  siteId: null,
  sourceQuoteId: ref(2),
  saleId: ref(3),
  soldConstraintsApply: true,
  soldMinutes: 6000,
  soldValue: eur(1_000_000),
  startDate: null,
  endDate: null,
  at: at(0),
};
const created: ProjectEvent = {
  type: 'delivery.project_created',
  payload: {
    projectId: p,
    kind: 'sold',
    name: 'Website',
    customerId: ref(1),
    siteId: null,
    sourceQuoteId: ref(2),
    saleId: ref(3),
    soldConstraintsApply: true,
    soldMinutes: 6000,
    soldValue: eur(1_000_000),
    startDate: null,
    endDate: null,
    createdAt: at(0),
  },
};
const planned: ProjectEvent = { type: 'project.planned', payload: { projectId: p, at: at(1) } };
const activated: ProjectEvent = { type: 'project.activated', payload: { projectId: p, at: at(2) } };
const completed: ProjectEvent = { type: 'project.completed', payload: { projectId: p, at: at(3) } };
const cancelled: ProjectEvent = {
  type: 'project.cancelled',
  payload: { projectId: p, reason: 'withdrawn', at: at(3) },
};
const archived: ProjectEvent = { type: 'project.archived', payload: { projectId: p, at: at(4) } };
const done: ProjectFacts = { tasks: [{ taskId: task(1), status: 'completed' }], variances: [] };
const openVariance: VarianceFact = {
  varianceId: variance(1),
  varianceType: 'planned_over_sold',
  milestoneId: null,
  baselineVersion: 1,
  sold: 6000,
  observed: 7200,
  status: 'open',
};

describe('project: create', () => {
  test('a sold project inherits customer and commercial context; its sold constraints apply', () => {
    spec.given([]).when(create).then([created]);
    spec
      .given([])
      .when(create)
      .thenState({
        ...created.payload,
        status: 'created',
        plannedAt: null,
        activatedAt: null,
        closedAt: null,
        cancelReason: null,
        archivedAt: null,
      } as never);
  });

  test('a manual project declares whether sold constraints apply', () => {
    const internal = { ...create, kind: 'internal' as const, saleId: null, sourceQuoteId: null };
    spec
      .given([])
      .when({ ...internal, soldConstraintsApply: false, soldMinutes: null, soldValue: null })
      .then([
        {
          type: 'delivery.project_created',
          payload: {
            ...created.payload,
            kind: 'internal',
            saleId: null,
            sourceQuoteId: null,
            soldConstraintsApply: false,
            soldMinutes: null,
            soldValue: null,
          },
        },
      ]);
    spec
      .given([])
      .when({ ...internal, soldConstraintsApply: true, soldMinutes: null })
      .thenRejects('PROJECT_SOLD_CONTEXT_INVALID', { field: 'soldMinutes' });
    spec
      .given([])
      .when({ ...internal, soldConstraintsApply: false })
      .thenRejects('PROJECT_SOLD_CONTEXT_INVALID', { field: 'soldMinutes' });
    spec
      .given([])
      .when({ ...internal, saleId: ref(3) })
      .thenRejects('PROJECT_SOLD_CONTEXT_INVALID', { field: 'saleId' });
  });

  test('a sold project without its sale, customer or sold values, or that opts out, is refused', () => {
    spec
      .given([])
      .when({ ...create, saleId: null })
      .thenRejects('PROJECT_SOLD_CONTEXT_INVALID', { field: 'saleId' });
    spec
      .given([])
      .when({ ...create, customerId: null })
      .thenRejects('PROJECT_SOLD_CONTEXT_INVALID', { field: 'customerId' });
    spec
      .given([])
      .when({ ...create, soldConstraintsApply: false })
      .thenRejects('PROJECT_SOLD_CONTEXT_INVALID', { field: 'soldConstraintsApply' });
  });

  test('an end before the start is refused; a second create is refused', () => {
    spec
      .given([])
      .when({ ...create, startDate: '2026-03-01' as never, endDate: '2026-02-01' as never })
      .thenRejects('PROJECT_DATES_INVALID', { startDate: '2026-03-01', endDate: '2026-02-01' });
    spec.given([created]).when(create).thenRejects('PROJECT_ALREADY_EXISTS', { status: 'created' });
  });
});

describe('project: refine, never raise sold (scenarios 2, 21)', () => {
  test('name and dates may change; unchanged fields emit nothing', () => {
    spec
      .given([created])
      .when({ type: 'update', changes: { name: 'Website v2', startDate: '2026-02-01' as never } })
      .then([
        {
          type: 'project.updated',
          payload: { projectId: p, changes: { name: 'Website v2', startDate: '2026-02-01' as never } },
        },
      ]);
    spec
      .given([created])
      .when({ type: 'update', changes: { name: 'Website', soldMinutes: 6000 } })
      .then([]);
    spec
      .given([created])
      .when({ type: 'update', changes: { startDate: '2026-03-01' as never, endDate: '2026-02-01' as never } })
      .thenRejects('PROJECT_DATES_INVALID');
  });

  test('raising sold minutes or value is refused with sold, requested, delta and the baseline version', () => {
    spec
      .given([created, planned])
      .when({ type: 'update', changes: { soldMinutes: 7200 } }, { activeBaselineVersion: 2 })
      .thenRejects('PROJECT_SOLD_IMMUTABLE', {
        field: 'soldMinutes',
        sold: 6000,
        requested: 7200,
        delta: 1200,
        activeBaselineVersion: 2,
      });
    spec
      .given([created])
      .when({ type: 'update', changes: { soldValue: eur(1_200_000) } })
      .thenRejects('PROJECT_SOLD_IMMUTABLE', {
        field: 'soldValue',
        delta: 200_000,
        activeBaselineVersion: null,
      });
  });

  test('customer, source and the declaration never change', () => {
    spec
      .given([created])
      .when({ type: 'update', changes: { customerId: ref(9) } })
      .thenRejects('PROJECT_FIELD_IMMUTABLE', { field: 'customerId', current: ref(1), requested: ref(9) });
    spec
      .given([created])
      .when({ type: 'update', changes: { soldConstraintsApply: false } })
      .thenRejects('PROJECT_FIELD_IMMUTABLE', { field: 'soldConstraintsApply' });
  });

  test('nothing but create is possible before the project exists', () => {
    spec
      .given([])
      .when({ type: 'plan', at: at(1) })
      .thenRejects('PROJECT_NOT_FOUND');
  });
});

describe('project: lifecycle created → planned → active → completed | cancelled → archived', () => {
  test('plan needs at least one live task', () => {
    spec
      .given([created])
      .when({ type: 'plan', at: at(1) }, { tasks: [{ taskId: task(1), status: 'planned' }] })
      .then([planned]);
    spec
      .given([created])
      .when({ type: 'plan', at: at(1) }, { tasks: [{ taskId: task(1), status: 'cancelled' }] })
      .thenRejects('PROJECT_NO_TASKS', { tasks: 0 });
    spec
      .given([created])
      .when({ type: 'plan', at: at(1) })
      .thenRejects('PROJECT_FACTS_MISSING', { fact: 'tasks' });
  });

  test('activate from planned once work started (a task started or time booked); other orders are illegal', () => {
    const notStarted = { tasks: [{ taskId: task(1), status: 'planned' as const }], actualMinutes: 0 };
    spec
      .given([created, planned])
      .when({ type: 'activate', at: at(2) }, { ...notStarted, actualMinutes: 30 })
      .then([activated]);
    spec
      .given([created, planned])
      .when(
        { type: 'activate', at: at(2) },
        { ...notStarted, tasks: [{ taskId: task(1), status: 'in_progress' }] },
      )
      .then([activated]);
    spec
      .given([created, planned])
      .when({ type: 'activate', at: at(2) }, notStarted)
      .thenRejects('PROJECT_NO_WORK_STARTED', { actualMinutes: 0 });
    spec
      .given([created, planned])
      .when({ type: 'activate', at: at(2) }, { tasks: [] })
      .thenRejects('PROJECT_FACTS_MISSING', { fact: 'actualMinutes' });
    spec
      .given([created])
      .when({ type: 'activate', at: at(2) })
      .thenRejects('PROJECT_ILLEGAL_TRANSITION', { from: 'created', to: 'active' });
    spec
      .given([created, planned])
      .when({ type: 'plan', at: at(2) }, done)
      .thenRejects('PROJECT_ILLEGAL_TRANSITION', { from: 'planned', to: 'planned' });
  });

  test('complete needs every task completed or cancelled and no open variance', () => {
    const active = [created, planned, activated];
    spec
      .given(active)
      .when({ type: 'complete', at: at(3) }, done)
      .then([completed]);
    spec
      .given(active)
      .when(
        { type: 'complete', at: at(3) },
        { ...done, tasks: [...(done.tasks ?? []), { taskId: task(2), status: 'cancelled' }] },
      )
      .then([completed]);
    spec
      .given(active)
      .when({ type: 'complete', at: at(3) }, { ...done, tasks: [{ taskId: task(2), status: 'in_progress' }] })
      .thenRejects('PROJECT_TASKS_OPEN', { openTaskIds: [task(2)] });
    spec
      .given(active)
      .when({ type: 'complete', at: at(3) }, { ...done, variances: [openVariance] })
      .thenRejects('PROJECT_VARIANCE_OPEN', { sold: 6000, observed: 7200, delta: 1200, baselineVersion: 1 });
    for (const status of ['acknowledged', 'resolved'] as const) {
      spec
        .given(active)
        .when({ type: 'complete', at: at(3) }, { ...done, variances: [{ ...openVariance, status }] })
        .then([completed]);
    }
    spec
      .given(active)
      .when({ type: 'complete', at: at(3) }, { tasks: [] })
      .thenRejects('PROJECT_FACTS_MISSING', { fact: 'variances' });
  });

  test('cancel from created, planned or active; archive from completed or cancelled', () => {
    spec
      .given([created])
      .when({ type: 'cancel', reason: ' withdrawn ', at: at(3) })
      .then([cancelled]);
    spec
      .given([created, planned, activated])
      .when({ type: 'cancel', reason: 'withdrawn', at: at(3) })
      .then([cancelled]);
    spec
      .given([created, cancelled])
      .when({ type: 'archive', at: at(4) })
      .then([archived]);
    spec
      .given([created, planned, activated, completed])
      .when({ type: 'archive', at: at(4) })
      .then([archived]);
    spec
      .given([created, planned])
      .when({ type: 'archive', at: at(4) })
      .thenRejects('PROJECT_ILLEGAL_TRANSITION', { from: 'planned', to: 'archived' });
  });

  test('completed and cancelled never reopen and never change (completed ⇒ immutable)', () => {
    const closed = [created, planned, activated, completed];
    spec
      .given(closed)
      .when({ type: 'activate', at: at(5) })
      .thenRejects('PROJECT_CLOSED', { from: 'completed' });
    const state = (events: ProjectEvent[]) =>
      events.reduce(projectDecider.evolve, projectDecider.initialState());
    expect(
      [[created], [created, planned, activated], closed, [created, cancelled]].map((h) =>
        projectAcceptsTime(state(h)),
      ),
    ).toEqual([true, true, false, false]);
    spec
      .given(closed)
      .when({ type: 'update', changes: { name: 'x' } })
      .thenRejects('PROJECT_CLOSED');
    spec
      .given([created, cancelled])
      .when({ type: 'cancel', reason: 'again', at: at(5) })
      .thenRejects('PROJECT_CLOSED');
    spec
      .given([...closed, archived])
      .when({ type: 'archive', at: at(5) })
      .thenRejects('PROJECT_CLOSED');
  });
});

test('every documented project rejection code is reachable', () => {
  expect([...seen].sort()).toEqual([...PROJECT_REJECTION_CODES].sort());
});
