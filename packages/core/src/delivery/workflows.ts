import { z } from 'zod';
import type { QuoteDetails } from '../commercial/quote/state.js';
import type { AcceptanceStep } from '../commercial/sale/acceptance.js';
import type { SaleCreatedPayload } from '../commercial/sale/sale.js';
import {
  type AggregateBinding,
  type CommandMetadata,
  type CommandRuntime,
  err,
  type IdGenerator,
  type Instant,
  instantSchema,
  isPetError,
  type Loaded,
  ok,
  parseInput,
  type Result,
  reject,
  runWorkflow,
  type Uuid,
  uuidSchema,
  ValidationError,
  type WorkflowOutcome,
  type WorkflowScope,
} from '../kernel/index.js';
import { deliveryFromChangeOrder, deliveryFromSale, type WbsPlan } from './from-sale.js';
import type { MilestoneId, ProjectId, SoldConstraintsId, TaskId } from './ids.js';
import { type DeliveryDefinitions, soldConstraintsStreamId } from './loaders.js';
import type { MilestoneCommand, MilestoneFacts } from './milestone/commands.js';
import type { MilestoneEvent } from './milestone/events.js';
import type { MilestoneRejection } from './milestone/rejections.js';
import type { MilestoneState } from './milestone/state.js';
import type { ProjectCommand, ProjectFacts } from './project/commands.js';
import type { ProjectEvent } from './project/events.js';
import type { ProjectRejection } from './project/rejections.js';
import type { ProjectState, ProjectStatus } from './project/state.js';
import type { SoldConstraintsCommand } from './sold-constraints/commands.js';
import type { Baseline, SoldConstraintsEvent } from './sold-constraints/events.js';
import type { SoldConstraintsRejection } from './sold-constraints/rejections.js';
import type { SoldConstraintsState } from './sold-constraints/state.js';
import type { TaskCommand, TaskFacts } from './task/commands.js';
import type { TaskEvent } from './task/events.js';
import type { TaskRejection } from './task/rejections.js';
import type { TaskState } from './task/state.js';
import type { VarianceCommand, VarianceFacts } from './variance/commands.js';
import type { VarianceEvent } from './variance/events.js';
import type { VarianceRejection } from './variance/rejections.js';
import type { VarianceState } from './variance/state.js';

/**
 * The delivery aggregates as the command handler drives them (definition, decider, command schema): one
 * binding per aggregate kind, supplied by the persistence adapter (`deliveryBindings` of `@pet-ops/sql`).
 */
export interface DeliveryBindings {
  readonly project: AggregateBinding<
    ProjectState,
    ProjectCommand,
    ProjectEvent,
    ProjectFacts | undefined,
    ProjectRejection
  >;
  readonly soldConstraints: AggregateBinding<
    SoldConstraintsState,
    SoldConstraintsCommand,
    SoldConstraintsEvent,
    undefined,
    SoldConstraintsRejection
  >;
  readonly milestone: AggregateBinding<
    MilestoneState,
    MilestoneCommand,
    MilestoneEvent,
    MilestoneFacts | undefined,
    MilestoneRejection
  >;
  readonly task: AggregateBinding<TaskState, TaskCommand, TaskEvent, TaskFacts | undefined, TaskRejection>;
  readonly variance: AggregateBinding<
    VarianceState,
    VarianceCommand,
    VarianceEvent,
    VarianceFacts | undefined,
    VarianceRejection
  >;
}

/**
 * The aggregate definitions of delivery bindings, for the facts loaders.
 *
 * @example `const loadFacts = taskFacts(definitionsOf(bindings), { projectId, taskIds, varianceIds });`
 */
export function definitionsOf(bindings: DeliveryBindings): DeliveryDefinitions {
  return {
    project: bindings.project.definition,
    soldConstraints: bindings.soldConstraints.definition,
    milestone: bindings.milestone.definition,
    task: bindings.task.definition,
    variance: bindings.variance.definition,
  };
}

/** A refusal of a delivery workflow: the refusal of the first step that refused. */
export type DeliveryRejection =
  | ProjectRejection
  | SoldConstraintsRejection
  | MilestoneRejection
  | TaskRejection;

/** What {@link startDelivery} created. */
export interface StartedDelivery {
  readonly projectId: ProjectId;
  readonly constraintId: SoldConstraintsId;
  /** The sold-constraints stream of the project ({@link soldConstraintsStreamId}). */
  readonly soldConstraintsStreamId: string;
  readonly milestoneIds: readonly MilestoneId[];
  readonly taskIds: readonly TaskId[];
}

