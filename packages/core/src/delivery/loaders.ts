import { z } from 'zod';
import type { AggregateDefinition, FactsLoader, UnitOfWorkScope, Uuid } from '../kernel/index.js';
import { addMoney, parseInput, uuidSchema, zeroMoney } from '../kernel/index.js';
import type { MilestoneId, ProjectId, TaskId, VarianceId } from './ids.js';
import type { MilestoneFacts } from './milestone/commands.js';
import type { MilestoneState } from './milestone/state.js';
import type { ProjectFacts } from './project/commands.js';
import type { ProjectState } from './project/state.js';
import type { ActiveBaselineFact, VarianceFact, VarianceType } from './sold-bounds.js';
import { activeBaseline, type SoldConstraintsState } from './sold-constraints/state.js';
import type { TaskFacts } from './task/commands.js';
import type { TaskState } from './task/state.js';
import type { VarianceFacts } from './variance/commands.js';
import { varianceTypeSchema } from './variance/events.js';
import type { VarianceState } from './variance/state.js';

/** How each delivery aggregate is stored (the persistence adapter's definitions, e.g. `@pet-ops/sql`'s). */
export interface DeliveryDefinitions {
  readonly project: AggregateDefinition<ProjectState>;
  readonly soldConstraints: AggregateDefinition<SoldConstraintsState>;
  readonly milestone: AggregateDefinition<MilestoneState>;
  readonly task: AggregateDefinition<TaskState>;
  readonly variance: AggregateDefinition<VarianceState>;
}

// What a caller tells a loader is checked before any read: a wrong shape is a ValidationError naming it,
// not a TypeError from deep inside a transaction.
const ids = z.array(uuidSchema).max(100_000);
const actualMinutes = z.number().int().min(0).optional();
const projectKnownSchema = z.object({ taskIds: ids, varianceIds: ids, actualMinutes });
const taskKnownSchema = projectKnownSchema.extend({
  projectId: uuidSchema,
  milestoneId: uuidSchema.nullable().optional(),
  ticketId: z.string().max(64).optional(),
});
const milestoneKnownSchema = z.object({ projectId: uuidSchema, taskIds: ids, actualMinutes });
const varianceKnownSchema = z.object({
  projectId: uuidSchema,
  varianceIds: ids,
  breach: z
    .object({
      varianceType: varianceTypeSchema,
      milestoneId: uuidSchema.nullable(),
      baselineVersion: z.number().int().min(1),
    })
    .optional(),
});

/**
 * The stream id of a project's sold-constraints stream: the project id with its version digit set to
 * `8` (an RFC 9562 custom UUID). The event log keys streams by id alone, so the baselines cannot share the
 * project's own stream id; this one is derived, so it never needs storing or looking up, and no UUIDv7
 * entity id can ever equal it.
 *
 * @example `soldConstraintsStreamId('019b76da-a800-7000-8000-000000100001')` → `'019b76da-a800-8000-8000-000000100001'`
 */
export function soldConstraintsStreamId(projectId: ProjectId | Uuid): Uuid {
  return `${projectId.slice(0, 14)}8${projectId.slice(15)}` as Uuid;
}

/**
 * The project's active baseline as a sold-bound fact: null when the project's sold constraints do not
 * apply, or when it has no baseline yet.
 *
 * @example `const baseline = await loadActiveBaseline(scope, definitions, projectId);`
 */
export async function loadActiveBaseline(
  scope: UnitOfWorkScope,
  definitions: DeliveryDefinitions,
  projectId: ProjectId,
): Promise<ActiveBaselineFact | null> {
  const project = (await scope.aggregate(definitions.project).load(projectId as string as Uuid)).state;
  if (project.status === 'absent' || !project.soldConstraintsApply) return null;
  const baselines = await scope
    .aggregate(definitions.soldConstraints)
    .load(soldConstraintsStreamId(projectId));
  return activeBaseline(baselines.state);
}

type Present<S> = Exclude<S, { status: 'absent' }>;

async function loadAll<S extends { status: string }>(
  scope: UnitOfWorkScope,
  definition: AggregateDefinition<S>,
  ids: readonly string[],
): Promise<Present<S>[]> {
  const out: Present<S>[] = [];
  for (const id of ids) {
    const { state } = await scope.aggregate(definition).load(id as Uuid);
    if (state.status !== 'absent') out.push(state as Present<S>);
  }
  return out;
}

