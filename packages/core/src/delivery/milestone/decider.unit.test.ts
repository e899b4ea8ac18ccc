import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { at, milestone, project, task, tracked } from '../test-support.test.js';
import type { DefineMilestone, MilestoneFacts } from './commands.js';
import { milestoneDecider } from './decider.js';
import type { MilestoneEvent } from './events.js';
import { MILESTONE_REJECTION_CODES } from './rejections.js';

const { decider, seen } = tracked(milestoneDecider);
const spec = DeciderSpecification.for(decider);

const m = milestone(1);
const p = project(1);
const ids = { milestoneId: m, projectId: p };
const define: DefineMilestone = {
  type: 'define',
  milestoneId: m,
  projectId: p,
  name: ' Build ',
  description: null,
  sequence: 1,
  soldMinutes: 6000,
  sourceRef: '1:Build',
  at: at(0),
};
const defined: MilestoneEvent = {
  type: 'delivery.milestone_defined',
  payload: {
    ...ids,
    name: 'Build',
    description: null,
    sequence: 1,
    soldMinutes: 6000,
    sourceRef: '1:Build',
    at: at(0),
  },
};
const activated: MilestoneEvent = { type: 'delivery.milestone_activated', payload: { ...ids, at: at(1) } };
const closing: MilestoneFacts = {
  tasks: [
    { taskId: task(1), status: 'completed', estimatedMinutes: 3600 },
    { taskId: task(2), status: 'cancelled', estimatedMinutes: 2400 },
    { taskId: task(3), status: 'archived', estimatedMinutes: 600 },
  ],
  actualMinutes: 4500,
};
const completed: MilestoneEvent = {
  type: 'delivery.milestone_completed',
  payload: { ...ids, name: 'Build', soldMinutes: 6000, plannedMinutes: 4200, actualMinutes: 4500, at: at(2) },
};
const archived: MilestoneEvent = { type: 'delivery.milestone_archived', payload: { ...ids, at: at(3) } };

describe('milestone', () => {
  test('defined on an open project only', () => {
    spec.given([]).when(define, { projectStatus: 'created' }).then([defined]);
    spec
      .given([])
      .when(define, { projectStatus: 'completed' })
      .thenRejects('MILESTONE_PROJECT_CLOSED', { projectStatus: 'completed' });
    spec.given([]).when(define).thenRejects('MILESTONE_FACTS_MISSING', { fact: 'projectStatus' });
    spec.given([defined]).when(define, { projectStatus: 'active' }).thenRejects('MILESTONE_ALREADY_EXISTS');
    spec
      .given([])
      .when({ type: 'activate', at: at(1) })
      .thenRejects('MILESTONE_NOT_FOUND');
  });

  test('refined but its sold minutes never change', () => {
    spec
      .given([defined])
      .when({ type: 'update', changes: { sequence: 2, name: 'Build', description: ' Core build ' } })
      .then([
        {
          type: 'delivery.milestone_updated',
          payload: { ...ids, changes: { description: 'Core build', sequence: 2 } },
        },
      ]);
    spec
      .given([defined])
      .when({ type: 'update', changes: { soldMinutes: 6000 } })
      .then([]);
    spec
      .given([defined])
      .when({ type: 'update', changes: { soldMinutes: 9000 } })
      .thenRejects('MILESTONE_SOLD_IMMUTABLE', { sold: 6000, requested: 9000, delta: 3000 });
  });

  test('defined → active → completed (values frozen) → archived', () => {
    spec
      .given([defined])
      .when({ type: 'activate', at: at(1) })
      .then([activated]);
    spec
      .given([defined, activated])
      .when({ type: 'complete', at: at(2) }, closing)
      .then([completed]);
    spec
      .given([defined, activated, completed])
      .when({ type: 'archive', at: at(3) })
      .then([archived]);
    const state = [defined, activated, completed].reduce(
      milestoneDecider.evolve,
      milestoneDecider.initialState(),
    );
    expect(state.status === 'completed' && state.frozen).toEqual({
      plannedMinutes: 4200,
      actualMinutes: 4500,
    });
  });

  test('completion needs every task of it completed or cancelled, and the facts', () => {
    spec
      .given([defined, activated])
      .when(
        { type: 'complete', at: at(2) },
        { ...closing, tasks: [{ taskId: task(4), status: 'in_progress', estimatedMinutes: 1 }] },
      )
      .thenRejects('MILESTONE_TASKS_OPEN', { openTaskIds: [task(4)] });
    spec
      .given([defined, activated])
      .when({ type: 'complete', at: at(2) }, { tasks: [] })
      .thenRejects('MILESTONE_FACTS_MISSING', { fact: 'actualMinutes' });
  });

  test('illegal orders; a completed milestone never changes or reopens', () => {
    spec
      .given([defined])
      .when({ type: 'complete', at: at(2) }, closing)
      .thenRejects('MILESTONE_ILLEGAL_TRANSITION', { from: 'defined' });
    spec
      .given([defined, activated])
      .when({ type: 'activate', at: at(2) })
      .thenRejects('MILESTONE_ILLEGAL_TRANSITION');
    spec
      .given([defined])
      .when({ type: 'archive', at: at(2) })
      .thenRejects('MILESTONE_ILLEGAL_TRANSITION', { to: 'archived' });
    const done = [defined, activated, completed];
    spec
      .given(done)
      .when({ type: 'activate', at: at(3) })
      .thenRejects('MILESTONE_COMPLETED', { to: 'active' });
    spec
      .given(done)
      .when({ type: 'complete', at: at(3) }, closing)
      .thenRejects('MILESTONE_COMPLETED');
    spec
      .given(done)
      .when({ type: 'update', changes: { name: 'x' } })
      .thenRejects('MILESTONE_COMPLETED');
    spec
      .given([...done, archived])
      .when({ type: 'archive', at: at(4) })
      .thenRejects('MILESTONE_COMPLETED', { to: 'archived' });
  });
});

test('every documented milestone rejection code is reachable', () => {
  expect([...seen].sort()).toEqual([...MILESTONE_REJECTION_CODES].sort());
});
