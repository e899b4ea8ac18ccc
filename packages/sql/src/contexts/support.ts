import {
  type AggregateBinding,
  type Calendar,
  type FactsLoader,
  type Identity,
  Support,
} from '@pet-ops/core';
import { aggregateOf } from '../state-table.js';
import { slaAssignmentsTable, slaDefinitionsTable, ticketsTable } from '../tables/support.js';

/** The support context's aggregates as the command handler drives them, on the seam's state tables. */
export interface SupportBindings {
  /** `ticket` on `<prefix>tickets` (links also written to `<prefix>ticket_links`); facts from {@link SupportBindings.ticketFacts}. */
  readonly ticket: AggregateBinding<
    Support.TicketState,
    Support.TicketCommand,
    Support.TicketEvent,
    Support.TicketFacts | undefined,
    Support.TicketRejection
  >;
  /** `sla_definition` on `<prefix>sla_definitions` (one row per version); facts from {@link SupportBindings.slaDefinitionFacts}. */
  readonly slaDefinition: AggregateBinding<
    Support.SlaDefinitionState,
    Support.SlaDefinitionCommand,
    Support.SlaDefinitionEvent,
    Support.SlaDefinitionFacts | undefined,
    Support.SlaDefinitionRejection
  >;
  /** `sla_assignment` on `<prefix>sla_assignments` (clock events also written to `<prefix>sla_events`); `bind` facts from {@link SupportBindings.slaBindFacts}. */
  readonly slaAssignment: AggregateBinding<
    Support.SlaAssignmentState,
    Support.SlaAssignmentCommand,
    Support.SlaAssignmentEvent,
    Support.SlaAssignmentFacts | undefined,
    Support.SlaAssignmentRejection
  >;
  /** `Support.ticketFactsLoader` on these tables: a split child's parent read in the transaction. */
  ticketFacts(input: {
    readonly parentTicketId?: Support.TicketId | null;
    readonly pullerTeamIds?: readonly Identity.TeamId[];
    readonly loggedMinutes?: number;
  }): FactsLoader<Support.TicketState, Support.TicketFacts | undefined>;
  /** `Support.slaDefinitionFactsLoader` on these tables: the previous version of the name. */
  slaDefinitionFacts(input: {
    readonly name: string;
    readonly previousVersionId: Support.SlaDefinitionId | null;
  }): FactsLoader<Support.SlaDefinitionState, Support.SlaDefinitionFacts | undefined>;
  /** `Support.slaBindFactsLoader` on these tables: the SLA version to bind and its calendar. */
  slaBindFacts(
    slaDefinitionId: Support.SlaDefinitionId,
    calendar: Calendar.BusinessCalendar,
  ): FactsLoader<Support.SlaAssignmentState, Support.SlaAssignmentFacts | undefined>;
}

const definitions: Support.SupportDefinitions = {
  ticket: aggregateOf(ticketsTable),
  slaDefinition: aggregateOf(slaDefinitionsTable),
  slaAssignment: aggregateOf(slaAssignmentsTable),
};

/**
 * The support context on the seam: bindings for `createCommandHandler` (one call shape for every
 * context) and the facts loaders its decisions read through the unit of work.
 *
 * @example
 * ```ts
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
 * const handleSla = createCommandHandler({ unitOfWork: uow, registry, clock, ids }, supportBindings.slaAssignment);
 * await handleSla({
 *   streamId: assignmentId,
 *   command: { type: 'bind', assignmentId, ticketId, contractId: null, source: 'explicit', startedAt, at },
 *   metadata: { actor },
 *   loadFacts: supportBindings.slaBindFacts(slaDefinitionId, calendar),
 * });
 * ```
 */
export const supportBindings: SupportBindings = {
  ticket: {
    definition: definitions.ticket,
    decider: Support.ticketDecider,
    commandSchema: Support.ticketCommandSchema,
  },
  slaDefinition: {
    definition: definitions.slaDefinition,
    decider: Support.slaDefinitionDecider,
    commandSchema: Support.slaDefinitionCommandSchema,
  },
  slaAssignment: {
    definition: definitions.slaAssignment,
    decider: Support.slaAssignmentDecider,
    commandSchema: Support.slaAssignmentCommandSchema,
  },
  ticketFacts: (input) => Support.ticketFactsLoader(definitions, input),
  slaDefinitionFacts: (input) => Support.slaDefinitionFactsLoader(definitions, input),
  slaBindFacts: (slaDefinitionId, calendar) =>
    Support.slaBindFactsLoader(definitions, slaDefinitionId, calendar),
};