/**
 * The variances with these ids as the facts sold-bound checks and completion need (unknown ids skipped).
 *
 * @example `const variances = await loadVarianceFacts(scope, definitions, varianceIds);`
 */
export async function loadVarianceFacts(
  scope: UnitOfWorkScope,
  definitions: DeliveryDefinitions,
  varianceIds: readonly VarianceId[],
): Promise<VarianceFact[]> {
  return (await loadAll(scope, definitions.variance, varianceIds)).map((v) => ({
    varianceId: v.varianceId,
    varianceType: v.varianceType,
    milestoneId: v.milestoneId,
    baselineVersion: v.baselineVersion,
    sold: v.sold,
    observed: v.observed,
    status: v.status,
  }));
}

/**
 * The rows of a project the caller knows by id. The unit-of-work scope loads aggregates by id only, so a
 * loader is told which tasks and variances the project has; a read port (indexed queries on
 * `tasks (project_id, state)`, `(milestone_id, state)`, `ticket_id` and `project_variances (project_id,
 * state)`) would find them itself.
 */
export interface KnownProjectRows {
  /** The project's tasks (the decided task itself may be among them: it is left out of the sums). */
  readonly taskIds: readonly TaskId[];
  /** The project's variances. */
  readonly varianceIds: readonly VarianceId[];
}

const live = (t: Present<TaskState>) => t.status === 'planned' || t.status === 'in_progress';

/**
 * The facts loader of a task command: the project's status, its active baseline and variances, Σ
 * estimated minutes of its other live tasks, and the milestone's bound (the task's milestone, or
 * `known.milestoneId` for a create or a move); `known.ticketId` adds which of the known tasks holds
 * that ticket (`tasks.ticket_id` is UNIQUE, so the database refuses a second holder in any case).
 *
 * @example
 * ```ts
 * await handleTask({ streamId: taskId, command, metadata, loadFacts: taskFacts(definitions, { projectId, taskIds, varianceIds }) });
 * ```
 */
export function taskFacts(
  definitions: DeliveryDefinitions,
  known: KnownProjectRows & {
    readonly projectId: ProjectId;
    readonly milestoneId?: MilestoneId | null;
    readonly ticketId?: string;
  },
): FactsLoader<TaskState, TaskFacts> {
  parseInput(taskKnownSchema, known, 'taskFacts');
  return async (scope, loaded) => {
    const self = loaded.state.status === 'absent' ? null : loaded.state.taskId;
    const project = (await scope.aggregate(definitions.project).load(known.projectId as string as Uuid))
      .state;
    if (project.status === 'absent') return {};
    const tasks = await loadAll(scope, definitions.task, known.taskIds);
    const others = tasks.filter((t) => t.taskId !== self && live(t));
    const milestoneId =
      known.milestoneId !== undefined
        ? known.milestoneId
        : loaded.state.status === 'absent'
          ? null
          : loaded.state.milestoneId;
    const milestone =
      milestoneId === null
        ? null
        : (await scope.aggregate(definitions.milestone).load(milestoneId as string as Uuid)).state;
    const sum = (list: readonly Present<TaskState>[]) => list.reduce((n, t) => n + t.estimatedMinutes, 0);
    const holder =
      known.ticketId === undefined
        ? undefined
        : (tasks.find((t) => t.ticketId === known.ticketId)?.taskId ?? null);
    return {
      projectStatus: project.status,
      plan: {
        baseline: await loadActiveBaseline(scope, definitions, known.projectId),
        variances: await loadVarianceFacts(scope, definitions, known.varianceIds),
        plannedMinutesElsewhere: sum(others),
        ...(milestone === null || milestone.status === 'absent'
          ? {}
          : {
              milestone: {
                milestoneId: milestone.milestoneId,
                soldMinutes: milestone.soldMinutes,
                plannedMinutesElsewhere: sum(others.filter((t) => t.milestoneId === milestone.milestoneId)),
              },
            }),
      },
      ...(holder === undefined ? {} : { ticketHolder: holder }),
    };
  };
}

/**
 * The facts loader of a project command: its tasks, variances and active baseline version, and the
 * minutes booked on it (`known.actualMinutes`, from the time context; 0 when not given).
 *
 * @example
 * ```ts
 * await handleProject({ streamId: projectId, command: { type: 'complete', at }, metadata, loadFacts: projectFacts(definitions, { taskIds, varianceIds }) });
 * ```
 */