async function runPlan(
  w: WorkflowScope,
  bindings: DeliveryBindings,
  plan: WbsPlan,
  projectStatus: ProjectStatus,
): Promise<Result<{ milestoneIds: MilestoneId[]; taskIds: TaskId[] }, DeliveryRejection>> {
  // One batch per kind: the milestones, then the tasks (which name them), each loaded and saved together.
  const milestones = await w.executeAll(
    bindings.milestone,
    plan.milestones.map((m) => ({
      streamId: m.milestoneId as string as Uuid,
      command: m,
      facts: { projectStatus },
      // Milestones and tasks of a plan get ids made for it: nothing to read.
      isNew: true,
    })),
  );
  if (!milestones.ok) return milestones;
  const tasks = await w.executeAll(
    bindings.task,
    plan.tasks.map((t) => ({
      streamId: t.command.taskId as string as Uuid,
      command: t.command,
      facts: t.facts,
      isNew: true,
    })),
  );
  if (!tasks.ok) return tasks;
  return ok({
    milestoneIds: plan.milestones.map((m) => m.milestoneId),
    taskIds: plan.tasks.map((t) => t.command.taskId),
  });
}

// The workflows' input comes from the host: its outline is checked before any read, and the hand-off
// mapping that walks the quote's content answers a shape it cannot read with a ValidationError too.
const quoteShape = z.looseObject({ quoteId: z.string().min(1).max(64), currency: z.string().length(3) });
const metadataShape = z.looseObject({ idempotencyKey: z.string().max(255).optional() });
const startSchema = z.object({
  sale: z.looseObject({
    saleId: uuidSchema,
    quoteId: z.string().min(1).max(64),
    quoteVersion: z.number().int().min(1),
    acceptedAt: instantSchema,
  }),
  quote: quoteShape.extend({ versions: z.array(z.looseObject({ version: z.number().int() })) }),
  siteId: z.string().max(64).nullable(),
  name: z.string().max(255).optional(),
  at: instantSchema.optional(),
});
const changeOrderSchema = z.object({
  projectId: uuidSchema,
  quote: quoteShape,
  quoteVersion: z.number().int().min(1),
  saleId: z.string().max(64).nullable().optional(),
  approvedBy: z.string().min(1).max(64),
  cause: z.string().max(10_000),
  at: instantSchema,
  taskIds: z.array(uuidSchema).max(100_000),
  milestoneCount: z.number().int().min(0),
});

function mapped<T>(what: string, map: () => T): T {
  try {
    return map();
  } catch (e) {
    if (isPetError(e)) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new ValidationError(what, [{ field: 'quote', rule: `could not be read (${why.slice(0, 200)})` }]);
  }
}

/**
 * Turns an accepted sale into delivery in ONE unit of work: the sold project, baseline v1 (one immutable
 * `project_sold_constraints` row), one milestone per quote milestone and one task per quote labour task
 * ({@link deliveryFromSale}). Any refusal writes nothing. Idempotent by key: the key defaults to
 * `delivery:<saleId>`, and a resent start — or one that ran concurrently and lost the race on the unique
 * `sale_id` — returns the stored events with `duplicate: true`. Throws a
 * `ValidationError` when the sale is not of this quote.
 *
 * @example
 * ```ts
 * const r = await startDelivery(runtime, deliveryBindings, { sale, quote, siteId: null }, { actor });
 * if (r.ok && !r.value.duplicate) console.log(r.value.value.projectId);
 * ```
 */
export async function startDelivery(
  runtime: CommandRuntime,
  bindings: DeliveryBindings,
  input: {
    readonly sale: SaleCreatedPayload;
    readonly quote: QuoteDetails;
    readonly siteId: string | null;
    readonly name?: string;
    /** When the project starts (default: the sale's acceptance time). */
    readonly at?: Instant;
  },
  metadata: CommandMetadata,
): Promise<Result<WorkflowOutcome<StartedDelivery>, DeliveryRejection>> {
  parseInput(startSchema, input, 'startDelivery input');
  parseInput(metadataShape, metadata, 'startDelivery metadata');
  const handOff = mapped('delivery hand-off', () =>
    deliveryFromSale({
      sale: input.sale,
      quote: input.quote,
      siteId: input.siteId,
      ...(input.name === undefined ? {} : { name: input.name }),
      ids: runtime.ids,
      at: input.at ?? input.sale.acceptedAt,
    }),
  );
  const meta = { ...metadata, idempotencyKey: metadata.idempotencyKey ?? `delivery:${input.sale.saleId}` };
  const run = () => runWorkflow(runtime, meta, (w) => startIn(w, bindings, handOff));
  try {
    return await run();
  } catch (e) {
    // A concurrent start of the same sale committed first (`projects.sale_id` is unique): run again, and
    // the stored key answers with a duplicate. Without a stored key the error stands.
    if (!isPetError(e) || e.code !== 'DUPLICATE_KEY') throw e;
    return run();
  }
}

