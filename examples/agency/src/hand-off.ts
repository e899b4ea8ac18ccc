// The delivery hand-off of the acceptance transaction, for first sales and for change orders.
//
// `deliveryOnAcceptance` (of `@pet-ops/sql`) turns every accepted quote into a new project, baseline v1,
// milestones and tasks. A change order is a quote whose `parentQuoteId` names the project's original
// quote: its acceptance must create the project's NEXT baseline version (and the added work's milestones
// and tasks), not a second project. The library has that as `Delivery.applyChangeOrder`, but in a unit
// of work of its own; this step does the same through the public core API (`deliveryFromChangeOrder`)
// inside the acceptance's transaction, so the sale and baseline v2 land together or not at all.
import {
  type Commercial,
  Delivery,
  type IdGenerator,
  ok,
  type Result,
  type Uuid,
  type WorkflowScope,
} from '@pet-ops/core';
import { deliveryBindings, deliveryOnAcceptance } from '@pet-ops/sql';

/** What the hand-off created for one accepted quote. */
export type HandOff =
  | { readonly kind: 'project'; readonly started: Delivery.StartedDelivery }
  | { readonly kind: 'change_order'; readonly applied: Delivery.AppliedChangeOrder };

/** Where a change order's project is: the original quote's project and what it has so far. */
export interface ChangeOrderTarget {
  readonly projectId: Delivery.ProjectId;
  readonly taskIds: readonly Delivery.TaskId[];
  readonly milestoneCount: number;
  readonly approvedBy: string;
  readonly cause: string;
}

const asUuid = (id: string): Uuid => id as Uuid;

async function runPlan(
  w: WorkflowScope,
  plan: Delivery.WbsPlan,
  projectStatus: Delivery.ProjectStatus,
): Promise<
  Result<{ milestoneIds: Delivery.MilestoneId[]; taskIds: Delivery.TaskId[] }, Delivery.DeliveryRejection>
> {
  const milestoneIds: Delivery.MilestoneId[] = [];
  for (const m of plan.milestones) {
    const r = await w.execute(deliveryBindings.milestone, {
      streamId: asUuid(m.milestoneId),
      command: m,
      facts: { projectStatus },
    });
    if (!r.ok) return r;
    milestoneIds.push(m.milestoneId);
  }
  const taskIds: Delivery.TaskId[] = [];
  for (const t of plan.tasks) {
    const r = await w.execute(deliveryBindings.task, {
      streamId: asUuid(t.command.taskId),
      command: t.command,
      facts: t.facts,
    });
    if (!r.ok) return r;
    taskIds.push(t.command.taskId);
  }
  return ok({ milestoneIds, taskIds });
}

/**
 * The delivery acceptance step: a first sale hands over through `deliveryOnAcceptance`; a change order
 * (the accepted quote has a parent) re-baselines the parent's project via `target(parentQuoteId)`.
 * `record` receives what each committed attempt created (a retried transaction records again; the last
 * call is the committed one).
 *
 * @example
 * ```ts
 * const quoting = createQuoting({ runtime, acceptanceSteps: [markOpportunityWon, deliveryHandOff({ ids, target, record })] });
 * ```
 */
export function deliveryHandOff(options: {
  readonly ids: IdGenerator;
  readonly target: (parentQuoteId: string) => ChangeOrderTarget | undefined;
  readonly record: (quoteId: string, handOff: HandOff) => void;
}): Commercial.AcceptanceStep {
  const firstSale = deliveryOnAcceptance({ ids: options.ids });
  return {
    name: 'delivery-hand-off',
    run: async (context) => {
      const { quote, sale, workflow: w } = context;
      if (quote.parentQuoteId === null) {
        const r = await firstSale.run(context);
        if (r.ok)
          options.record(quote.quoteId, { kind: 'project', started: r.value as Delivery.StartedDelivery });
        return r;
      }
      const target = options.target(quote.parentQuoteId);
      if (target === undefined)
        throw new Error(`no project for the change order's parent ${quote.parentQuoteId}`);
      const definitions = Delivery.definitionsOf(deliveryBindings);
      const stream = Delivery.soldConstraintsStreamId(target.projectId);
      const baselines = (await w.scope.aggregate(definitions.soldConstraints).load(stream)).state;
      const project = (await w.scope.aggregate(definitions.project).load(asUuid(target.projectId))).state;
      if (baselines.status === 'absent' || project.status === 'absent')
        throw new Error(`project ${target.projectId} has no baseline`);
      const version = baselines.versions.find((v) => v.version === baselines.activeVersion);
      if (version === undefined) throw new Error(`project ${target.projectId} has no active baseline`);
      let plannedMinutes = 0;
      for (const id of target.taskIds) {
        const t = (await w.scope.aggregate(definitions.task).load(asUuid(id))).state;
        if (t.status === 'planned' || t.status === 'in_progress') plannedMinutes += t.estimatedMinutes;
      }
      const co = Delivery.deliveryFromChangeOrder({
        active: version,
        quote,
        quoteVersion: sale.quoteVersion,
        saleId: sale.saleId,
        plannedMinutes,
        milestoneCount: target.milestoneCount,
        taskCount: target.taskIds.length,
        projectStatus: project.status,
        approvedBy: target.approvedBy,
        cause: target.cause,
        ids: options.ids,
        at: sale.acceptedAt,
      });
      const rebaselined = await w.execute(deliveryBindings.soldConstraints, {
        streamId: stream,
        command: co.rebaseline,
      });
      if (!rebaselined.ok) return rebaselined;
      const plan = await runPlan(w, co, project.status);
      if (!plan.ok) return plan;
      const applied: Delivery.AppliedChangeOrder = {
        constraintId: co.rebaseline.constraintId,
        version: version.version + 1,
        ...plan.value,
      };
      options.record(quote.quoteId, { kind: 'change_order', applied });
      return ok(applied);
    },
  };
}
