import { type AggregateBinding, Time } from '@pet-ops/core';
import { aggregateOf } from '../state-table.js';
import { projectsTable, tasksTable } from '../tables/delivery.js';
import { ticketsTable } from '../tables/support.js';
import { resourceAllocationsTable, timeEntriesTable } from '../tables/time.js';

/** The time context's aggregates as the command handler drives them, on the seam's state tables. */
export interface TimeBindings {
  /** `time_entry` on `<prefix>time_entries` (adjustments written to `<prefix>time_entry_adjustments`). */
  readonly timeEntry: AggregateBinding<
    Time.TimeEntryState,
    Time.TimeEntryCommand,
    Time.TimeEntryEvent,
    Time.TimeEntryFacts | undefined,
    Time.TimeEntryRejection
  >;
  /** `resource_allocation` on `<prefix>resource_allocations`. */
  readonly resourceAllocation: AggregateBinding<
    Time.ResourceAllocationState,
    Time.ResourceAllocationCommand,
    Time.ResourceAllocationEvent,
    Time.ResourceAllocationFacts | undefined,
    Time.ResourceAllocationRejection
  >;
  /**
   * The work-context fact sources for `Time.timeEntryFactsLoader`, read through the unit of work (in the
   * decision's transaction): tickets from `<prefix>tickets` (support), tasks and projects from
   * `<prefix>tasks` and `<prefix>projects` (delivery). An id with no row is `null` (the checks refuse).
   */
  readonly workContextSources: Time.WorkContextSources;
}

/**
 * The time context on the seam: bindings for `createCommandHandler` (one call shape for every
 * context) and the fact sources its loaders read through the unit of work.
 *
 * @example
 * ```ts
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
 * const handle = createCommandHandler({ unitOfWork: uow, registry, clock, ids }, timeBindings.timeEntry);
 * await handle({
 *   streamId: entryId,
 *   command: { type: 'submit', actorId: owner, attest: true, at },
 *   metadata: { actor: { type: 'employee', id: owner } },
 *   loadFacts: Time.timeEntryFactsLoader(timeBindings.workContextSources, { lockPeriod }),
 * });
 * ```
 */
export const timeBindings: TimeBindings = Object.freeze({
  timeEntry: {
    definition: aggregateOf(timeEntriesTable),
    decider: Time.timeEntryDecider,
    commandSchema: Time.timeEntryCommandSchema,
  },
  resourceAllocation: {
    definition: aggregateOf(resourceAllocationsTable),
    decider: Time.resourceAllocationDecider,
    commandSchema: Time.resourceAllocationCommandSchema,
  },
  workContextSources: Object.freeze({
    ticket: Time.factSource(aggregateOf(ticketsTable), (s) =>
      s.status === 'absent' ? null : Time.ticketFactOf(s),
    ),
    task: Time.factSource(aggregateOf(tasksTable), (s) =>
      s.status === 'absent' ? null : Time.taskFactOf(s),
    ),
    project: Time.factSource(aggregateOf(projectsTable), (s) =>
      s.status === 'absent' ? null : Time.projectFactOf(s),
    ),
  }),
});