/** The sold project, baseline v1 and the WBS plan, inside a workflow the caller holds. */
async function startIn(
  w: WorkflowScope,
  bindings: DeliveryBindings,
  handOff: ReturnType<typeof deliveryFromSale>,
): Promise<Result<StartedDelivery, DeliveryRejection>> {
  const projectId = handOff.project.projectId;
  // The hand-off made the project's id (and so its sold-constraints stream's): nothing to read.
  const project = await w.execute(bindings.project, {
    streamId: projectId as string as Uuid,
    command: handOff.project,
    isNew: true,
  });
  if (!project.ok) return project;
  const stream = soldConstraintsStreamId(projectId);
  const baseline = await w.execute(bindings.soldConstraints, {
    streamId: stream,
    command: handOff.soldConstraints,
    isNew: true,
  });
  if (!baseline.ok) return baseline;
  const plan = await runPlan(w, bindings, handOff, 'created');
  if (!plan.ok) return plan;
  return ok({
    projectId,
    constraintId: handOff.soldConstraints.constraintId,
    soldConstraintsStreamId: stream,
    ...plan.value,
  });
}

/**
 * The delivery hand-off as a step of the quote acceptance (`Commercial.createQuoteAcceptance`): in the
 * acceptance's own transaction — the one that accepts the quote and creates the sale — it creates the
 * sold project (customer and commercial context inherited), baseline v1 with the WBS snapshot, and the
 * milestones and tasks ({@link deliveryFromSale}). A refusal of any of them rolls the whole acceptance
 * back; two concurrent accepts of one quote give one sale and one project, since only one accept wins the
 * quote. The project starts at the sale's acceptance time.
 *
 * @example
 * ```ts
 * const accept = Commercial.createQuoteAcceptance(runtime, { quotes, sales }, [
 *   deliveryAcceptanceStep(deliveryBindings, { ids: runtime.ids }),
 * ]);
 * ```
 */
export function deliveryAcceptanceStep(
  bindings: DeliveryBindings,
  options: {
    /** Ids of the project, the baseline, the milestones and the tasks. */
    readonly ids: IdGenerator;
    /** The site the project is delivered at (default none). */
    readonly siteId?: string | null;
    /**
     * Finds the project a change order belongs to (the accepted quote has a parent): the project whose
     * sold quote is the parent (or its parent …), with its tasks and milestone count, read in the
     * acceptance's unit. Without it, or when it finds none, the quote starts a project of its own.
     */
    readonly locateChangeOrder?: (
      scope: WorkflowScope['scope'],
      parentQuoteId: string,
    ) => Promise<ChangeOrderTarget | null>;
  },
): AcceptanceStep {
  return {
    name: 'delivery-hand-off',
    run: async ({ workflow: w, quote, sale }) => {
      // A change order re-baselines the original project (v1 kept, v2 active) instead of starting one.
      const target =
        quote.parentQuoteId === null || options.locateChangeOrder === undefined
          ? null
          : await options.locateChangeOrder(w.scope, quote.parentQuoteId);
      if (target !== null) {
        return changeOrderIn(
          w,
          bindings,
          {
            ...target,
            quote,
            quoteVersion: sale.quoteVersion,
            saleId: sale.saleId,
            approvedBy: sale.acceptedBy,
            cause: `change order ${quote.quoteNumber} accepted`,
            at: sale.acceptedAt,
          },
          options.ids,
        );
      }
      const handOff = deliveryFromSale({
        sale,
        quote,
        siteId: options.siteId ?? null,
        ids: options.ids,
        at: sale.acceptedAt,
      });
      return startIn(w, bindings, handOff);
    },
  };
}

/** What a change order needs to know about the project it re-baselines. */
export interface ChangeOrderTarget {
  readonly projectId: ProjectId;
  /** The project's tasks (their live estimates are the plan the new version is checked against). */
  readonly taskIds: readonly TaskId[];
  /** How many milestones the project has (new ones are sequenced after them). */
  readonly milestoneCount: number;
}

