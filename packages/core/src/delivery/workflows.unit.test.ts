import { describe, expect, it } from 'vitest';
import {
  type AggregateDefinition,
  type CommandRuntime,
  createCommandHandler,
  type Uuid,
  uuidSchema,
} from '../kernel/index.js';
import { fixedClock } from '../testing/clock.js';
import { createInMemoryEventStore, createInMemoryUnitOfWork } from '../testing/in-memory-event-store.js';
import { deliveryEventRegistry } from './events.js';
import { milestoneFacts, projectFacts, soldConstraintsStreamId, taskFacts } from './loaders.js';
import { milestoneCommandSchema } from './milestone/commands.js';
import { milestoneDecider } from './milestone/decider.js';
import { projectCommandSchema } from './project/commands.js';
import { projectDecider } from './project/decider.js';
import { soldConstraintsCommandSchema } from './sold-constraints/commands.js';
import { soldConstraintsDecider } from './sold-constraints/decider.js';
import { taskCommandSchema } from './task/commands.js';
import { taskDecider } from './task/decider.js';
import { acceptedQuote, ids, implementation, labour, project, saleOf } from './test-support.test.js';
import { varianceCommandSchema } from './variance/commands.js';
import { varianceDecider } from './variance/decider.js';
import { applyChangeOrder, type DeliveryBindings, definitionsOf, startDelivery } from './workflows.js';

function definition<S>(streamType: string, initialState: () => S): AggregateDefinition<S> {
  return { streamType, initialState, encode: (s) => s, decode: (s) => s as S };
}

const bindings: DeliveryBindings = {
  project: {
    definition: definition('project', projectDecider.initialState),
    decider: projectDecider,
    commandSchema: projectCommandSchema,
  },
  soldConstraints: {
    definition: definition('project_sold_constraints', soldConstraintsDecider.initialState),
    decider: soldConstraintsDecider,
    commandSchema: soldConstraintsCommandSchema,
  },
  milestone: {
    definition: definition('milestone', milestoneDecider.initialState),
    decider: milestoneDecider,
    commandSchema: milestoneCommandSchema,
  },
  task: {
    definition: definition('task', taskDecider.initialState),
    decider: taskDecider,
    commandSchema: taskCommandSchema,
  },
  variance: {
    definition: definition('project_variance', varianceDecider.initialState),
    decider: varianceDecider,
    commandSchema: varianceCommandSchema,
  },
};
const definitions = definitionsOf(bindings);
const metadata = { actor: { type: 'system' as const, id: null } };

function setup() {
  const runtime: CommandRuntime = {
    unitOfWork: createInMemoryUnitOfWork(createInMemoryEventStore()),
    registry: deliveryEventRegistry,
    clock: fixedClock('2026-04-01T09:00:00.000000Z', 1),
    ids: ids(),
  };
  const quote = acceptedQuote([
    implementation([
      labour(1, 600, { name: 'Design', sequence: 1 }),
      labour(2, 1200, { name: 'Build', sequence: 2 }),
      labour(3, 600, { name: 'Build', sequence: 2 }),
    ]),
  ]);
  return { runtime, quote, sale: saleOf(quote) };
}

describe('delivery workflows and loaders', () => {
  it('given a project id, when its sold-constraints stream id is derived, then only the version digit differs (8) and it is a valid UUID', () => {
    const p = project(1);
    const s = soldConstraintsStreamId(p);
    expect(s).not.toBe(p);
    expect(s[14]).toBe('8');
    expect(s.slice(0, 14) + s.slice(15)).toBe(p.slice(0, 14) + p.slice(15));
    expect(uuidSchema.safeParse(s).success).toBe(true);
  });

  it('given an accepted sale, when delivery starts, then the loaders see the plan: Σ of the other live tasks, the milestone’s bound and the active baseline', async () => {
    const { runtime, quote, sale } = setup();
    const r = await startDelivery(runtime, bindings, { sale, quote, siteId: null }, metadata);
    if (!r.ok || r.value.duplicate) throw new Error('not started');
    const d = r.value.value;
    expect(d.milestoneIds).toHaveLength(2);
    expect(d.taskIds).toHaveLength(3);
    const second = d.taskIds[1] as string as Uuid;
    const facts = await runtime.unitOfWork.run(async (scope) => {
      const loaded = await scope.aggregate(definitions.task).load(second);
      return taskFacts(definitions, { projectId: d.projectId, taskIds: d.taskIds, varianceIds: [] })(
        scope,
        loaded,
      );
    });
    expect(facts.projectStatus).toBe('created');
    expect(facts.plan).toMatchObject({
      baseline: { version: 1, soldMinutes: 2400, constraintId: d.constraintId },
      variances: [],
      plannedMinutesElsewhere: 1200,
      milestone: { milestoneId: d.milestoneIds[1], soldMinutes: 1800, plannedMinutesElsewhere: 600 },
    });
    const project = await runtime.unitOfWork.run(async (scope) =>
      projectFacts(definitions, { taskIds: d.taskIds, varianceIds: [] })(
        scope,
        await scope.aggregate(definitions.project).load(d.projectId as string as Uuid),
      ),
    );
    expect(project).toMatchObject({ actualMinutes: 0, variances: [], activeBaselineVersion: 1 });
    expect(project.tasks?.map((t) => t.status)).toEqual(['planned', 'planned', 'planned']);

    const again = await startDelivery(runtime, bindings, { sale, quote, siteId: null }, metadata);
    expect(again.ok && again.value.duplicate).toBe(true);
  });

  it('given no project, when a task or a milestone is created with the loaders, then the facts are missing and the decisions refuse', async () => {
    const { runtime } = setup();
    const at = '2026-04-01T09:00:00.000000Z' as never;
    const taskId = project(9);
    const r = await createCommandHandler(
      runtime,
      bindings.task,
    )({
      streamId: taskId as string as Uuid,
      command: {
        type: 'create',
        taskId: taskId as never,
        projectId: project(8),
        milestoneId: null,
        ticketId: null,
        name: 'Orphan',
        estimatedMinutes: 10,
        soldMinutes: 0,
        roleId: null,
        assigneeId: null,
        sequence: 1,
        sourceLineId: null,
        at,
      },
      metadata,
      loadFacts: taskFacts(definitions, { projectId: project(8), taskIds: [], varianceIds: [] }),
    });
    expect(!r.ok && r.error.code).toBe('TASK_FACTS_MISSING');
    const milestoneId = project(7);
    const m = await createCommandHandler(
      runtime,
      bindings.milestone,
    )({
      streamId: milestoneId as string as Uuid,
      command: {
        type: 'define',
        milestoneId: milestoneId as never,
        projectId: project(8),
        name: 'Orphan',
        description: null,
        sequence: 1,
        soldMinutes: 0,
        sourceRef: null,
        at,
      },
      metadata,
      loadFacts: milestoneFacts(definitions, { projectId: project(8), taskIds: [] }),
    });
    expect(!m.ok && m.error.code).toBe('MILESTONE_FACTS_MISSING');
  });

  it('given a project without baselines, when a change order is applied, then BASELINE_NOT_FOUND', async () => {
    const { runtime, quote } = setup();
    const r = await applyChangeOrder(
      runtime,
      bindings,
      {
        projectId: project(7),
        quote: { ...quote, parentQuoteId: quote.quoteId },
        quoteVersion: 1,
        approvedBy: project(6),
        cause: 'More',
        at: '2026-04-01T09:00:00.000000Z' as never,
        taskIds: [],
        milestoneCount: 0,
      },
      metadata,
    );
    expect(!r.ok && r.error.code).toBe('BASELINE_NOT_FOUND');
  });
});
