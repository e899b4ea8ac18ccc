import { Delivery } from '@pet-ops/core';
import { aggregateOf } from '../state-table.js';
import {
  milestonesTable,
  projectsTable,
  projectVariancesTable,
  soldConstraintsTable,
  tasksTable,
} from '../tables/delivery.js';

/**
 * The delivery context on the seam: one binding per aggregate for `createCommandHandler` (one call shape
 * for every context), `runWorkflow` and `Delivery.startDelivery` / `Delivery.applyChangeOrder`. The facts
 * loaders (`Delivery.taskFacts`, `projectFacts`, `milestoneFacts`, `varianceFacts`) read through the
 * unit of work with `Delivery.definitionsOf(deliveryBindings)`. A project's sold-constraints stream id
 * is `Delivery.soldConstraintsStreamId(projectId)`.
 *
 * @example
 * ```ts
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
 * const runtime = { unitOfWork: uow, registry, clock, ids };
 * const started = await Delivery.startDelivery(runtime, deliveryBindings, { sale, quote, siteId: null }, { actor });
 * const handleTask = createCommandHandler(runtime, deliveryBindings.task);
 * ```
 */
export const deliveryBindings: Delivery.DeliveryBindings = Object.freeze({
  project: {
    definition: aggregateOf(projectsTable),
    decider: Delivery.projectDecider,
    commandSchema: Delivery.projectCommandSchema,
  },
  soldConstraints: {
    definition: aggregateOf(soldConstraintsTable),
    decider: Delivery.soldConstraintsDecider,
    commandSchema: Delivery.soldConstraintsCommandSchema,
  },
  milestone: {
    definition: aggregateOf(milestonesTable),
    decider: Delivery.milestoneDecider,
    commandSchema: Delivery.milestoneCommandSchema,
  },
  task: {
    definition: aggregateOf(tasksTable),
    decider: Delivery.taskDecider,
    commandSchema: Delivery.taskCommandSchema,
  },
  variance: {
    definition: aggregateOf(projectVariancesTable),
    decider: Delivery.varianceDecider,
    commandSchema: Delivery.varianceCommandSchema,
  },
});