/** The change order inside a workflow the caller holds (its own unit, or the acceptance's). */
async function changeOrderIn(
  w: WorkflowScope,
  bindings: DeliveryBindings,
  input: ChangeOrderTarget & {
    readonly quote: QuoteDetails;
    readonly quoteVersion: number;
    readonly saleId?: string | null;
    readonly approvedBy: string;
    readonly cause: string;
    readonly at: Instant;
  },
  ids: IdGenerator,
): Promise<Result<AppliedChangeOrder, DeliveryRejection>> {
  const stream = soldConstraintsStreamId(input.projectId);
  const baselines = (await w.scope.aggregate(bindings.soldConstraints.definition).load(stream)).state;
  const project = (
    await w.scope.aggregate(bindings.project.definition).load(input.projectId as string as Uuid)
  ).state;
  if (baselines.status === 'absent' || project.status === 'absent')
    return err(
      reject('BASELINE_NOT_FOUND', 'the project has no baseline yet', {
        version: null,
      }) as DeliveryRejection,
    );
  const active = baselines.versions.find((v) => v.version === baselines.activeVersion) as Baseline;
  let plannedMinutes = 0;
  const taskStore = w.scope.aggregate(bindings.task.definition);
  const taskIds = input.taskIds.map((id) => id as string as Uuid);
  const tasks =
    taskStore.loadMany !== undefined && taskIds.length > 1
      ? await taskStore.loadMany(taskIds)
      : await taskIds.reduce<Promise<Loaded<TaskState>[]>>(
          async (all, id) => [...(await all), await taskStore.load(id)],
          Promise.resolve([]),
        );
  for (const { state: t } of tasks) {
    if (t.status === 'planned' || t.status === 'in_progress') plannedMinutes += t.estimatedMinutes;
  }
  const co = mapped('delivery change order', () =>
    deliveryFromChangeOrder({
      active,
      quote: input.quote,
      quoteVersion: input.quoteVersion,
      saleId: input.saleId ?? null,
      plannedMinutes,
      milestoneCount: input.milestoneCount,
      taskCount: input.taskIds.length,
      projectStatus: project.status,
      approvedBy: input.approvedBy,
      cause: input.cause,
      ids,
      at: input.at,
    }),
  );
  const rebaselined = await w.execute(bindings.soldConstraints, {
    streamId: stream,
    command: co.rebaseline,
  });
  if (!rebaselined.ok) return rebaselined;
  const plan = await runPlan(w, bindings, co, project.status);
  if (!plan.ok) return plan;
  return ok({ constraintId: co.rebaseline.constraintId, version: active.version + 1, ...plan.value });
}

/** What {@link applyChangeOrder} created. */
export interface AppliedChangeOrder {
  readonly constraintId: SoldConstraintsId;
  /** The new active baseline version. */
  readonly version: number;
  readonly milestoneIds: readonly MilestoneId[];
  readonly taskIds: readonly TaskId[];
}

/**
 * Applies an accepted change order (a new quote whose parent is the project's original quote) in ONE unit
 * of work: the next baseline version (earlier versions stay as they were) and new milestones and tasks
 * for the added work ({@link deliveryFromChangeOrder}); the project and its tasks are untouched. Any
 * refusal writes nothing. Idempotent by key (default `delivery-change-order:<quoteId>`).
 *
 * @example
 * ```ts
 * const r = await applyChangeOrder(runtime, deliveryBindings, { projectId, quote, quoteVersion: 1, approvedBy, cause, at, taskIds, milestoneCount: 3 }, { actor });
 * ```
 */
export async function applyChangeOrder(
  runtime: CommandRuntime,
  bindings: DeliveryBindings,
  input: {
    readonly projectId: ProjectId;
    readonly quote: QuoteDetails;
    readonly quoteVersion: number;
    readonly saleId?: string | null;
    readonly approvedBy: string;
    readonly cause: string;
    readonly at: Instant;
    /** The project's tasks (their live estimates are the plan the new version is checked against). */
    readonly taskIds: readonly TaskId[];
    /** How many milestones the project has (new ones are sequenced after them). */
    readonly milestoneCount: number;
  },
  metadata: CommandMetadata,
): Promise<Result<WorkflowOutcome<AppliedChangeOrder>, DeliveryRejection>> {
  parseInput(changeOrderSchema, input, 'applyChangeOrder input');
  parseInput(metadataShape, metadata, 'applyChangeOrder metadata');
  const meta = {
    ...metadata,
    idempotencyKey: metadata.idempotencyKey ?? `delivery-change-order:${input.quote.quoteId}`,
  };
  return runWorkflow(runtime, meta, (w) => changeOrderIn(w, bindings, input, runtime.ids));
}