export function projectFacts(
  definitions: DeliveryDefinitions,
  known: KnownProjectRows & { readonly actualMinutes?: number },
): FactsLoader<ProjectState, ProjectFacts> {
  parseInput(projectKnownSchema, known, 'projectFacts');
  return async (scope, loaded) => {
    if (loaded.state.status === 'absent') return {};
    const projectId = loaded.state.projectId;
    const tasks = await loadAll(scope, definitions.task, known.taskIds);
    return {
      tasks: tasks.map((t) => ({ taskId: t.taskId, status: t.status })),
      actualMinutes: known.actualMinutes ?? 0,
      variances: await loadVarianceFacts(scope, definitions, known.varianceIds),
      activeBaselineVersion: (await loadActiveBaseline(scope, definitions, projectId))?.version ?? null,
    };
  };
}

/**
 * The facts loader of a milestone command: the project's status, the milestone's tasks among
 * `known.taskIds`, and the minutes booked on them (`known.actualMinutes`; 0 when not given).
 *
 * @example
 * ```ts
 * await handleMilestone({ streamId: milestoneId, command: { type: 'complete', at }, metadata, loadFacts: milestoneFacts(definitions, { projectId, taskIds }) });
 * ```
 */
export function milestoneFacts(
  definitions: DeliveryDefinitions,
  known: {
    readonly projectId: ProjectId;
    readonly taskIds: readonly TaskId[];
    readonly actualMinutes?: number;
  },
): FactsLoader<MilestoneState, MilestoneFacts> {
  parseInput(milestoneKnownSchema, known, 'milestoneFacts');
  return async (scope, loaded) => {
    const project = (await scope.aggregate(definitions.project).load(known.projectId as string as Uuid))
      .state;
    const self = loaded.state.status === 'absent' ? null : loaded.state.milestoneId;
    const tasks = (await loadAll(scope, definitions.task, known.taskIds)).filter(
      (t) => t.milestoneId === self,
    );
    return {
      ...(project.status === 'absent' ? {} : { projectStatus: project.status }),
      tasks: tasks.map((t) => ({ taskId: t.taskId, status: t.status, estimatedMinutes: t.estimatedMinutes })),
      actualMinutes: known.actualMinutes ?? 0,
    };
  };
}

/**
 * The facts loader of a variance command: for a detection (`known.breach`), the open variance among the
 * known ones recording the same breach (type, scope, baseline version); for a variance order, the active
 * baseline's price and margin and Σ the project's earlier variance orders.
 *
 * @example
 * ```ts
 * await handleVariance({ streamId: detect.varianceId, command: detect, metadata, loadFacts: varianceFacts(definitions, { projectId, varianceIds, breach: detect }) });
 * ```
 */
export function varianceFacts(
  definitions: DeliveryDefinitions,
  known: {
    readonly projectId: ProjectId;
    readonly varianceIds: readonly VarianceId[];
    readonly breach?: {
      readonly varianceType: VarianceType;
      readonly milestoneId: MilestoneId | null;
      readonly baselineVersion: number;
    };
  },
): FactsLoader<VarianceState, VarianceFacts> {
  parseInput(varianceKnownSchema, known, 'varianceFacts');
  return async (scope) => {
    const variances = await loadAll(scope, definitions.variance, known.varianceIds);
    const b = known.breach;
    const open =
      b === undefined
        ? undefined
        : (variances.find(
            (v) =>
              v.status === 'open' &&
              v.varianceType === b.varianceType &&
              v.milestoneId === b.milestoneId &&
              v.baselineVersion === b.baselineVersion,
          )?.varianceId ?? null);
    const baseline = await loadActiveBaseline(scope, definitions, known.projectId);
    const currency = baseline?.soldValue.currency;
    const varianceOrder =
      baseline === null || currency === undefined
        ? undefined
        : {
            price: baseline.soldValue,
            marginAtSale: baseline.marginAtSale,
            earlierOrders: variances
              .flatMap((v) => (v.varianceOrder === null ? [] : [v.varianceOrder.amount]))
              .reduce(addMoney, zeroMoney(currency)),
          };
    return {
      ...(open === undefined ? {} : { openVarianceId: open }),
      ...(varianceOrder === undefined ? {} : { varianceOrder }),
    };
  };
}
